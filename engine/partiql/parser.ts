/**
 * A recursive-descent parser for DynamoDB's PartiQL statements:
 *
 *   SELECT * | path [, path ...] FROM table[.index] [WHERE condition] [ORDER BY key [ASC|DESC], ...]
 *   INSERT INTO table VALUE { 'attr': value, ... }
 *   UPDATE table (SET path = value [, ...] | REMOVE path [, ...]) ... WHERE condition [RETURNING ...]
 *   DELETE FROM table WHERE condition [RETURNING ALL OLD *]
 *   EXISTS(SELECT * FROM table WHERE condition)          (ExecuteTransaction only)
 *
 * Each token is looked at a bounded number of times and nothing backtracks, so parsing is linear.
 * Nesting (parentheses, NOT, tuples, lists, bags, function arguments) is bounded by MAX_DEPTH so a
 * hostile statement cannot exhaust the stack.
 */
import type { Comparator, Expr, OrderTerm, ParsedStatement, PathExpr, PathStep, Returning, SelectStatement, Source, Statement, UpdateAction } from './ast.ts';
import { formatted, malformed, MESSAGES, partiqlValidation } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

export const MAX_DEPTH = 100;

/**
 * Words that cannot be bare names: SQL-92's reserved words, which PartiQL keeps, and PartiQL's
 * own. DynamoDB refuses them unquoted (`WHERE pad = 1` fails; `WHERE "pad" = 1` runs).
 * A reserved word directly followed by `(` is still read as a function name (SIZE, EXISTS, ...).
 */
const RESERVED = new Set(
  (
    'ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT AUTHORIZATION AVG BAG BEGIN BETWEEN BIT ' +
    'BIT_LENGTH BLOB BOOL BOOLEAN BOTH BY CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHARACTER_LENGTH ' +
    'CHAR_LENGTH CHECK CLOB CLOSE COALESCE COLLATE COLLATION COLUMN COMMIT CONNECT CONNECTION CONSTRAINT ' +
    'CONSTRAINTS CONTINUE CONVERT CORRESPONDING COUNT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME ' +
    'CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED ' +
    'DELETE DESC DESCRIBE DESCRIPTOR DIAGNOSTICS DISCONNECT DISTINCT DOMAIN DOUBLE DROP ELSE END ESCAPE EXCEPT ' +
    'EXCEPTION EXEC EXECUTE EXISTS EXTERNAL EXTRACT FALSE FETCH FIRST FLOAT FOR FOREIGN FOUND FROM FULL GET ' +
    'GLOBAL GO GOTO GRANT GROUP HAVING HOUR IDENTITY IMMEDIATE IN INDICATOR INITIALLY INNER INPUT INSENSITIVE ' +
    'INSERT INT INTEGER INTERSECT INTERVAL INTO IS ISOLATION JOIN KEY LANGUAGE LAST LEADING LEFT LET LEVEL LIKE ' +
    'LIMIT LIST LOCAL LOWER MATCH MAX MIN MINUTE MISSING MODULE MONTH NAMES NATIONAL NATURAL NCHAR NEXT NO NOT ' +
    'NULL NULLIF NUMERIC OCTET_LENGTH OF OFFSET ON ONLY OPEN OPTION OR ORDER OUTER OUTPUT OVERLAPS PAD PARTIAL ' +
    'PIVOT POSITION PRECISION PREPARE PRESERVE PRIMARY PRIOR PRIVILEGES PROCEDURE PUBLIC READ REAL REFERENCES ' +
    'RELATIVE REMOVE RESTRICT RETURNING REVOKE RIGHT ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION SELECT SESSION ' +
    'SESSION_USER SET SEXP SIZE SMALLINT SOME SPACE SQL SQLCODE SQLERROR SQLSTATE STRING STRUCT SUBSTRING SUM ' +
    'SYMBOL SYSTEM_USER TABLE TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO TRAILING ' +
    'TRANSACTION TRANSLATE TRANSLATION TRIM TRUE TUPLE UNION UNIQUE UNKNOWN UNPIVOT UPDATE UPPER USAGE USER ' +
    'USING VALUE VALUES VARCHAR VARYING VIEW WHEN WHENEVER WHERE WITH WORK WRITE YEAR ZONE'
  ).split(' '),
);

