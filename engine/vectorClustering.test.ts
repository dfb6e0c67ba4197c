/**
 * The approximate path of vector search: an index past the clustering minimum is clustered in the
 * background (vectorClustering.ts) while requests go on, then searched over its nearest clusters.
 * Checked through the AWS SDK against exact answers computed here (recall@10 for each distance
 * function, in a HASH partition and under a filter); while a clustering runs (requests answered
 * between its steps, every entry in exactly one layout, searches and writes correct); across a
 * restart in the middle of one on LMDB; on growth (a new clustering replaces the old); and when
 * the index is deleted meanwhile.
 */
import { BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, SearchVectorsCommand, UpdateTableCommand, type SearchVectorsCommandInput } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { VectorSearchStatus } from './api.ts';
import { VECTOR_CLUSTER_MODELS, VECTOR_CLUSTERED_ENTRIES, VECTOR_ENTRIES } from './database.ts';
import type { Engine } from './engine.ts';
import { restoreSnapshot, takeSnapshot } from './snapshots.ts';
import { prefixEnd } from './storage/keyCodec.ts';
import { startHarness, type Harness } from './testing/harness.ts';
import { CLUSTERING_CHILD, clusteredVectors, expectedNearest, numberList, vectorTableInput, type DistanceFunction } from './testing/vectorFixtures.ts';

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const ITEMS = 2400;
/** Low enough that the index is clustered after the second load below (the engine's default is 20,000). */
const CLUSTERING_MINIMUM = 1500;

async function createClusteredTable(h: Harness, name: string, dimensions = 16): Promise<void> {
  await h.client.send(new CreateTableCommand(vectorTableInput(name, dimensions, { ProjectionType: 'KEYS_ONLY' }, { DistanceFunction: 'EUCLIDEAN', Projection: { ProjectionType: 'KEYS_ONLY' } })));
}

async function load(h: Harness, name: string, among: number[][], from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 25) {
    const requests = [];
    for (let j = i; j < Math.min(to, i + 25); j++) {
      requests.push({ PutRequest: { Item: { pk: { S: `item${j}` }, tenant: { S: `t${j % 2}` }, category: { S: `c${j % 8}` }, embedding: { L: numberList(among[j]) } } } });
    }
    await h.client.send(new BatchWriteItemCommand({ RequestItems: { [name]: requests } }));
  }
}

const statusOf = (engine: Engine, table: string, index: string): VectorSearchStatus => engine.vectorSearchStatus(CONTEXT, table)[index];
const pause = () => new Promise((resolve) => setImmediate(resolve));

