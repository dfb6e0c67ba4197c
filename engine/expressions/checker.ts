/**
 * Semantic checks on parsed expressions: resolves #names and :values, and finds DynamoDB's
 * request-time errors. DynamoDB reports one error per expression, chosen by category, not by
 * position: each parser here records the first error of every category while walking the tree in
 * source order (children before parents, as the parse completes them), and the category order below
 * decides which one is reported. The orders and texts are the ones dynalite recorded against
 * DynamoDB (db/conditionParser.pegjs, updateParser.pegjs, projectionParser.pegjs).
 *
 * Within a condition, the errors of one comparison or function (undefined placeholder, operand
 * count, distinct operands, operand type) are reported for the first such condition in the text:
 * `pk = :missing AND begins_with(sk, :n)` reports the undefined value, `begins_with(sk, :n) AND
 * pk = :missing` the operand type (real DynamoDB, paritysuite/dynamodb-conformance
 * tests/tier3/validation-ordering/queryKeyCondition.test.ts).
 */
import type { AttributeValue } from '../types.ts';
import { compareValues, typeOf } from '../values.ts';
import type { Comparator, Condition, DocumentPath, ExpressionName, Operand, Update, UpdateAction } from './ast.ts';
import type { RawNode, RawPath, RawUpdateClause } from './parser.ts';
import { isReservedWord } from './reservedWords.ts';

export interface Placeholders {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
  unusedNames: Set<string>;
  unusedValues: Set<string>;
}

/** First error recorded per category; `first(order)` picks the one DynamoDB reports. */
class Errors {
  private readonly found = new Map<string, string>();
  set(category: string, message: string): void {
    if (!this.found.has(category)) this.found.set(category, message);
  }
  has(category: string): boolean {
    return this.found.has(category);
  }
  get(category: string): string | undefined {
    return this.found.get(category);
  }
  first(order: readonly string[]): string | undefined {
    for (const category of order) {
      const message = this.found.get(category);
      if (message !== undefined) return message;
    }
    return undefined;
  }
}

/** `[a, b, [1]]`: how DynamoDB prints a document path in error messages. */
export function pathString(path: DocumentPath): string {
  return '[' + path.map((p) => (typeof p === 'number' ? '[' + p + ']' : p)).join(', ') + ']';
}

function unwrap(node: RawNode): RawNode {
  while (node.kind === 'paren') node = node.inner;
  return node;
}

/** The result of checking an operand: what is statically known about it. */
interface Checked {
  operand: Operand;
  /** Set when the operand is a document path. */
  path?: DocumentPath;
  /** The AttributeValue when the operand is a :value. */
  value?: AttributeValue;
  /** The function name when the operand is a function call. */
  call?: string;
  /** The type a function returns (size -> N), when known. */
  callType?: string;
}

/** getType in dynalite: the value's type or the function's result type. */
function staticType(c: Checked): string | undefined {
  if (c.value) return typeOf(c.value);
  return c.callType;
}

/** getImmediateType in dynalite: only a literal value's type. */
function immediateType(c: Checked): string | undefined {
  return c.value ? typeOf(c.value) : undefined;
}

function describeValue(value: AttributeValue): string {
  const type = typeOf(value);
  return '{' + type + ':' + String((value as Record<string, unknown>)[type]) + '}';
}

const DUMMY: AttributeValue = { NULL: true };

abstract class BaseChecker {
  protected readonly errors = new Errors();
  constructor(protected readonly placeholders: Placeholders) {}

  /** Resolves a path's #names and checks its plain names against the reserved words. */
  protected resolvePath(raw: RawPath, nameCategory: string): DocumentPath {
    const path: DocumentPath = [];
    for (const element of raw.elements) {
      if (element.kind === 'index') {
        path.push(element.index);
      } else if (element.kind === 'ident') {
        if (isReservedWord(element.name)) {
          this.errors.set('reserved', 'Attribute name is a reserved keyword; reserved keyword: ' + element.name);
        }
        path.push(element.name);
      } else {
        path.push(this.resolveName(element.name, nameCategory));
      }
    }
    return path;
  }

