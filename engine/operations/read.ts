/**
 * Query and Scan: key-range reads over a table or an index, with DynamoDB's paging (a page ends
 * after Limit items evaluated or 1 MB read, before the filter), Count/ScannedCount, Select,
 * LastEvaluatedKey shaped as the service shapes it, and parallel-scan segments as disjoint
 * ranges of the partition-key hash.
 */
import { Database, decodeItemValue, indexEntryKey, storedItemJson, encodePartition, itemStorageKey, partitionPrefix, storedItemSize, type TableHandle } from '../database.ts';
import { validationError } from '../errors.ts';
import { evaluateCondition, projectItem, resolveKeyCondition, type CompiledExpressions, type Condition, type KeyRange, type Operand } from '../expressions/index.ts';
import { encodeKeyValue, encodePrefix, HASH_SPACE, partitionHash, prefixEnd } from '../storage/keyCodec.ts';
import type { KeyShape } from '../tableModel.ts';
import type { Item } from '../types.ts';
import {
  ATTRIBUTES_TO_GET,
  ATTRIBUTE_MAP,
  CONDITIONAL_OPERATOR,
  CONDITIONS,
  EXPRESSION_ATTRIBUTE_NAMES,
  EXPRESSION_ATTRIBUTE_VALUES,
  INDEX_NAME,
  RETURN_CONSUMED_CAPACITY,
  ITEM_TABLE_NAME,
  validateItemRequest,
  type Member,
} from '../validation/schema.ts';
import { admit, charge, consumedCapacity, countContributor, readUnits } from './capacity.ts';
import { requireReadyTable, type OperationContext } from './context.ts';
import { compileRequestExpressions, RAW_RESPONSE } from './items.ts';
import { setOwn } from '../ownKeys.ts';
import { validateAttributeValue } from '../values.ts';

const MAX_PAGE_BYTES = 1024 * 1024;

const SELECT: Member = { type: 'String', enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] };

const QUERY: Record<string, Member> = {
  AttributesToGet: ATTRIBUTES_TO_GET,
  QueryFilter: CONDITIONS,
  ConditionalOperator: CONDITIONAL_OPERATOR,
  KeyConditions: CONDITIONS,
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  ExclusiveStartKey: ATTRIBUTE_MAP,
  TableName: ITEM_TABLE_NAME,
  IndexName: INDEX_NAME,
  Select: SELECT,
  Limit: { type: 'Integer', min: 1 },
  ConsistentRead: 'Boolean',
  ScanIndexForward: 'Boolean',
  ProjectionExpression: 'String',
  FilterExpression: 'String',
  KeyConditionExpression: 'String',
  ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
  ExpressionAttributeValues: EXPRESSION_ATTRIBUTE_VALUES,
};

const SCAN: Record<string, Member> = {
  AttributesToGet: ATTRIBUTES_TO_GET,
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  ExclusiveStartKey: ATTRIBUTE_MAP,
  TableName: ITEM_TABLE_NAME,
  IndexName: INDEX_NAME,
  Limit: { type: 'Integer', min: 1 },
  Select: SELECT,
  ScanFilter: CONDITIONS,
  ConditionalOperator: CONDITIONAL_OPERATOR,
  Segment: { type: 'Integer', min: 0, max: 999999 },
  TotalSegments: { type: 'Integer', min: 1, max: 1000000 },
  ConsistentRead: 'Boolean',
  ProjectionExpression: 'String',
  FilterExpression: 'String',
  ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
  ExpressionAttributeValues: EXPRESSION_ATTRIBUTE_VALUES,
};

/** What a read walks: the table's items, or one index's entries. */
interface ReadSource {
  table: TableHandle;
  index?: TableHandle['indexes'][number];
  shape: KeyShape;
  prefix: Buffer;
  /** Attributes that make up LastEvaluatedKey: table keys, then index keys. */
  startKeyNames: string[];
  /** Read full items from the table (LSI queried with ALL_ATTRIBUTES over a partial projection). */
  fetchFromTable: boolean;
}

function checkStartKeyValues(startKey: Record<string, unknown> | undefined): void {
  if (!startKey) return;
  for (const name in startKey) {
    const message = validateAttributeValue(startKey[name] as Record<string, unknown>);
    if (message) {
      const bare = /contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(message);
      throw validationError(bare ? message : 'The provided starting key is invalid: ' + message);
    }
  }
}

