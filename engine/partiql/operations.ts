/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
 *
 * Each statement is parsed, checked against its table, and turned into the request DynamoDB's own
 * API would take (Query, Scan, PutItem, UpdateItem, DeleteItem, TransactWriteItems,
 * TransactGetItems), which then runs through the engine's operations map. Item semantics, indexes,
 * streams and capacity therefore live in one place.
 *
 *   SELECT with an equality on every partition-key attribute  -> Query (a sort-key condition joins
 *                                                                the key condition, the rest filters)
 *   any other SELECT                                          -> Scan with a FilterExpression
 *   INSERT                                                    -> PutItem if the key is new
 *   UPDATE ... WHERE <full key> [AND condition]               -> UpdateItem on an existing item
 *   DELETE ... WHERE <full key> [AND condition]               -> DeleteItem
 */
import type { TableHandle } from '../database.ts';
import { DynamoDbError, isDynamoDbError, validationError } from '../errors.ts';
import type { Operation, OperationContext } from '../operations/context.ts';
import { requireReadyTable } from '../operations/context.ts';
import type { AttributeValue, Item } from '../types.ts';
import { RETURN_CONSUMED_CAPACITY, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE, validateRequest, type Member } from '../validation/schema.ts';
import { normalizeNumber, validateAttributeValue } from '../values.ts';
import type { DeleteStatement, Expr, InsertStatement, PathExpr, SelectStatement, Statement, UpdateStatement } from './ast.ts';
import { duplicateItemError, formatted, MESSAGES } from './errors.ts';
import { decodeNextToken, encodeNextToken, requestFingerprint } from './nextToken.ts';
import { parseStatement } from './parser.ts';
import {
  checkKeyTypes,
  checkOrderingOperands,
  conjunction,
  conjuncts,
  equalityOn,
  ExpressionBuilder,
  extractFullKey,
  projectedName,
  referencedNames,
  toAttributeValue,
} from './translate.ts';

// Request members, in the order the service reports their constraint failures.
const STATEMENT: Member = { type: 'String', notNull: true, minLength: 1, maxLength: 8192 };
const PARAMETERS: Member = { type: 'List', minLength: 1, member: 'AttributeValue' };

const EXECUTE_STATEMENT: Record<string, Member> = {
  Statement: STATEMENT,
  Parameters: PARAMETERS,
  ConsistentRead: 'Boolean',
  NextToken: { type: 'String', minLength: 1, maxLength: 32768 },
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  Limit: { type: 'Integer', min: 1 },
  ReturnValuesOnConditionCheckFailure: RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
};

const BATCH_EXECUTE_STATEMENT: Record<string, Member> = {
  Statements: {
    type: 'List',
    notNull: true,
    minLength: 1,
    maxLength: 25,
    member: {
      type: 'Struct',
      name: 'BatchStatementRequest',
      members: {
        Statement: STATEMENT,
        Parameters: PARAMETERS,
        ConsistentRead: 'Boolean',
        ReturnValuesOnConditionCheckFailure: RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
      },
    },
  },
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
};

const EXECUTE_TRANSACTION: Record<string, Member> = {
  TransactStatements: {
    type: 'List',
    notNull: true,
    minLength: 1,
    maxLength: 100,
    member: {
      type: 'Struct',
      name: 'ParameterizedStatement',
      members: {
        Statement: STATEMENT,
        Parameters: PARAMETERS,
        ReturnValuesOnConditionCheckFailure: RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
      },
    },
  },
  ClientRequestToken: { type: 'String', minLength: 1, maxLength: 36 },
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
};

type OperationMap = Record<string, Operation>;

let engineOperations: OperationMap | undefined;

/**
 * The engine's operations map. It also registers this module's operations, so it is loaded on
 * first use rather than imported: neither module then needs the other while it is evaluated.
 */
async function operationsMap(): Promise<OperationMap> {
  engineOperations ??= (await import('../operations/index.ts')).operations;
  return engineOperations;
}

async function run(name: string, input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const operation = (await operationsMap())[name];
  if (!operation) throw validationError(`Unsupported operation: ${name}`);
  // Results are read here, so nested calls never take the endpoint's pre-serialised form.
  return operation(input, ctx.rawResponses ? { ...ctx, rawResponses: false } : ctx);
}

// --- statements and their tables ---------------------------------------------------------------

interface StatementInput {
  text: string;
  parameters: AttributeValue[];
}

/**
 * Validates parameter values as any AttributeValue is validated (numbers normalised in place), after
 * reading their numbers as the service reads a parameter's (see parameterNumberError).
 */
