/**
 * Hand-written recursive-descent parsers for DynamoDB's three expression grammars. They build raw
 * syntax trees (placeholders unresolved, parentheses kept) and report only syntax errors; the
 * checker (checker.ts) resolves names and values and does DynamoDB's semantic checks.
 *
 * Grammars (keywords are case-insensitive; whitespace is free between tokens):
 *
 *   path        := (ident | #name) ( '.' (ident | #name) | '[' number ']' )*
 *   operand     := '(' operand ')' | ident '(' operand (',' operand)* ')' | :value | path
 *
 *   condition   := or
 *   or          := and ( OR and )*
 *   and         := not ( AND not )*
 *   not         := NOT not | predicate
 *   predicate   := atom [ comparator operand | BETWEEN operand AND operand | IN '(' operand (',' operand)* ')' ]
 *   atom        := '(' or ')' | ident '(' operand (',' operand)* ')' | :value | path
 *   comparator  := '=' | '<>' | '<' | '<=' | '>' | '>='
 *
 *   A bare operand is a predicate only where a comparator follows it, so `(a) = :v` and
 *   `((a = :v))` both parse, and `a AND b = :c` fails at AND.
 *
 *   update      := clause+
 *   clause      := SET set (',' set)* | REMOVE path (',' path)* | ADD path :value (',' path :value)*
 *                | DELETE path :value (',' path :value)*
 *   set         := path '=' setValue
 *   setValue    := '(' setValue ')' | operand [ ('+' | '-') operand ]
 *
 *   projection  := path (',' path)*
 *
 * Each parser is linear in the input. Recursion (parentheses, NOT, function arguments) is bounded
 * by MAX_DEPTH so that a deeply nested input fails with a ValidationException, not a stack overflow.
 */
import { syntaxErrorMessage, tokenize, type Token } from './tokenizer.ts';

export type RawPathElement =
  | { kind: 'ident'; name: string }
  | { kind: 'name'; name: string } // #placeholder
  | { kind: 'index'; index: number };

export type RawNode =
  | { kind: 'path'; elements: RawPathElement[] }
  | { kind: 'value'; name: string } // :placeholder
  | { kind: 'call'; name: string; args: RawNode[] }
  | { kind: 'paren'; inner: RawNode }
  | { kind: 'compare'; op: string; left: RawNode; right: RawNode }
  | { kind: 'between'; operand: RawNode; low: RawNode; high: RawNode }
  | { kind: 'in'; operand: RawNode; list: RawNode[] }
  | { kind: 'and' | 'or'; left: RawNode; right: RawNode }
  | { kind: 'not'; inner: RawNode }
  | { kind: 'arithmetic'; op: '+' | '-'; left: RawNode; right: RawNode };

export type RawPath = Extract<RawNode, { kind: 'path' }>;

export type RawUpdateClause =
  | { clause: 'SET'; actions: { path: RawPath; value: RawNode }[] }
  | { clause: 'REMOVE'; actions: { path: RawPath }[] }
  | { clause: 'ADD' | 'DELETE'; actions: { path: RawPath; value: Extract<RawNode, { kind: 'value' }> }[] };

/** Deeper nesting than this is refused. An expression is at most 4 KB, and DynamoDB's own limits
 *  (redundant parentheses, 300 operators) stop any real expression long before this depth. */
export const MAX_DEPTH = 300;

/** Thrown for syntax errors and nesting overflow; the caller prefixes "Invalid <Expression>: ". */
export class ExpressionSyntaxError extends Error {}

