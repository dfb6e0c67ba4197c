/**
 * Vector indexes: which items one holds and what it keeps of them, the service's checks on a
 * vector written to an indexed attribute, and the three distance functions SearchVectors ranks by.
 *
 * An index entry is the item's vector narrowed to 32-bit floats (the index's storage precision,
 * while the item keeps every digit) and the attributes the index projects: the table keys, the
 * search-schema attributes and the Projection's. Stored as [Dimensions x float32][projected JSON]
 * so a search reads the floats of each entry straight out of the value and decodes the JSON only
 * of the entries it returns.
 *
 * Behaviour and messages as measured against real DynamoDB (eu-west-2 and us-east-1, 2026-08-11
 * to 08-13) and recorded in nubo-db/dynoxide (src/actions/vector_index.rs, tests/search_vectors.rs)
 * and ExtendDB/extenddb (crates/core/src/types/table.rs).
 */
import type { IndexRecord, KeyShape, VectorDistanceFunction, VectorIndexRecord } from './tableModel.ts';
import { keyTypeOf } from './tableModel.ts';
import type { AttributeDefinition, AttributeValue, Item } from './types.ts';
import { itemSize } from './values.ts';
import { setOwn } from './ownKeys.ts';

export const MAX_VECTOR_DIMENSIONS = 4096;
export const MAX_VECTOR_INDEXES = 5;
/** The largest finite 32-bit float, and the bound the service quotes for vector elements. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The index's partition (SearchSchema HASH) attribute, if it has one. */
export function vectorHashAttribute(index: VectorIndexRecord): string | undefined {
  return index.SearchSchema?.find((e) => e.SearchSchemaElementType === 'HASH')?.AttributeName;
}

function vectorElement(value: AttributeValue): number | undefined {
  if (!('N' in value)) return undefined;
  const n = Number(value.N);
  return Math.abs(n) > FLOAT32_MAX ? undefined : Math.fround(n);
}

/** The item's vector for `index` as 32-bit floats, or undefined when it is missing or malformed. */
export function indexedVector(item: Item, index: VectorIndexRecord): Float32Array | undefined {
  const value = item[index.VectorAttribute.AttributeName];
  if (!value || !('L' in value) || value.L.length !== index.Dimensions) return undefined;
  const out = new Float32Array(index.Dimensions);
  for (let i = 0; i < out.length; i++) {
    const f = vectorElement(value.L[i]);
    if (f === undefined) return undefined;
    out[i] = f;
  }
  return out;
}

const isEmptyKeyValue = (value: AttributeValue): boolean => ('S' in value && value.S === '') || ('B' in value && value.B === '');

/**
 * Why a written item cannot go into one of the table's vector indexes (a ValidationException's
 * message), or undefined. Indexes are checked in name order, each one's vector attribute before
 * its search-schema attributes. A missing attribute is no error: the item is simply not indexed.
 * Empty HASH values are refused earlier, with the secondary-index wording (see keys.ts).
 *   not a list     -> One or more parameter values were invalid. Invalid type for parameter v, Expected: 32-bit floating point number list IndexName: vix
 *   an S element   -> One or more parameter values were invalid. Invalid type for parameter v[1], Expected: 32-bit floating point number, Actual: S. IndexName: vix
 *   1E+39          -> One or more parameter values were invalid. Invalid value for parameter v[0], Value: 1E+39 is outside valid range [-3.4028235E38, 3.4028235E38]. IndexName: vix
 *   two of three   -> One or more parameter values were invalid. Invalid size for parameter v, Expected: 3, Actual: 2 IndexName: vix
 *   tenant N, not S -> One or more parameter values were invalid. Attribute 'tenant' type mismatch. Expected: S, Actual: N. IndexName: vix
 */
