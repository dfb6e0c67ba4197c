/**
 * SearchVectors: the TopK entries of a vector index nearest a query vector. A small index is
 * searched exactly (every entry is scored, so results are the true nearest neighbours); a large one
 * is clustered in the background (vectorClustering.ts) and only the entries of the clusters nearest
 * the query are scored. Either way, the scores returned are the entries' exact scores.
 *
 * Order of checks and texts as measured against real DynamoDB (eu-west-2 and us-east-1,
 * 2026-08-11 to 08-13; nubo-db/dynoxide tests/search_vectors.rs):
 *   IndexName 'ab'          -> 1 validation error detected: Value at 'IndexName' failed to satisfy constraint: Member must have length greater than or equal to 3
 *   SearchVector []         -> 1 validation error detected: Value at 'SearchVector' failed to satisfy constraint: Member must have length greater than or equal to 1
 *   TopK 0                  -> 1 validation error detected: Value '0' at 'topK' failed to satisfy constraint: Member must have value greater than or equal to 1
 *   TopK 101                -> Provided TopK value '101' is out of valid range. The value must be between 1 and 100 inclusive
 *   element not a float32   -> Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute
 *   no such table           -> ResourceNotFoundException: Requested resource not found
 *   no such index           -> The table does not have the specified index: v
 *   wrong dimension count   -> Input search vector dimension 2 does not match vector index dimension 3
 *   tenant < :t             -> Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression
 *   attribute outside schema -> SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid attribute: a
 *   HASH not named          -> SearchConditionExpression must be provided when SearchSchema has a HASH key
 *   HASH value of type N    -> Type of 'tenant' attribute in SearchConditionExpression (N) does not match type in search schema (S)
 * The condition goes through the engine's expression compiler, so placeholders, reserved words and
 * syntax are refused as for any other expression ("Invalid SearchConditionExpression: ...").
 */
import { vectorPartitionStart, type ClusteredLayout, type TableHandle, type VectorSpace } from '../database.ts';
import { validationError } from '../errors.ts';
import { compileExpressions, evaluateCondition, projectItem, type Condition } from '../expressions/index.ts';
import { prefixEnd } from '../storage/keyCodec.ts';
import { clusterKeyBytes, clustersByNearness, probeCount } from '../vectorClusters.ts';
import type { AttributeValue } from '../types.ts';
import {
  EXPRESSION_ATTRIBUTE_NAMES,
  EXPRESSION_ATTRIBUTE_VALUES,
  INDEX_NAME,
  ITEM_TABLE_NAME,
  RETURN_CONSUMED_CAPACITY,
  validateRequest,
  type Member,
} from '../validation/schema.ts';
import { projectsVector, ranksBefore, vectorHashAttribute, vectorNorm, vectorScore, formatFloat32, decodeVectorEntryItem } from '../vectors.ts';
import { requireReadyTable, type OperationContext } from './context.ts';

export const MAX_TOP_K = 100;
/** The least a search is metered at. */
const MIN_SEARCH_BYTES = 1024;

const SEARCH_VECTORS: Record<string, Member> = {
  TableName: ITEM_TABLE_NAME,
  // The length floors of IndexName and SearchVector are checked apart: the service words them without the value.
  IndexName: { ...(INDEX_NAME as object), minLength: undefined, notNull: true } as Member,
  ReturnConsumedCapacity: RETURN_CONSUMED_CAPACITY,
  ExpressionAttributeNames: EXPRESSION_ATTRIBUTE_NAMES,
  ExpressionAttributeValues: EXPRESSION_ATTRIBUTE_VALUES,
  ProjectionExpression: 'String',
  SearchVector: { type: 'List', notNull: true, member: 'AttributeValue' },
  SearchConditionExpression: 'String',
  TopK: { type: 'Integer', notNull: true, min: 1 },
};

const invalidOperator = () => validationError('Invalid SearchConditionExpression: Invalid operator used in SearchConditionExpression');