function checkParameters(parameters: unknown): AttributeValue[] {
  const list = (parameters as Record<string, unknown>[] | undefined) ?? [];
  for (const value of list) {
    const message = firstParameterNumberError(value) ?? validateAttributeValue(value);
    if (message) throw validationError(message);
  }
  return list as unknown as AttributeValue[];
}

// validateAttributeValue's nesting limit: a value at this depth is refused as nested too deeply.
const MAX_NESTING_DEPTH = 32;
const DECIMAL_PARTS = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,30}))?$/;
const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;

/**
 * A PartiQL parameter's number is read as Java's BigDecimal reads a string (real DynamoDB,
 * paritysuite dynamodb-conformance tier3/error-messages/partiqlParameterNumbers.test.ts): an
 * exponent, or the scale it leaves, outside a 32-bit integer "cannot be converted" (1e99999999999,
 * 1e2147483648, 1e-2147483648), and the magnitude check works on precision minus scale in 32-bit
 * arithmetic, which wraps, so 1e2147483647 is an underflow. Other numbers get the ordinary checks.
 */
function parameterNumberError(text: string): string | undefined {
  const parts = DECIMAL_PARTS.exec(text);
  if (!parts || !(parts[1] || parts[2])) return numberError(text);
  const exponent = BigInt(parts[3] ?? '0');
  const scale = BigInt((parts[2] ?? '').length) - exponent;
  if (exponent < INT32_MIN || exponent > INT32_MAX || scale < INT32_MIN || scale > INT32_MAX) return formatted.unconvertibleNumber(text);
  const precision = BigInt(((parts[1] ?? '') + (parts[2] ?? '')).replace(/^0+/, '').length || 1);
  const magnitude = precision - scale;
  const wrapped = BigInt.asIntN(32, magnitude);
  if (wrapped !== magnitude) return wrapped < 0n ? MESSAGES.numberUnderflow : MESSAGES.numberOverflow;
  return numberError(text);
}

function numberError(text: string): string | undefined {
  const result = normalizeNumber(text);
  return 'error' in result ? result.error : undefined;
}

/**
 * The first number in a parameter, in document order, that the service cannot take. A value nested
 * past the limit stops the walk: the service reports the nesting first, as validateAttributeValue does.
 */
function firstParameterNumberError(parameter: Record<string, unknown>): string | undefined {
  const stack: { value: Record<string, unknown>; depth: number }[] = [{ value: parameter, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (depth >= MAX_NESTING_DEPTH) return undefined;
    if (typeof value.N === 'string') {
      const error = parameterNumberError(value.N);
      if (error) return error;
    } else if (Array.isArray(value.NS)) {
      for (const member of value.NS) {
        const error = typeof member === 'string' ? parameterNumberError(member) : undefined;
        if (error) return error;
      }
    } else if (Array.isArray(value.L)) {
      for (let i = value.L.length - 1; i >= 0; i--) stack.push({ value: value.L[i] as Record<string, unknown>, depth: depth + 1 });
    } else if (value.M && typeof value.M === 'object') {
      const entries = Object.values(value.M as Record<string, Record<string, unknown>>);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i], depth: depth + 1 });
    }
  }
  return undefined;
}

function parse({ text, parameters }: StatementInput): Statement {
  const parsed = parseStatement(text);
  // Extra parameters are ignored, as DynamoDB ignores them; too few cannot be bound.
  if (parsed.parameterCount > parameters.length) throw validationError(MESSAGES.parameterCount);
  const { statement } = parsed;
  const select = statement.kind === 'exists' ? statement.select : statement;
  if (select.kind !== 'insert') checkOrderingOperands(select.where, parameters);
  return statement;
}

const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;

function resolveTable(ctx: OperationContext, name: string): TableHandle {
  if (!TABLE_NAME_PATTERN.test(name)) {
    throw validationError("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.");
  }
  return requireReadyTable(ctx, name);
}

function tableOf(statement: Statement): string {
  switch (statement.kind) {
    case 'select':
      return statement.source.table;
    case 'exists':
      return statement.select.source.table;
    default:
      return statement.table;
  }
}

// --- SELECT -------------------------------------------------------------------------------------

interface ReadPlan {
  operation: 'Query' | 'Scan';
  request: Record<string, unknown>;
  projection?: PathExpr[];
  /** The Query names one item of the table by its whole key: what GetItem would read. */
  keyLookup?: boolean;
}

type SortCondition = { kind: 'compare'; op: string; value: Expr } | { kind: 'between'; low: Expr; high: Expr } | { kind: 'begins_with'; value: Expr };

