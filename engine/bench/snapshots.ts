/**
 * Snapshot, restore and reset of an in-memory engine (what the test-suite API calls before every
 * test), in process: a table of N ~200 B items with a GSI, then the median of repeated
 * snapshot(), restore() after a test's worth of writes (100 PutItems), and reset(). Then the
 * same table on LMDB: `dynamo-lens snapshot create` of the data directory, and its restore into
 * a new directory.
 *
 * Run as a child; input `{ "items": N }` on stdin, one JSON line out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine.ts';
import { openEngine } from '../engine.ts';
import { createSnapshot, restoreSnapshot as restoreDataDirSnapshot } from '../storage/dataDirSnapshots.ts';
import { emptyAllTables, restoreSnapshot, takeSnapshot } from '../snapshots.ts';
import { BATCH_SIZE, smallItem } from './workload.ts';

export interface SnapshotResult {
  items: number;
  snapshotMs: number;
  restoreMs: number;
  resetMs: number;
  /** The same items on LMDB: a snapshot of the data directory, and its restore into a new one. */
  diskSnapshotMs: number;
  diskRestoreMs: number;
}

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function createSeeded(engine: Engine, count: number): Promise<void> {
  await engine.handle(
    'CreateTable',
    {
      TableName: 'Seeded',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'label', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byLabel', KeySchema: [{ AttributeName: 'label', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    CONTEXT,
  );
  const load = async (prefix: string, n: number) => {
    for (let i = 0; i < n; i += BATCH_SIZE) {
      const requests = [];
      for (let j = i; j < Math.min(n, i + BATCH_SIZE); j++) requests.push({ PutRequest: { Item: smallItem(`${prefix}-${String(j).padStart(8, '0')}`) } });
      await engine.handle('BatchWriteItem', { RequestItems: { Seeded: requests } }, CONTEXT);
    }
  };
  await load('seed', count);
}

async function run(count: number): Promise<SnapshotResult> {
  const engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });
  await createSeeded(engine, count);
  const snapshotRuns: number[] = [];
  const restoreRuns: number[] = [];
  let snapshot = takeSnapshot(engine);
  for (let run = 0; run < 21; run++) {
    let started = performance.now();
    snapshot = takeSnapshot(engine);
    snapshotRuns.push(performance.now() - started);
    for (let i = 0; i < 100; i++) await engine.handle('PutItem', { TableName: 'Seeded', Item: smallItem(`seed-${String(i * 97).padStart(8, '0')}`) }, CONTEXT);
    started = performance.now();
    restoreSnapshot(engine, snapshot);
    restoreRuns.push(performance.now() - started);
  }
  const resetRuns: number[] = [];
  for (let run = 0; run < 5; run++) {
    restoreSnapshot(engine, snapshot);
    const started = performance.now();
    await emptyAllTables(engine);
    resetRuns.push(performance.now() - started);
  }
  await engine.close();
  return { items: count, snapshotMs: median(snapshotRuns), restoreMs: median(restoreRuns), resetMs: median(resetRuns), ...(await onDisk(count)) };
}

async function onDisk(count: number): Promise<Pick<SnapshotResult, 'diskSnapshotMs' | 'diskRestoreMs'>> {
  const scratch = mkdtempSync(join(tmpdir(), 'dynamo-lens-snapshot-bench-'));
  try {
    const dataDir = join(scratch, 'data');
    const engine = await openEngine({ dataDir, ttlSweepIntervalMs: 0 });
    await createSeeded(engine, count);
    await engine.close();
    let started = performance.now();
    await createSnapshot(dataDir, 'bench');
    const diskSnapshotMs = performance.now() - started;
    started = performance.now();
    await restoreDataDirSnapshot(dataDir, 'bench', join(scratch, 'restored'));
    return { diskSnapshotMs, diskRestoreMs: performance.now() - started };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const { items } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: number };
  process.stdout.write(JSON.stringify(await run(items)) + '\n');
});
