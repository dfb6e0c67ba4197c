/** Key and item checks shared by every item operation, with DynamoDB's messages. */
import type { TableHandle } from '../database.ts';
import { validationError, type DynamoDbError } from '../errors.ts';
import { keyValueBytes, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES, type KeyShape } from '../tableModel.ts';
import type { AttributeValue, Item, ScalarKeyType } from '../types.ts';
import { MAX_ITEM_SIZE, itemSize, validateAttributeValue } from '../values.ts';
import { vectorHashKeyAttributes, vectorWriteError } from '../vectors.ts';

export const INVALID_PARAMETERS = 'One or more parameter values were invalid: ';
const invalid = (text: string) => validationError(INVALID_PARAMETERS + text);

/** Validates and normalises every attribute value of a map (Item, Key, ExpressionAttributeValues). */
export function validateAttributeMap(map: Record<string, unknown> | undefined): void {
  if (!map) return;
  for (const name in map) {
    const message = validateAttributeValue(map[name] as Record<string, unknown>);
    if (message) throw validationError(message);
  }
}

function checkKeyPiece(value: AttributeValue, name: string, isHash: boolean): void {
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    // Worded "are not valid." (not "were invalid:") on every surface: PutItem, UpdateItem,
    // DeleteItem, GetItem, BatchGetItem, BatchWriteItem and TransactWriteItems, string or binary.
    const kind = 'S' in value ? 'string' : 'binary';
    throw validationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`);
  }
  const bytes = keyValueBytes(value);
  if (isHash && bytes > MAX_PARTITION_KEY_BYTES) throw invalid('Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (!isHash && bytes > MAX_SORT_KEY_BYTES) throw invalid('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

/** A Key parameter must name exactly the table's key attributes with their defined types. */
export function checkKey(key: Item, shape: KeyShape): void {
  const mismatch = keySchemaMismatch(key, shape);
  if (mismatch) throw validationError(mismatch);
  checkKeyValues(key, shape);
}

/**
 * The schema half of checkKey: DynamoDB's message when the Key does not name exactly the table's
 * key attributes with their types. TransactWriteItems and TransactGetItems report this one as the
 * action's cancellation reason, where an empty or oversized key value fails the whole request.
 */
export function keySchemaMismatch(key: Item, shape: KeyShape): string | undefined {
  if (Object.keys(key).length !== shape.hashKeys.length + shape.rangeKeys.length) return 'The provided key element does not match the schema';
  for (const name of shape.hashKeys) if (!key[name] || !(shape.types[name] in key[name])) return 'The provided key element does not match the schema';
  for (const name of shape.rangeKeys) if (!key[name] || !(shape.types[name] in key[name])) return 'The provided key element does not match the schema';
  return undefined;
}

/** The value half of checkKey, for a key whose schema matches: no empty values, sizes in bounds. */
export function checkKeyValues(key: Item, shape: KeyShape): void {
  for (const name of shape.hashKeys) checkKeyPiece(key[name], name, true);
  for (const name of shape.rangeKeys) checkKeyPiece(key[name], name, false);
}

/**
 * How an item reached its write: whole (PutItem, BatchWriteItem, a transaction's Put) or through
 * an update expression. The service words an empty secondary-index key value differently for each.
 */
export type WrittenBy = 'item' | 'update';

/** An item written to a table must carry its key attributes with the right types. */
export function checkItemKeys(item: Item, table: TableHandle, writtenBy: WrittenBy = 'item'): void {
  const mismatch = itemKeySchemaMismatch(item, table.shape);
  if (mismatch) throw invalid(mismatch);
  checkItemKeyValues(item, table, writtenBy);
}

/** The schema half of checkItemKeys (without its "One or more parameter values were invalid: "). */
export function itemKeySchemaMismatch(item: Item, shape: KeyShape): string | undefined {
  for (const name of shape.hashKeys) {
    const mismatch = itemKeyMismatch(item, shape, name);
    if (mismatch) return mismatch;
  }
  for (const name of shape.rangeKeys) {
    const mismatch = itemKeyMismatch(item, shape, name);
    if (mismatch) return mismatch;
  }
  return undefined;
}

function itemKeyMismatch(item: Item, shape: KeyShape, name: string): string | undefined {
  const value = item[name];
  if (value === undefined) return `Missing the key ${name} in the item`;
  const expected = shape.types[name];
  if (!(expected in value)) return `Type mismatch for key ${name} expected: ${expected} actual: ${Object.keys(value)[0]}`;
  return undefined;
}

/** The value half of checkItemKeys, for an item whose key schema matches, and its index keys' values. */
export function checkItemKeyValues(item: Item, table: TableHandle, writtenBy: WrittenBy = 'item'): void {
  checkKeyValues(item, table.shape);
  checkIndexKeysNotEmpty(item, table, writtenBy);
  const mismatch = indexValueMismatch(item, table);
  if (mismatch) throw validationError(mismatch);
}

interface IndexKeyAttribute {
  indexName: string;
  name: string;
  type: ScalarKeyType;
  /** Part of the index's partition key (else its sort key). */
  partition: boolean;
}

const indexKeyAttributesByTable = new WeakMap<TableHandle, IndexKeyAttribute[]>();

/**
 * Every secondary-index key attribute, indexes in name order and each index's partition
 * attributes before its sort attributes: a value several indexes key on is reported against the
 * alphabetically first of them (an attribute keying gsi1 and lsi1 is reported as gsi1's; real
 * DynamoDB, four regions, 2026-06-23, paritysuite dynamodb-conformance tier3/error-messages).
 */
function indexKeyAttributes(table: TableHandle): IndexKeyAttribute[] {
  let attributes = indexKeyAttributesByTable.get(table);
  if (!attributes) {
    const indexes = [...table.indexes].sort((a, b) => (a.record.IndexName < b.record.IndexName ? -1 : a.record.IndexName > b.record.IndexName ? 1 : 0));
    attributes = indexes.flatMap((index) => {
      const attribute = (name: string, partition: boolean) => ({ indexName: index.record.IndexName, name, type: index.shape.types[name], partition });
      return [...index.shape.hashKeys.map((name) => attribute(name, true)), ...index.shape.rangeKeys.map((name) => attribute(name, false))];
    });
    indexKeyAttributesByTable.set(table, attributes);
  }
  return attributes;
}

/**
 * An index key attribute of its defined type may not be an empty string or binary. The service
 * finds these before any other index check (and, in a transaction, before the actions run: a
 * top-level error, not a cancellation reason). Captured in four regions (2026-06-23):
 *   PutItem {gsik: {S: ""}}  -> One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: gsik
 *   UpdateItem SET gsik = :e -> One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.
 */
export function checkIndexKeysNotEmpty(item: Item, table: TableHandle, writtenBy: WrittenBy): void {
  // A vector index's search-schema HASH attribute is refused empty in the same words (captured
  // eu-west-2 and us-east-1, 2026-08-11 to 08-13; nubo-db/dynoxide src/actions/vector_index.rs).
  const attributes = table.vectorIndexes.length === 0
    ? indexKeyAttributes(table)
    : [...indexKeyAttributes(table), ...vectorHashKeyAttributes(table.record.vectorIndexes ?? [], table.record.AttributeDefinitions)];
  for (const { indexName, name, type } of attributes) {
    const value = item[name] as Record<string, unknown> | undefined;
    if (value?.[type] !== '' || type === 'N') continue;
    const kind = type === 'S' ? 'string' : 'binary';
    const error = validationError(
      writtenBy === 'item'
        ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${indexName}, IndexKey: ${name}`
        : `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value.`,
    );
    wholeRequestRefusals.add(error);
    throw error;
  }
}

