/** PutItem, GetItem, UpdateItem and DeleteItem. */
import type { TableHandle } from '../database.ts';
import { decodeItemValue, itemStorageKey, projectForIndex, storedItemJson, storedItemSize, type StagedWrite } from '../database.ts';
import { conditionalCheckFailed, inValidationEnvelope, validationError } from '../errors.ts';
import {
  applyUpdate,
  checkExpressionParams,
  compileExpressions,
  evaluateCondition,
  projectItem,
  updatedPaths,
  updatedTopLevelAttributes,
  type CompiledExpressions,
  type ExpressionName,
} from '../expressions/index.ts';
import { compileLegacy } from '../expressions/legacy.ts';
import { extractKey } from '../tableModel.ts';
import type { Item } from '../types.ts';
import { itemSize, valuesEqual } from '../values.ts';
import {
  ATTRIBUTES_TO_GET,
  CONDITIONAL_OPERATOR,
  EXPECTED,
  EXPRESSION_ATTRIBUTE_NAMES,
  EXPRESSION_ATTRIBUTE_VALUES,
  KEY,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  ITEM_TABLE_NAME,
  validateItemRequest,
  type Member,
} from '../validation/schema.ts';
import { admit, charge, consumedCapacity, countContributor, partitionHashOf, readUnits, writeUnits, type CapacityCharge } from './capacity.ts';
import { requireReadyTable, type OperationContext } from './context.ts';
import { checkExpressionMixing, checkItemKeys, checkItemSize, checkKey, keyOf, validateAttributeMap } from './keys.ts';

/** A response body already serialised (GetItem splices the stored JSON in without re-encoding). */
export const RAW_RESPONSE = Symbol('rawResponse');

/** PutItem's and DeleteItem's members, in the order the service reports failures; they differ in Item/Key. */
function conditionalWriteMembers(target: 'Item' | 'Key'): Record<string, Member> {
  return {
    ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
    TableName: ITEM_TABLE_NAME,
    [target]: KEY,
    ConditionalOperator: CONDITIONAL_OPERATOR,
    Expected: EXPECTED,
    ReturnValues: RETURN_VALUES,
    ReturnItemCollectionMetrics: RETURN_ITEM_COLLECTION_METRICS,
    ConditionExpression: 'String',
    ExpressionAttributeValues: EXPRESSION_ATTRIBUTE_VALUES,
    ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
    ReturnValuesOnConditionCheckFailure: RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  };
}

const PUT_ITEM = conditionalWriteMembers('Item');
const DELETE_ITEM = conditionalWriteMembers('Key');

const GET_ITEM: Record<string, Member> = {
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  AttributesToGet: ATTRIBUTES_TO_GET,
  TableName: ITEM_TABLE_NAME,
  Key: KEY,
  ConsistentRead: 'Boolean',
  ProjectionExpression: 'String',
  ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
};