const FLIPPED: Record<string, string> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A WHERE term a Query can use as its sort-key condition on `name`. */
function sortCondition(term: Expr, name: string): SortCondition | undefined {
  const isKey = (e: Expr) => e.kind === 'path' && e.root === name && e.steps.length === 0;
  const isValue = (e: Expr) => e.kind !== 'path' && e.kind !== 'missing' && e.kind !== 'call' && e.kind !== 'arithmetic';
  if (term.kind === 'compare' && term.op !== '<>') {
    if (isKey(term.left) && isValue(term.right)) return { kind: 'compare', op: term.op, value: term.right };
    if (isKey(term.right) && isValue(term.left)) return { kind: 'compare', op: FLIPPED[term.op], value: term.left };
  }
  if (term.kind === 'between' && isKey(term.operand) && isValue(term.low) && isValue(term.high)) return { kind: 'between', low: term.low, high: term.high };
  if (term.kind === 'call' && term.name === 'begins_with' && term.args.length === 2 && isKey(term.args[0]) && isValue(term.args[1])) {
    return { kind: 'begins_with', value: term.args[1] };
  }
  return undefined;
}

function checkProjection(projection: PathExpr[] | undefined): void {
  const seen = new Set<string>();
  for (const path of projection ?? []) {
    const name = projectedName(path);
    if (seen.has(name)) throw validationError(formatted.duplicateIdentifier(name));
    seen.add(name);
  }
}

/** A nested path comes back under its last name (`SELECT m.k` gives `{k: ...}`), as DynamoDB returns it. */
function reshape(item: Item, projection: PathExpr[] | undefined): Item {
  if (!projection) return item;
  const out: Item = {};
  for (const path of projection) {
    let value: AttributeValue | undefined = item[path.root];
    for (const step of path.steps) {
      if (!value) break;
      value = 'name' in step ? ('M' in value ? value.M[step.name] : undefined) : 'L' in value ? value.L[step.index] : undefined;
    }
    if (value !== undefined) out[projectedName(path)] = value;
  }
  return out;
}

/**
 * The top-level attributes a projection reads. DynamoDB's ProjectionExpression compacts list
 * elements (`l[1]` comes back as a one-element list), so whole attributes are read and reshape()
 * walks the paths itself.
 */
function projectionRoots(projection: PathExpr[], builder: ExpressionBuilder): string {
  return [...new Set(projection.map((path) => path.root))].map((root) => builder.name(root)).join(', ');
}

/**
 * An index-qualified SELECT may filter only on attributes the index projects, and a GSI read may
 * only return them; an LSI read reaches the co-located base item, so its SELECT list is free.
 * Real DynamoDB (nubo-db/paritysuite dynamodb-conformance, tier3 partiql and tier2
 * executeStatementIndex): the unprojected names are listed in statement order. Returns whether the
 * read needs the base item (an LSI SELECT list beyond the projection).
 */
function checkIndexReach(statement: SelectStatement, table: TableHandle, index: NonNullable<ReturnType<TableHandle['index']>>): boolean {
  const { Projection, kind, IndexName } = index.record;
  if (Projection.ProjectionType === 'ALL') return false;
  const projected = new Set([...table.shape.hashKeys, ...table.shape.rangeKeys, ...index.shape.hashKeys, ...index.shape.rangeKeys, ...(Projection.NonKeyAttributes ?? [])]);
  const filtered = statement.where ? [...referencedNames(statement.where)].filter((name) => !projected.has(name)) : [];
  if (filtered.length > 0) throw validationError(formatted.unprojectedFilter(IndexName, filtered));
  if (!statement.projection) return false;
  const returned = [...new Set(statement.projection.map((path) => path.root))].filter((name) => !projected.has(name));
  if (returned.length > 0 && kind === 'GSI') throw validationError(formatted.unprojectedSelect(IndexName, returned));
  return returned.length > 0;
}

/**
 * The index a SELECT names. PartiQL refuses a GSI keyed on several HASH or several RANGE attributes
 * ahead of every check on the statement's WHERE (real DynamoDB, paritysuite dynamodb-conformance
 * tier3/error-messages/partiqlMultiAttributeIndex.test.ts); the rest of the table still reads.
 */
function selectedIndex(table: TableHandle, name: string) {
  const index = table.index(name);
  if (!index) throw validationError(MESSAGES.noSuchIndex);
  refuseMultiAttributeKey(index);
  return index;
}

function refuseMultiAttributeKey(index: NonNullable<ReturnType<TableHandle['index']>>): void {
  if (index.shape.hashKeys.length > 1 || index.shape.rangeKeys.length > 1) throw validationError(MESSAGES.multiAttributeIndex);
}

