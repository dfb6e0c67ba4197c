/**
 * From PartiQL expressions to the pieces of a DynamoDB request: AttributeValues for literals and
 * parameters, and ConditionExpression / UpdateExpression / ProjectionExpression text in which every
 * name is an `#n` placeholder and every value a `:v` placeholder. Placeholders mean reserved words
 * of the expression language never clash with PartiQL's quoting.
 */
import { validationError } from '../errors.ts';
import type { TableHandle } from '../database.ts';
import type { KeyShape } from '../tableModel.ts';
import type { AttributeValue, Item } from '../types.ts';
import { normalizeNumber } from '../values.ts';
import type { Expr, PathExpr, UpdateAction } from './ast.ts';
import { formatted, MESSAGES } from './errors.ts';

/** `IS <type>` names mapped to attribute_type's type letters. */
const IS_TYPE_LETTERS: Record<string, string> = {
  NULL: 'NULL',
  BOOLEAN: 'BOOL',
  BLOB: 'B',
  STRING: 'S',
  NUMERIC: 'N',
  STRUCT: 'M',
  TUPLE: 'M',
  LIST: 'L',
};

const BOOLEAN_FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_type', 'attribute_exists', 'attribute_not_exists']);

function isValueExpr(expr: Expr): boolean {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'parameter':
    case 'tuple':
    case 'list':
    case 'bag':
      return true;
    default:
      return false;
  }
}

/**
 * Converts a literal (or parameter) to an AttributeValue; `where` names its place in errors. The
 * service names places relative to each attribute's value: in `{'m': {'x': 1e126}}` the number is
 * "under root.x", so an item's own attributes each start again at `root` (`itemLevel`).
 */
export function toAttributeValue(expr: Expr, parameters: AttributeValue[], where = 'root', itemLevel = false): AttributeValue {
  switch (expr.kind) {
    case 'string':
      return { S: expr.value };
    case 'number': {
      const result = normalizeNumber(expr.text);
      if ('error' in result) throw validationError(`${result.error} under ${where}`);
      return { N: result.value };
    }
    case 'boolean':
      return { BOOL: expr.value };
    case 'null':
      return { NULL: true };
    case 'parameter':
      return parameters[expr.position];
    case 'tuple': {
      const map: Record<string, AttributeValue> = {};
      for (const entry of expr.entries) {
        const key = toAttributeValue(entry.key, parameters, where);
        if (!('S' in key)) throw validationError(`Tuple keys must be of type String. Actual type: ${Object.keys(key)[0]} under ${where}`);
        if (Object.hasOwn(map, key.S)) throw validationError(formatted.duplicateTupleKey(key.S, where));
        // A MISSING value leaves the attribute out, as PartiQL drops missing tuple fields.
        if (entry.value.kind === 'missing') continue;
        map[key.S] = toAttributeValue(entry.value, parameters, itemLevel ? 'root' : `${where}.${key.S}`);
      }
      return { M: map };
    }
    case 'list':
      return { L: expr.items.map((item, i) => toAttributeValue(item, parameters, `${where}[${i}]`)) };
    case 'bag': {
      if (expr.items.length === 0) throw validationError(MESSAGES.emptyBag);
      if (expr.items.every((item) => item.kind === 'string')) return { SS: expr.items.map((item) => (item as { value: string }).value) };
      if (expr.items.every((item) => item.kind === 'number')) {
        return { NS: expr.items.map((item, i) => (toAttributeValue(item, parameters, `${where}[${i}]`) as { N: string }).N) };
      }
      throw validationError(MESSAGES.bagType);
    }
    case 'missing':
      throw validationError(MESSAGES.missingOutsideIs);
    case 'call':
      // Real DynamoDB: `'ss': set_add(...)` in an INSERT item -> "Unsupported data type: set_add
      // under key root at 1:56:7" (paritysuite tier3/error-messages/partiqlFunctions.test.ts).
      throw validationError(`Unsupported data type: ${expr.name} under key ${where} at ${expr.at}`);
    default:
      throw validationError(`Unsupported data type: ${expr.kind.toUpperCase()} under key ${where}`);
  }
}

/** The name a projected path is returned under: its last name with any list indexes after it. */
export function projectedName(path: PathExpr): string {
  let name = path.root;
  for (const step of path.steps) name = 'name' in step ? step.name : `${name}[${step.index}]`;
  return name;
}

