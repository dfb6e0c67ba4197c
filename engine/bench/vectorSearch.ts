/**
 * SearchVectors in process: a table of N items with a D-dimension vector each, loaded through
 * BatchWriteItem with a COSINE vector index in place, then Q searches of TopK 10: p50 and p99
 * latency, and recall@10 against an exact search done here over the same float32 values.
 *
 * Past 20,000 entries the index is clustered (IVF) in the background while the load goes on, and
 * again each time it has grown four times over. The load yields to the event loop after every
 * batch, as a server does between requests read from its sockets (without that, an in-process
 * loop of awaits on in-memory writes never lets timers or the clustering run). Reported: the build
 * rate (items indexed per second, clustering included), how long the last clustering went on after
 * the load ended, and the longest the event loop was held at once during the load (a batch of 25
 * writes is one task) and after it while only the clustering ran: what a request arriving then
 * could wait at worst, and in which phase of the clustering.
 *
 * Vectors are clustered as embeddings are (items on a topic lie near each other): TOPICS random
 * centres in [-1, 1]^D, each item and query a centre plus uniform noise of +-1 a dimension, four
 * decimals. Uniformly random vectors have no near neighbours to find, and an inverted file's
 * recall on them is far lower (README, Performance).
 *
 * Run as a child; input `{ "items": N, "dimensions": D, "queries": Q, "store": "memory" | "lmdb" }`
 * on stdin, one JSON line out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../engine.ts';
import { ranksBefore, vectorNorm, vectorScore } from '../vectors.ts';

export interface VectorSearchResult {
  items: number;
  dimensions: number;
  queries: number;
  store: 'memory' | 'lmdb';
  buildItemsPerSecond: number;
  /** Clusters the index was searched over (0: exact search). */
  clusters: number;
  /** How long the clustering still ran after the last write of the load. */
  clusteringAfterLoadSeconds: number;
  /** The longest the event loop was blocked at once during the load, and after it while the clustering ran (with its phase then). */
  longestStallDuringLoadMs: number;
  longestStallDuringLoadPhase: string;
  longestStallWhileClusteringMs: number;
  longestStallPhase: string;
  recallAt10: number;
  searchP50Ms: number;
  searchP99Ms: number;
}

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const BATCH = 25;
const TOPICS = 2000;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function run(items: number, dimensions: number, queries: number, store: 'memory' | 'lmdb'): Promise<VectorSearchResult> {
  const dataDir = store === 'lmdb' ? mkdtempSync(join(tmpdir(), 'dynamo-lens-vector-bench-')) : undefined;
  const engine = await openEngine({ inMemory: store === 'memory', dataDir, ttlSweepIntervalMs: 0 });
  try {
    await engine.handle(
      'CreateTable',
      {
        TableName: 'Embeddings',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        VectorIndexes: [{ IndexName: 'cosine', VectorAttribute: { AttributeName: 'embedding' }, Dimensions: dimensions, DistanceFunction: 'COSINE', Projection: { ProjectionType: 'KEYS_ONLY' } }],
      },
      CONTEXT,
    );
    const next = random(7);
    const centres = Array.from({ length: TOPICS }, () => Array.from({ length: dimensions }, () => next() * 2 - 1));
    const vector = () => centres[Math.floor(next() * TOPICS)].map((c) => Number((c + next() * 2 - 1).toFixed(4)));
    // The float32 copies the index holds, for the exact answers recall is measured against.
    const stored: Float32Array[] = [];
    // A 5 ms ticker: the longest gap between its ticks is the longest the event loop was held.
    let lastTick = performance.now();
    let longestGap = 0;
    let longestGapPhase = '';
    const ticker = setInterval(() => {
      const now = performance.now();
      if (now - lastTick > longestGap) {
        longestGap = now - lastTick;
        longestGapPhase = engine.vectorSearchStatus(CONTEXT, 'Embeddings').cosine.clustering?.phase ?? 'none';
      }
      lastTick = now;
    }, 5);
    let started = performance.now();
    for (let i = 0; i < items; i += BATCH) {
      const requests = [];
      for (let j = i; j < Math.min(items, i + BATCH); j++) {
        const v = vector();
        stored.push(Float32Array.from(v));
        requests.push({ PutRequest: { Item: { pk: { S: `item-${j}` }, embedding: { L: v.map((n) => ({ N: String(n) })) } } } });
      }
      await engine.handle('BatchWriteItem', { RequestItems: { Embeddings: requests } }, CONTEXT);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const loaded = performance.now();
    const buildItemsPerSecond = items / ((loaded - started) / 1000);
    const longestStallDuringLoadMs = longestGap;
    const longestStallDuringLoadPhase = longestGapPhase;
    longestGap = 0;
    while (engine.vectorSearchStatus(CONTEXT, 'Embeddings').cosine.clustering) await new Promise((resolve) => setTimeout(resolve, 50));
    const clusteringAfterLoadSeconds = (performance.now() - loaded) / 1000;
    clearInterval(ticker);
    const { clusters } = engine.vectorSearchStatus(CONTEXT, 'Embeddings').cosine;
    const latencies: number[] = [];
    let found = 0;
    for (let q = 0; q < queries; q++) {
      const query = vector();
      started = performance.now();
      const out = (await engine.handle('SearchVectors', { TableName: 'Embeddings', IndexName: 'cosine', SearchVector: query.map((n) => ({ N: String(n) })), TopK: 10 }, CONTEXT)) as {
        SearchResults: { Item: { pk: { S: string } } }[];
      };
      latencies.push(performance.now() - started);
      if (out.SearchResults.length !== Math.min(10, items)) throw new Error('a search returned the wrong number of results');
      const exact = exactTop10(stored, Float32Array.from(query));
      found += out.SearchResults.filter((r) => exact.has(r.Item.pk.S)).length;
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    return {
      items,
      dimensions,
      queries,
      store,
      buildItemsPerSecond,
      clusters,
      clusteringAfterLoadSeconds,
      longestStallDuringLoadMs,
      longestStallDuringLoadPhase,
      longestStallWhileClusteringMs: longestGap,
      longestStallPhase: longestGapPhase,
      recallAt10: found / (queries * Math.min(10, items)),
      searchP50Ms: at(0.5),
      searchP99Ms: at(0.99),
    };
  } finally {
    await engine.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The keys of the 10 stored vectors nearest `query` by cosine distance, every one scored. */
function exactTop10(stored: Float32Array[], query: Float32Array): Set<string> {
  const norm = vectorNorm(query);
  const best: { i: number; score: number }[] = [];
  stored.forEach((v, i) => {
    const score = vectorScore('COSINE', query, v, norm);
    if (best.length === 10 && !ranksBefore('COSINE', score, best[9].score)) return;
    best.push({ i, score });
    best.sort((a, b) => a.score - b.score);
    if (best.length > 10) best.pop();
  });
  return new Set(best.map((b) => `item-${b.i}`));
}

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const { items, dimensions, queries, store } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: number; dimensions: number; queries: number; store?: 'memory' | 'lmdb' };
  process.stdout.write(JSON.stringify(await run(items, dimensions, queries, store ?? 'memory')) + '\n');
});