const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly keywords: Set<string>,
  ) {
    this.tokens = tokenize(input);
  }

  private get token(): Token {
    return this.tokens[this.pos];
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  fail(index = this.pos): never {
    throw new ExpressionSyntaxError(syntaxErrorMessage(this.input, this.tokens, index));
  }

  private isPunct(text: string, token = this.token): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  isKeyword(word: string, token = this.token): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.pos++;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ExpressionSyntaxError(`The expression is nested too deeply; maximum nesting depth: ${MAX_DEPTH}`);
    }
  }

  private leave(): void {
    this.depth--;
  }

  expectEnd(): void {
    if (this.token.kind !== 'eof') this.fail();
  }

  get atEnd(): boolean {
    return this.token.kind === 'eof';
  }

  // ---- paths and operands ----

  private isPathStart(token = this.token): boolean {
    return token.kind === 'name' || (token.kind === 'ident' && !this.keywords.has(token.text.toUpperCase()));
  }

  parsePath(): RawPath {
    const elements: RawPathElement[] = [];
    elements.push(this.pathName());
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        elements.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.pos++;
        if (this.token.kind !== 'number') this.fail();
        elements.push({ kind: 'index', index: Number(this.token.text) });
        this.pos++;
        this.expectPunct(']');
      } else {
        return { kind: 'path', elements };
      }
    }
  }

  private pathName(): RawPathElement {
    const token = this.token;
    if (!this.isPathStart(token)) this.fail();
    this.pos++;
    return token.kind === 'name' ? { kind: 'name', name: token.text } : { kind: 'ident', name: token.text };
  }

  private isCallStart(): boolean {
    return this.token.kind === 'ident' && !this.keywords.has(this.token.text.toUpperCase()) && this.isPunct('(', this.peek());
  }

  private parseCall(): RawNode {
    const name = this.token.text;
    this.pos += 2; // name and '('
    this.enter();
    const args = [this.parseOperand()];
    while (this.isPunct(',')) {
      this.pos++;
      args.push(this.parseOperand());
    }
    this.expectPunct(')');
    this.leave();
    return { kind: 'call', name, args };
  }

  /** operand := '(' operand ')' | call | :value | path */
  parseOperand(): RawNode {
    if (this.isPunct('(')) {
      this.pos++;
      this.enter();
      const inner = this.parseOperand();
      this.expectPunct(')');
      this.leave();
      return { kind: 'paren', inner };
    }
    return this.parseSimpleOperand();
  }

  private parseSimpleOperand(): RawNode {
    if (this.isCallStart()) return this.parseCall();
    if (this.token.kind === 'value') {
      const name = this.token.text;
      this.pos++;
      return { kind: 'value', name };
    }
    return this.parsePath();
  }

  // ---- conditions ----

  parseOr(): RawNode {
    let left = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.requireCondition(left);
      this.pos++;
      const right = this.parseAnd();
      this.requireCondition(right);
      left = { kind: 'or', left, right };
    }
    return left;
  }

  private parseAnd(): RawNode {
    let left = this.parseNot();
    while (this.isKeyword('AND')) {
      this.requireCondition(left);
      this.pos++;
      const right = this.parseNot();
      this.requireCondition(right);
      left = { kind: 'and', left, right };
    }
    return left;
  }

  private parseNot(): RawNode {
    if (this.isKeyword('NOT')) {
      this.pos++;
      this.enter();
      const inner = this.parseNot();
      this.requireCondition(inner);
      this.leave();
      return { kind: 'not', inner };
    }
    return this.parsePredicate();
  }

  /**
   * A bare operand may only stand where a comparator follows it, or directly inside parentheses
   * (`(a) = :v`). parsePredicate returns one only when a ')' follows; everything that combines
   * conditions calls this to reject it, failing at the token after the operand as DynamoDB does.
   */
  private requireCondition(node: RawNode): void {
    if (isBareOperand(node)) this.fail();
  }

  private parsePredicate(): RawNode {
    const atom = this.parseAtom();
    const token = this.token;
    if (token.kind === 'punct' && COMPARATORS.has(token.text)) {
      if (!isOperandLike(atom)) this.fail();
      this.pos++;
      const right = this.parseOperand();
      return { kind: 'compare', op: token.text, left: atom, right };
    }
    if (this.isKeyword('BETWEEN')) {
      if (!isOperandLike(atom)) this.fail();
      this.pos++;
      const low = this.parseOperand();
      if (!this.isKeyword('AND')) this.fail();
      this.pos++;
      const high = this.parseOperand();
      return { kind: 'between', operand: atom, low, high };
    }
    if (this.isKeyword('IN')) {
      if (!isOperandLike(atom)) this.fail();
      this.pos++;
      this.expectPunct('(');
      const list = [this.parseOperand()];
      while (this.isPunct(',')) {
        this.pos++;
        list.push(this.parseOperand());
      }
      this.expectPunct(')');
      return { kind: 'in', operand: atom, list };
    }
    if (isBareOperand(atom) && !this.isPunct(')')) this.fail();
    return atom;
  }

  private parseAtom(): RawNode {
    if (this.isPunct('(')) {
      this.pos++;
      this.enter();
      const inner = this.parseOr();
      this.expectPunct(')');
      this.leave();
      return { kind: 'paren', inner };
    }
    return this.parseSimpleOperand();
  }

  // ---- update expressions ----

  parseUpdate(): RawUpdateClause[] {
    const clauses: RawUpdateClause[] = [];
    do {
      clauses.push(this.parseClause());
    } while (!this.atEnd);
    return clauses;
  }

  private parseClause(): RawUpdateClause {
    const token = this.token;
    const word = token.kind === 'ident' ? token.text.toUpperCase() : '';
    if (!UPDATE_KEYWORDS.has(word)) this.fail();
    this.pos++;
    switch (word) {
      case 'SET': {
        const actions = [this.parseSetAction()];
        while (this.isPunct(',')) {
          this.pos++;
          actions.push(this.parseSetAction());
        }
        return { clause: 'SET', actions };
      }
      case 'REMOVE': {
        const actions = [{ path: this.parsePath() }];
        while (this.isPunct(',')) {
          this.pos++;
          actions.push({ path: this.parsePath() });
        }
        return { clause: 'REMOVE', actions };
      }
      default: {
        const actions = [this.parseAddDeleteAction()];
        while (this.isPunct(',')) {
          this.pos++;
          actions.push(this.parseAddDeleteAction());
        }
        return { clause: word as 'ADD' | 'DELETE', actions };
      }
    }
  }

  private parseSetAction(): { path: RawPath; value: RawNode } {
    const path = this.parsePath();
    this.expectPunct('=');
    return { path, value: this.parseSetValue() };
  }

  private parseAddDeleteAction(): { path: RawPath; value: Extract<RawNode, { kind: 'value' }> } {
    const path = this.parsePath();
    if (this.token.kind !== 'value') this.fail();
    const value = { kind: 'value' as const, name: this.token.text };
    this.pos++;
    return { path, value };
  }

  /** setValue := '(' setValue ')' | operand [ ('+' | '-') operand ] */
  private parseSetValue(): RawNode {
    let left: RawNode;
    if (this.isPunct('(')) {
      this.pos++;
      this.enter();
      const inner = this.parseSetValue();
      this.expectPunct(')');
      this.leave();
      left = { kind: 'paren', inner };
      // `(a + b)` is complete; `(a)` is an operand that may still be followed by + or -.
      if (inner.kind === 'arithmetic' || (inner.kind === 'paren' && containsArithmetic(inner))) return left;
    } else {
      left = this.parseSimpleOperand();
    }
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.token.text as '+' | '-';
      this.pos++;
      const right = this.parseOperand();
      return { kind: 'arithmetic', op, left, right };
    }
    return left;
  }

  // ---- projection ----

  parseProjection(): RawPath[] {
    const paths = [this.parsePath()];
    while (this.isPunct(',')) {
      this.pos++;
      paths.push(this.parsePath());
    }
    return paths;
  }
}

function containsArithmetic(node: RawNode): boolean {
  while (node.kind === 'paren') node = node.inner;
  return node.kind === 'arithmetic';
}

/** A path, value or parenthesised one of those: something that can only be a comparison operand. */
function isBareOperand(node: RawNode): boolean {
  while (node.kind === 'paren') node = node.inner;
  return node.kind === 'path' || node.kind === 'value';
}

/** Can this atom be the left operand of a comparison? (Functions can, conditions cannot.) */
function isOperandLike(node: RawNode): boolean {
  while (node.kind === 'paren') node = node.inner;
  return node.kind === 'path' || node.kind === 'value' || node.kind === 'call';
}

export function parseCondition(input: string): RawNode {
  const parser = new Parser(input, CONDITION_KEYWORDS);
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

export function parseUpdate(input: string): RawUpdateClause[] {
  const parser = new Parser(input, UPDATE_KEYWORDS);
  const clauses = parser.parseUpdate();
  parser.expectEnd();
  return clauses;
}

export function parseProjection(input: string): RawPath[] {
  const parser = new Parser(input, new Set());
  const paths = parser.parseProjection();
  parser.expectEnd();
  return paths;
}