export function vectorWriteError(item: Item, indexes: VectorIndexRecord[], definitions: AttributeDefinition[]): string | undefined {
  const sorted = [...indexes].sort((a, b) => (a.IndexName < b.IndexName ? -1 : a.IndexName > b.IndexName ? 1 : 0));
  for (const index of sorted) {
    const name = index.IndexName;
    const attribute = index.VectorAttribute.AttributeName;
    const value = item[attribute];
    if (value) {
      if (!('L' in value)) {
        return `One or more parameter values were invalid. Invalid type for parameter ${attribute}, Expected: 32-bit floating point number list IndexName: ${name}`;
      }
      for (let i = 0; i < value.L.length; i++) {
        const element = value.L[i];
        if (!('N' in element)) {
          return `One or more parameter values were invalid. Invalid type for parameter ${attribute}[${i}], Expected: 32-bit floating point number, Actual: ${keyTypeOf(element)}. IndexName: ${name}`;
        }
        if (vectorElement(element) === undefined) {
          return `One or more parameter values were invalid. Invalid value for parameter ${attribute}[${i}], Value: ${element.N} is outside valid range [-3.4028235E38, 3.4028235E38]. IndexName: ${name}`;
        }
      }
      if (value.L.length !== index.Dimensions) {
        return `One or more parameter values were invalid. Invalid size for parameter ${attribute}, Expected: ${index.Dimensions}, Actual: ${value.L.length} IndexName: ${name}`;
      }
    }
    for (const element of index.SearchSchema ?? []) {
      const present = item[element.AttributeName];
      const type = definitions.find((d) => d.AttributeName === element.AttributeName)?.AttributeType;
      if (present && type && !(type in present)) {
        return `One or more parameter values were invalid. Attribute '${element.AttributeName}' type mismatch. Expected: ${type}, Actual: ${keyTypeOf(present)}. IndexName: ${name}`;
      }
    }
  }
  return undefined;
}

/** Search-schema HASH attributes of the vector indexes, shaped like GSI key attributes for the empty-value check. */
export function vectorHashKeyAttributes(indexes: VectorIndexRecord[], definitions: AttributeDefinition[]) {
  return indexes.flatMap((index) => {
    const name = vectorHashAttribute(index);
    const type = definitions.find((d) => d.AttributeName === name)?.AttributeType;
    return name && type ? [{ indexName: index.IndexName, name, type }] : [];
  });
}

export interface VectorEntry {
  vector: Float32Array;
  /** What the index keeps besides the vector (the vector attribute itself is left out). */
  projected: Item;
  /** The search-schema HASH value the entry is filed under, for indexes that have one. */
  partition?: AttributeValue;
}

/**
 * The entry `item` makes in `index`, or undefined when the index does not hold it: its vector is
 * missing or malformed (a backfill skips what a write would refuse), or the HASH attribute is
 * missing, empty or of another type than defined, or an INLINE_FILTER attribute has another type.
 */
export function vectorEntryFor(item: Item, index: VectorIndexRecord, tableShape: KeyShape, definitions: AttributeDefinition[]): VectorEntry | undefined {
  const vector = indexedVector(item, index);
  if (!vector) return undefined;
  const typeOf = (name: string) => definitions.find((d) => d.AttributeName === name)?.AttributeType;
  let partition: AttributeValue | undefined;
  for (const element of index.SearchSchema ?? []) {
    const value = item[element.AttributeName];
    if (element.SearchSchemaElementType === 'HASH') {
      if (!value || isEmptyKeyValue(value) || !(typeOf(element.AttributeName)! in value)) return undefined;
      partition = value;
    } else if (value && !(typeOf(element.AttributeName)! in value)) {
      return undefined;
    }
  }
  const vectorAttribute = index.VectorAttribute.AttributeName;
  const projected: Item = {};
  const keep = (name: string): void => {
    if (name !== vectorAttribute && Object.hasOwn(item, name)) setOwn(projected, name, item[name]);
  };
  if (index.Projection.ProjectionType === 'ALL') {
    for (const name of Object.keys(item)) keep(name);
  } else {
    for (const name of [...tableShape.hashKeys, ...tableShape.rangeKeys]) keep(name);
    for (const element of index.SearchSchema ?? []) keep(element.AttributeName);
    if (index.Projection.ProjectionType === 'INCLUDE') for (const name of index.Projection.NonKeyAttributes ?? []) keep(name);
  }
  return { vector, projected, ...(partition ? { partition } : {}) };
}

/** Whether SearchVectors can return the vector attribute itself (ALL, or INCLUDE naming it). */
export function projectsVector(index: VectorIndexRecord): boolean {
  const p = index.Projection;
  return p.ProjectionType === 'ALL' || (p.ProjectionType === 'INCLUDE' && (p.NonKeyAttributes ?? []).includes(index.VectorAttribute.AttributeName));
}

export function encodeVectorEntry(entry: VectorEntry, json = JSON.stringify(entry.projected)): Buffer {
  const floats = Buffer.from(entry.vector.buffer, entry.vector.byteOffset, entry.vector.byteLength);
  const out = Buffer.allocUnsafe(floats.length + Buffer.byteLength(json));
  floats.copy(out, 0);
  out.write(json, floats.length);
  return out;
}

