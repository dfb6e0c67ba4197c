/**
 * The transaction builder's form and the TransactWriteItems / TransactGetItems input built from
 * it, with the service's own limits checked first and reported in the service's words, on the
 * action they concern. The wire input is the one source for the request and every code sample.
 */
import { validateItem, type AttributeValue, type Item } from '../../shared/attributeValues.ts';
import { checkNumber } from '../../shared/dynamoNumbers.ts';
import { attributeType, keyNamesOf, type TableDescription } from '../items/tableSchema.ts';
import { conditionOf, parseTypedValue, Placeholders, QueryFormError, toAttributeValue, type FilterRow, type ValueType } from '../query/queryModel.ts';

export type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
export type ActionKind = WriteKind | 'Get';
export type TransactionMode = 'write' | 'get';

export const WRITE_KINDS: readonly WriteKind[] = ['Put', 'Update', 'Delete', 'ConditionCheck'];

/** One clause of an update: SET a = value, REMOVE a, or ADD a value (numbers). */
export interface UpdateRow {
  action: 'SET' | 'REMOVE' | 'ADD';
  attribute: string;
  type: ValueType;
  value: string;
}

/**
 * Expressions as written elsewhere (a request from the history): used as they are, in place of
 * the update and condition rows, which cannot express everything an expression can.
 */
export interface WrittenExpressions {
  update?: string;
  condition?: string;
  projection?: string;
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
}

export interface ActionForm {
  /** Stable id for the UI: reasons and problems are matched to the action through it. */
  id: string;
  kind: ActionKind;
  tableName: string;
  /** Key values as typed, by key attribute name (a Put takes its key from the item). */
  key: Record<string, string>;
  /** Put: the item as DynamoDB JSON text. */
  itemText: string;
  updates: UpdateRow[];
  conditions: FilterRow[];
  /** ReturnValuesOnConditionCheckFailure: ALL_OLD. */
  returnOldOnFailure: boolean;
  /** Get: comma-separated attribute names; empty returns whole items. */
  projection: string;
  /** When set, these expressions are sent instead of the rows and the projection field. */
  written?: WrittenExpressions;
}

export interface TransactionForm {
  mode: TransactionMode;
  actions: ActionForm[];
  /** ClientRequestToken (writes only); empty sends none. */
  token: string;
}

export const MAX_ACTIONS = 100;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

let nextId = 0;
export function newActionId(): string {
  return `action-${++nextId}`;
}

export function emptyAction(kind: ActionKind, tableName = ''): ActionForm {
  return { id: newActionId(), kind, tableName, key: {}, itemText: '{\n  \n}', updates: [], conditions: [], returnOldOnFailure: false, projection: '' };
}

export function emptyUpdate(): UpdateRow {
  return { action: 'SET', attribute: '', type: 'S', value: '' };
}

/** Key text fields from an item's key attributes (for "Add to transaction" from a grid row). */
export function keyFields(item: Item, table: TableDescription): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { AttributeName } of table.KeySchema) {
    const value = item[AttributeName] as Record<string, unknown> | undefined;
    const text = value && (value.S ?? value.N ?? value.B);
    if (typeof text === 'string') fields[AttributeName] = text;
  }
  return fields;
}

export interface BuiltTransaction {
  /** TransactWriteItems or TransactGetItems, in DynamoDB's wire shape; absent while there are problems. */
  operation: 'TransactWriteItems' | 'TransactGetItems';
  input?: Record<string, unknown>;
  /** Problems with the request as a whole (too many actions, too big). */
  problems: string[];
  /** Problems by action id, in the service's words where the service has words for them. */
  actionProblems: Record<string, string[]>;
}

/**
 * Checks the form against the tables' schemas and builds the request. Nothing is thrown: every
 * problem found is reported where it belongs, so the user sees all of them at once.
 */