function planSelect(statement: SelectStatement, table: TableHandle, parameters: AttributeValue[], consistentRead: boolean): ReadPlan {
  const { source } = statement;
  let shape = table.shape;
  let needsBaseItem = false;
  if (source.index !== undefined) {
    const index = selectedIndex(table, source.index);
    if (index.record.kind === 'GSI' && consistentRead) throw validationError(MESSAGES.consistentReadOnGsi);
    needsBaseItem = checkIndexReach(statement, table, index);
    shape = index.shape;
  }
  checkProjection(statement.projection);

  // A Query needs one equality on every partition-key attribute.
  const terms = conjuncts(statement.where);
  const hashTerms = shape.hashKeys.map((name) => terms.findIndex((term) => equalityOn(term)?.name === name));
  let keyTerms: number[] = [];
  let sort: { name: string; condition: SortCondition } | undefined;
  if (hashTerms.every((i) => i >= 0)) {
    keyTerms = [...hashTerms];
    if (shape.rangeKeys.length === 1) {
      const name = shape.rangeKeys[0];
      const at = terms.findIndex((term, i) => !keyTerms.includes(i) && sortCondition(term, name) !== undefined);
      if (at >= 0) {
        keyTerms.push(at);
        sort = { name, condition: sortCondition(terms[at], name)! };
      }
    }
    // A Query's filter may not name key attributes; such statements read the same items by Scan.
    const keyNames = new Set([...shape.hashKeys, ...shape.rangeKeys]);
    const filterNames = new Set<string>();
    terms.forEach((term, i) => !keyTerms.includes(i) && referencedNames(term, filterNames));
    if ([...filterNames].some((name) => keyNames.has(name))) keyTerms = [];
  }
  const isQuery = keyTerms.length > 0;

  let descending = false;
  if (statement.orderBy) {
    if (!statement.where) throw validationError(MESSAGES.orderByWithoutWhere);
    if (!isQuery) throw validationError(MESSAGES.orderByWithoutHashKey);
    for (const term of statement.orderBy) {
      const name = term.path.root;
      if (term.path.steps.length > 0 || (!shape.hashKeys.includes(name) && !shape.rangeKeys.includes(name))) {
        throw validationError(formatted.orderByNotKey(projectedName(term.path)));
      }
      if (shape.rangeKeys.includes(name)) descending = term.descending;
    }
  }

  const builder = new ExpressionBuilder(parameters);
  const request: Record<string, unknown> = { TableName: table.record.TableName };
  if (source.index !== undefined) request.IndexName = source.index;
  if (isQuery) {
    const parts = shape.hashKeys.map((name, i) => `${builder.name(name)} = ${builder.operand(equalityOn(terms[hashTerms[i]])!.value)}`);
    if (sort) {
      const key = builder.name(sort.name);
      const condition = sort.condition;
      if (condition.kind === 'compare') parts.push(`${key} ${condition.op} ${builder.operand(condition.value)}`);
      else if (condition.kind === 'between') parts.push(`${key} BETWEEN ${builder.operand(condition.low)} AND ${builder.operand(condition.high)}`);
      else parts.push(`begins_with(${key}, ${builder.operand(condition.value)})`);
    }
    request.KeyConditionExpression = parts.join(' AND ');
    const filter = conjunction(terms.filter((_, i) => !keyTerms.includes(i)));
    if (filter) request.FilterExpression = builder.condition(filter);
    if (descending) request.ScanIndexForward = false;
  } else if (statement.where) {
    request.FilterExpression = builder.condition(statement.where);
  }
  // ALL_ATTRIBUTES makes an LSI read fetch the base item; reshape() then keeps the SELECT list.
  if (needsBaseItem) request.Select = 'ALL_ATTRIBUTES';
  else if (statement.projection) request.ProjectionExpression = projectionRoots(statement.projection, builder);
  Object.assign(request, builder.members());
  if (consistentRead) request.ConsistentRead = true;
  const sortIsEquality = shape.rangeKeys.length === 0 || (sort?.condition.kind === 'compare' && sort.condition.op === '=');
  const keyLookup = isQuery && source.index === undefined && sortIsEquality;
  return { operation: isQuery ? 'Query' : 'Scan', request, projection: statement.projection, keyLookup };
}

