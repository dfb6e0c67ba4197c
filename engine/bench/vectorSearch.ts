/**
 * SearchVectors in process: a table of N items with a D-dimension vector each (random unit-range
 * values, four decimals, as embeddings are typically written), loaded through BatchWriteItem with
 * the vector index in place (the build rate: items indexed per second), then Q searches of
 * TopK 10 with random query vectors: p50 and p99 latency. The search is exact, so recall@10
 * against exact search is 1 by construction.
 *
 * Run as a child; input `{ "items": N, "dimensions": D, "queries": Q }` on stdin, one JSON line out.
 */
import { openEngine } from '../engine.ts';

export interface VectorSearchResult {
  items: number;
  dimensions: number;
  queries: number;
  buildItemsPerSecond: number;
  searchP50Ms: number;
  searchP99Ms: number;
}

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const BATCH = 25;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function run(items: number, dimensions: number, queries: number): Promise<VectorSearchResult> {
  const engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });
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
  const vector = () => Array.from({ length: dimensions }, () => ({ N: (next() * 2 - 1).toFixed(4) }));
  let started = performance.now();
  for (let i = 0; i < items; i += BATCH) {
    const requests = [];
    for (let j = i; j < Math.min(items, i + BATCH); j++) requests.push({ PutRequest: { Item: { pk: { S: `item-${j}` }, embedding: { L: vector() } } } });
    await engine.handle('BatchWriteItem', { RequestItems: { Embeddings: requests } }, CONTEXT);
  }
  const buildItemsPerSecond = items / ((performance.now() - started) / 1000);
  const latencies: number[] = [];
  for (let q = 0; q < queries; q++) {
    const input = { TableName: 'Embeddings', IndexName: 'cosine', SearchVector: vector(), TopK: 10 };
    started = performance.now();
    const out = (await engine.handle('SearchVectors', input, CONTEXT)) as { SearchResults: unknown[] };
    latencies.push(performance.now() - started);
    if (out.SearchResults.length !== Math.min(10, items)) throw new Error('a search returned the wrong number of results');
  }
  await engine.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { items, dimensions, queries, buildItemsPerSecond, searchP50Ms: at(0.5), searchP99Ms: at(0.99) };
}

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const { items, dimensions, queries } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: number; dimensions: number; queries: number };
  process.stdout.write(JSON.stringify(await run(items, dimensions, queries)) + '\n');
});
