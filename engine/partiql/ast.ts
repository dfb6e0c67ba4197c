/**
 * The parsed form of DynamoDB's PartiQL subset: one statement, its expressions still unresolved
 * (parameters are positions, literals are not yet AttributeValues) so a statement can be checked
 * against its table before anything runs.
 */

/** A step after the first name of a path: `.name` or `[index]`. */
export type PathStep = { name: string } | { index: number };

export interface PathExpr {
  kind: 'path';
  /** The top-level attribute name (bare identifiers keep their case; quoted ones their text). */
  root: string;
  steps: PathStep[];
}

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Expr =
  | PathExpr
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'missing' }
  /** The `?` at this zero-based position among the statement's parameters. */
  | { kind: 'parameter'; position: number }
  | { kind: 'tuple'; entries: { key: Expr; value: Expr }[] }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'bag'; items: Expr[] }
  | { kind: 'compare'; op: Comparator; left: Expr; right: Expr }
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'in'; operand: Expr; list: Expr[] }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr }
  /** `x IS [NOT] type`, the type name upper-cased (MISSING, NULL, STRING, ...). */
  | { kind: 'is'; operand: Expr; negated: boolean; type: string }
  /**
   * `at` is where the function's name stands and `argsAt` where each argument starts, as the
   * service's messages give positions: `line:column:length`, counted in characters from 1.
   */
  | { kind: 'call'; name: string; args: Expr[]; at: string; argsAt: string[] }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Expr; right: Expr };

/** `FROM "table"` or `FROM "table"."index"`. */
export interface Source {
  table: string;
  index?: string;
}

export interface OrderTerm {
  path: PathExpr;
  descending: boolean;
}

/** RETURNING ALL OLD * and friends, mapped to UpdateItem/DeleteItem ReturnValues. */
export type Returning = 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';

export interface SelectStatement {
  kind: 'select';
  /** undefined for `*`. */
  projection?: PathExpr[];
  source: Source;
  where?: Expr;
  orderBy?: OrderTerm[];
}

export interface InsertStatement {
  kind: 'insert';
  table: string;
  item: Expr;
}

export type UpdateAction = { kind: 'set'; path: PathExpr; value: Expr } | { kind: 'remove'; path: PathExpr };

export interface UpdateStatement {
  kind: 'update';
  table: string;
  actions: UpdateAction[];
  where?: Expr;
  returning?: Returning;
}

export interface DeleteStatement {
  kind: 'delete';
  table: string;
  where?: Expr;
  returning?: Returning;
}

/** `EXISTS(SELECT ...)`: a condition check, only inside ExecuteTransaction writes. */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

export interface ParsedStatement {
  statement: Statement;
  /** How many `?` the statement holds. */
  parameterCount: number;
}