/** Waits (between requests) until every vector index of `table` is clustered and no clustering runs. */
async function settled(engine: Engine, table: string): Promise<void> {
  for (;;) {
    const statuses = Object.values(engine.vectorSearchStatus(CONTEXT, table));
    if (statuses.every((s) => s.clusters > 0 && !s.clustering)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Entries of one vector index: flat, clustered (any generation), and the number of cluster models. */
function entriesOf(engine: Engine, table: string, index: string): { flat: number; clustered: number; models: number } {
  const uid = engine.db.table(CONTEXT.accountId, CONTEXT.region, table)!.vectorIndex(index)!.record.uid;
  const count = (tag: number) => {
    const prefix = Buffer.alloc(5);
    prefix[0] = tag;
    prefix.writeUInt32BE(uid, 1);
    let n = 0;
    for (const _ of engine.store.range(prefix, prefixEnd(prefix), false, false)) n++;
    return n;
  };
  return { flat: count(VECTOR_ENTRIES), clustered: count(VECTOR_CLUSTERED_ENTRIES), models: count(VECTOR_CLUSTER_MODELS) };
}

function searchInput(table: string, fn: DistanceFunction, query: number[], tenant?: string, category?: string): SearchVectorsCommandInput {
  const condition: Partial<SearchVectorsCommandInput> =
    tenant === undefined
      ? {}
      : category === undefined
        ? { SearchConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: tenant } } }
        : { SearchConditionExpression: 'tenant = :t AND category = :c', ExpressionAttributeValues: { ':t': { S: tenant }, ':c': { S: category } } };
  return { TableName: table, IndexName: tenant === undefined ? fn.toLowerCase() : 'by-tenant', SearchVector: numberList(query), TopK: 10, ...condition };
}

type SearchResults = { Item?: Record<string, { S?: string }>; Score?: number }[];

/** How many of the exact top 10 `results` hold; and every returned score is the item's exact score. */
function found(results: SearchResults, fn: DistanceFunction, query: number[], among: number[][], keep: (i: number) => boolean): number {
  const exact = expectedNearest(fn, query, among.length, keep, among);
  const exactScore = new Map(exact.map((e) => [e.pk, e.score]));
  for (const r of results) assert.ok(Math.abs(r.Score! - exactScore.get(r.Item!.pk.S!)!) < 1e-6, `score of ${r.Item!.pk.S}`);
  const returned = new Set(results.map((r) => r.Item!.pk.S));
  return exact.slice(0, 10).filter((e) => returned.has(e.pk)).length;
}

async function recallAt10(h: Harness, table: string, fn: DistanceFunction, among: number[][], queries: number[][], tenant?: string, category?: string): Promise<number> {
  let hits = 0;
  const keep = (i: number) => (tenant === undefined || `t${i % 2}` === tenant) && (category === undefined || `c${i % 8}` === category);
  for (const query of queries) {
    const { SearchResults } = await h.client.send(new SearchVectorsCommand(searchInput(table, fn, query, tenant, category)));
    hits += found(SearchResults!, fn, query, among, keep);
  }
  return hits / (queries.length * 10);
}

describe('SearchVectors on a clustered (IVF) index', () => {
  const among = clusteredVectors(ITEMS, 31, 16);
  const queries = clusteredVectors(60, 32, 16);
  let h: Harness;
  before(async () => {
    h = await startHarness({ vectorClusteringMinimum: CLUSTERING_MINIMUM });
    await createClusteredTable(h, 'Clustered');
  });
  after(() => h.close());

  test('below the clustering minimum a search stays exact', async () => {
    await load(h, 'Clustered', among, 0, 1000);
    for (const query of queries.slice(0, 5)) {
      const { SearchResults } = await h.client.send(new SearchVectorsCommand(searchInput('Clustered', 'EUCLIDEAN', query)));
      const exact = expectedNearest('EUCLIDEAN', query, 10, (i) => i < 1000, among);
      assert.deepEqual(SearchResults!.map((r) => r.Item!.pk.S), exact.map((e) => e.pk));
    }
    assert.deepEqual(statusOf(h.engine, 'Clustered', 'euclidean'), { clusters: 0 });
  });

  test('past it the index is clustered in the background; recall@10 against exact search is at least 0.95 for every distance function, in a partition and under a filter', async () => {
    await load(h, 'Clustered', among, 1000, ITEMS);
    await settled(h.engine, 'Clustered');
    for (const fn of ['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'] as const) {
      // K is about the square root of the entries when the clustering started: loading goes on meanwhile.
      const { clusters } = statusOf(h.engine, 'Clustered', fn.toLowerCase());
      assert.ok(clusters >= Math.round(Math.sqrt(CLUSTERING_MINIMUM)) && clusters <= Math.round(Math.sqrt(ITEMS)), `${clusters} clusters`);
      assert.deepEqual(entriesOf(h.engine, 'Clustered', fn.toLowerCase()), { flat: 0, clustered: ITEMS, models: 1 });
      const recall = await recallAt10(h, 'Clustered', fn, among, queries);
      assert.ok(recall >= 0.95, `${fn} recall@10 ${recall}`);
    }
    const recall = await recallAt10(h, 'Clustered', 'EUCLIDEAN', among, queries, 't1');
    assert.ok(recall >= 0.95, `by-tenant recall@10 ${recall}`);
    // An eighth of the index passes this condition: the search reads on past the nearest clusters
    // until it has scored as many entries as an unconditioned search would.
    const filtered = await recallAt10(h, 'Clustered', 'EUCLIDEAN', among, queries, 't1', 'c3');
    assert.ok(filtered >= 0.95, `by-tenant with a category recall@10 ${filtered}`);
  });

  test('an update moves the entry to its new cluster and a delete removes it', async () => {
    const moved = 7;
    const target = among[1234];
    const old = among[moved];
    await h.client.send(new PutItemCommand({ TableName: 'Clustered', Item: { pk: { S: `item${moved}` }, tenant: { S: 't1' }, embedding: { L: numberList(target) } } }));
    const searchFor = async (vector: number[]) =>
      (await h.client.send(new SearchVectorsCommand({ TableName: 'Clustered', IndexName: 'euclidean', SearchVector: numberList(vector), TopK: 5 }))).SearchResults!.map((r) => [r.Item!.pk.S, r.Score]);
    assert.deepEqual((await searchFor(target)).slice(0, 2).sort(), [['item1234', 0], [`item${moved}`, 0]]);
    assert.ok(!(await searchFor(old)).some(([pk]) => pk === `item${moved}`), 'the old entry is gone');
    const partition = await h.client.send(
      new SearchVectorsCommand({ TableName: 'Clustered', IndexName: 'by-tenant', SearchVector: numberList(target), TopK: 1, SearchConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: 't1' } } }),
    );
    // item1234 is in tenant t0: within t1, the moved item alone sits at the target.
    assert.deepEqual(partition.SearchResults!.map((r) => [r.Item!.pk.S, r.Score]), [[`item${moved}`, 0]]);
    await h.client.send(new DeleteItemCommand({ TableName: 'Clustered', Key: { pk: { S: `item${moved}` } } }));
    assert.deepEqual((await searchFor(target))[0], ['item1234', 0]);
    assert.ok(!(await searchFor(target)).some(([pk]) => pk === `item${moved}`), 'the deleted entry is gone');
    const described = (await h.client.send(new DescribeTableCommand({ TableName: 'Clustered' }))).Table!.VectorIndexes!;
    assert.ok(described.every((v) => v.ItemCount === ITEMS - 1));
    assert.deepEqual(entriesOf(h.engine, 'Clustered', 'euclidean'), { flat: 0, clustered: ITEMS - 1, models: 1 });
  });
});