/** A read of one item by its full key (plus any filter), as a Query so extra conditions still apply. */
function planKeyRead(statement: SelectStatement, table: TableHandle, key: Item, rest: Expr[], parameters: AttributeValue[], consistentRead: boolean): ReadPlan {
  const builder = new ExpressionBuilder(parameters);
  const request: Record<string, unknown> = {
    TableName: table.record.TableName,
    KeyConditionExpression: Object.entries(key)
      .map(([name, value]) => `${builder.name(name)} = ${builder.value(value)}`)
      .join(' AND '),
  };
  const filter = conjunction(rest);
  if (filter) request.FilterExpression = builder.condition(filter);
  if (statement.projection) request.ProjectionExpression = projectionRoots(statement.projection, builder);
  Object.assign(request, builder.members());
  if (consistentRead) request.ConsistentRead = true;
  return { operation: 'Query', request, projection: statement.projection };
}

// --- writes -------------------------------------------------------------------------------------

interface WriteRequest {
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem';
  request: Record<string, unknown>;
  /** The request's item or key, for TransactWriteItems. */
  isInsert: boolean;
}

function insertItem(statement: InsertStatement, parameters: AttributeValue[]): Item {
  const value = statement.item;
  if (value.kind === 'tuple') return (toAttributeValue(value, parameters, 'root', true) as { M: Item }).M;
  if (value.kind === 'parameter' && 'M' in parameters[value.position]) return (parameters[value.position] as { M: Item }).M;
  throw validationError(MESSAGES.insertItemSyntax);
}

function planWrite(statement: InsertStatement | UpdateStatement | DeleteStatement, table: TableHandle, parameters: AttributeValue[]): WriteRequest {
  const builder = new ExpressionBuilder(parameters);
  const TableName = table.record.TableName;
  const hashKey = table.shape.hashKeys[0];
  if (statement.kind === 'insert') {
    const item = insertItem(statement, parameters);
    checkKeyTypes(item, table.shape);
    const request = { TableName, Item: item, ConditionExpression: `attribute_not_exists(${builder.name(hashKey)})`, ...builder.members() };
    return { operation: 'PutItem', request, isInsert: true };
  }
  const { key, rest } = extractFullKey(statement.where, table, parameters);
  const remaining = conjunction(rest);
  if (statement.kind === 'update') {
    // PartiQL UPDATE never creates an item: the key must exist.
    const exists = `attribute_exists(${builder.name(hashKey)})`;
    const request: Record<string, unknown> = {
      TableName,
      Key: key,
      UpdateExpression: builder.update(statement.actions),
      ConditionExpression: remaining ? `${exists} AND (${builder.condition(remaining)})` : exists,
    };
    if (statement.returning) request.ReturnValues = statement.returning;
    return { operation: 'UpdateItem', request: { ...request, ...builder.members() }, isInsert: false };
  }
  const request: Record<string, unknown> = { TableName, Key: key };
  // DELETE of a missing item succeeds whatever the extra condition says.
  if (remaining) request.ConditionExpression = `attribute_not_exists(${builder.name(hashKey)}) OR (${builder.condition(remaining)})`;
  if (statement.returning) request.ReturnValues = statement.returning;
  return { operation: 'DeleteItem', request: { ...request, ...builder.members() }, isInsert: false };
}

async function executeWrite(planned: WriteRequest, options: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  try {
    return await run(planned.operation, { ...planned.request, ...options }, ctx);
  } catch (error) {
    if (planned.isInsert && isDynamoDbError(error) && error.code === 'ConditionalCheckFailedException') throw duplicateItemError();
    throw error;
  }
}

function defined(members: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined));
}

// --- ExecuteStatement ---------------------------------------------------------------------------

export async function executeStatement(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, EXECUTE_STATEMENT);
  const text = data.Statement as string;
  const parameters = checkParameters(data.Parameters);
  const statement = parse({ text, parameters });
  if (statement.kind === 'exists') throw validationError(MESSAGES.existsOutsideTransaction);
  const table = resolveTable(ctx, tableOf(statement));
  const capacity = data.ReturnConsumedCapacity as string | undefined;

  if (statement.kind === 'select') {
    const consistentRead = data.ConsistentRead === true;
    const plan = planSelect(statement, table, parameters, consistentRead);
    const fingerprint = requestFingerprint(text, parameters);
    const request: Record<string, unknown> = { ...plan.request };
    if (data.NextToken !== undefined) request.ExclusiveStartKey = decodeNextToken(data.NextToken as string, fingerprint);
    if (data.Limit !== undefined) request.Limit = data.Limit;
    if (capacity) request.ReturnConsumedCapacity = capacity;
    const result = await run(plan.operation, request, ctx);
    const out: Record<string, unknown> = { Items: (result.Items as Item[]).map((item) => reshape(item, plan.projection)) };
    const lastKey = result.LastEvaluatedKey as Item | undefined;
    if (lastKey) {
      out.NextToken = encodeNextToken(fingerprint, lastKey);
      out.LastEvaluatedKey = lastKey;
    }
    if (result.ConsumedCapacity) out.ConsumedCapacity = result.ConsumedCapacity;
    return out;
  }

  const result = await executeWrite(planWrite(statement, table, parameters), defined({
    ReturnConsumedCapacity: capacity,
    ReturnValuesOnConditionCheckFailure: data.ReturnValuesOnConditionCheckFailure,
  }), ctx);
  const out: Record<string, unknown> = { Items: result.Attributes ? [result.Attributes] : [] };
  if (result.ConsumedCapacity) out.ConsumedCapacity = result.ConsumedCapacity;
  return out;
}