  protected resolveName(name: string, category: string): string {
    if (this.errors.has(category)) return name;
    if (!Object.hasOwn(this.placeholders.names, name)) {
      this.errors.set(category, 'An expression attribute name used in the document path is not defined; attribute name: ' + name);
      return name;
    }
    this.placeholders.unusedNames.delete(name);
    return this.placeholders.names[name];
  }

  protected resolveValue(name: string, category: string): AttributeValue {
    if (this.errors.has(category)) return DUMMY;
    if (!Object.hasOwn(this.placeholders.values, name)) {
      this.errors.set(category, 'An expression attribute value used in expression is not defined; attribute value: ' + name);
      return DUMMY;
    }
    this.placeholders.unusedValues.delete(name);
    return this.placeholders.values[name];
  }

  /** The overlap and conflict checks shared by UpdateExpression and ProjectionExpression. */
  protected readonly seenPaths: DocumentPath[] = [];
  protected checkPathOverlap(path: DocumentPath): void {
    if (this.errors.has('pathOverlap')) return;
    for (const other of this.seenPaths) {
      const overlap = this.comparePaths(other, path);
      if (overlap) return;
    }
    this.seenPaths.push(path);
  }

  /** Records an overlap or conflict between two paths; true when an overlap was recorded. */
  private comparePaths(one: DocumentPath, two: DocumentPath): boolean {
    const shared = Math.min(one.length, two.length);
    for (let i = 0; i < shared; i++) {
      if (typeof one[i] !== typeof two[i]) {
        this.errors.set(
          'pathConflict',
          'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ' +
            pathString(one) + ', path two: ' + pathString(two),
        );
        return false;
      }
      if (one[i] !== two[i]) return false;
    }
    this.errors.set(
      'pathOverlap',
      'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ' +
        pathString(one) + ', path two: ' + pathString(two),
    );
    return true;
  }
}

const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};

const CONDITION_ORDER = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'condition'];
const ATOMIC_ORDER = ['attrNameVal', 'operand', 'distinct', 'function'];
const ORDERABLE = new Set(['S', 'N', 'B']);

/** Checks a ConditionExpression, FilterExpression or KeyConditionExpression. */
export class ConditionChecker extends BaseChecker {
  constructor(
    placeholders: Placeholders,
    private readonly expression: ExpressionName,
  ) {
    super(placeholders);
  }

  /** Returns the compiled condition, or DynamoDB's message for the first error. */
  check(root: RawNode): { condition: Condition } | { error: string } {
    const condition = this.condition(root);
    this.misusedSize(root);
    const error = this.errors.first(CONDITION_ORDER);
    return error !== undefined ? { error } : { condition };
  }