const wholeRequestRefusals = new WeakSet<DynamoDbError>();

/** Whether a failure found while a transaction's action runs refuses the whole request rather than cancelling the action. */
export function refusesWholeRequest(error: DynamoDbError): boolean {
  return wholeRequestRefusals.has(error);
}

/**
 * The service's message for the first index key attribute of another type than its definition, or
 * undefined. In a transaction this one is the action's ValidationError reason.
 */
export function indexKeyTypeMismatch(item: Item, table: TableHandle): string | undefined {
  for (const { indexName, name, type } of indexKeyAttributes(table)) {
    const value = item[name];
    if (value === undefined || type in value) continue;
    return `${INVALID_PARAMETERS}Type mismatch for Index Key ${name} Expected: ${type} Actual: ${Object.keys(value)[0]} IndexName: ${indexName}`;
  }
  return indexKeyTooLong(item, indexKeyAttributes(table));
}

/**
 * The service's message for the first index key value longer than an index key may be (2,048
 * bytes in a partition key, 1,024 in a sort key), or undefined. Real DynamoDB, as users met it:
 *   One or more parameter values were invalid: Size limit exceeded for Index Key componentId Actual Size: 2175 bytes Max Size: 2048 bytes IndexName: work-sets-index
 * (a sort key's in the same words with its own maximum).
 */
function indexKeyTooLong(item: Item, attributes: readonly IndexKeyAttribute[]): string | undefined {
  for (const { indexName, name, type, partition } of attributes) {
    const value = item[name];
    if (value === undefined || !(type in value)) continue;
    const bytes = keyValueBytes(value);
    const max = partition ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES;
    if (bytes > max) return `${INVALID_PARAMETERS}Size limit exceeded for Index Key ${name} Actual Size: ${bytes} bytes Max Size: ${max} bytes IndexName: ${indexName}`;
  }
  return undefined;
}

/**
 * indexKeyTypeMismatch, then the vector indexes' checks (vectors.ts): the first message either
 * gives. In a transaction it is the action's ValidationError reason.
 */
export function indexValueMismatch(item: Item, table: TableHandle): string | undefined {
  const mismatch = indexKeyTypeMismatch(item, table);
  if (mismatch || table.vectorIndexes.length === 0) return mismatch;
  const indexes = table.record.vectorIndexes ?? [];
  const definitions = table.record.AttributeDefinitions;
  // A search schema's HASH attribute partitions its index as a partition key does.
  return vectorWriteError(item, indexes, definitions) ?? indexKeyTooLong(item, vectorHashKeyAttributes(indexes, definitions).map((a) => ({ ...a, partition: true })));
}

export function keyOf(item: Item, shape: KeyShape): Item {
  const key: Item = {};
  for (const name of shape.hashKeys) key[name] = item[name];
  for (const name of shape.rangeKeys) key[name] = item[name];
  return key;
}

export function checkItemSize(item: Item, message = 'Item size has exceeded the maximum allowed size'): number {
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validationError(message);
  return size;
}

/** "Can not use both expression and non-expression parameters" with DynamoDB's listing. */
export function checkExpressionMixing(data: Record<string, unknown>, expressions: string[], legacy: string[]): void {
  const usedExpressions = expressions.filter((p) => data[p] != null);
  if (usedExpressions.length === 0) return;
  const usedLegacy = legacy.filter((p) => data[p] != null);
  if (usedLegacy.length > 0) {
    throw validationError(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpressions.join(', ')}}`,
    );
  }
}