// --- explain ------------------------------------------------------------------------------------

/** How ExecuteStatement would read or write, decided by the same planner, without running it. */
export interface StatementExplanation {
  /** GetItem: one item by its whole key (run as a Query so extra conditions still apply). */
  access: 'GetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
  tableName: string;
  indexName?: string;
  /** The request the statement becomes (reads only; parameters not yet given read as NULL). */
  request?: Record<string, unknown>;
  /** Items the read examines at most: 1 for a key lookup, the table's or index's item count for a Scan. */
  estimatedItemsRead?: number;
  /** Said when the statement reads the whole table or index. */
  warning?: string;
}

const WRITE_ACCESS = { insert: 'PutItem', update: 'UpdateItem', delete: 'DeleteItem' } as const;

/**
 * Explains one statement as ExecuteStatement would run it. Parameters the editor has not filled in
 * yet stand in as NULL: the plan depends on where a `?` sits, never on its value.
 */
export function explainStatement(text: string, parameters: AttributeValue[], ctx: OperationContext): StatementExplanation {
  const parsed = parseStatement(text);
  checkParameters(parameters);
  const bound = [...parameters, ...Array.from({ length: Math.max(0, parsed.parameterCount - parameters.length) }, () => ({ NULL: true }) as AttributeValue)];
  const statement = parsed.statement.kind === 'exists' ? parsed.statement.select : parsed.statement;
  const table = resolveTable(ctx, tableOf(statement));
  const tableName = table.record.TableName;
  if (statement.kind !== 'select') return { access: WRITE_ACCESS[statement.kind], tableName };

  const plan = planSelect(statement, table, bound, false);
  const indexName = statement.source.index;
  const explanation: StatementExplanation = { access: plan.keyLookup ? 'GetItem' : plan.operation, tableName, request: plan.request };
  if (indexName !== undefined) explanation.indexName = indexName;
  if (plan.keyLookup) explanation.estimatedItemsRead = 1;
  if (plan.operation === 'Scan') {
    const index = indexName === undefined ? undefined : table.index(indexName);
    explanation.estimatedItemsRead = (index ? ctx.db.indexStats(index.record.uid) : ctx.db.tableStats(table.record.uid)).itemCount;
    const where = indexName === undefined ? `table ${tableName}` : `index ${indexName} of ${tableName}`;
    explanation.warning = `No equality on the partition key: this reads every item of ${where}, a full Scan.`;
  }
  return explanation;
}

// --- BatchExecuteStatement ----------------------------------------------------------------------

/** BatchStatementError codes, by the exception a statement failed with. */
const BATCH_ERROR_CODES: Record<string, string> = {
  ValidationException: 'ValidationError',
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  TransactionConflictException: 'TransactionConflict',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ThrottlingException: 'ThrottlingError',
  AccessDeniedException: 'AccessDenied',
  InternalServerError: 'InternalServerError',
};

function batchError(error: unknown): Record<string, unknown> {
  if (!isDynamoDbError(error)) throw error;
  const failure: Record<string, unknown> = { Code: BATCH_ERROR_CODES[error.code] ?? 'ValidationError', Message: error.message };
  const item = error.extra?.Item;
  if (item) failure.Item = item;
  return failure;
}

/** Sums ConsumedCapacity entries per table, as batch operations report them. */
function mergeCapacity(entries: Record<string, unknown>[]): Record<string, unknown>[] {
  const byTable = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const name = entry.TableName as string;
    const total = byTable.get(name);
    if (!total) {
      byTable.set(name, { ...entry });
      continue;
    }
    for (const unit of ['CapacityUnits', 'ReadCapacityUnits', 'WriteCapacityUnits']) {
      if (typeof entry[unit] === 'number') total[unit] = ((total[unit] as number | undefined) ?? 0) + (entry[unit] as number);
    }
  }
  return [...byTable.values()];
}