  private condition(node: RawNode): Condition {
    switch (node.kind) {
      case 'paren':
        if (node.inner.kind === 'paren') this.errors.set('parens', 'The expression has redundant parentheses;');
        return this.condition(node.inner);
      case 'and':
      case 'or': {
        const left = this.condition(node.left);
        const right = this.condition(node.right);
        this.misusedSize(node.left);
        this.misusedSize(node.right);
        return { kind: node.kind, left, right };
      }
      case 'not': {
        const condition = this.condition(node.inner);
        this.misusedSize(node.inner);
        return { kind: 'not', condition };
      }
      case 'compare': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        this.misusedFunction([left, right]);
        this.distinct(node.op, [left, right]);
        if (this.expression === 'KeyConditionExpression' && node.op !== '=' && node.op !== '<>') {
          this.orderableOperands(node.op, [left, right]);
        }
        this.atomicDone();
        return { kind: 'compare', op: node.op as Comparator, left: left.operand, right: right.operand };
      }
      case 'between': {
        const operand = this.operand(node.operand);
        const low = this.operand(node.low);
        const high = this.operand(node.high);
        this.misusedFunction([operand, low, high]);
        if (this.expression === 'KeyConditionExpression') this.orderableOperands('BETWEEN', [operand, low, high]);
        this.betweenBounds(low, high);
        this.atomicDone();
        return { kind: 'between', operand: operand.operand, low: low.operand, high: high.operand };
      }
      case 'in': {
        const operand = this.operand(node.operand);
        const list = node.list.map((n) => this.operand(n));
        this.misusedFunction([operand, ...list]);
        if (list.length > 100) {
          // Documented limit: "The IN comparator ... up to 100 values". The message text is ours.
          this.errors.set(
            'function',
            'Too many operands for the IN operator; maximum number of operands: 100, number of operands: ' + list.length,
          );
        }
        this.atomicDone();
        return { kind: 'in', operand: operand.operand, list: list.map((c) => c.operand) };
      }
      case 'call': {
        const checked = this.call(node);
        this.atomicDone();
        return checked.condition ?? { kind: 'attribute_exists', path: [] };
      }
      default:
        // The parser only lets a bare operand stand where a comparator follows it.
        throw new Error('unexpected operand in condition position');
    }
  }

  /** checkConditionErrors in dynalite: the first finished comparison/function with an error wins. */
  private atomicDone(): void {
    if (this.errors.has('condition')) return;
    const error = this.errors.first(ATOMIC_ORDER);
    if (error !== undefined) this.errors.set('condition', error);
  }

  private operand(node: RawNode): Checked {
    switch (node.kind) {
      case 'paren':
        if (node.inner.kind === 'paren') this.errors.set('parens', 'The expression has redundant parentheses;');
        return this.operand(node.inner);
      case 'path': {
        const path = this.resolvePath(node, 'attrNameVal');
        return { operand: { kind: 'path', path }, path };
      }
      case 'value': {
        const value = this.resolveValue(node.name, 'attrNameVal');
        return { operand: { kind: 'value', value }, value };
      }
      case 'call': {
        const checked = this.call(node);
        return checked.operand;
      }
      default:
        throw new Error('unexpected condition in operand position');
    }
  }

  /** A function call: checked once, usable as an operand (size) or as a condition (the rest). */
  private call(node: Extract<RawNode, { kind: 'call' }>): { operand: Checked; condition?: Condition } {
    const args = node.args.map((a) => this.operand(a));
    this.misusedFunction(args);
    const name = node.name;
    const callType = this.checkFunction(name, args);
    const placeholder: Checked = { operand: { kind: 'value', value: DUMMY }, call: name, callType };
    const a = args[0]?.operand ?? { kind: 'value', value: DUMMY };
    const b = args[1]?.operand ?? { kind: 'value', value: DUMMY };
    const pathOf = (c: Checked | undefined): DocumentPath => c?.path ?? [];
    switch (name) {
      case 'size':
        return { operand: { ...placeholder, operand: { kind: 'size', operand: a } } };
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { operand: placeholder, condition: { kind: name, path: pathOf(args[0]) } };
      case 'attribute_type':
        return { operand: placeholder, condition: { kind: 'attribute_type', path: pathOf(args[0]), type: b, expression: this.expression } };
      case 'begins_with':
        return { operand: placeholder, condition: { kind: 'begins_with', operand: a, prefix: b } };
      case 'contains':
        return { operand: placeholder, condition: { kind: 'contains', operand: a, member: b } };
      default:
        return { operand: placeholder };
    }
  }

  private checkFunction(name: string, args: Checked[]): string | undefined {
    if (this.errors.has('unknownFunction')) return undefined;
    const operands = Object.hasOwn(CONDITION_FUNCTIONS, name) ? CONDITION_FUNCTIONS[name] : undefined;
    if (operands === undefined) {
      this.errors.set('unknownFunction', 'Invalid function name; function: ' + name);
      return undefined;
    }
    if (this.errors.has('operand')) return undefined;
    if (operands !== args.length) {
      this.errors.set(
        'operand',
        'Incorrect number of operands for operator or function; operator or function: ' + name + ', number of operands: ' + args.length,
      );
      return undefined;
    }
    this.distinct(name, args);
    if (this.errors.has('function')) return undefined;
    const incorrectType = (type: string) =>
      this.errors.set('function', 'Incorrect operand type for operator or function; operator or function: ' + name + ', operand type: ' + type);
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (!args[0].path) {
          this.errors.set('function', 'Operator or function requires a document path; operator or function: ' + name);
        }
        return undefined;
      case 'begins_with':
        for (const arg of args) {
          const type = staticType(arg);
          if (type && type !== 'S' && type !== 'B') {
            incorrectType(type);
            return undefined;
          }
        }
        return 'BOOL';
      case 'attribute_type': {
        if (!args[0].path) {
          this.errors.set('function', 'Operator or function requires a document path; operator or function: ' + name);
          return undefined;
        }
        const type = staticType(args[1]);
        if (type !== 'S') {
          incorrectType(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
          return undefined;
        }
        // An unknown type name (attribute_type(a, :t) with :t = {S: 'X'}) is reported when the
        // condition is evaluated; see evaluate.ts.
        return 'BOOL';
      }
      case 'size': {
        const type = staticType(args[0]);
        if (type === 'N' || type === 'BOOL' || type === 'NULL') {
          incorrectType(type);
          return undefined;
        }
        return 'N';
      }
      default: // contains
        return 'BOOL';
    }
  }

  private misusedFunction(args: Checked[]): void {
    if (this.errors.has('misusedFunction')) return;
    for (const arg of args) {
      if (arg.call !== undefined && arg.call !== 'size') {
        this.errors.set('misusedFunction', 'The function is not allowed to be used this way in an expression; function: ' + arg.call);
        return;
      }
    }
  }

  /** size() returns a number, so it cannot stand where a condition is expected. */
  private misusedSize(node: RawNode): void {
    const inner = unwrap(node);
    if (inner.kind === 'call' && inner.name === 'size') {
      this.errors.set('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
    }
  }

  private distinct(name: string, args: Checked[]): void {
    if (this.errors.has('distinct') || args.length !== 2) return;
    const [one, two] = [args[0].path, args[1].path];
    if (!one || !two || one.length !== two.length) return;
    for (let i = 0; i < one.length; i++) if (one[i] !== two[i]) return;
    this.errors.set(
      'distinct',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: ' + name +
        ', first operand: ' + pathString(one),
    );
  }

  private betweenBounds(low: Checked, high: Checked): void {
    if (this.errors.has('function') || !low.value || !high.value) return;
    const lowType = typeOf(low.value);
    const highType = typeOf(high.value);
    const operands = 'lower bound operand: AttributeValue: ' + describeValue(low.value) +
      ', upper bound operand: AttributeValue: ' + describeValue(high.value);
    if (lowType !== highType) {
      this.errors.set('function', 'The BETWEEN operator requires same data type for lower and upper bounds; ' + operands);
    } else if ((compareValues(low.value, high.value) ?? 0) > 0) {
      this.errors.set('function', 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' + operands);
    }
  }

  /**
   * Key conditions only: an ordering comparison or BETWEEN with a value no key type could match
   * (real DynamoDB: `sk < :v` with :v a BOOL -> "Incorrect operand type for operator or function;
   * operator or function: <, operand type: BOOL"; paritysuite queryKeyConditionOperands.test.ts).
   */
  private orderableOperands(op: string, args: Checked[]): void {
    if (this.errors.has('function')) return;
    for (const arg of args) {
      const type = immediateType(arg);
      if (type && !ORDERABLE.has(type)) {
        this.errors.set('function', 'Incorrect operand type for operator or function; operator or function: ' + op + ', operand type: ' + type);
        return;
      }
    }
  }
}

const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2, '+': 2, '-': 2 };
const UPDATE_ORDER = ['reserved', 'unknownFunction', 'section', 'attrName', 'attrVal', 'pathOverlap', 'pathConflict', 'operand', 'function'];
const OPERAND_TYPE_WORDS: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
};