/** Builds expression text with `#n` / `:v` placeholders, collecting the maps a request needs. */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly parameters: AttributeValue[]) {}

  name(name: string): string {
    let id = this.nameIds.get(name);
    if (!id) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(name, id);
      this.names[id] = name;
    }
    return id;
  }

  value(value: AttributeValue): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = value;
    return id;
  }

  path(path: PathExpr): string {
    let text = this.name(path.root);
    for (const step of path.steps) text += 'name' in step ? '.' + this.name(step.name) : `[${step.index}]`;
    return text;
  }

  /** A condition (WHERE clause part) as ConditionExpression/FilterExpression text. */
  condition(expr: Expr): string {
    switch (expr.kind) {
      case 'and':
      case 'or':
        return `(${this.condition(expr.left)}) ${expr.kind.toUpperCase()} (${this.condition(expr.right)})`;
      case 'not':
        return `NOT (${this.condition(expr.operand)})`;
      case 'compare': {
        const truth = this.booleanComparison(expr.op, expr.left, expr.right) ?? this.booleanComparison(expr.op, expr.right, expr.left);
        if (truth) return truth;
        return `${this.operand(expr.left)} ${expr.op} ${this.operand(expr.right)}`;
      }
      case 'in':
        if (expr.list.length === 0 || expr.operand.kind !== 'path') {
          throw validationError(
            'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
          );
        }
        return `${this.operand(expr.operand)} IN (${expr.list.map((item) => this.operand(item)).join(', ')})`;
      case 'between':
        return `${this.operand(expr.operand)} BETWEEN ${this.operand(expr.low)} AND ${this.operand(expr.high)}`;
      case 'is':
        return this.isCondition(expr.operand, expr.type, expr.negated);
      case 'call':
        return this.booleanCall(expr);
      case 'arithmetic':
        throw validationError(`Unsupported operator in Condition Expression. Operator: ${expr.op}`);
      default:
        throw validationError('WHERE clause must contain an expression that resolves to a boolean');
    }
  }

  /**
   * `attribute_exists(x) = true`, `begins_with(a, 'p') <> false` and the like: a condition function
   * compared with a boolean is that condition or its negation (the service accepts the form; the
   * expression language has no boolean-valued operands, so it is rewritten here).
   */
  private booleanComparison(op: string, call: Expr, other: Expr): string | undefined {
    if (call.kind !== 'call' || !BOOLEAN_FUNCTIONS.has(call.name) || (op !== '=' && op !== '<>') || !isValueExpr(other)) return undefined;
    const value = toAttributeValue(other, this.parameters);
    if (!('BOOL' in value)) return undefined;
    const condition = this.booleanCall(call);
    return value.BOOL === (op === '=') ? condition : `NOT ${condition}`;
  }

  private isCondition(operand: Expr, type: string, negated: boolean): string {
    if (operand.kind !== 'path') {
      throw validationError('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
    }
    const path = this.path(operand);
    if (type === 'MISSING') return negated ? `attribute_exists(${path})` : `attribute_not_exists(${path})`;
    const test = `attribute_type(${path}, ${this.value({ S: IS_TYPE_LETTERS[type] })})`;
    return negated ? `NOT ${test}` : test;
  }

  private booleanCall(call: Extract<Expr, { kind: 'call' }>): string {
    const { name, args } = call;
    if (!BOOLEAN_FUNCTIONS.has(name)) {
      if (name === 'size') throw validationError('WHERE clause must contain an expression that resolves to a boolean');
      throw validationError(formatted.unrecognizedFunction(name, call.at));
    }
    if (name === 'attribute_exists' || name === 'attribute_not_exists') {
      // Real DynamoDB (paritysuite dynamodb-conformance tier3/error-messages/partiqlFunctions.test.ts).
      if (args.length !== 1) throw validationError(formatted.operandCount(name, args.length));
      if (args[0].kind !== 'path') throw validationError(formatted.documentPathRequired(name));
    }
    return `${name}(${args.map((arg) => this.operand(arg)).join(', ')})`;
  }

  /** A value-producing operand: a path, a value placeholder, or size(path). */
  operand(expr: Expr): string {
    if (expr.kind === 'path') return this.path(expr);
    if (expr.kind === 'missing') throw validationError(MESSAGES.missingOutsideIs);
    if (isValueExpr(expr)) return this.value(toAttributeValue(expr, this.parameters));
    if (expr.kind === 'call' && expr.name === 'size') return `size(${expr.args.map((arg) => this.operand(arg)).join(', ')})`;
    if (expr.kind === 'call') throw validationError(formatted.unrecognizedFunction(expr.name, expr.at));
    if (expr.kind === 'arithmetic') throw validationError(`Unsupported operator in Condition Expression. Operator: ${expr.op}`);
    throw validationError(`Unsupported operator in Condition Expression. Operator: ${expr.kind.toUpperCase()}`);
  }

  /** SET/REMOVE actions as UpdateExpression text (set_add/set_delete become ADD/DELETE). */
  update(actions: UpdateAction[]): string {
    const set: string[] = [];
    const remove: string[] = [];
    const add: string[] = [];
    const del: string[] = [];
    for (const action of actions) {
      if (action.kind === 'remove') {
        remove.push(this.path(action.path));
        continue;
      }
      const value = action.value;
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
        // Real DynamoDB (paritysuite tier3/error-messages/partiqlFunctions.test.ts): the positions
        // are the function's, except the second argument's type, which points at the first argument.
        const operation = value.name === 'set_add' ? 'ADD' : 'DELETE';
        if (value.args.length !== 2) throw validationError(`SET_${operation} must have exactly two arguments at ${value.at}`);
        const [target, operand] = value.args;
        if (target.kind !== 'path' || this.path(target) !== this.path(action.path)) {
          throw validationError(`The first argument to SET_${operation} must equal the assignment value at ${value.at}`);
        }
        const members = isValueExpr(operand) ? toAttributeValue(operand, this.parameters) : undefined;
        if (!members || !('SS' in members || 'NS' in members || 'BS' in members)) {
          throw validationError(`The second argument to SET_${operation} must be a value with type SET at ${value.argsAt[0]}`);
        }
        (operation === 'ADD' ? add : del).push(`${this.path(action.path)} ${this.value(members)}`);
        continue;
      }
      set.push(`${this.path(action.path)} = ${this.updateValue(value)}`);
    }
    const clauses: string[] = [];
    if (set.length) clauses.push('SET ' + set.join(', '));
    if (remove.length) clauses.push('REMOVE ' + remove.join(', '));
    if (add.length) clauses.push('ADD ' + add.join(', '));
    if (del.length) clauses.push('DELETE ' + del.join(', '));
    return clauses.join(' ');
  }

  private updateValue(expr: Expr): string {
    if (expr.kind === 'arithmetic') return `${this.updateValue(expr.left)} ${expr.op} ${this.updateValue(expr.right)}`;
    if (expr.kind === 'call') {
      if (expr.name === 'list_append' || expr.name === 'if_not_exists') {
        return `${expr.name}(${expr.args.map((arg) => this.updateValue(arg)).join(', ')})`;
      }
      throw validationError(`Unsupported operator in Update Expression. Operator: ${expr.name}`);
    }
    if (expr.kind === 'path') return this.path(expr);
    if (isValueExpr(expr)) return this.value(toAttributeValue(expr, this.parameters));
    if (expr.kind === 'missing') throw validationError(MESSAGES.missingOutsideIs);
    if (expr.kind === 'is') throw validationError('IS operator is not supported in update expressions');
    throw validationError(`Unsupported operator in Update Expression. Operator: ${expr.kind.toUpperCase()}`);
  }

  /** The ExpressionAttributeNames/Values members, omitted when empty (DynamoDB refuses empty maps). */
  members(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (Object.keys(this.names).length > 0) out.ExpressionAttributeNames = this.names;
    if (Object.keys(this.values).length > 0) out.ExpressionAttributeValues = this.values;
    return out;
  }
}