/** A SELECT in a batch or transaction reads one item: it must name the table's whole key. */
function singleItemRead(statement: SelectStatement, table: TableHandle, parameters: AttributeValue[], incompleteKeyMessage: string) {
  let key: Item;
  let rest: Expr[];
  try {
    ({ key, rest } = extractFullKey(statement.where, table, parameters));
  } catch (error) {
    if (isDynamoDbError(error) && error.message === MESSAGES.incompleteKey) throw validationError(incompleteKeyMessage);
    throw error;
  }
  checkProjection(statement.projection);
  return { key, rest };
}

export async function batchExecuteStatement(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, BATCH_EXECUTE_STATEMENT);
  const requests = data.Statements as Record<string, unknown>[];
  const capacity = data.ReturnConsumedCapacity as string | undefined;

  // Parse everything first: a malformed statement fails alone, mixing reads and writes fails all.
  const parsed = requests.map((request) => {
    try {
      const parameters = checkParameters(request.Parameters);
      const statement = parse({ text: request.Statement as string, parameters });
      if (statement.kind === 'exists') throw validationError(MESSAGES.existsOutsideTransaction);
      return { statement, parameters };
    } catch (error) {
      return { error: batchError(error) };
    }
  });
  const kinds = new Set(parsed.flatMap((p) => (p.statement ? [p.statement.kind === 'select' ? 'read' : 'write'] : [])));
  if (kinds.size > 1) throw validationError(MESSAGES.batchMixed);

  const consumed: Record<string, unknown>[] = [];
  const responses: Record<string, unknown>[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const entry = parsed[i];
    if (!entry.statement) {
      responses.push({ Error: entry.error });
      continue;
    }
    const { statement, parameters } = entry;
    // A statement refused while it is planned never reached its table, and its error names none;
    // one that ran and failed (a condition, a duplicate key) echoes the table it ran against.
    let table: TableHandle;
    let read: ReadPlan | undefined;
    let write: WriteRequest | undefined;
    try {
      table = resolveTable(ctx, tableOf(statement));
      if (statement.kind === 'select') {
        // An index-qualified read never names the table's key as a batch needs, whatever its WHERE.
        if (statement.source.index !== undefined) {
          const index = table.index(statement.source.index);
          if (index) refuseMultiAttributeKey(index);
          throw validationError(MESSAGES.batchReadKey);
        }
        const { key, rest } = singleItemRead(statement, table, parameters, MESSAGES.batchReadKey);
        read = planKeyRead(statement, table, key, rest, parameters, requests[i].ConsistentRead === true);
      } else {
        write = planWrite(statement as InsertStatement | UpdateStatement | DeleteStatement, table, parameters);
      }
    } catch (error) {
      responses.push({ Error: batchError(error) });
      continue;
    }
    const response: Record<string, unknown> = { TableName: table.record.TableName };
    try {
      let result: Record<string, unknown>;
      if (read) {
        result = await run(read.operation, { ...read.request, ...defined({ ReturnConsumedCapacity: capacity }) }, ctx);
        const item = (result.Items as Item[])[0];
        if (item) response.Item = reshape(item, read.projection);
      } else {
        // ReturnValuesOnConditionCheckFailure is accepted on a batch member but returns nothing:
        // the service's BatchStatementError carries no item for a failed condition.
        result = await executeWrite(write!, defined({ ReturnConsumedCapacity: capacity }), ctx);
        if (result.Attributes) response.Item = result.Attributes;
      }
      if (result.ConsumedCapacity) consumed.push(result.ConsumedCapacity as Record<string, unknown>);
    } catch (error) {
      response.Error = batchError(error);
    }
    responses.push(response);
  }
  const out: Record<string, unknown> = { Responses: responses };
  if (consumed.length > 0) out.ConsumedCapacity = mergeCapacity(consumed);
  return out;
}

// --- ExecuteTransaction -------------------------------------------------------------------------

function transactionError(index: number, error: unknown): unknown {
  if (isDynamoDbError(error) && error.code === 'ValidationException') return validationError(formatted.inTransaction(index, error.message));
  return error;
}

