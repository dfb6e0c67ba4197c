/**
 * The approximate path of a vector index: an inverted file (IVF). Once an index holds enough
 * entries, k-means splits its vectors into K clusters (K about the square root of the entry count)
 * and every entry's key carries the id of its nearest centroid, so a search scores only the
 * entries of the few clusters nearest the query. Returned scores are true scores; only which
 * entries are candidates is approximate.
 *
 * Clusters are formed under the distance the index ranks by, except that DOT_PRODUCT indexes
 * cluster by Euclidean distance (a centroid is a mean, which the dot product does not minimise)
 * and probe the clusters whose centroids have the largest dot product with the query.
 *
 * Training is a generator that yields every few milliseconds of work, so the background job that
 * runs it (vectorClustering.ts) lets requests in between: one index's clustering never stalls the
 * server. A model is stored as [uint32 K][uint32 dimensions][uint32 entries trained on][K x dimensions float32].
 */
import type { VectorDistanceFunction } from './tableModel.ts';
import { ranksBefore, vectorNorm, vectorScore } from './vectors.ts';

/** Below this many entries a search scores every entry: a few ms at 768 dimensions. */
export const DEFAULT_CLUSTERING_MINIMUM = 20_000;
/** The index is clustered again (a new model, every entry moved to it) once it has grown this many times over. */
export const RETRAIN_GROWTH = 4;
const MIN_CLUSTERS = 16;
/** Cluster ids are stored as two bytes in entry keys; this bound keeps them there with room to spare. */
const MAX_CLUSTERS = 1024;
/** Training uses at most this many vectors per cluster (as faiss does), over this many rounds. */
const SAMPLES_PER_CLUSTER = 32;
const TRAINING_ROUNDS = 10;
/**
 * The share of clusters a search reads. Measured on the `vectors` bench section's data (768
 * dimensions, clustered like embeddings, 10 training rounds, 100 queries): at 100,000 vectors over
 * 283 clusters trained at 80,000, recall@10 0.966 reading 1/5 of the clusters, 0.970 at 1/4,
 * 0.981 at 3/10, 0.992 at 7/20; at 40,000 over 141 clusters, 0.928, 0.949, 0.962. Recall on
 * data this regular rises with the vectors per topic, so small indexes are the hardest case.
 */
const PROBE_SHARE = 0.3;
const MIN_PROBES = 8;
/** Training yields after about this many multiply-adds (a few ms of work). */
const MULTIPLY_ADDS_PER_SLICE = 8_000_000;

export interface VectorClusters {
  centroids: Float32Array[];
  /** Each centroid's length, so assigning a vector takes one dot product per centroid. */
  norms: Float64Array;
  /** How many entries the index held when trained (the retraining trigger compares against it). */
  trainedOn: number;
}

function withNorms(centroids: Float32Array[], trainedOn: number): VectorClusters {
  return { centroids, norms: Float64Array.from(centroids, (c) => vectorNorm(c)), trainedOn };
}