/** The top-level AND terms of a WHERE clause. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  const out: Expr[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.kind === 'and') stack.push(next.right, next.left);
    else out.push(next);
  }
  return out;
}

/** Joins terms back into one AND condition (undefined for none). */
export function conjunction(terms: Expr[]): Expr | undefined {
  return terms.reduce<Expr | undefined>((left, right) => (left ? { kind: 'and', left, right } : right), undefined);
}

/** `name = value` or `value = name` on a top-level attribute: the name and the value side. */
export function equalityOn(term: Expr): { name: string; value: Expr } | undefined {
  if (term.kind !== 'compare' || term.op !== '=') return undefined;
  if (term.left.kind === 'path' && term.left.steps.length === 0 && isValueExpr(term.right)) return { name: term.left.root, value: term.right };
  if (term.right.kind === 'path' && term.right.steps.length === 0 && isValueExpr(term.left)) return { name: term.right.root, value: term.left };
  return undefined;
}

/** The paths a condition reads, by top-level attribute name, in the order the statement names them. */
export function referencedNames(expr: Expr, into = new Set<string>()): Set<string> {
  const stack: Expr[] = [expr];
  // Children go on the stack last-first, so they come off in statement order.
  const visit = (...children: Expr[]) => stack.push(...children.reverse());
  while (stack.length > 0) {
    const next = stack.pop()!;
    switch (next.kind) {
      case 'path':
        into.add(next.root);
        break;
      case 'and':
      case 'or':
      case 'compare':
      case 'arithmetic':
        visit(next.left, next.right);
        break;
      case 'not':
        visit(next.operand);
        break;
      case 'in':
        visit(next.operand, ...next.list);
        break;
      case 'between':
        visit(next.operand, next.low, next.high);
        break;
      case 'is':
        visit(next.operand);
        break;
      case 'call':
        visit(...next.args);
        break;
      default:
        break;
    }
  }
  return into;
}

