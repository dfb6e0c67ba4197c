/** Key and item checks shared by every item operation, with DynamoDB's messages. */
import type { TableHandle } from '../database.ts';
import { Database } from '../database.ts';
import { validationError } from '../errors.ts';
import type { KeyShape } from '../tableModel.ts';
import type { AttributeValue, Item } from '../types.ts';
import { MAX_ITEM_SIZE, itemSize, validateAttributeValue } from '../values.ts';

const invalid = (text: string) => validationError('One or more parameter values were invalid: ' + text);

/** Validates and normalises every attribute value of a map (Item, Key, ExpressionAttributeValues). */
export function validateAttributeMap(map: Record<string, unknown> | undefined): void {
  if (!map) return;
  for (const name in map) {
    const message = validateAttributeValue(map[name] as Record<string, unknown>);
    if (message) throw validationError(message);
  }
}

function keyPieceBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  return 0;
}

function checkKeyPiece(value: AttributeValue, name: string, isHash: boolean): void {
  if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
    // Worded "are not valid." (not "were invalid:") on every surface: PutItem, UpdateItem,
    // DeleteItem, GetItem, BatchGetItem, BatchWriteItem and TransactWriteItems, string or binary.
    const kind = 'S' in value ? 'string' : 'binary';
    throw validationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`);
  }
  const bytes = keyPieceBytes(value);
  if (isHash && bytes > 2048) throw invalid('Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (!isHash && bytes > 1024) throw invalid('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

/** A Key parameter must name exactly the table's key attributes with their defined types. */
export function checkKey(key: Item, shape: KeyShape): void {
  const names = [...shape.hashKeys, ...shape.rangeKeys];
  if (Object.keys(key).length !== names.length) throw validationError('The provided key element does not match the schema');
  shape.hashKeys.forEach((name) => checkKeyMember(key, shape, name, true));
  shape.rangeKeys.forEach((name) => checkKeyMember(key, shape, name, false));
}

function checkKeyMember(key: Item, shape: KeyShape, name: string, isHash: boolean): void {
  const value = key[name];
  if (!value || !(shape.types[name] in value)) throw validationError('The provided key element does not match the schema');
  checkKeyPiece(value, name, isHash);
}

/** An item written to a table must carry its key attributes with the right types. */
export function checkItemKeys(item: Item, table: TableHandle): void {
  const { shape } = table;
  const check = (name: string, isHash: boolean) => {
    const value = item[name];
    if (value === undefined) throw invalid(`Missing the key ${name} in the item`);
    const expected = shape.types[name];
    if (!(expected in value)) throw invalid(`Type mismatch for key ${name} expected: ${expected} actual: ${Object.keys(value)[0]}`);
    checkKeyPiece(value, name, isHash);
  };
  shape.hashKeys.forEach((n) => check(n, true));
  shape.rangeKeys.forEach((n) => check(n, false));
  Database.checkIndexKeyTypes(table, item);
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