function dot(a: Float32Array, b: Float32Array): number {
  // Four running sums, as in vectorScore: assignment runs K of these per write.
  const n = a.length;
  const tail = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < tail; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (let i = tail; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

export function clusterCountFor(entries: number): number {
  return Math.max(MIN_CLUSTERS, Math.min(MAX_CLUSTERS, Math.round(Math.sqrt(entries))));
}

/** How many vectors training needs to see for an index of `entries`. */
export function trainingSampleSize(entries: number): number {
  return clusterCountFor(entries) * SAMPLES_PER_CLUSTER;
}

export function probeCount(clusters: number): number {
  return Math.min(clusters, Math.max(MIN_PROBES, Math.ceil(clusters * PROBE_SHARE)));
}

/**
 * The id of the centroid nearest `vector`: by cosine distance for COSINE indexes (the largest
 * v.c / |c|), else by Euclidean distance (the smallest |c|^2 - 2 v.c; |v| is the same for all).
 */
export function nearestCluster(fn: VectorDistanceFunction, clusters: VectorClusters, vector: Float32Array): number {
  let best = 0;
  let bestScore = Infinity;
  const { centroids, norms } = clusters;
  for (let id = 0; id < centroids.length; id++) {
    const norm = norms[id];
    const product = dot(vector, centroids[id]);
    const score = fn === 'COSINE' ? (norm === 0 ? 0 : -product / norm) : norm * norm - 2 * product;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}

/** Every cluster id, the clusters nearest `query` first. */
export function clustersByNearness(fn: VectorDistanceFunction, clusters: VectorClusters, query: Float32Array): number[] {
  const norm = vectorNorm(query);
  const scored = clusters.centroids.map((centroid, id) => ({ id, score: vectorScore(fn, query, centroid, norm) }));
  scored.sort((a, b) => (ranksBefore(fn, a.score, b.score) ? -1 : ranksBefore(fn, b.score, a.score) ? 1 : a.id - b.id));
  return scored.map((s) => s.id);
}

/** A seeded generator: the same entries always train the same centroids. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A uniform sample of a stream of vectors of unknown length (reservoir sampling, seeded), so
 * training reads the index once, in chunks, and holds only the sample.
 */
export class VectorSample {
  readonly vectors: Float32Array[] = [];
  private seen = 0;
  private readonly random = seededRandom(0x5eed);

  constructor(readonly capacity: number) {}

  offer(vector: () => Float32Array): void {
    this.seen++;
    if (this.vectors.length < this.capacity) {
      this.vectors.push(vector());
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.vectors[slot] = vector();
  }

  /** How many vectors were offered. */
  get offered(): number {
    return this.seen;
  }
}

/**
 * Lloyd's k-means over `sample` for an index of `entries`: centroids start at distinct sample
 * points, and a cluster left empty restarts at a random sample point. Yields every slice of work;
 * the generator's return value is the model.
 */
export function* trainClusters(fn: VectorDistanceFunction, sample: Float32Array[], entries: number): Generator<void, VectorClusters> {
  const k = Math.min(clusterCountFor(entries), sample.length);
  const random = seededRandom(entries);
  const dimensions = sample[0].length;
  let model = withNorms(sample.slice(0, k).map((v) => Float32Array.from(v)), entries);
  const sums = Array.from({ length: k }, () => new Float64Array(dimensions));
  const counts = new Uint32Array(k);
  // Each distance also costs a call and a comparison: counted as 16 more multiply-adds.
  const vectorsPerSlice = Math.max(1, Math.floor(MULTIPLY_ADDS_PER_SLICE / (k * (dimensions + 16))));
  for (let round = 0; round < TRAINING_ROUNDS; round++) {
    sums.forEach((s) => s.fill(0));
    counts.fill(0);
    for (let i = 0; i < sample.length; i++) {
      const vector = sample[i];
      const id = nearestCluster(fn, model, vector);
      counts[id]++;
      const sum = sums[id];
      for (let d = 0; d < dimensions; d++) sum[d] += vector[d];
      if (i % vectorsPerSlice === vectorsPerSlice - 1) yield;
    }
    const centroids = model.centroids.map((_, id) =>
      counts[id] === 0 ? Float32Array.from(sample[Math.floor(random() * sample.length)]) : Float32Array.from(sums[id], (x) => x / counts[id]),
    );
    model = withNorms(centroids, entries);
    yield;
  }
  return model;
}

export function encodeClusters(model: VectorClusters): Buffer {
  const dimensions = model.centroids[0].length;
  const out = Buffer.alloc(12 + model.centroids.length * dimensions * 4);
  out.writeUInt32BE(model.centroids.length, 0);
  out.writeUInt32BE(dimensions, 4);
  out.writeUInt32BE(model.trainedOn, 8);
  model.centroids.forEach((c, id) => Buffer.from(c.buffer, c.byteOffset, c.byteLength).copy(out, 12 + id * dimensions * 4));
  return out;
}

export function decodeClusters(value: Buffer): VectorClusters {
  const k = value.readUInt32BE(0);
  const dimensions = value.readUInt32BE(4);
  const centroids = Array.from({ length: k }, (_, id) => {
    const c = new Float32Array(dimensions);
    new Uint8Array(c.buffer).set(value.subarray(12 + id * dimensions * 4, 12 + (id + 1) * dimensions * 4));
    return c;
  });
  return withNorms(centroids, value.readUInt32BE(8));
}

/** The two key bytes naming a cluster. */
export function clusterKeyBytes(id: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(id, 0);
  return b;
}