/** The types an ordering comparison (<, <=, >, >=, BETWEEN) can order. */
const ORDERABLE_TYPES = new Set(['S', 'N', 'B']);

/**
 * Refuses an ordering comparison whose literal or parameter operand has a type with no order
 * (BOOL, NULL, L, M, sets), as the service refuses the statement before reading anything. The rule
 * looks at each operand alone: `val < 5` against a stored string is fine. Real DynamoDB, `val < ?`
 * with a BOOL parameter: "Incorrect operand type for operator or function; operator or function: <,
 * operand type: BOOL" (paritysuite dynamodb-conformance tier2/partiql/comparison.test.ts).
 */
export function checkOrderingOperands(where: Expr | undefined, parameters: AttributeValue[]): void {
  const stack: Expr[] = where ? [where] : [];
  while (stack.length > 0) {
    const next = stack.pop()!;
    let operator: string | undefined;
    let operands: Expr[] = [];
    if (next.kind === 'and' || next.kind === 'or') stack.push(next.right, next.left);
    else if (next.kind === 'not') stack.push(next.operand);
    else if (next.kind === 'compare' && next.op !== '=' && next.op !== '<>') [operator, operands] = [next.op, [next.left, next.right]];
    else if (next.kind === 'between') [operator, operands] = ['BETWEEN', [next.operand, next.low, next.high]];
    for (const operand of operands) {
      if (!isValueExpr(operand)) continue;
      const type = Object.keys(toAttributeValue(operand, parameters))[0];
      if (!ORDERABLE_TYPES.has(type)) {
        throw validationError(`Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);
      }
    }
  }
}

/**
 * Splits a DML WHERE clause into the item's full primary key and the remaining condition. Every
 * key attribute needs exactly one top-level equality, as DynamoDB requires for single-item writes.
 */
export function extractFullKey(where: Expr | undefined, table: TableHandle, parameters: AttributeValue[]): { key: Item; rest: Expr[] } {
  const keyNames = [...table.shape.hashKeys, ...table.shape.rangeKeys];
  const key: Item = {};
  const rest: Expr[] = [];
  for (const term of conjuncts(where)) {
    const equality = equalityOn(term);
    if (equality && keyNames.includes(equality.name)) {
      if (Object.hasOwn(key, equality.name)) throw validationError(formatted.multipleKeyConditions(equality.name));
      key[equality.name] = toAttributeValue(equality.value, parameters);
    } else {
      rest.push(term);
    }
  }
  if (keyNames.some((name) => !Object.hasOwn(key, name))) throw validationError(MESSAGES.incompleteKey);
  checkKeyTypes(key, table.shape);
  return { key, rest };
}

/** Key values must have the type the table's schema declares. */
export function checkKeyTypes(item: Item, shape: KeyShape): void {
  for (const name of [...shape.hashKeys, ...shape.rangeKeys]) {
    const value = item[name];
    if (value === undefined) throw validationError(`Key attribute should be present in the item: Key ${name}`);
    if (!(shape.types[name] in value)) throw validationError(`Key attribute's data type should match its data type in table's schema: Key ${name}`);
  }
}