/** Type names `IS` accepts, and the ones DynamoDB parses but refuses. */
const IS_TYPES = new Set(['MISSING', 'NULL', 'BOOLEAN', 'BLOB', 'STRING', 'NUMERIC', 'STRUCT', 'TUPLE', 'LIST']);
const UNSUPPORTED_IS_TYPES = new Set([
  'BOOL', 'INT', 'INT2', 'INT4', 'INT8', 'INTEGER', 'SMALLINT', 'FLOAT', 'REAL', 'DOUBLE', 'DECIMAL', 'DEC', 'CHAR',
  'CHARACTER', 'VARCHAR', 'TIMESTAMP', 'DATE', 'TIME', 'SYMBOL', 'CLOB', 'BAG', 'SEXP', 'ANY',
]);

const COMPARATORS: Record<string, Comparator> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Tokens after which an expression is complete (used to tell "nothing here" from "wrong thing here"). */
function isTermStart(token: Token): boolean {
  if (token.kind === 'eof') return false;
  if (token.kind === 'punct') return ['(', '[', '{', '<<', '?', '-'].includes(token.text);
  return true;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;
  private parameterCount = 0;
  private sourceIsExpression = false;

  constructor(private readonly input: string) {
    this.tokens = tokenize(input);
  }

  /** A token's place as the service reports it, `line:column:length`, each counted from 1. */
  private position(token: Token): string {
    const before = this.input.slice(0, token.start);
    const line = before.split('\n').length;
    return `${line}:${token.start - before.lastIndexOf('\n')}:${token.text.length}`;
  }

  // --- token helpers -------------------------------------------------------------------------

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  private isWord(word: string, token = this.peek()): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private isPunct(text: string, token = this.peek()): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.pos++;
    return true;
  }

  private acceptPunct(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.pos++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw malformed(this.describeUnexpected(MESSAGES.expectedKeyword));
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) throw malformed(this.describeUnexpected(MESSAGES.expectedToken));
  }

  /** The detail for a token that cannot start what was expected here. */
  private describeUnexpected(otherwise: string): string {
    const token = this.peek();
    if (token.kind === 'eof') return MESSAGES.unexpectedTerm;
    if (token.kind === 'word' && RESERVED.has(token.text.toUpperCase())) return MESSAGES.unexpectedKeyword;
    return otherwise;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw malformed(MESSAGES.nestingTooDeep);
  }

  private leave(): void {
    this.depth--;
  }

  // --- statements ----------------------------------------------------------------------------

  parse(): ParsedStatement {
    const statement = this.statement();
    this.acceptPunct(';');
    if (this.peek().kind !== 'eof') {
      if (this.isWord('LIMIT')) throw partiqlValidation(formatted.unsupportedClause('LIMIT'));
      throw malformed(MESSAGES.unexpectedTokenAfterExpression);
    }
    return { statement, parameterCount: this.parameterCount };
  }

  private statement(): Statement {
    const token = this.peek();
    if (token.kind === 'word') {
      switch (token.text.toUpperCase()) {
        case 'SELECT':
          this.pos++;
          return this.select();
        case 'INSERT':
          this.pos++;
          return this.insert();
        case 'UPDATE':
          this.pos++;
          return this.update();
        case 'DELETE':
          this.pos++;
          return this.delete();
        case 'EXISTS':
          this.pos++;
          return this.exists();
        case 'FROM':
          this.pos++;
          return this.fromFirstUpdate();
      }
    }
    throw malformed(MESSAGES.expectedDataManipulation);
  }

  private select(): SelectStatement {
    let projection: PathExpr[] | undefined;
    if (this.acceptPunct('*')) {
      if (this.isPunct(',')) throw partiqlValidation(MESSAGES.starAndOthers);
    } else {
      projection = [];
      do {
        if (this.isPunct('*')) throw partiqlValidation(MESSAGES.starAndOthers);
        projection.push(this.path());
        if (this.isWord('AS') || (this.peek().kind === 'word' && !this.isWord('FROM'))) throw partiqlValidation(MESSAGES.aliasing);
      } while (this.acceptPunct(','));
    }
    if (!this.acceptWord('FROM')) throw malformed(this.describeUnexpected(MESSAGES.unexpectedTokenAfterExpression));
    const source = this.source(true);
    const statement: SelectStatement = { kind: 'select', source };
    if (projection) statement.projection = projection;
    if (this.acceptWord('WHERE')) statement.where = this.condition();
    if (this.isWord('ORDER')) {
      this.pos++;
      this.expectWord('BY');
      const terms: OrderTerm[] = [];
      do {
        const path = this.path();
        let descending = false;
        if (this.acceptWord('DESC')) descending = true;
        else this.acceptWord('ASC');
        terms.push({ path, descending });
      } while (this.acceptPunct(','));
      statement.orderBy = terms;
    }
    return statement;
  }

  private insert(): Statement {
    this.expectWord('INTO');
    const { table } = this.source(false);
    if (this.isWord('VALUES')) throw partiqlValidation(MESSAGES.insertMultiple);
    if (!this.acceptWord('VALUE')) throw malformed(MESSAGES.unexpectedTokenAfterExpression);
    const item = this.additive();
    if (this.isWord('RETURNING')) throw partiqlValidation(MESSAGES.insertReturning);
    if (this.isPunct(',')) throw partiqlValidation(MESSAGES.insertMultiple);
    return { kind: 'insert', table, item };
  }

  private update(): Statement {
    const { table } = this.source(false);
    const actions = this.updateActions();
    const statement: Statement = { kind: 'update', table, actions };
    if (this.acceptWord('WHERE')) statement.where = this.condition();
    const returning = this.returning();
    if (returning) statement.returning = returning;
    return statement;
  }

  /**
   * PartiQL's FROM-first UPDATE, `FROM "T" WHERE <key> SET ... | REMOVE ...`, clauses in that order;
   * the service runs it as the UPDATE it spells (real DynamoDB, paritysuite dynamodb-conformance
   * tier2/partiql/fromFirstUpdate.test.ts). A WHERE after SET is a leftover token.
   */
  private fromFirstUpdate(): Statement {
    const { table } = this.source(false);
    const where = this.acceptWord('WHERE') ? this.condition() : undefined;
    const statement: Statement = { kind: 'update', table, actions: this.updateActions() };
    if (where) statement.where = where;
    const returning = this.returning();
    if (returning) statement.returning = returning;
    return statement;
  }

  /** One or more SET / REMOVE clauses, in any order. */
  private updateActions(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.acceptWord('SET')) {
        do {
          const path = this.path();
          this.expectPunct('=');
          actions.push({ kind: 'set', path, value: this.additive() });
        } while (this.acceptPunct(','));
      } else if (this.acceptWord('REMOVE')) {
        do actions.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunct(','));
      } else {
        break;
      }
    }
    if (actions.length === 0) throw malformed(this.describeUnexpected(MESSAGES.unexpectedTokenAfterExpression));
    return actions;
  }

  private delete(): Statement {
    if (!this.acceptWord('FROM')) throw malformed(MESSAGES.expectedIdentifierForPath);
    const { table } = this.source(false);
    const statement: Statement = { kind: 'delete', table };
    if (this.acceptWord('WHERE')) statement.where = this.condition();
    const returning = this.returning();
    if (returning) {
      if (returning !== 'ALL_OLD') throw partiqlValidation(formatted.invalidDeleteReturning(RETURNING_TEXT[returning]));
      statement.returning = returning;
    }
    return statement;
  }

  private exists(): Statement {
    this.expectPunct('(');
    if (!this.acceptWord('SELECT')) throw malformed(this.describeUnexpected(MESSAGES.unexpectedTerm));
    const select = this.select();
    this.expectPunct(')');
    return { kind: 'exists', select };
  }

  private returning(): Returning | undefined {
    if (!this.acceptWord('RETURNING')) return undefined;
    const scope = this.next();
    const age = this.next();
    const star = this.next();
    const scopeWord = scope.kind === 'word' ? scope.text.toUpperCase() : '';
    const ageWord = age.kind === 'word' ? age.text.toUpperCase() : '';
    if ((scopeWord !== 'ALL' && scopeWord !== 'MODIFIED') || (ageWord !== 'OLD' && ageWord !== 'NEW') || !this.isPunct('*', star)) {
      throw partiqlValidation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    }
    return `${scopeWord === 'ALL' ? 'ALL' : 'UPDATED'}_${ageWord}` as Returning;
  }

  /** `table` or `table.index` (SELECT only), then a check that no alias follows. */
  private source(allowIndex: boolean): Source {
    this.sourceIsExpression = allowIndex;
    const names: string[] = [this.sourceName()];
    while (this.acceptPunct('.')) names.push(this.sourceName());
    if (names.length > 2) throw partiqlValidation(MESSAGES.fromPathTooLong);
    if (names.some((n) => n === '')) throw partiqlValidation(MESSAGES.emptyPathComponent);
    const source: Source = { table: names[0] };
    if (names.length === 2) {
      if (!allowIndex) throw partiqlValidation(MESSAGES.operationOnIndex);
      source.index = names[1];
    }
    const after = this.peek();
    if (this.isWord('AS') || (after.kind === 'word' && !RESERVED.has(after.text.toUpperCase())) || after.kind === 'quoted') {
      // `INSERT INTO t alias VALUE` is a leftover token to the service; elsewhere an alias is named.
      if (this.isWord('VALUE', this.peek(1)) || this.isWord('VALUE', this.peek(2))) throw malformed(MESSAGES.unexpectedTokenAfterExpression);
      throw partiqlValidation(MESSAGES.aliasing);
    }
    return source;
  }

  private sourceName(): string {
    const token = this.peek();
    if (token.kind === 'quoted') {
      this.pos++;
      return token.text;
    }
    if (token.kind === 'word' && !RESERVED.has(token.text.toUpperCase())) {
      this.pos++;
      return token.text;
    }
    // SELECT parses its source as an expression (nothing there is "Unexpected term"); the DML
    // statements parse a simple path.
    if (this.sourceIsExpression) throw malformed(this.describeUnexpected(MESSAGES.unexpectedTerm));
    throw malformed(MESSAGES.expectedIdentifierForPath);
  }

  /** A document path: name, then any of `.name`, `."name"`, `[0]`, `['name']`. */
  private path(): PathExpr {
    const token = this.peek();
    let root: string;
    if (token.kind === 'quoted') root = token.text;
    else if (token.kind === 'word' && !RESERVED.has(token.text.toUpperCase())) root = token.text;
    else throw malformed(this.describeUnexpected(MESSAGES.expectedIdentifierForPath));
    this.pos++;
    return { kind: 'path', root, steps: this.pathSteps() };
  }

  private pathSteps(): PathStep[] {
    const steps: PathStep[] = [];
    for (;;) {
      if (this.isPunct('.')) {
        const name = this.peek(1);
        if (name.kind !== 'word' && name.kind !== 'quoted') throw malformed(MESSAGES.expectedIdentifierForPath);
        this.pos += 2;
        steps.push({ name: name.text });
      } else if (this.isPunct('[')) {
        const inner = this.peek(1);
        if (inner.kind === 'number' && /^\d+$/.test(inner.text)) {
          steps.push({ index: Number(inner.text) });
        } else if (inner.kind === 'string') {
          steps.push({ name: inner.text });
        } else {
          throw malformed(MESSAGES.unexpectedTerm);
        }
        this.pos += 2;
        this.expectPunct(']');
      } else {
        return steps;
      }
    }
  }

  // --- expressions ---------------------------------------------------------------------------

  /** A WHERE condition: the whole expression grammar. */
  private condition(): Expr {
    if (!isTermStart(this.peek())) throw malformed(this.describeStart());
    return this.or();
  }

  private describeStart(): string {
    const token = this.peek();
    if (token.kind === 'eof' || this.isPunct(';') || this.isPunct(')')) return MESSAGES.unexpectedTerm;
    if (token.kind === 'punct') return MESSAGES.unexpectedOperator;
    return MESSAGES.unexpectedTerm;
  }

  /** The right operand of an infix operator: absent entirely is its own message. */
  private rightOperand<T>(read: () => T): T {
    const token = this.peek();
    if (token.kind === 'eof' || this.isPunct(';') || this.isPunct(')')) throw malformed(MESSAGES.missingRightHandSide);
    return read();
  }

  private or(): Expr {
    let left = this.and();
    while (this.acceptWord('OR')) {
      const right = this.rightOperand(() => this.and());
      left = { kind: 'or', left, right };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.acceptWord('AND')) {
      const right = this.rightOperand(() => this.not());
      left = { kind: 'and', left, right };
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('NOT')) {
      this.pos++;
      this.enter();
      // NOT is a prefix operator: nothing after it is a missing term, not a missing right-hand side.
      if (!isTermStart(this.peek())) throw malformed(this.describeStart());
      const operand = this.not();
      this.leave();
      return { kind: 'not', operand };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === 'punct' && Object.hasOwn(COMPARATORS, token.text)) {
      this.pos++;
      const right = this.rightOperand(() => this.additive());
      return { kind: 'compare', op: COMPARATORS[token.text], left, right };
    }
    const negated = this.isWord('NOT') && (this.isWord('IN', this.peek(1)) || this.isWord('BETWEEN', this.peek(1)));
    if (negated) this.pos++;
    if (this.acceptWord('IN')) {
      const list = this.inList();
      const expr: Expr = { kind: 'in', operand: left, list };
      return negated ? { kind: 'not', operand: expr } : expr;
    }
    if (this.acceptWord('BETWEEN')) {
      const low = this.rightOperand(() => this.additive());
      this.expectWord('AND');
      const high = this.rightOperand(() => this.additive());
      const expr: Expr = { kind: 'between', operand: left, low, high };
      return negated ? { kind: 'not', operand: expr } : expr;
    }
    if (this.acceptWord('IS')) {
      const isNegated = this.acceptWord('NOT');
      const typeToken = this.next();
      const type = typeToken.kind === 'word' ? typeToken.text.toUpperCase() : '';
      if (IS_TYPES.has(type)) return { kind: 'is', operand: left, negated: isNegated, type };
      if (type === 'DOUBLE' && this.acceptWord('PRECISION')) throw partiqlValidation(formatted.unsupportedIsType('DOUBLE PRECISION'));
      if (UNSUPPORTED_IS_TYPES.has(type)) throw partiqlValidation(formatted.unsupportedIsType(type));
      throw malformed(MESSAGES.expectedTypeName);
    }
    return left;
  }

  private inList(): Expr[] {
    const open = this.next();
    const close = this.isPunct('[', open) ? ']' : this.isPunct('(', open) ? ')' : undefined;
    if (!close) throw malformed(MESSAGES.unexpectedTerm);
    this.enter();
    const items: Expr[] = [];
    if (!this.acceptPunct(close)) {
      do items.push(this.additive());
      while (this.acceptPunct(','));
      this.expectPunct(close);
    }
    this.leave();
    return items;
  }

  private additive(): Expr {
    let left = this.primary();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      const right = this.rightOperand(() => this.primary());
      left = { kind: 'arithmetic', op, left, right };
    }
    return left;
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
        this.pos++;
        return { kind: 'string', value: token.text };
      case 'number':
        this.pos++;
        return { kind: 'number', text: token.text };
      case 'quoted':
        return this.path();
      case 'word':
        return this.wordTerm(token);
      case 'punct':
        return this.punctTerm(token);
      case 'eof':
        throw malformed(MESSAGES.unexpectedTerm);
    }
  }

  private wordTerm(token: Token): Expr {
    const upper = token.text.toUpperCase();
    if (this.isPunct('(', this.peek(1))) return this.call(token.text);
    switch (upper) {
      case 'TRUE':
      case 'FALSE':
        this.pos++;
        return { kind: 'boolean', value: upper === 'TRUE' };
      case 'NULL':
        this.pos++;
        return { kind: 'null' };
      case 'MISSING':
        this.pos++;
        return { kind: 'missing' };
    }
    if (RESERVED.has(upper)) throw malformed(upper === 'IS' || upper === 'LIKE' || upper === 'AND' || upper === 'OR' || upper === 'IN' || upper === 'BETWEEN' ? MESSAGES.unexpectedOperator : MESSAGES.unexpectedKeyword);
    return this.path();
  }

  private punctTerm(token: Token): Expr {
    switch (token.text) {
      case '?':
        this.pos++;
        return { kind: 'parameter', position: this.parameterCount++ };
      case '-': {
        const number = this.peek(1);
        if (number.kind !== 'number') throw malformed(MESSAGES.unexpectedOperator);
        this.pos += 2;
        return { kind: 'number', text: '-' + number.text };
      }
      case '(': {
        this.pos++;
        this.enter();
        if (!isTermStart(this.peek())) throw malformed(this.describeStart());
        const inner = this.or();
        this.expectPunct(')');
        this.leave();
        return inner;
      }
      case '{':
        return this.tuple();
      case '[':
        return { kind: 'list', items: this.sequence('[', ']') };
      case '<<':
        return { kind: 'bag', items: this.sequence('<<', '>>') };
    }
    throw malformed(MESSAGES.unexpectedOperator);
  }

  private call(name: string): Expr {
    const at = this.position(this.peek());
    this.pos += 2; // name and (
    this.enter();
    const args: Expr[] = [];
    const argsAt: string[] = [];
    if (!this.acceptPunct(')')) {
      do {
        argsAt.push(this.position(this.peek()));
        args.push(this.or());
      } while (this.acceptPunct(','));
      this.expectPunct(')');
    }
    this.leave();
    return { kind: 'call', name: name.toLowerCase(), args, at, argsAt };
  }

  private tuple(): Expr {
    this.pos++; // {
    this.enter();
    const entries: { key: Expr; value: Expr }[] = [];
    if (!this.acceptPunct('}')) {
      do {
        const key = this.additive();
        this.expectPunct(':');
        entries.push({ key, value: this.additive() });
      } while (this.acceptPunct(','));
      this.expectPunct('}');
    }
    this.leave();
    return { kind: 'tuple', entries };
  }

  private sequence(open: string, close: string): Expr[] {
    this.expectPunct(open);
    this.enter();
    const items: Expr[] = [];
    if (!this.acceptPunct(close)) {
      do items.push(this.additive());
      while (this.acceptPunct(','));
      this.expectPunct(close);
    }
    this.leave();
    return items;
  }
}

const RETURNING_TEXT: Record<Returning, string> = {
  ALL_OLD: 'ALL OLD *',
  ALL_NEW: 'ALL NEW *',
  UPDATED_OLD: 'MODIFIED OLD *',
  UPDATED_NEW: 'MODIFIED NEW *',
};

/** Parses one PartiQL statement, or throws DynamoDB's ValidationException. */
export function parseStatement(text: string): ParsedStatement {
  return new Parser(text).parse();
}
