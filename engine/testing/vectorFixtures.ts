/**
 * What the vector search tests share: seeded vectors, the SDK's list-of-numbers shape, exact
 * nearest neighbours computed independently of the engine, and the table they search.
 */
import type { CreateTableCommandInput, Projection, VectorIndex } from '@aws-sdk/client-dynamodb';

/** A seeded generator, so every run checks the same vectors. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const numberList = (values: number[]) => values.map((v) => ({ N: String(v) }));

export type DistanceFunction = 'COSINE' | 'EUCLIDEAN' | 'DOT_PRODUCT';

/**
 * The exact `k` nearest of `among` (as `item<i>`): float32 elements, double sums, a float32
 * result, as the service computes scores; `keep` narrows the candidates.
 */
export function expectedNearest(fn: DistanceFunction, query: number[], k: number, keep: (i: number) => boolean, among: number[][]): { pk: string; score: number }[] {
  const q = query.map(Math.fround);
  const scored = among
    .map((v, i) => ({ i, v: v.map(Math.fround) }))
    .filter(({ i }) => keep(i))
    .map(({ i, v }) => {
      const dot = v.reduce((sum, x, j) => sum + x * q[j], 0);
      const norm = (a: number[]) => Math.sqrt(a.reduce((sum, x) => sum + x * x, 0));
      const score = fn === 'DOT_PRODUCT' ? dot : fn === 'EUCLIDEAN' ? Math.sqrt(v.reduce((sum, x, j) => sum + (q[j] - x) ** 2, 0)) : 1 - dot / (norm(v) * norm(q));
      return { pk: `item${i}`, score: Math.fround(score) };
    });
  scored.sort((a, b) => (fn === 'DOT_PRODUCT' ? b.score - a.score : a.score - b.score));
  return scored.slice(0, k);
}

/**
 * Vectors clustered as embeddings are (by topic): points scattered around 40 centres, the same
 * centres for every call with the same dimensions (so queries drawn with another seed ask about
 * the same topics). Uniform random vectors have no near neighbours to find.
 */
export function clusteredVectors(count: number, seed: number, dimensions: number): number[][] {
  const topics = seededRandom(dimensions);
  const centres = Array.from({ length: 40 }, () => Array.from({ length: dimensions }, () => topics() * 2 - 1));
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => centres[(i + seed) % centres.length].map((c) => Number((c + (next() - 0.5) * 0.6).toFixed(4))));
}

/**
 * A table keyed by `pk` with a vector index on `embedding` per distance function (named after it,
 * lower case) and `by-tenant`, partitioned by `tenant` and filtered by `category`.
 */
export function vectorTableInput(name: string, dimensions: number, projection: Projection, byTenant: Pick<VectorIndex, 'DistanceFunction' | 'Projection'>): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'tenant', AttributeType: 'S' },
      { AttributeName: 'category', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    VectorIndexes: [
      ...(['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'] as const).map((fn) => ({
        IndexName: fn.toLowerCase(),
        VectorAttribute: { AttributeName: 'embedding' },
        Dimensions: dimensions,
        DistanceFunction: fn,
        Projection: projection,
      })),
      {
        IndexName: 'by-tenant',
        VectorAttribute: { AttributeName: 'embedding' },
        Dimensions: dimensions,
        ...byTenant,
        SearchSchema: [
          { AttributeName: 'tenant', SearchSchemaElementType: 'HASH' },
          { AttributeName: 'category', SearchSchemaElementType: 'INLINE_FILTER' },
        ],
      },
    ],
  };
}

/** The table the kill -9 test's child process (clusteringChild.ts) loads: items of `dimensions`, clustered once all are in. */
export const CLUSTERING_CHILD = { items: 4000, dimensions: 256 };
