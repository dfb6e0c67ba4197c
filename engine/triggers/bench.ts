/**
 * What stream triggers cost and how quickly they react, in-process on the in-memory engine:
 *
 * - throughput: records per second delivered to a no-op module handler, for a backlog written
 *   while the trigger was paused (BatchSize 100, Lambda's default, and 1,000);
 * - latency: from a PutItem to the start of the handler invocation that receives it, p50 and
 *   p99, with the default poll interval (250 ms), for writes spread out in time. The handler
 *   reads the clock when it starts and logs each record's delay; the bench reads those logs back
 *   from the trigger's invocation list.
 *
 *   node --import tsx engine/triggers/bench.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine, type Engine } from '../engine.ts';
import { TriggerManager } from './manager.ts';

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

export interface TriggerBench {
  recordsPerSecBatch100: number;
  recordsPerSecBatch1000: number;
  writeToHandlerP50Ms: number;
  writeToHandlerP99Ms: number;
}

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('trigger bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function createTable(engine: Engine, name: string): Promise<void> {
  await engine.handle(
    'CreateTable',
    {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    CONTEXT,
  );
}

async function throughput(engine: Engine, manager: TriggerManager, handler: string, batchSize: number): Promise<number> {
  const table = `Throughput${batchSize}`;
  await createTable(engine, table);
  const { definition } = await manager.put({ tableName: table, handler: { kind: 'module', path: handler }, settings: { BatchSize: batchSize } });
  // One record first, so the worker is started and warm before the clock runs.
  await engine.handle('PutItem', { TableName: table, Item: { id: { S: 'warm-up' } } }, CONTEXT);
  await until(() => manager.get(definition.id).runtime.recordsDelivered >= 1, 30_000);
  await manager.setEnabled(definition.id, false);
  const count = 20_000;
  for (let i = 0; i < count; i += 25) {
    const requests = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { S: `item-${i + j}` }, payload: { S: 'x'.repeat(200) } } } }));
    await engine.handle('BatchWriteItem', { RequestItems: { [table]: requests } }, CONTEXT);
  }
  const started = performance.now();
  await manager.setEnabled(definition.id, true);
  await until(() => manager.get(definition.id).runtime.recordsDelivered >= count + 1, 120_000);
  const seconds = (performance.now() - started) / 1000;
  await manager.delete(definition.id);
  return Math.round(count / seconds);
}

async function latency(engine: Engine, manager: TriggerManager, handler: string): Promise<{ p50: number; p99: number }> {
  await createTable(engine, 'Latency');
  const { definition } = await manager.put({ tableName: 'Latency', handler: { kind: 'module', path: handler }, settings: { BatchSize: 100 } });
  await engine.handle('PutItem', { TableName: 'Latency', Item: { id: { S: 'warm-up' }, t: { N: String(performance.timeOrigin + performance.now()) } } }, CONTEXT);
  await until(() => manager.get(definition.id).runtime.recordsDelivered >= 1, 30_000);
  const count = 300;
  for (let i = 0; i < count; i++) {
    await engine.handle('PutItem', { TableName: 'Latency', Item: { id: { S: `item-${i}` }, t: { N: String(performance.timeOrigin + performance.now()) } } }, CONTEXT);
    // Writes spread over about 3 s, at moments unrelated to the poll.
    await new Promise((resolve) => setTimeout(resolve, 5 + (i % 7) * 2));
  }
  await until(() => manager.get(definition.id).runtime.recordsDelivered >= count + 1, 30_000);
  const delays = manager
    .invocations(definition.id)
    .flatMap((invocation) => invocation.logs.map((line) => JSON.parse(line.slice(line.lastIndexOf('\t') + 1)) as number[]))
    .flat()
    .sort((a, b) => a - b);
  await manager.delete(definition.id);
  // The warm-up record waited for the worker to start: it is not a delay of a warm trigger.
  delays.pop();
  return { p50: Math.round(percentile(delays, 50) * 10) / 10, p99: Math.round(percentile(delays, 99) * 10) / 10 };
}

export async function benchTriggers(): Promise<TriggerBench> {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-lens-trigger-bench-'));
  const noop = join(dir, 'noop.mjs');
  writeFileSync(noop, 'export const handler = async () => {};');
  const timing = join(dir, 'timing.mjs');
  writeFileSync(
    timing,
    `export const handler = async (event) => {
       const now = performance.timeOrigin + performance.now();
       console.log(JSON.stringify(event.Records.map((r) => now - Number(r.dynamodb.NewImage.t.N))));
     };`,
  );
  const engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });
  const manager = new TriggerManager({ engine, maxInvocations: 1000 });
  try {
    const recordsPerSecBatch100 = await throughput(engine, manager, noop, 100);
    const recordsPerSecBatch1000 = await throughput(engine, manager, noop, 1000);
    const { p50, p99 } = await latency(engine, manager, timing);
    return { recordsPerSecBatch100, recordsPerSecBatch1000, writeToHandlerP50Ms: p50, writeToHandlerP99Ms: p99 };
  } finally {
    await manager.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchTriggers());
}