/** Checks an UpdateExpression. */
export class UpdateChecker extends BaseChecker {
  private readonly sections = new Set<string>();

  check(clauses: RawUpdateClause[]): { update: Update } | { error: string } {
    const actions: UpdateAction[] = [];
    for (const clause of clauses) {
      switch (clause.clause) {
        case 'SET':
          for (const raw of clause.actions) {
            const path = this.resolvePath(raw.path, 'attrName');
            const value = this.operand(raw.value);
            this.checkPathOverlap(path);
            actions.push({ action: 'SET', path, value: value.operand });
          }
          break;
        case 'REMOVE':
          for (const raw of clause.actions) {
            const path = this.resolvePath(raw.path, 'attrName');
            this.checkPathOverlap(path);
            actions.push({ action: 'REMOVE', path });
          }
          break;
        default:
          for (const raw of clause.actions) {
            const path = this.resolvePath(raw.path, 'attrName');
            const value = this.resolveValue(raw.value.name, 'attrVal');
            this.checkPathOverlap(path);
            this.checkAddDeleteOperand(clause.clause, value);
            actions.push({ action: clause.clause, path, value });
          }
      }
      if (this.sections.has(clause.clause)) {
        this.errors.set('section', 'The "' + clause.clause + '" section can only be used once in an update expression;');
      }
      this.sections.add(clause.clause);
    }
    const error = this.errors.first(UPDATE_ORDER);
    return error !== undefined ? { error } : { update: { actions } };
  }

