/** BatchGetItem and BatchWriteItem. */
import { decodeItemValue, storedItemSize, type TableHandle } from '../database.ts';
import { validationError } from '../errors.ts';
import { projectItem, type CompiledExpressions } from '../expressions/index.ts';
import { encodeKeyValue } from '../storage/keyCodec.ts';
import type { Item } from '../types.ts';
import {
  ATTRIBUTES_TO_GET,
  EXPRESSION_ATTRIBUTE_NAMES,
  KEY,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  validateRequest,
  type Member,
} from '../validation/schema.ts';
import { charge, chargeWrites, consumedCapacity, readUnits } from './capacity.ts';
import { provisionedThroughputExceeded } from '../errors.ts';
import { requireReadyTable, type OperationContext } from './context.ts';
import { compileRequestExpressions, writeCharge } from './items.ts';
import { checkExpressionMixing, checkItemKeys, checkItemSize, checkKey, keyOf, validateAttributeMap } from './keys.ts';

const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;

const BATCH_GET: Record<string, Member> = {
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  // RequestItems' and Keys' lengths are checked in checkBatchGetRequestItems, in the newer wording.
  RequestItems: {
    type: 'Map',
    notNull: true,
    valueTypeName: 'com.amazonaws.dynamodb.v20120810.KeysAndAttributes',
    value: {
      type: 'Struct',
      name: 'KeysAndAttributes',
      members: {
        Keys: { type: 'List', notNull: true, member: KEY },
        AttributesToGet: ATTRIBUTES_TO_GET,
        ConsistentRead: 'Boolean',
        ProjectionExpression: 'String',
        ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
      },
    },
  },
};

const BATCH_WRITE: Record<string, Member> = {
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  ReturnItemCollectionMetrics: RETURN_ITEM_COLLECTION_METRICS,
  RequestItems: {
    type: 'Map',
    notNull: true,
    valueTypeName: 'java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>',
    value: {
      type: 'List',
      member: {
        type: 'Struct',
        name: 'WriteRequest',
        members: {
          DeleteRequest: { type: 'Struct', name: 'DeleteRequest', members: { Key: KEY } },
          PutRequest: { type: 'Struct', name: 'PutRequest', members: { Item: KEY } },
        },
      },
    },
  },
};

/**
 * The validation framework's newer wording, which names the member as sent and echoes no value;
 * real DynamoDB uses it for BatchGetItem's and BatchWriteItem's empty RequestItems and for
 * BatchGetItem's Keys (us-east-1 and eu-west-2, captured 2026-10 by paritysuite
 * dynamodb-conformance, tier3/error-messages/batchGetItem and batchWriteItem):
 *   {"RequestItems": {}}                -> Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1
 *   {"RequestItems": {"t": {"Keys": []}}} -> Value at 'RequestItems.t.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1
 */