/** INSERT's condition failing inside a transaction is a duplicate key, and says so. */
function renameDuplicateReasons(error: unknown, inserts: boolean[]): unknown {
  if (!isDynamoDbError(error) || error.code !== 'TransactionCanceledException') return error;
  const reasons = (error.extra?.CancellationReasons as Record<string, unknown>[] | undefined) ?? [];
  if (!reasons.some((reason, i) => inserts[i] && reason.Code === 'ConditionalCheckFailed')) return error;
  const renamed = reasons.map((reason, i) =>
    inserts[i] && reason.Code === 'ConditionalCheckFailed' ? { Code: 'DuplicateItem', Message: MESSAGES.duplicateItem } : reason,
  );
  return new DynamoDbError(
    error.code,
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${renamed.map((r) => r.Code).join(', ')}]`,
    error.statusCode,
    error.namespace,
    { ...error.extra, CancellationReasons: renamed },
  );
}

export async function executeTransaction(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, EXECUTE_TRANSACTION);
  const requests = data.TransactStatements as Record<string, unknown>[];
  const capacity = data.ReturnConsumedCapacity as string | undefined;

  const statements = requests.map((request, i) => {
    // A parameter the service cannot read fails the request as it stands, without naming the
    // statement (real DynamoDB, paritysuite tier3/error-messages/partiqlParameterNumbers.test.ts).
    const parameters = checkParameters(request.Parameters);
    try {
      const statement = parse({ text: request.Statement as string, parameters });
      if ((statement.kind === 'update' || statement.kind === 'delete') && statement.returning) throw validationError(MESSAGES.transactionReturning);
      return { statement, parameters };
    } catch (error) {
      throw transactionError(i, error);
    }
  });
  const reads = statements.filter((s) => s.statement.kind === 'select').length;
  if (reads > 0 && reads < statements.length) throw validationError(MESSAGES.transactionMixed);

  if (reads > 0) {
    const projections: (PathExpr[] | undefined)[] = [];
    const items = statements.map(({ statement, parameters }, i) => {
      try {
        const select = statement as SelectStatement;
        if (select.source.index !== undefined) throw validationError(MESSAGES.transactionReadIndex);
        const table = resolveTable(ctx, select.source.table);
        const { key } = singleItemRead(select, table, parameters, MESSAGES.transactionReadKey);
        projections.push(select.projection);
        const builder = new ExpressionBuilder(parameters);
        const get: Record<string, unknown> = { TableName: table.record.TableName, Key: key };
        if (select.projection) get.ProjectionExpression = projectionRoots(select.projection, builder);
        return { Get: { ...get, ...builder.members() } };
      } catch (error) {
        throw transactionError(i, error);
      }
    });
    const result = await run('TransactGetItems', { TransactItems: items, ...defined({ ReturnConsumedCapacity: capacity }) }, ctx);
    const responses = (result.Responses as Record<string, unknown>[]).map((response, i) =>
      response.Item ? { Item: reshape(response.Item as Item, projections[i]) } : {},
    );
    const out: Record<string, unknown> = { Responses: responses };
    if (result.ConsumedCapacity) out.ConsumedCapacity = result.ConsumedCapacity;
    return out;
  }

  const inserts: boolean[] = [];
  const items = statements.map(({ statement, parameters }, i) => {
    try {
      const returnValues = defined({ ReturnValuesOnConditionCheckFailure: requests[i].ReturnValuesOnConditionCheckFailure });
      if (statement.kind === 'exists') {
        const { select } = statement;
        if (select.source.index !== undefined) throw validationError(MESSAGES.transactionIndex);
        const table = resolveTable(ctx, select.source.table);
        const { key, rest } = extractFullKey(select.where, table, parameters);
        const condition = conjunction(rest);
        if (!condition) throw validationError(MESSAGES.transactionExistsKey);
        const builder = new ExpressionBuilder(parameters);
        inserts.push(false);
        const check = { TableName: table.record.TableName, Key: key, ConditionExpression: builder.condition(condition), ...builder.members() };
        return { ConditionCheck: { ...check, ...returnValues } };
      }
      const write = statement as InsertStatement | UpdateStatement | DeleteStatement;
      const planned = planWrite(write, resolveTable(ctx, write.table), parameters);
      inserts.push(planned.isInsert);
      const kind = planned.operation === 'PutItem' ? 'Put' : planned.operation === 'UpdateItem' ? 'Update' : 'Delete';
      return { [kind]: { ...planned.request, ...returnValues } };
    } catch (error) {
      throw transactionError(i, error);
    }
  });
  let result: Record<string, unknown>;
  try {
    result = await run('TransactWriteItems', { TransactItems: items, ...defined({ ClientRequestToken: data.ClientRequestToken, ReturnConsumedCapacity: capacity }) }, ctx);
  } catch (error) {
    throw renameDuplicateReasons(error, inserts);
  }
  // A write-only transaction answers with an empty Responses list, as the service does.
  const out: Record<string, unknown> = { Responses: [] };
  if (result.ConsumedCapacity) out.ConsumedCapacity = result.ConsumedCapacity;
  return out;
}

/** The three PartiQL operations, for the engine's operations map. */
export const partiqlOperations: Record<string, Operation> = {
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
};