/**
 * Select rules that need no table: a projection goes only with SPECIFIC_ATTRIBUTES, and
 * SPECIFIC_ATTRIBUTES needs one; ALL_PROJECTED_ATTRIBUTES needs an index. Texts as captured from
 * the service: Query's carry the "1 validation error detected: " envelope, Scan's do not.
 */
function checkSelectParameters(data: Record<string, unknown>, compiled: CompiledExpressions, operation: 'Query' | 'Scan'): void {
  const select = data.Select as string | undefined;
  const envelope = operation === 'Query' ? '1 validation error detected: ' : '';
  if (select && select !== 'SPECIFIC_ATTRIBUTES' && compiled.projection !== undefined) {
    const parameter = data.AttributesToGet ? 'AttributesToGet' : 'ProjectionExpression';
    const what = select === 'COUNT' ? 'only the Count' : select;
    throw validationError(`${envelope}Cannot specify the ${parameter} when choosing to get ${what}`);
  }
  if (select === 'SPECIFIC_ATTRIBUTES' && compiled.projection === undefined) {
    throw validationError('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && data.IndexName === undefined) {
    throw validationError(`${envelope}ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName`);
  }
}

/** Select against the index read: true when an LSI must fetch full items from the table. */
function checkSelect(data: Record<string, unknown>, source: Omit<ReadSource, 'fetchFromTable'>): boolean {
  if (data.Select === 'ALL_ATTRIBUTES' && source.index && source.index.record.Projection.ProjectionType !== 'ALL') {
    if (source.index.record.kind === 'GSI') {
      throw validationError(
        `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${source.index.record.IndexName} because its projection type is not ALL`,
      );
    }
    return true;
  }
  return false;
}

function resolveSource(data: Record<string, unknown>, ctx: OperationContext): ReadSource {
  const table = requireReadyTable(ctx, data.TableName as string);
  const startKeyNames = [...table.shape.hashKeys, ...table.shape.rangeKeys];
  if (data.IndexName === undefined) {
    const base = { table, shape: table.shape, prefix: table.itemPrefix, startKeyNames };
    return { ...base, fetchFromTable: checkSelect(data, base) };
  }
  const index = table.index(data.IndexName as string);
  if (!index || index.record.IndexStatus === 'DELETING') {
    throw validationError(`The table does not have the specified index: ${data.IndexName as string}`);
  }
  if (index.record.kind === 'GSI' && data.ConsistentRead) {
    throw validationError('Consistent reads are not supported on global secondary indexes');
  }
  if (index.record.kind === 'GSI' && index.record.IndexStatus === 'CREATING' && index.record.Backfilling) {
    throw validationError(`Cannot read from backfilling global secondary index: ${index.record.IndexName}`);
  }
  for (const name of [...index.shape.hashKeys, ...index.shape.rangeKeys]) if (!startKeyNames.includes(name)) startKeyNames.push(name);
  const base = { table, index, shape: index.shape, prefix: index.prefix, startKeyNames };
  return { ...base, fetchFromTable: checkSelect(data, base) };
}

/** The storage key an ExclusiveStartKey names within a source (item key, or index entry key). */
function startKeyBytes(source: ReadSource, startKey: Item): Buffer {
  const tableKey = itemStorageKey(source.table, startKey);
  if (!source.index) return tableKey;
  return indexEntryKey(source, startKey, tableKey.subarray(source.table.itemPrefix.length + 4));
}

function checkStartKey(data: Record<string, unknown>, source: ReadSource, isScan: boolean): Item | undefined {
  const startKey = data.ExclusiveStartKey as Item | undefined;
  if (!startKey) return undefined;
  if (Object.keys(startKey).length !== source.startKeyNames.length) {
    throw validationError(
      isScan && !source.index ? 'The provided starting key is invalid: The provided key element does not match the schema' : 'The provided starting key is invalid',
    );
  }
  for (const name of source.startKeyNames) {
    const value = startKey[name];
    const type = source.table.shape.types[name] ?? source.shape.types[name];
    if (!value || !(type in value)) {
      throw validationError(
        source.index ? 'The provided starting key is invalid' : 'The provided starting key is invalid: The provided key element does not match the schema',
      );
    }
  }
  return startKey;
}

interface PageResult {
  items: Item[];
  count: number;
  scannedCount: number;
  bytesRead: number;
  lastKey?: Item;
  /** Items as stored JSON text, when the page is sent without parsing them. */
  rawItems?: string[];
}

/**
 * Walks entries in [start, end) (reverse when asked), evaluating up to `limit` and at most 1 MB,
 * applying filter and projection; returns the page and where it stopped.
 */
function readPage(
  db: Database,
  source: ReadSource,
  start: Buffer,
  end: Buffer,
  reverse: boolean,
  limit: number,
  compiled: CompiledExpressions,
  countOnly: boolean,
  /** Keep items as their stored JSON text (no filter, projection or table fetch to apply). */
  raw: boolean,
): PageResult {
  const items: Item[] = [];
  const rawItems: string[] = [];
  let scannedCount = 0;
  let count = 0;
  let bytesRead = 0;
  let last: Item | undefined;
  let lastValue: Buffer | undefined;
  let more = false;
  // Transient values: every value is used (or, for the last one, decoded) before this returns.
  for (const { value } of db.store.range(start, end, reverse, false, true)) {
    if (scannedCount >= limit || bytesRead >= MAX_PAGE_BYTES) {
      more = true;
      break;
    }
    scannedCount++;
    bytesRead += storedItemSize(value);
    if (raw) {
      // The page goes out as the stored JSON: nothing is parsed but the last item's keys.
      lastValue = value;
      count++;
      if (!countOnly) rawItems.push(storedItemJson(value));
      continue;
    }
    let item = decodeItemValue(value);
    last = item;
    if (source.fetchFromTable) {
      const full = db.getItem(source.table, item);
      if (full) item = decodeItemValue(full);
    }
    if (compiled.filter && !evaluateCondition(compiled.filter, item)) continue;
    count++;
    if (!countOnly) items.push(compiled.projection ? projectItem(item, compiled.projection) : item);
  }
  if (lastValue) last = decodeItemValue(lastValue);
  const result: PageResult = { items, count, scannedCount, bytesRead, rawItems: raw && !countOnly ? rawItems : undefined };
  // The service reports a LastEvaluatedKey when more may follow, and whenever the page filled up
  // to Limit even if nothing follows (clients then ask once more and get an empty page).
  if (last && (more || scannedCount >= limit)) {
    const key: Item = {};
    for (const name of source.startKeyNames) if (last[name] !== undefined) setOwn(key, name, last[name]);
    result.lastKey = key;
  }
  return result;
}

function buildOutput(ctx: OperationContext, data: Record<string, unknown>, source: ReadSource, page: PageResult, countOnly: boolean, partitionHash?: Buffer): Record<string, unknown> {
  const units = readUnits(page.bytesRead, data.ConsistentRead === true);
  const charged = source.index
    ? { table: 0, ...(source.index.record.kind === 'GSI' ? { gsis: { [source.index.record.IndexName]: units } } : { lsis: { [source.index.record.IndexName]: units } }) }
    : { table: units };
  charge(ctx, source.table, 'read', charged, partitionHash);
  const capacity = consumedCapacity(source.table.record.TableName, data.ReturnConsumedCapacity, charged);
  if (page.rawItems) {
    let body = `{"Items":[${page.rawItems.join(',')}],"Count":${page.count},"ScannedCount":${page.scannedCount}`;
    if (page.lastKey) body += `,"LastEvaluatedKey":${JSON.stringify(page.lastKey)}`;
    if (capacity) body += `,"ConsumedCapacity":${JSON.stringify(capacity)}`;
    const out: Record<string | symbol, unknown> = {};
    out[RAW_RESPONSE] = body + '}';
    return out as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  if (!countOnly) out.Items = page.items;
  out.Count = page.count;
  out.ScannedCount = page.scannedCount;
  if (page.lastKey) out.LastEvaluatedKey = page.lastKey;
  if (capacity) out.ConsumedCapacity = capacity;
  return out;
}

/** Top-level attribute names a condition reads (the first element of every path in it). */
function conditionAttributes(condition: Condition, into = new Set<string>()): Set<string> {
  const operand = (o: Operand): void => {
    switch (o.kind) {
      case 'path':
        into.add(o.path[0] as string);
        break;
      case 'size':
        operand(o.operand);
        break;
      case 'if_not_exists':
        into.add(o.path[0] as string);
        operand(o.fallback);
        break;
      case 'list_append':
        operand(o.first);
        operand(o.second);
        break;
      case 'arithmetic':
        operand(o.left);
        operand(o.right);
        break;
      case 'value':
        break;
    }
  };
  switch (condition.kind) {
    case 'compare':
      operand(condition.left);
      operand(condition.right);
      break;
    case 'between':
      [condition.operand, condition.low, condition.high].forEach(operand);
      break;
    case 'in':
      operand(condition.operand);
      condition.list.forEach(operand);
      break;
    case 'and':
    case 'or':
      conditionAttributes(condition.left, into);
      conditionAttributes(condition.right, into);
      break;
    case 'not':
      conditionAttributes(condition.condition, into);
      break;
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
      into.add(condition.path[0] as string);
      break;
    case 'begins_with':
      operand(condition.operand);
      operand(condition.prefix);
      break;
    case 'contains':
      operand(condition.operand);
      operand(condition.member);
      break;
  }
  return into;
}

/** Pages without filter, projection or table fetch can go out as stored JSON (HTTP callers only). */
function sendsRaw(ctx: OperationContext, compiled: CompiledExpressions, source: ReadSource): boolean {
  return ctx.rawResponses === true && !compiled.filter && !compiled.projection && !source.fetchFromTable;
}

/** Byte bounds of the sort-key condition within one partition. */
function sortRange(partitionStart: Buffer, range: KeyRange): { start: Buffer; end: Buffer } {
  return sortBounds(partitionStart, range) ?? { start: partitionStart, end: prefixEnd(partitionStart) };
}

function sortBounds(partitionStart: Buffer, range: KeyRange): { start: Buffer; end: Buffer } | undefined {
  const partitionEnd = prefixEnd(partitionStart);
  const sort = range.sort;
  if (!sort) return undefined;
  const at = (i: number) => Buffer.concat([partitionStart, encodeKeyValue(sort.values[i])]);
  switch (sort.op) {
    case '=':
      return { start: at(0), end: prefixEnd(at(0)) };
    case '<':
      return { start: partitionStart, end: at(0) };
    case '<=':
      return { start: partitionStart, end: prefixEnd(at(0)) };
    case '>':
      return { start: prefixEnd(at(0)), end: partitionEnd };
    case '>=':
      return { start: at(0), end: partitionEnd };
    case 'BETWEEN':
      return { start: at(0), end: prefixEnd(at(1)) };
    case 'BEGINS_WITH': {
      const prefix = Buffer.concat([partitionStart, encodePrefix(sort.values[0])]);
      return { start: prefix, end: prefixEnd(prefix) };
    }
  }
  return undefined;
}

export function query(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateItemRequest(input, QUERY);
  if (data.KeyConditions === undefined && data.KeyConditionExpression === undefined) {
    // Mixing checks come first; then this.
    compileRequestExpressions(data, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
    throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  checkStartKeyValues(data.ExclusiveStartKey as Record<string, unknown> | undefined);
  const compiled = compileRequestExpressions(
    data,
    ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
  );
  checkSelectParameters(data, compiled, 'Query');
  const source = resolveSource(data, ctx);
  if (!compiled.keyCondition) throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const range = resolveKeyCondition(compiled.keyCondition, {
    hashKeys: source.shape.hashKeys,
    rangeKeys: source.shape.rangeKeys,
    attributeTypes: source.shape.types,
  });
  if (compiled.filter) {
    // A query's filter may not name the key attributes of what it queries.
    const used = conditionAttributes(compiled.filter);
    const keyName = [...source.shape.hashKeys, ...source.shape.rangeKeys].find((name) => used.has(name));
    if (keyName) {
      throw validationError(`${data.QueryFilter ? 'QueryFilter' : 'Filter Expression'} can only contain non-primary key attributes: Primary key attribute: ${keyName}`);
    }
  }
  const startKey = checkStartKey(data, source, false);
  const partitionValues = range.partitionValues ?? [range.partitionValue];
  const partitionKey: Item = Object.fromEntries(source.shape.hashKeys.map((name, i) => [name, partitionValues[i]]));
  const pk = encodePartition(partitionKey, source.shape);
  let partitionStart = partitionPrefix(source.prefix, pk);
  // Multi-attribute sort keys: leading equality conditions narrow the range to a prefix.
  if (range.sortPrefix && range.sortPrefix.length > 0) {
    partitionStart = Buffer.concat([partitionStart, ...range.sortPrefix.map((v) => encodeKeyValue(v))]);
  }
  let { start, end } = sortRange(partitionStart, range);
  const reverse = data.ScanIndexForward === false;
  if (startKey) {
    const startPk = encodePartition(startKey, source.shape);
    if (!startPk.equals(pk)) {
      throw validationError(range.sort ? 'The query can return at most one row and cannot be restarted' : 'The provided starting key is outside query boundaries based on provided conditions');
    }
    const after = startKeyBytes(source, startKey);
    if (range.sort && (Buffer.compare(after, start) < 0 || Buffer.compare(after, end) >= 0)) {
      throw validationError('The provided starting key does not match the range key predicate');
    }
    if (reverse) {
      if (Buffer.compare(after, end) < 0) end = after;
    } else {
      const next = Buffer.concat([after, Buffer.from([0])]);
      if (Buffer.compare(next, start) > 0) start = next;
    }
  }
  const countOnly = data.Select === 'COUNT';
  const gsiName = source.index?.record.kind === 'GSI' ? source.index.record.IndexName : undefined;
  admit(ctx, source.table, 'read', gsiName, partitionKey);
  const page = readPage(ctx.db, source, start, end, reverse, (data.Limit as number | undefined) ?? Infinity, compiled, countOnly, sendsRaw(ctx, compiled, source));
  countContributor(ctx, source.table, partitionKey, false, gsiName);
  return buildOutput(ctx, data, source, page, countOnly, partitionStart.subarray(source.prefix.length, source.prefix.length + 4));
}

export function scan(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateItemRequest(input, SCAN);
  const compiled = compileRequestExpressions(data, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
  checkSelectParameters(data, compiled, 'Scan');
  checkStartKeyValues(data.ExclusiveStartKey as Record<string, unknown> | undefined);
  const segment = data.Segment as number | undefined;
  const total = data.TotalSegments as number | undefined;
  if (segment !== undefined && total === undefined) {
    throw validationError('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (total !== undefined) {
    if (segment === undefined) {
      throw validationError('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    }
    if (segment >= total) {
      throw validationError(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
    }
  }
  const source = resolveSource(data, ctx);
  const startKey = checkStartKey(data, source, true);
  // Segment i of n covers partition hashes [i * 2^32 / n, (i + 1) * 2^32 / n).
  const hashBytes = (h: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(Math.min(h, HASH_SPACE - 1), 0);
    return b;
  };
  let start = source.prefix;
  let end = prefixEnd(source.prefix);
  if (total !== undefined && total > 1) {
    const low = Math.ceil((HASH_SPACE * segment!) / total);
    const high = Math.ceil((HASH_SPACE * (segment! + 1)) / total);
    start = Buffer.concat([source.prefix, hashBytes(low)]);
    if (high < HASH_SPACE) end = Buffer.concat([source.prefix, hashBytes(high)]);
  }
  if (startKey) {
    const after = Buffer.concat([startKeyBytes(source, startKey), Buffer.from([0])]);
    if (Buffer.compare(after, start) < 0 || Buffer.compare(after, end) > 0) {
      throw validationError(`The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${total} Segment: ${segment}`);
    }
    start = after;
  }
  const countOnly = data.Select === 'COUNT';
  admit(ctx, source.table, 'read', source.index?.record.kind === 'GSI' ? source.index.record.IndexName : undefined);
  const page = readPage(ctx.db, source, start, end, false, (data.Limit as number | undefined) ?? Infinity, compiled, countOnly, sendsRaw(ctx, compiled, source));
  return buildOutput(ctx, data, source, page, countOnly);
}