  private checkAddDeleteOperand(operator: 'ADD' | 'DELETE', value: AttributeValue): void {
    if (this.errors.has('operand') || value === DUMMY) return;
    const type = typeOf(value);
    const word = OPERAND_TYPE_WORDS[type];
    if (word && !(operator === 'ADD' && type === 'N')) {
      this.errors.set('operand', 'Incorrect operand type for operator or function; operator: ' + operator + ', operand type: ' + word);
    }
  }

  private operand(node: RawNode): Checked {
    switch (node.kind) {
      case 'paren':
        return this.operand(node.inner);
      case 'path': {
        const path = this.resolvePath(node, 'attrName');
        return { operand: { kind: 'path', path }, path };
      }
      case 'value': {
        const value = this.resolveValue(node.name, 'attrVal');
        return { operand: { kind: 'value', value }, value };
      }
      case 'arithmetic':
      case 'call': {
        const name = node.kind === 'call' ? node.name : node.op;
        const args = node.kind === 'call' ? node.args.map((a) => this.operand(a)) : [this.operand(node.left), this.operand(node.right)];
        const callType = this.checkFunction(name, args);
        const [a, b] = [args[0]?.operand ?? { kind: 'value', value: DUMMY }, args[1]?.operand ?? { kind: 'value', value: DUMMY }] as Operand[];
        let operand: Operand;
        if (name === '+' || name === '-') operand = { kind: 'arithmetic', op: name, left: a, right: b };
        else if (name === 'list_append') operand = { kind: 'list_append', first: a, second: b };
        else operand = { kind: 'if_not_exists', path: args[0]?.path ?? [], fallback: b };
        return { operand, call: name, callType };
      }
      default:
        throw new Error('unexpected node in update operand');
    }
  }

  private checkFunction(name: string, args: Checked[]): string | undefined {
    if (this.errors.has('unknownFunction')) return undefined;
    const operands = Object.hasOwn(UPDATE_FUNCTIONS, name) ? UPDATE_FUNCTIONS[name] : undefined;
    if (operands === undefined) {
      this.errors.set('unknownFunction', 'Invalid function name; function: ' + name);
      return undefined;
    }
    if (this.errors.has('function')) return undefined;
    if (operands !== args.length) {
      this.errors.set(
        'function',
        'Incorrect number of operands for operator or function; operator or function: ' + name + ', number of operands: ' + args.length,
      );
      return undefined;
    }
    const requireType = (wanted: string): boolean => {
      for (const arg of args) {
        const type = immediateType(arg);
        if (type && type !== wanted) {
          this.errors.set('function', 'Incorrect operand type for operator or function; operator or function: ' + name + ', operand type: ' + type);
          return false;
        }
      }
      return true;
    };
    switch (name) {
      case 'if_not_exists':
        if (!args[0].path) {
          this.errors.set('function', 'Operator or function requires a document path; operator or function: ' + name);
          return undefined;
        }
        return staticType(args[1]);
      case 'list_append':
        return requireType('L') ? 'L' : undefined;
      default:
        return requireType('N') ? 'N' : undefined;
    }
  }
}

const PROJECTION_ORDER = ['reserved', 'attrNameVal', 'pathOverlap', 'pathConflict'];

/** Checks a ProjectionExpression. */
export class ProjectionChecker extends BaseChecker {
  check(raw: RawPath[]): { paths: DocumentPath[] } | { error: string } {
    const paths: DocumentPath[] = [];
    for (const rawPath of raw) {
      const path = this.resolvePath(rawPath, 'attrNameVal');
      this.checkPathOverlap(path);
      paths.push(path);
    }
    const error = this.errors.first(PROJECTION_ORDER);
    return error !== undefined ? { error } : { paths };
  }
}