// Key is reported after ReturnValues and ConditionalOperator: "returnConsumedCapacity, tableName,
// returnValues, key" (eu-west-2 and us-east-1, 2026-10-09, tier3/validation-ordering/updateItem).
const UPDATE_ITEM: Record<string, Member> = {
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  TableName: ITEM_TABLE_NAME,
  ConditionalOperator: CONDITIONAL_OPERATOR,
  Expected: EXPECTED,
  AttributeUpdates: {
    type: 'Map',
    valueTypeName: 'com.amazonaws.dynamodb.v20120810.AttributeValueUpdate',
    value: {
      type: 'Struct',
      name: 'AttributeValueUpdate',
      members: { Action: { type: 'String', enum: ['ADD', 'PUT', 'DELETE'] }, Value: 'AttributeValue' },
    },
  },
  ReturnValues: RETURN_VALUES,
  Key: KEY,
  ReturnItemCollectionMetrics: RETURN_ITEM_COLLECTION_METRICS,
  UpdateExpression: 'String',
  ConditionExpression: 'String',
  ExpressionAttributeValues: EXPRESSION_ATTRIBUTE_VALUES,
  ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
  ReturnValuesOnConditionCheckFailure: RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
};
const EXPRESSION_MEMBERS = ['ExpressionAttributeNames', 'ExpressionAttributeValues', 'ConditionExpression', 'UpdateExpression', 'ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];

/** Compiles a request's expressions, or its legacy parameters, into one form. */
export function compileRequestExpressions(
  data: Record<string, unknown>,
  expressionParams: string[],
  legacyParams: string[],
  nameNullExpressions = true,
): CompiledExpressions {
  // Most requests carry no expression at all: nothing to check or compile.
  if (!EXPRESSION_MEMBERS.some((m) => data[m] !== undefined) && !legacyParams.some((p) => data[p] !== undefined)) return {};
  checkExpressionParams(data, expressionParams, legacyParams, nameNullExpressions);
  const options = { expressions: expressionParams as ExpressionName[], nameNullExpressions };
  if (legacyParams.some((p) => data[p] != null)) return compileLegacy(data, options);
  return compileExpressions(data, options);
}

/**
 * Charges for a write: the table by the larger of old and new item, and each index by the change
 * to what it stores (its projected entry), as measured against real DynamoDB (eu-west-2, 2026-08;
 * paritysuite dynamodb-conformance tier1/putItem/indexConsumedCapacity, nubo-db/dynoxide
 * index_capacity.rs):
 *   entry added or removed          -> its own units
 *   entry rewritten under one key   -> the larger image's units; nothing if it is unchanged
 *   entry moved to another key      -> old units + new units (a delete and an insert)
 * An index the write leaves alone is not charged and not reported, not even as zero.
 */
export function writeCharge(table: TableHandle, staged: StagedWrite, newItem: Item | undefined, multiplier = 1): CapacityCharge {
  const charge: CapacityCharge = { table: writeUnits(Math.max(staged.oldSize, staged.newSize)) * multiplier };
  const oldItem = staged.oldItem;
  for (const index of table.indexes) {
    const oldKey = oldItem && extractKey(oldItem, index.shape);
    const newKey = newItem && extractKey(newItem, index.shape);
    const oldEntry = oldKey && projectForIndex(oldItem!, table, index);
    const newEntry = newKey && projectForIndex(newItem!, table, index);
    let units: number;
    if (!oldEntry && !newEntry) continue;
    if (!oldEntry || !newEntry) units = writeUnits(itemSize((oldEntry ?? newEntry)!));
    else if (!Object.keys(newKey!).every((k) => valuesEqual(newKey![k], oldKey![k]))) units = writeUnits(itemSize(oldEntry)) + writeUnits(itemSize(newEntry));
    else if (valuesEqual({ M: oldEntry }, { M: newEntry })) continue;
    else units = Math.max(writeUnits(itemSize(oldEntry)), writeUnits(itemSize(newEntry)));
    const bucket = index.record.kind === 'GSI' ? (charge.gsis ??= {}) : (charge.lsis ??= {});
    bucket[index.record.IndexName] = units * multiplier;
  }
  return charge;
}

function conditionFailure(data: Record<string, unknown>, oldItem: Item | undefined): never {
  throw conditionalCheckFailed(data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && oldItem ? oldItem : undefined);
}

function itemCollectionMetrics(table: TableHandle, data: Record<string, unknown>, key: Item, ctx: OperationContext): Record<string, unknown> | undefined {
  if (data.ReturnItemCollectionMetrics !== 'SIZE' || !table.hasLocalIndexes) return undefined;
  const hashKey = table.shape.hashKeys[0];
  const sizeGb = ctx.db.itemCollectionSizeBytes(table, key) / 1024 ** 3;
  return { ItemCollectionKey: { [hashKey]: key[hashKey] }, SizeEstimateRangeGB: [Math.floor(sizeGb), Math.ceil(sizeGb) || 1] };
}

function withCapacityAndMetrics(
  out: Record<string, unknown>,
  table: TableHandle,
  data: Record<string, unknown>,
  units: CapacityCharge,
  key: Item,
  ctx: OperationContext,
  storageKey?: Buffer,
): Record<string, unknown> {
  charge(ctx, table, 'write', units, partitionHashOf(table, key, storageKey));
  countContributor(ctx, table, key, false);
  const capacity = consumedCapacity(table.record.TableName, data.ReturnConsumedCapacity, units);
  if (capacity) out.ConsumedCapacity = capacity;
  const metrics = itemCollectionMetrics(table, data, key, ctx);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return out;
}

export async function putItem(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateItemRequest(input, PUT_ITEM);
  const compiled = compileItemWriteExpressions(data, ['ConditionExpression'], ['Expected'], data.Item as Record<string, unknown>, true);
  const item = data.Item as Item;
  const newSize = checkItemSize(item);
  const table = requireReadyTable(ctx, data.TableName as string);
  checkItemKeys(item, table);
  const key = keyOf(item, table.shape);
  admit(ctx, table, 'write', undefined, key);
  ctx.db.checkItemCollectionLimit(table, key, item);
  const wantOld = data.ReturnValues === 'ALL_OLD';
  const storageKey = itemStorageKey(table, key);
  const staged = await ctx.db.store.write((w) => {
    if (compiled.condition) {
      const raw = ctx.db.readForWrite(w, table, key, storageKey);
      const current = raw ? decodeItemValue(raw) : undefined;
      if (!evaluateCondition(compiled.condition, current)) conditionFailure(data, current);
      return ctx.db.stageItemChange(w, table, key, item, { oldRaw: raw ?? null, oldItem: current, wantOld, newSize, storageKey });
    }
    return ctx.db.stageItemChange(w, table, key, item, { wantOld, newSize, storageKey });
  });
  const out: Record<string, unknown> = {};
  if (wantOld && staged.oldItem) out.Attributes = staged.oldItem;
  return withCapacityAndMetrics(out, table, data, writeCharge(table, staged, item), key, ctx, storageKey);
}

/** PutItem and DeleteItem can only return the old item. */
function checkReturnValuesAllOldOrNone(data: Record<string, unknown>): void {
  if (data.ReturnValues && data.ReturnValues !== 'ALL_OLD' && data.ReturnValues !== 'NONE') {
    throw validationError('ReturnValues can only be ALL_OLD or NONE');
  }
}

/** Item-level requests validate their item/key values before expressions, as the service does. */
function compileRequestExpressionsForItem(
  data: Record<string, unknown>,
  expressionParams: string[],
  legacyParams: string[],
  values: Record<string, unknown> | undefined,
): CompiledExpressions {
  checkExpressionMixing(data, expressionParams, legacyParams);
  validateAttributeMap(values);
  return compileRequestExpressions(data, expressionParams, legacyParams);
}

/**
 * PutItem, UpdateItem and DeleteItem: the expression and legacy-condition checks, and ReturnValues,
 * are reported inside the "1 validation error detected: " envelope, and "ExpressionAttributeValues
 * can only be specified when using expressions" has no ": ConditionExpression is null" tail.
 * Captured for PutItem and DeleteItem in us-east-1 and eu-west-2 (2026-10-09, paritysuite
 * dynamodb-conformance tier3/error-messages), e.g.
 *   {"ConditionExpression": ""}          -> 1 validation error detected: Invalid ConditionExpression: The expression can not be empty;
 *   {"ReturnValues": "ALL_NEW"}          -> 1 validation error detected: ReturnValues can only be ALL_OLD or NONE
 *   {"Expected": {"a": {"Exists": true}}} -> 1 validation error detected: One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a
 * and for UpdateItem's undefined value in its ConditionExpression. Attribute-value errors (an empty
 * set, NULL false) stay bare, as most regions still send them, and so does the mixing of
 * expression and legacy parameters; key errors come after the table lookup and are bare.
 */
function compileItemWriteExpressions(
  data: Record<string, unknown>,
  expressionParams: string[],
  legacyParams: string[],
  values: Record<string, unknown> | undefined,
  returnValuesAllOldOrNone: boolean,
): CompiledExpressions {
  checkExpressionMixing(data, expressionParams, legacyParams);
  validateAttributeMap(values);
  try {
    const compiled = compileRequestExpressions(data, expressionParams, legacyParams, false);
    if (returnValuesAllOldOrNone) checkReturnValuesAllOldOrNone(data);
    return compiled;
  } catch (error) {
    throw inValidationEnvelope(error);
  }
}

export function getItem(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateItemRequest(input, GET_ITEM);
  const compiled = compileRequestExpressionsForItem(data, ['ProjectionExpression'], ['AttributesToGet'], data.Key as Record<string, unknown>);
  const table = requireReadyTable(ctx, data.TableName as string);
  const key = data.Key as Item;
  checkKey(key, table.shape);
  admit(ctx, table, 'read', undefined, key);
  const storageKey = itemStorageKey(table, key);
  const raw = ctx.db.store.get(storageKey);
  const units = { table: readUnits(raw ? storedItemSize(raw) : 0, data.ConsistentRead === true) };
  charge(ctx, table, 'read', units, storageKey.subarray(table.itemPrefix.length, table.itemPrefix.length + 4));
  countContributor(ctx, table, key, false);
  const capacity = consumedCapacity(table.record.TableName, data.ReturnConsumedCapacity, units);
  if (!raw) return capacity ? { ConsumedCapacity: capacity } : {};
  if (compiled.projection) {
    const out: Record<string, unknown> = { Item: projectItem(decodeItemValue(raw), compiled.projection) };
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  }
  const json = storedItemJson(raw);
  if (ctx.rawResponses) {
    // The HTTP endpoint sends the stored JSON as it is, without parsing and re-serialising it.
    const out: Record<string | symbol, unknown> = {};
    out[RAW_RESPONSE] = capacity ? `{"Item":${json},"ConsumedCapacity":${JSON.stringify(capacity)}}` : `{"Item":${json}}`;
    return out as Record<string, unknown>;
  }
  const out: Record<string, unknown> = { Item: JSON.parse(json) as Item };
  if (capacity) out.ConsumedCapacity = capacity;
  return out;
}

export async function deleteItem(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateItemRequest(input, DELETE_ITEM);
  const compiled = compileItemWriteExpressions(data, ['ConditionExpression'], ['Expected'], data.Key as Record<string, unknown>, true);
  const table = requireReadyTable(ctx, data.TableName as string);
  const key = data.Key as Item;
  checkKey(key, table.shape);
  admit(ctx, table, 'write', undefined, key);
  const storageKey = itemStorageKey(table, key);
  const staged = await ctx.db.store.write((w) => {
    const raw = ctx.db.readForWrite(w, table, key, storageKey);
    const current = raw && compiled.condition ? decodeItemValue(raw) : undefined;
    if (compiled.condition && !evaluateCondition(compiled.condition, current)) conditionFailure(data, current);
    return ctx.db.stageItemChange(w, table, key, undefined, { oldRaw: raw ?? null, oldItem: current, wantOld: data.ReturnValues === 'ALL_OLD', storageKey });
  });
  const out: Record<string, unknown> = {};
  if (data.ReturnValues === 'ALL_OLD' && staged.oldItem) out.Attributes = staged.oldItem;
  return withCapacityAndMetrics(out, table, data, writeCharge(table, staged, undefined), key, ctx, storageKey);
}

/** UPDATED_OLD / UPDATED_NEW: only the paths the update touched, as they were or are now. */
function updatedAttributes(item: Item | undefined, compiled: CompiledExpressions): Item | undefined {
  if (!item || !compiled.update) return undefined;
  const out = projectItem(item, updatedPaths(compiled.update));
  return Object.keys(out).length > 0 ? out : undefined;
}

export async function updateItem(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateItemRequest(input, UPDATE_ITEM);
  const compiled = compileItemWriteExpressions(
    data,
    ['UpdateExpression', 'ConditionExpression'],
    ['AttributeUpdates', 'Expected'],
    data.Key as Record<string, unknown>,
    false,
  );
  const table = requireReadyTable(ctx, data.TableName as string);
  const key = data.Key as Item;
  checkKey(key, table.shape);
  admit(ctx, table, 'write', undefined, key);
  const touched = compiled.update ? updatedTopLevelAttributes(compiled.update) : [];
  for (const name of [...table.shape.hashKeys, ...table.shape.rangeKeys]) {
    if (touched.includes(name)) {
      throw validationError(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
    }
  }
  const storageKey = itemStorageKey(table, key);
  const result = await ctx.db.store.write((w) => {
    const raw = ctx.db.readForWrite(w, table, key, storageKey);
    const current = raw ? decodeItemValue(raw) : undefined;
    if (compiled.condition && !evaluateCondition(compiled.condition, current)) conditionFailure(data, current);
    const base: Item = current ?? { ...key };
    const next = compiled.update ? applyUpdate(compiled.update, base) : base;
    const newSize = checkItemSize(next, 'Item size to update has exceeded the maximum allowed size');
    checkItemKeys(next, table, 'update');
    ctx.db.checkItemCollectionLimit(table, key, next);
    const staged = ctx.db.stageItemChange(w, table, key, next, { oldRaw: raw ?? null, oldItem: current, wantOld: true, newSize, storageKey });
    return { oldItem: current, newItem: next, staged };
  });
  const out: Record<string, unknown> = {};
  const { oldItem, newItem, staged } = result;
  let attributes: Item | undefined;
  switch (data.ReturnValues) {
    case 'ALL_OLD':
      attributes = oldItem;
      break;
    case 'ALL_NEW':
      attributes = newItem;
      break;
    case 'UPDATED_OLD':
      attributes = updatedAttributes(oldItem, compiled);
      break;
    case 'UPDATED_NEW':
      attributes = updatedAttributes(newItem, compiled);
      break;
  }
  if (attributes) out.Attributes = attributes;
  return withCapacityAndMetrics(out, table, data, writeCharge(table, staged, newItem), key, ctx, storageKey);
}