export function decodeVectorEntryItem(value: Buffer, dimensions: number): Item {
  return JSON.parse(value.toString('utf8', dimensions * 4)) as Item;
}

/**
 * Bytes an entry counts for in the index's IndexSizeBytes: the projected attributes as an item
 * measures them, and the vector as its name plus four bytes a dimension (its stored precision).
 */
export function vectorEntrySize(entry: VectorEntry, index: VectorIndexRecord): number {
  return itemSize(entry.projected) + Buffer.byteLength(index.VectorAttribute.AttributeName) + 4 * index.Dimensions;
}

/**
 * Similarity of two vectors: COSINE distance (0 same direction .. 2 opposite; 1 when either is all
 * zeros), EUCLIDEAN distance, or DOT_PRODUCT. Sums are taken in doubles and the result saturates
 * to the 32-bit range, as the service computes them (products that overflow a float cancel
 * exactly; a distance past the largest float reports that float).
 */
export function vectorScore(fn: VectorDistanceFunction, query: Float32Array, candidate: Float32Array, queryNorm: number): number {
  // Four running sums each: an exact search spends its time here, and independent sums let the
  // CPU overlap the multiply-adds (about twice as fast as one sum on 768 dimensions).
  const n = query.length;
  const tail = n - (n % 4);
  let s: number;
  if (fn === 'EUCLIDEAN') {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < tail; i += 4) {
      const d0 = query[i] - candidate[i], d1 = query[i + 1] - candidate[i + 1], d2 = query[i + 2] - candidate[i + 2], d3 = query[i + 3] - candidate[i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (let i = tail; i < n; i++) s0 += (query[i] - candidate[i]) ** 2;
    s = Math.sqrt(s0 + s1 + s2 + s3);
  } else {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, n0 = 0, n1 = 0, n2 = 0, n3 = 0;
    for (let i = 0; i < tail; i += 4) {
      const c0 = candidate[i], c1 = candidate[i + 1], c2 = candidate[i + 2], c3 = candidate[i + 3];
      d0 += query[i] * c0;
      d1 += query[i + 1] * c1;
      d2 += query[i + 2] * c2;
      d3 += query[i + 3] * c3;
      n0 += c0 * c0;
      n1 += c1 * c1;
      n2 += c2 * c2;
      n3 += c3 * c3;
    }
    for (let i = tail; i < n; i++) {
      d0 += query[i] * candidate[i];
      n0 += candidate[i] * candidate[i];
    }
    const dot = d0 + d1 + d2 + d3;
    if (fn === 'DOT_PRODUCT') s = dot;
    else {
      const denominator = queryNorm * Math.sqrt(n0 + n1 + n2 + n3);
      // Rounding can take a vector's distance to itself a hair below 0: the range is [0, 2].
      s = denominator === 0 ? 1 : Math.min(2, Math.max(0, 1 - dot / denominator));
    }
  }
  if (s > FLOAT32_MAX) return FLOAT32_MAX;
  if (s < -FLOAT32_MAX) return -FLOAT32_MAX;
  return Math.fround(s);
}

export function vectorNorm(vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  return Math.sqrt(sum);
}

/** Whether score `a` ranks ahead of `b`: distances ascend, dot products descend. */
export function ranksBefore(fn: VectorDistanceFunction, a: number, b: number): boolean {
  return fn === 'DOT_PRODUCT' ? a > b : a < b;
}

/**
 * A 32-bit float as the index hands it back (Java's Float.toString: the shortest decimal that
 * names the float, with ".0" on whole numbers and E notation outside 1e-3 .. 1e7): 1 -> "1.0".
 */
export function formatFloat32(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = f.toPrecision(p);
    if (Math.fround(Number(digits)) === f) break;
  }
  const [mantissa, exponentText] = Number(digits).toExponential().split('e');
  const exponent = Number(exponentText);
  const abs = Math.abs(f);
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = Number(digits).toString();
    return plain.includes('.') ? plain : plain + '.0';
  }
  return (mantissa.includes('.') ? mantissa : mantissa + '.0') + 'E' + exponent;
}

/** The GSI/LSI records and vector index records of a table share one namespace of names. */
export function indexNameTaken(indexes: IndexRecord[], vectorIndexes: VectorIndexRecord[] | undefined, name: string): boolean {
  return indexes.some((i) => i.IndexName === name) || (vectorIndexes ?? []).some((i) => i.IndexName === name);
}