export function buildTransaction(form: TransactionForm, tables: Record<string, TableDescription | undefined>): BuiltTransaction {
  const operation = form.mode === 'write' ? 'TransactWriteItems' : 'TransactGetItems';
  const problems: string[] = [];
  const actionProblems: Record<string, string[]> = {};
  const report = (id: string, message: string) => (actionProblems[id] ??= []).push(message);

  if (form.actions.length === 0) problems.push('Add at least one action.');
  if (form.actions.length > MAX_ACTIONS) {
    problems.push(`1 validation error detected: Value '[…]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ACTIONS}`);
  }

  const items: Record<string, unknown>[] = [];
  const seen = new Map<string, string>();
  let bytes = 0;
  form.actions.forEach((action, index) => {
    const table = tables[action.tableName];
    if (!action.tableName) return report(action.id, 'Choose a table.');
    if (!table) return report(action.id, `Requested resource not found: Table: ${action.tableName} not found`);
    try {
      const { request, key, size } = buildAction(action, table, index);
      bytes += size;
      const identity = `${action.tableName}\u0000${JSON.stringify(table.KeySchema.map((k) => key[k.AttributeName]))}`;
      if (seen.has(identity)) report(action.id, 'Transaction request cannot include multiple operations on one item');
      else seen.set(identity, action.id);
      items.push({ [action.kind]: request });
    } catch (error) {
      if (!(error instanceof QueryFormError)) throw error;
      report(action.id, error.message);
    }
  });
  if (bytes > MAX_TRANSACTION_BYTES) problems.push('Transaction request size exceeds the maximum allowed size of 4 MB');

  const ok = problems.length === 0 && Object.keys(actionProblems).length === 0;
  if (!ok) return { operation, problems, actionProblems };
  const input: Record<string, unknown> = { TransactItems: items, ReturnConsumedCapacity: 'TOTAL' };
  if (form.mode === 'write' && form.token.trim()) input.ClientRequestToken = form.token.trim();
  return { operation, input, problems, actionProblems };
}

/** One action's request member, its primary key and its size toward the 4 MB limit. */
function buildAction(action: ActionForm, table: TableDescription, index: number): { request: Record<string, unknown>; key: Item; size: number } {
  const member = `transactItems.${index + 1}.member.${lowerFirst(action.kind)}`;
  const request: Record<string, unknown> = { TableName: action.tableName };
  const p = new Placeholders();
  let key: Item;
  let size: number;
  if (action.kind === 'Put') {
    const item = parseItem(action.itemText);
    key = putKey(item, table);
    request.Item = item;
    size = itemBytes(item);
  } else {
    key = typedKey(action.key, table);
    request.Key = key;
    size = itemBytes(key);
  }

  if (action.written) {
    const onFailure = action.returnOldOnFailure && action.kind !== 'Get' ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } : {};
    return { request: { ...request, ...writtenMembers(action.written), ...onFailure }, key, size };
  }

  if (action.kind === 'Update') {
    const keyNames = table.KeySchema.map((k) => k.AttributeName);
    const clauses: Record<UpdateRow['action'], string[]> = { SET: [], REMOVE: [], ADD: [] };
    for (const row of action.updates) {
      const name = row.attribute.trim();
      if (!name) continue;
      if (keyNames.includes(name)) throw new QueryFormError(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
      const alias = p.name(name);
      if (row.action === 'REMOVE') clauses.REMOVE.push(alias);
      else if (row.action === 'SET') clauses.SET.push(`${alias} = ${p.value(parseTypedValue(row.type, row.value, name))}`);
      else clauses.ADD.push(`${alias} ${p.value(parseTypedValue('N', row.value, name))}`);
    }
    const expression = (Object.keys(clauses) as UpdateRow['action'][])
      .filter((clause) => clauses[clause].length)
      .map((clause) => `${clause} ${clauses[clause].join(', ')}`)
      .join(' ');
    if (!expression) throw new QueryFormError(`1 validation error detected: Value null at '${member}.updateExpression' failed to satisfy constraint: Member must not be null`);
    request.UpdateExpression = expression;
  }

  if (action.kind === 'Get') {
    const projection = action.projection
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (projection.length) request.ProjectionExpression = projection.map((name) => p.name(name)).join(', ');
  } else {
    const conditions: string[] = [];
    for (const row of action.conditions) {
      const condition = conditionOf(row);
      if (condition) conditions.push(p.condition(condition));
    }
    if (conditions.length) request.ConditionExpression = conditions.join(' AND ');
    else if (action.kind === 'ConditionCheck') {
      throw new QueryFormError(`1 validation error detected: Value null at '${member}.conditionExpression' failed to satisfy constraint: Member must not be null`);
    }
    if (action.returnOldOnFailure) request.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
  }

  if (Object.keys(p.names).length) request.ExpressionAttributeNames = p.names;
  if (Object.keys(p.values).length) request.ExpressionAttributeValues = Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, toAttributeValue(v)]));
  return { request, key, size };
}

function writtenMembers(written: WrittenExpressions): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  if (written.update) members.UpdateExpression = written.update;
  if (written.condition) members.ConditionExpression = written.condition;
  if (written.projection) members.ProjectionExpression = written.projection;
  if (written.names && Object.keys(written.names).length) members.ExpressionAttributeNames = written.names;
  if (written.values && Object.keys(written.values).length) members.ExpressionAttributeValues = written.values;
  return members;
}