function lengthFailure(path: string, length: number, min: number, max?: number): string | undefined {
  if (length < min) return `Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`;
  if (max !== undefined && length > max) return `Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;
  return undefined;
}

const TABLE_NAMES_CONSTRAINT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';

function throwErrors(errors: string[]): void {
  if (errors.length > 0) throw validationError(`${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
}

function hasBadTableName(requestItems: Record<string, unknown>): boolean {
  for (const name of Object.keys(requestItems)) {
    if (name.length < 3 || name.length > 255 || !TABLE_NAME_PATTERN.test(name)) return true;
  }
  return false;
}

/**
 * BatchGetItem's map checks. A malformed table name echoes the RequestItems map as JSON:
 *   Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [...]
 */
function checkBatchGetRequestItems(requestItems: Record<string, { Keys: unknown[] }>): void {
  const errors: string[] = [];
  const empty = lengthFailure('RequestItems', Object.keys(requestItems).length, 1);
  if (empty) throwErrors([empty]);
  if (hasBadTableName(requestItems)) errors.push(`Value '${JSON.stringify(requestItems)}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAMES_CONSTRAINT}`);
  for (const [name, request] of Object.entries(requestItems)) {
    const failure = lengthFailure(`RequestItems.${name}.member.Keys`, request.Keys.length, 1, 100);
    if (failure) errors.push(failure);
  }
  throwErrors(errors);
}

/**
 * BatchWriteItem's map checks. Table names and per-table list lengths are still reported in the
 * older form, echoing the map (recorded exactly for an empty list:
 * Value '{t=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [...]).
 */
function checkBatchWriteRequestItems(requestItems: Record<string, unknown[]>): void {
  const empty = lengthFailure('RequestItems', Object.keys(requestItems).length, 1);
  if (empty) throwErrors([empty]);
  const errors: string[] = [];
  if (hasBadTableName(requestItems)) errors.push(`Value '${describeMap(requestItems)}' at 'requestItems' failed to satisfy constraint: ${TABLE_NAMES_CONSTRAINT}`);
  for (const value of Object.values(requestItems)) {
    if (value.length < 1 || value.length > 25) {
      errors.push(
        `Value '${describeMap(requestItems)}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`,
      );
      break;
    }
  }
  throwErrors(errors);
}

/** The map as the service echoes it, {table=[...]}; each list is echoed whole, as the service does. */
function describeMap(map: Record<string, unknown>): string {
  return '{' + Object.keys(map).map((k) => `${k}=${JSON.stringify(map[k])}`).join(', ') + '}';
}

/** A canonical string of a key's values, for duplicate detection. */
function keyFingerprint(key: Item): string {
  return Object.keys(key)
    .sort()
    .map((name) => `${name}\u0000${encodeKeyValue(key[name]).toString('latin1')}`)
    .join('\u0001');
}

/** A BatchGetItem response stops growing at 16 MB; what does not fit comes back unprocessed. */
const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;

export function batchGetItem(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, BATCH_GET);
  const requestItems = data.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean } & Record<string, unknown>>;
  checkBatchGetRequestItems(requestItems);
  // Expression and legacy projections may not be mixed even across tables: each block alone
  // is consistent, yet the request is refused as a whole (paritysuite dynamodb-conformance
  // tier3/error-messages/batchGetItem, "mixing ProjectionExpression on one table and
  // AttributesToGet on another").
  const blocks = Object.values(requestItems);
  checkExpressionMixing(
    { ProjectionExpression: blocks.find((b) => b.ProjectionExpression != null)?.ProjectionExpression, AttributesToGet: blocks.find((b) => b.AttributesToGet != null)?.AttributesToGet },
    ['ProjectionExpression'],
    ['AttributesToGet'],
  );
  let total = 0;
  const compiled = new Map<string, CompiledExpressions>();
  for (const [tableName, request] of Object.entries(requestItems)) {
    compiled.set(tableName, compileRequestExpressions(request, ['ProjectionExpression'], ['AttributesToGet']));
    if (request.AttributesToGet) {
      const names = request.AttributesToGet as string[];
      const duplicate = names.find((n, i) => names.indexOf(n) !== i);
      if (duplicate) throw validationError(`One or more parameter values were invalid: Duplicate value in attribute name: ${duplicate}`);
    }
    const seen = new Set<string>();
    for (const key of request.Keys) {
      validateAttributeMap(key as Record<string, unknown>);
      const fingerprint = keyFingerprint(key);
      if (seen.has(fingerprint)) throw validationError('Provided list of item keys contains duplicates');
      seen.add(fingerprint);
      if (++total > 100) throw validationError('Too many items requested for the BatchGetItem call');
    }
  }
  const tables = new Map<string, TableHandle>();
  for (const [tableName, request] of Object.entries(requestItems)) {
    const table = requireReadyTable(ctx, tableName);
    tables.set(tableName, table);
    for (const key of request.Keys) checkKey(key, table.shape);
  }
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, { Keys: Item[] } & Record<string, unknown>> = {};
  const capacity: Record<string, unknown>[] = [];
  let bytes = 0;
  for (const [tableName, request] of Object.entries(requestItems)) {
    const table = tables.get(tableName)!;
    const projection = compiled.get(tableName)!.projection;
    const found: Item[] = [];
    let units = 0;
    for (const key of request.Keys) {
      if (bytes > MAX_BATCH_GET_BYTES) {
        const { Keys: _keys, ...rest } = request;
        (unprocessed[tableName] ??= { ...rest, Keys: [] }).Keys.push(key);
        continue;
      }
      const raw = ctx.db.getItem(table, key);
      units += readUnits(raw ? storedItemSize(raw) : 0, request.ConsistentRead === true);
      if (!raw) continue;
      bytes += storedItemSize(raw);
      const item = decodeItemValue(raw);
      found.push(projection ? projectItem(item, projection) : item);
    }
    responses[tableName] = found;
    charge(ctx, table, 'read', { table: units });
    const consumed = consumedCapacity(table.record.TableName, data.ReturnConsumedCapacity, { table: units });
    if (consumed) capacity.push(consumed);
  }
  const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
  if (capacity.length > 0) out.ConsumedCapacity = capacity;
  return out;
}

interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}

export async function batchWriteItem(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, BATCH_WRITE);
  const requestItems = data.RequestItems as Record<string, WriteRequest[]>;
  checkBatchWriteRequestItems(requestItems);
  // Item sizes measured during validation, reused by the write.
  const sizes = new Map<Item, number>();
  let total = 0;
  for (const requests of Object.values(requestItems)) {
    for (const request of requests) {
      const kinds = (request.PutRequest ? 1 : 0) + (request.DeleteRequest ? 1 : 0);
      if (kinds !== 1) {
        throw validationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      if (request.PutRequest) {
        validateAttributeMap(request.PutRequest.Item as Record<string, unknown>);
        sizes.set(request.PutRequest.Item, checkItemSize(request.PutRequest.Item));
      } else {
        validateAttributeMap(request.DeleteRequest!.Key as Record<string, unknown>);
      }
      total++;
    }
  }
  if (total > 25) throw validationError('Too many items requested for the BatchWriteItem call');

  const planned: { table: TableHandle; key: Item; item?: Item }[] = [];
  for (const [tableName, requests] of Object.entries(requestItems)) {
    const table = requireReadyTable(ctx, tableName);
    const seen = new Set<string>();
    for (const request of requests) {
      let key: Item;
      let item: Item | undefined;
      if (request.PutRequest) {
        item = request.PutRequest.Item;
        try {
          checkItemKeys(item, table);
        } catch (error) {
          // The batch reports key problems of a put in the words it uses for keys.
          const message = (error as Error).message;
          if (/Missing the key|Type mismatch for key/.test(message)) throw validationError('The provided key element does not match the schema');
          throw error;
        }
        key = keyOf(item, table.shape);
      } else {
        key = request.DeleteRequest!.Key;
        checkKey(key, table.shape);
      }
      const fingerprint = keyFingerprint(key);
      if (seen.has(fingerprint)) throw validationError('Provided list of item keys contains duplicates');
      seen.add(fingerprint);
      planned.push({ table, key, item });
    }
  }
  for (const { table, key, item } of planned) if (item) ctx.db.checkItemCollectionLimit(table, key, item);

  // With throttling emulation, writes to tables out of capacity come back unprocessed; when
  // nothing at all can be written, the whole call is throttled.
  const gsiNames = (table: TableHandle) => table.indexes.filter((i) => i.record.kind === 'GSI').map((i) => i.record.IndexName);
  const admitted = planned.filter(({ table }) => ctx.db.capacity.admits(table.record, 'write', gsiNames(table)));
  const unprocessedItems: Record<string, WriteRequest[]> = {};
  for (const entry of planned) {
    if (admitted.includes(entry)) continue;
    const request: WriteRequest = entry.item ? { PutRequest: { Item: entry.item } } : { DeleteRequest: { Key: entry.key } };
    (unprocessedItems[entry.table.record.TableName] ??= []).push(request);
  }
  if (admitted.length === 0) throw provisionedThroughputExceeded();

  const charges = await ctx.db.store.write((w) =>
    admitted.map(({ table, key, item }) => {
      const staged = ctx.db.stageItemChange(w, table, key, item, { newSize: item ? sizes.get(item) : undefined });
      return { table, key, charge: writeCharge(table, staged, item) };
    }),
  );
  const out: Record<string, unknown> = { UnprocessedItems: unprocessedItems };
  const capacity = chargeWrites(ctx, charges, data.ReturnConsumedCapacity);
  if (capacity.length > 0) out.ConsumedCapacity = capacity;
  if (data.ReturnItemCollectionMetrics === 'SIZE') out.ItemCollectionMetrics = {};
  return out;
}