/** The equality terms of a conjunction, or the service's refusal of any other shape. */
function equalityTerms(condition: Condition, out: { path: string[]; value: AttributeValue }[] = []): { path: string[]; value: AttributeValue }[] {
  if (condition.kind === 'and') {
    equalityTerms(condition.left, out);
    equalityTerms(condition.right, out);
    return out;
  }
  if (condition.kind !== 'compare') throw invalidOperator();
  if (condition.op !== '=') throw validationError('Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression');
  const { left, right } = condition;
  if (left.kind === 'path' && right.kind === 'value') out.push({ path: left.path as string[], value: right.value });
  else if (left.kind === 'value' && right.kind === 'path') out.push({ path: right.path as string[], value: left.value });
  else throw invalidOperator();
  return out;
}

/**
 * Checks the condition against the index's search schema; returns the HASH value the search is
 * confined to (undefined for an index without one).
 */
function checkSearchCondition(index: VectorSpace['record'], table: TableHandle, condition: Condition | undefined): AttributeValue | undefined {
  const hash = vectorHashAttribute(index);
  const terms = condition ? equalityTerms(condition) : [];
  for (const term of terms) {
    const name = term.path[0];
    if (!(index.SearchSchema ?? []).some((e) => e.AttributeName === name)) {
      throw validationError(`SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid attribute: ${name}`);
    }
  }
  if (!hash) return undefined;
  const hashTerm = terms.find((t) => t.path.length === 1 && t.path[0] === hash);
  if (!hashTerm) throw validationError('SearchConditionExpression must be provided when SearchSchema has a HASH key');
  const type = table.record.AttributeDefinitions.find((d) => d.AttributeName === hash)!.AttributeType;
  const actual = Object.keys(hashTerm.value)[0];
  if (actual !== type) throw validationError(`Type of '${hash}' attribute in SearchConditionExpression (${actual}) does not match type in search schema (${type})`);
  if ((type === 'S' || type === 'B') && (hashTerm.value as Record<string, string>)[type] === '') {
    const kind = type === 'S' ? 'string' : 'binary';
    throw validationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${hash}`);
  }
  return hashTerm.value;
}

/** The query vector as 32-bit floats, or the service's refusal. */
function queryVector(list: AttributeValue[]): Float32Array {
  const out = new Float32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    const n = 'N' in element ? Number(element.N) : NaN;
    if (!Number.isFinite(n) || Math.abs(n) > 3.4028234663852886e38) {
      throw validationError('Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute');
    }
    out[i] = n;
  }
  return out;
}

interface Candidate {
  score: number;
  value: Buffer;
}

export async function searchVectors(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, SEARCH_VECTORS);
  if ((data.IndexName as string).length < 3) {
    throw validationError("1 validation error detected: Value at 'IndexName' failed to satisfy constraint: Member must have length greater than or equal to 3");
  }
  if ((data.SearchVector as unknown[]).length === 0) {
    throw validationError("1 validation error detected: Value at 'SearchVector' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  const topK = data.TopK as number;
  if (topK > MAX_TOP_K) throw validationError(`Provided TopK value '${topK}' is out of valid range. The value must be between 1 and ${MAX_TOP_K} inclusive`);
  const query = queryVector(data.SearchVector as AttributeValue[]);

  const table = requireReadyTable(ctx, data.TableName as string);
  const indexName = data.IndexName as string;
  const index = table.vectorIndex(indexName);
  // An index still allocating its resources (CREATING, before its backfill starts) is not there yet;
  // one that is backfilling answers from the entries it has so far, as the service documents.
  const allocating = index && index.record.IndexStatus === 'CREATING' && index.record.Backfilling !== true;
  if (!index || allocating || index.record.IndexStatus === 'DELETING') {
    throw validationError(`The table does not have the specified index: ${indexName}`);
  }
  const definition = index.record;
  if (query.length !== definition.Dimensions) {
    throw validationError(`Input search vector dimension ${query.length} does not match vector index dimension ${definition.Dimensions}`);
  }
  const compiled = compileExpressions(data, { expressions: ['ProjectionExpression', 'SearchConditionExpression'] });
  const partition = checkSearchCondition(definition, table, compiled.searchCondition);
  // The HASH term is answered by the range itself; only other terms need the entry's attributes.
  const filter = compiled.searchCondition && (!partition || equalityTerms(compiled.searchCondition).length > 1) ? compiled.searchCondition : undefined;

  const best = nearest(ctx, index, query, topK, partition, filter);
  const vectorAttribute = definition.VectorAttribute.AttributeName;
  const returnVector = compiled.projection !== undefined && projectsVector(definition);
  let returnedBytes = 0;
  const results = best.map(({ score, value }) => {
    let item = decodeVectorEntryItem(value, definition.Dimensions);
    returnedBytes += value.length;
    if (compiled.projection) {
      if (returnVector) {
        const floats = new Float32Array(definition.Dimensions);
        new Uint8Array(floats.buffer).set(value.subarray(0, floats.byteLength));
        item = { ...item, [vectorAttribute]: { L: [...floats].map((f) => ({ N: formatFloat32(f) })) } };
      }
      item = projectItem(item, compiled.projection);
    }
    return { Item: item, Score: score };
  });
  const out: Record<string, unknown> = { SearchResults: results };
  const mode = data.ReturnConsumedCapacity as string | undefined;
  if (mode === 'TOTAL' || mode === 'INDEXES') {
    // Metered in bytes: the query vector and the entries returned, at least 1 KB (the service's
    // own formula also counts the part of its approximate index a search walks, left out here so
    // the figure does not depend on whether this index is clustered yet).
    out.ConsumedCapacity = { VectorSearchRequestBytes: Math.max(MIN_SEARCH_BYTES, 4 * definition.Dimensions + returnedBytes) };
  }
  return out;
}

/**
 * Scores the entries (of one HASH partition, when the index has one) and keeps the best `topK`,
 * best first; equal scores keep the order the entries were read in. Flat entries are all scored.
 * A clustered layout is read cluster by cluster, nearest the query first: at least probeCount
 * clusters, and on until as many entries passed the condition as an unconditioned search of the
 * whole index would score, so a partition or an INLINE_FILTER holding a small share of the index
 * widens the search instead of losing recall. While a new clustering is being filled, every
 * layout holding entries is read (each entry is in exactly one of them).
 */
function nearest(ctx: OperationContext, index: VectorSpace, query: Float32Array, topK: number, partition: AttributeValue | undefined, filter: Condition | undefined): Candidate[] {
  const { Dimensions: dimensions, DistanceFunction: fn } = index.record;
  const queryNorm = vectorNorm(query);
  const candidate = new Float32Array(dimensions);
  const candidateBytes = Buffer.from(candidate.buffer);
  const vectorBytes = dimensions * 4;
  const best: Candidate[] = [];
  let scored = 0;
  const scoreEntries = (prefix: Buffer): void => {
    for (const { value } of ctx.db.store.range(prefix, prefixEnd(prefix), false, false, true)) {
      if (filter && !evaluateCondition(filter, decodeVectorEntryItem(value, dimensions))) continue;
      scored++;
      // Entries are copied into an aligned buffer: a stored value need not start on a 4-byte boundary.
      value.copy(candidateBytes, 0, 0, vectorBytes);
      const score = vectorScore(fn, query, candidate, queryNorm);
      if (best.length === topK && !ranksBefore(fn, score, best[topK - 1].score)) continue;
      let at = best.length;
      while (at > 0 && ranksBefore(fn, score, best[at - 1].score)) at--;
      // The value may be a view of the store's memory, valid only during this read: keep a copy.
      best.splice(at, 0, { score, value: Buffer.from(value) });
      if (best.length > topK) best.pop();
    }
  };
  const probe = (layout: ClusteredLayout): void => {
    const start = vectorPartitionStart(layout.prefix, partition);
    const k = layout.clusters.centroids.length;
    const probes = probeCount(k);
    // Read on past the nearest clusters until as many entries as they hold on average, and at
    // least TopK, have passed the filter: a TopK near the index's size gets a full list.
    const enough = scored + Math.max(topK, Math.ceil((ctx.db.tableStats(index.record.uid).itemCount * probes) / k));
    const order = clustersByNearness(fn, layout.clusters, query);
    for (let i = 0; i < k && (i < probes || scored < enough); i++) scoreEntries(Buffer.concat([start, clusterKeyBytes(order[i])]));
  };
  for (const layout of ctx.db.vectorLayoutsHolding(index.record.uid)) {
    if (layout) probe(layout);
    else scoreEntries(vectorPartitionStart(index.prefix, partition));
  }
  return best;
}

export const vectorOperations = { SearchVectors: searchVectors };
