/**
 * What DynamoDB Streams costs: PutItem throughput with streams off and on (NEW_AND_OLD_IMAGES,
 * the most expensive view), and GetRecords throughput in records per second. Measured in-process
 * through engine.handle on the in-memory store, so the figures show the engine's own work and not
 * HTTP or disk sync. Target: streams on at most 25% slower than off.
 *
 *   node --import tsx engine/streams/bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine, type Engine } from '../engine.ts';

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

async function createTable(engine: Engine, name: string, streams: boolean): Promise<string | undefined> {
  const out = (await engine.handle(
    'CreateTable',
    {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(streams ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    },
    CONTEXT,
  )) as { TableDescription: { LatestStreamArn?: string } };
  return out.TableDescription.LatestStreamArn;
}

function item(i: number): Record<string, unknown> {
  return {
    id: { S: `item-${i % 5000}` },
    name: { S: `customer ${i}` },
    count: { N: String(i) },
    tags: { SS: ['a', 'b', `t${i % 7}`] },
    address: { M: { city: { S: 'Lisbon' }, zip: { S: '1000-001' } } },
  };
}

/** Puts per second for `count` PutItems (a mix of inserts and overwrites). */
async function putRate(engine: Engine, table: string, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await engine.handle('PutItem', { TableName: table, Item: item(i) }, CONTEXT);
  return count / ((performance.now() - started) / 1000);
}

export async function benchStreams(
  store: 'memory' | 'lmdb' = 'memory',
): Promise<{ putPerSecStreamsOff: number; putPerSecStreamsOn: number; getRecordsPerSec: number }> {
  const dataDir = store === 'lmdb' ? mkdtempSync(join(tmpdir(), 'dynamo-lens-bench-')) : undefined;
  const engine = await openEngine({ inMemory: store === 'memory', dataDir, ttlSweepIntervalMs: 0 });
  try {
    await createTable(engine, 'BenchOff', false);
    const arn = (await createTable(engine, 'BenchOn', true))!;
    const count = 20_000;
    // Warm both paths first so the JIT treats them alike, then alternate the measured rounds.
    await putRate(engine, 'BenchOff', 2000);
    await putRate(engine, 'BenchOn', 2000);
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < 3; round++) {
      off.push(await putRate(engine, 'BenchOff', count));
      on.push(await putRate(engine, 'BenchOn', count));
    }
    const best = (rates: number[]) => Math.max(...rates);

    const description = (await engine.handle('DynamoDBStreams.DescribeStream', { StreamArn: arn }, CONTEXT)) as {
      StreamDescription: { Shards: { ShardId: string }[] };
    };
    const started = performance.now();
    let records = 0;
    for (const shard of description.StreamDescription.Shards) {
      let iterator = ((await engine.handle(
        'DynamoDBStreams.GetShardIterator',
        { StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' },
        CONTEXT,
      )) as { ShardIterator: string }).ShardIterator as string | undefined;
      while (iterator) {
        const page = (await engine.handle('DynamoDBStreams.GetRecords', { ShardIterator: iterator, Limit: 1000 }, CONTEXT)) as {
          Records: unknown[];
          NextShardIterator?: string;
        };
        records += page.Records.length;
        iterator = page.Records.length > 0 ? page.NextShardIterator : undefined;
      }
    }
    const getRecordsPerSec = records / ((performance.now() - started) / 1000);
    return { putPerSecStreamsOff: Math.round(best(off)), putPerSecStreamsOn: Math.round(best(on)), getRecordsPerSec: Math.round(getRecordsPerSec) };
  } finally {
    await engine.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchStreams(process.argv[2] === 'lmdb' ? 'lmdb' : 'memory');
  const slowdown = 1 - result.putPerSecStreamsOn / result.putPerSecStreamsOff;
  console.log({ ...result, streamsOnSlowdown: `${(slowdown * 100).toFixed(1)}%` });
}