/**
 * The form for a TransactWriteItems or TransactGetItems request as it was sent (from the history):
 * keys and items as typed values, expressions kept as written.
 */
export function formFromRequest(operation: string, input: Record<string, unknown>): TransactionForm {
  const mode: TransactionMode = operation === 'TransactGetItems' ? 'get' : 'write';
  const actions = ((input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]).map((entry): ActionForm => {
    const [kind, request] = Object.entries(entry)[0] as [ActionKind, Record<string, unknown>];
    const action = emptyAction(kind, String(request.TableName ?? ''));
    if (kind === 'Put') action.itemText = JSON.stringify(request.Item ?? {}, null, 2);
    for (const [name, value] of Object.entries((request.Key ?? {}) as Item)) {
      const text = (value as Record<string, unknown>).S ?? (value as Record<string, unknown>).N ?? (value as Record<string, unknown>).B;
      if (typeof text === 'string') action.key[name] = text;
    }
    action.returnOldOnFailure = request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
    const written: WrittenExpressions = {
      ...(typeof request.UpdateExpression === 'string' ? { update: request.UpdateExpression } : {}),
      ...(typeof request.ConditionExpression === 'string' ? { condition: request.ConditionExpression } : {}),
      ...(typeof request.ProjectionExpression === 'string' ? { projection: request.ProjectionExpression } : {}),
      ...(request.ExpressionAttributeNames ? { names: request.ExpressionAttributeNames as Record<string, string> } : {}),
      ...(request.ExpressionAttributeValues ? { values: request.ExpressionAttributeValues as Record<string, AttributeValue> } : {}),
    };
    if (Object.keys(written).length) action.written = written;
    return action;
  });
  return { mode, actions, token: typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : '' };
}

function parseItem(text: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new QueryFormError(`The item is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new QueryFormError('The item must be a JSON object of attributes in DynamoDB JSON');
  try {
    validateItem(parsed);
  } catch (error) {
    throw new QueryFormError((error as Error).message);
  }
  return parsed;
}

/** A Put item's key, checked against the table's key schema with DynamoDB's messages. */
function putKey(item: Item, table: TableDescription): Item {
  const key: Item = {};
  for (const { AttributeName: name } of table.KeySchema) {
    const value = item[name];
    const expected = attributeType(table, name);
    if (!value) throw new QueryFormError(`One or more parameter values were invalid: Missing the key ${name} in the item`);
    const actual = Object.keys(value)[0];
    if (actual !== expected) throw new QueryFormError(`One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${actual}`);
    checkKeyValue(name, value);
    key[name] = value;
  }
  return key;
}

/** The typed key fields as a Key, in the table's declared types. */
function typedKey(fields: Record<string, string>, table: TableDescription): Item {
  const { partition, sort } = keyNamesOf(table.KeySchema);
  const key: Item = {};
  for (const name of sort ? [partition, sort] : [partition]) {
    const type = attributeType(table, name);
    const text = fields[name] ?? '';
    let value: AttributeValue;
    if (type === 'N') {
      // Stored form ("1.0" is 1): the same item written two ways is still one item.
      const number = checkNumber(text.trim());
      if ('error' in number) throw new QueryFormError(number.error);
      value = { N: number.value };
    } else value = type === 'B' ? { B: text.trim() } : { S: text };
    checkKeyValue(name, value);
    key[name] = value;
  }
  return key;
}

function checkKeyValue(name: string, value: AttributeValue): void {
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    const kind = 'S' in value ? 'string' : 'binary';
    throw new QueryFormError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`);
  }
}

function lowerFirst(s: string): string {
  return s[0]!.toLowerCase() + s.slice(1);
}

const utf8 = new TextEncoder();

/** Bytes by DynamoDB's item-size rules (names plus values), for the 4 MB transaction limit. */
export function itemBytes(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8.encode(name).length + valueBytes(item[name]!);
  return size;
}

function valueBytes(value: AttributeValue): number {
  if ('S' in value) return utf8.encode(value.S).length;
  if ('N' in value) return numberBytes(value.N);
  if ('B' in value) return base64Bytes(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8.encode(s).length, 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + base64Bytes(b), 0);
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  let size = 3;
  for (const [name, inner] of Object.entries(value.M)) size += 1 + utf8.encode(name).length + valueBytes(inner);
  return size;
}

/** Significant digits, two to a byte, plus one. */
function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}

function base64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length * 3) / 4 - padding;
}