describe('A clustering in progress', () => {
  const DIMENSIONS = 256;
  const COUNT = 4000;
  const among = clusteredVectors(COUNT, 41, DIMENSIONS);

  test('requests are answered between its steps; searches and writes made meanwhile are right, and every entry is in one layout', async () => {
    const h = await startHarness({ vectorClusteringMinimum: COUNT });
    try {
      await createClusteredTable(h, 'Busy', DIMENSIONS);
      await load(h, 'Busy', among, 0, COUNT - 1);
      assert.equal(statusOf(h.engine, 'Busy', 'euclidean').clusters, 0);
      // The last item takes the index to the minimum: the clustering starts once this write is in.
      await load(h, 'Busy', among, COUNT - 1, COUNT);
      const answeredIn = new Set<string>();
      let updated = false;
      for (;;) {
        const clustering = statusOf(h.engine, 'Busy', 'euclidean').clustering;
        if (!clustering) break;
        // In process, between the job's steps: a read, and (while entries move) a search and writes.
        const got = (await h.engine.handle('GetItem', { TableName: 'Busy', Key: { pk: { S: 'item5' } } }, CONTEXT)) as { Item?: unknown };
        assert.ok(got.Item);
        answeredIn.add(clustering.phase);
        if (clustering.phase === 'moving') {
          const layout = entriesOf(h.engine, 'Busy', 'euclidean');
          assert.equal(layout.flat + layout.clustered, updated ? COUNT - 1 : COUNT, 'every entry is in exactly one layout');
          const query = among[123];
          const { SearchResults } = (await h.engine.handle('SearchVectors', { ...searchInput('Busy', 'EUCLIDEAN', query) } as Record<string, unknown>, CONTEXT)) as { SearchResults: SearchResults };
          assert.equal(found(SearchResults, 'EUCLIDEAN', query, among, () => true), 10);
          if (!updated && layout.flat > 0) {
            // item9's vector becomes item10's; item11 goes. Either may still be flat or already moved.
            await h.engine.handle('PutItem', { TableName: 'Busy', Item: { pk: { S: 'item9' }, tenant: { S: 't1' }, embedding: { L: numberList(among[10]) } } }, CONTEXT);
            await h.engine.handle('DeleteItem', { TableName: 'Busy', Key: { pk: { S: 'item11' } } }, CONTEXT);
            updated = true;
          }
        }
        await pause();
      }
      assert.deepEqual([...answeredIn].sort(), ['moving', 'sampling', 'training']);
      assert.ok(updated, 'writes were made while entries moved');
      assert.deepEqual(entriesOf(h.engine, 'Busy', 'euclidean'), { flat: 0, clustered: COUNT - 1, models: 1 });
      const { SearchResults } = await h.client.send(new SearchVectorsCommand({ ...searchInput('Busy', 'EUCLIDEAN', among[10]), TopK: 3 }));
      assert.deepEqual(SearchResults!.slice(0, 2).map((r) => [r.Item!.pk.S, r.Score]).sort(), [['item10', 0], ['item9', 0]]);
      const near11 = await h.client.send(new SearchVectorsCommand(searchInput('Busy', 'EUCLIDEAN', among[11])));
      assert.ok(!near11.SearchResults!.some((r) => r.Item!.pk.S === 'item11'), 'the deleted entry is gone');
    } finally {
      await h.close();
    }
  });

  test('an index of one dimension moves its entries a bounded batch at a time', async () => {
    // Work per entry is counted per centroid and dimension; at 1 dimension that alone would move
    // the whole index in one write (a stall of hundreds of ms at 20,000 entries).
    const h = await startHarness({ vectorClusteringMinimum: 2000 });
    try {
      await createClusteredTable(h, 'Thin', 1);
      await load(h, 'Thin', clusteredVectors(2000, 44, 1), 0, 2000);
      const movedSeen = new Set<number>();
      for (let clustering = statusOf(h.engine, 'Thin', 'cosine').clustering; clustering; clustering = statusOf(h.engine, 'Thin', 'cosine').clustering) {
        if (clustering.phase === 'moving') movedSeen.add(clustering.moved);
        await pause();
      }
      // 256 at a time: 8 writes, with requests (this loop) in between.
      assert.ok(movedSeen.size >= 4, `moves seen: ${[...movedSeen].join(', ')}`);
      assert.deepEqual(entriesOf(h.engine, 'Thin', 'cosine'), { flat: 0, clustered: 2000, models: 1 });
    } finally {
      await h.close();
    }
  });

  test('cut short by a restart on LMDB, it resumes where it stopped and ends with every entry once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dynamo-lens-ivf-'));
    const queries = clusteredVectors(10, 42, DIMENSIONS);
    try {
      const first = await startHarness({ store: 'lmdb', dataDir, vectorClusteringMinimum: COUNT });
      await createClusteredTable(first, 'Busy', DIMENSIONS);
      await load(first, 'Busy', among, 0, COUNT);
      let interrupted: { flat: number; clustered: number; models: number } | undefined;
      while (!interrupted) {
        const clustering = statusOf(first.engine, 'Busy', 'cosine').clustering;
        assert.ok(clustering, 'the clustering is still running');
        const layout = entriesOf(first.engine, 'Busy', 'cosine');
        if (clustering.phase === 'moving' && layout.clustered > 0) interrupted = layout;
        else await pause();
      }
      await first.close();
      assert.ok(interrupted.flat > 0, 'closed with entries left to move');

      const second = await startHarness({ store: 'lmdb', dataDir, vectorClusteringMinimum: COUNT });
      try {
        const reopened = entriesOf(second.engine, 'Busy', 'cosine');
        assert.equal(reopened.flat + reopened.clustered, COUNT);
        assert.equal(reopened.models, 1);
        await settled(second.engine, 'Busy');
        assert.deepEqual(entriesOf(second.engine, 'Busy', 'cosine'), { flat: 0, clustered: COUNT, models: 1 });
        const recall = await recallAt10(second, 'Busy', 'COSINE', among, queries);
        assert.ok(recall >= 0.95, `recall@10 after the resumed clustering ${recall}`);
        // New writes land where searches look.
        await second.client.send(new PutItemCommand({ TableName: 'Busy', Item: { pk: { S: 'fresh' }, tenant: { S: 't0' }, embedding: { L: numberList(queries[0]) } } }));
        const [top] = (await second.client.send(new SearchVectorsCommand({ TableName: 'Busy', IndexName: 'cosine', SearchVector: numberList(queries[0]), TopK: 1 }))).SearchResults!;
        assert.deepEqual([top.Item!.pk.S, top.Score], ['fresh', 0]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('A clustering killed with SIGKILL', () => {
  const { items: CHILD_ITEMS, dimensions: CHILD_DIMENSIONS } = CLUSTERING_CHILD;
  test('a process killed while entries move leaves every entry in one layout; the next one finishes the move', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dynamo-lens-ivf-kill-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'clusteringChild.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('moving') && resolve());
        child.once('exit', (code) => reject(new Error(`the child exited early with ${code}`)));
      });
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');

      const h = await startHarness({ store: 'lmdb', dataDir, vectorClusteringMinimum: CHILD_ITEMS });
      try {
        // The move resumes at once; whatever it has done, each entry is in exactly one layout.
        const reopened = entriesOf(h.engine, 'Busy', 'cosine');
        assert.equal(reopened.flat + reopened.clustered, CHILD_ITEMS);
        assert.equal(reopened.models, 1);
        await settled(h.engine, 'Busy');
        for (const index of ['cosine', 'euclidean', 'dot_product', 'by-tenant']) {
          assert.deepEqual(entriesOf(h.engine, 'Busy', index), { flat: 0, clustered: CHILD_ITEMS, models: 1 }, index);
        }
        const among = clusteredVectors(CHILD_ITEMS, 41, CHILD_DIMENSIONS);
        const recall = await recallAt10(h, 'Busy', 'EUCLIDEAN', among, clusteredVectors(10, 43, CHILD_DIMENSIONS));
        assert.ok(recall >= 0.95, `recall@10 after the kill ${recall}`);
      } finally {
        await h.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Clustering as an index grows and goes', () => {
  const among = clusteredVectors(1000, 51, 16);

  test('an index grown four times over is clustered again: one model, every entry under it', async () => {
    const h = await startHarness({ vectorClusteringMinimum: 200 });
    try {
      await createClusteredTable(h, 'Growing');
      await load(h, 'Growing', among, 0, 200);
      await settled(h.engine, 'Growing');
      assert.equal(statusOf(h.engine, 'Growing', 'cosine').clusters, 16);
      await load(h, 'Growing', among, 200, 1000);
      await settled(h.engine, 'Growing');
      assert.equal(statusOf(h.engine, 'Growing', 'cosine').clusters, Math.round(Math.sqrt(800)));
      assert.deepEqual(entriesOf(h.engine, 'Growing', 'cosine'), { flat: 0, clustered: 1000, models: 1 });
      const recall = await recallAt10(h, 'Growing', 'COSINE', among, clusteredVectors(20, 52, 16));
      assert.ok(recall >= 0.95, `recall@10 ${recall}`);
    } finally {
      await h.close();
    }
  });

  test('a snapshot restored before a scheduled clustering starts: the index is clustered once, not twice', async () => {
    const h = await startHarness({ vectorClusteringMinimum: 300 });
    try {
      await createClusteredTable(h, 'Restored');
      // In process, without yielding: the clustering is scheduled but has not started.
      for (let i = 0; i < 400; i++) {
        const item = { pk: { S: `item${i}` }, tenant: { S: 't0' }, category: { S: 'c0' }, embedding: { L: numberList(among[i]!) } };
        await h.engine.handle('PutItem', { TableName: 'Restored', Item: item }, CONTEXT);
      }
      const snapshot = takeSnapshot(h.engine);
      restoreSnapshot(h.engine, snapshot);
      await settled(h.engine, 'Restored');
      const uid = h.engine.db.table(CONTEXT.accountId, CONTEXT.region, 'Restored')!.vectorIndex('cosine')!.record.uid;
      assert.deepEqual(
        h.engine.db.vectorLayoutsHolding(uid).map((layout) => layout?.generation),
        [1],
        'one clustering (two jobs on one index had installed a second generation while the first drained)',
      );
      assert.deepEqual(entriesOf(h.engine, 'Restored', 'cosine'), { flat: 0, clustered: 400, models: 1 });
    } finally {
      await h.close();
    }
  });

  test('deleting the index while it is clustered stops the clustering and leaves none of its entries', async () => {
    const h = await startHarness({ vectorClusteringMinimum: 1000 });
    try {
      await createClusteredTable(h, 'Going', 256);
      const vectors = clusteredVectors(1000, 53, 256);
      await load(h, 'Going', vectors, 0, 1000);
      assert.ok(statusOf(h.engine, 'Going', 'dot_product').clustering, 'the clustering runs');
      const uid = h.engine.db.table(CONTEXT.accountId, CONTEXT.region, 'Going')!.vectorIndex('dot_product')!.record.uid;
      await h.client.send(new UpdateTableCommand({ TableName: 'Going', VectorIndexUpdates: [{ Delete: { IndexName: 'dot_product' } }] }));
      await settled(h.engine, 'Going');
      // The deleted index's entries are dropped in the background too.
      const left = () =>
        [VECTOR_ENTRIES, VECTOR_CLUSTERED_ENTRIES, VECTOR_CLUSTER_MODELS].map((tag) => {
          const prefix = Buffer.alloc(5);
          prefix[0] = tag;
          prefix.writeUInt32BE(uid, 1);
          return [...h.engine.store.range(prefix, prefixEnd(prefix), false, false)].length;
        });
      for (let tries = 0; tries < 200 && left().some((n) => n > 0); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(left(), [0, 0, 0]);
    } finally {
      await h.close();
    }
  });
});
