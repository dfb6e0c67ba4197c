/**
 * DynamoDB Streams end to end: items written through the DynamoDB SDK, read back through the
 * real @aws-sdk/client-dynamodb-streams against the engine's HTTP endpoint.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type DynamoDBClient,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  ListStreamsCommand,
  type _Record,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';
import { decodeIterator, encodeIterator } from './iterators.ts';

function streamsClient(url: string, region = 'us-east-1'): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

async function createStreamTable(client: DynamoDBClient, name: string, viewType: StreamViewType = 'NEW_AND_OLD_IMAGES'): Promise<string> {
  const out = await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  return out.TableDescription!.LatestStreamArn!;
}

async function shardIds(streams: DynamoDBStreamsClient, arn: string): Promise<string[]> {
  const out = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return out.StreamDescription!.Shards!.map((s) => s.ShardId!);
}

async function iterator(streams: DynamoDBStreamsClient, arn: string, shardId: string, type: ShardIteratorType = 'TRIM_HORIZON', seq?: string): Promise<string> {
  const out = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: seq }));
  return out.ShardIterator!;
}

/** Every record from the iterator until the shard reports no more (or an empty page on an open shard). */
async function drain(streams: DynamoDBStreamsClient, start: string): Promise<{ records: _Record[]; next?: string }> {
  const records: _Record[] = [];
  let current: string | undefined = start;
  while (current) {
    const page: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: current }));
    records.push(...page.Records!);
    if (page.Records!.length === 0) return { records, next: page.NextShardIterator };
    current = page.NextShardIterator;
  }
  return { records };
}

async function allRecords(streams: DynamoDBStreamsClient, arn: string): Promise<_Record[]> {
  const records: _Record[] = [];
  for (const id of await shardIds(streams, arn)) records.push(...(await drain(streams, await iterator(streams, arn, id))).records);
  return records;
}

const put = (client: DynamoDBClient, table: string, pk: string, sk: number, extra: Record<string, { S: string }> = {}) =>
  client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { N: String(sk) }, ...extra } }));

describe('DynamoDB Streams through the AWS SDK', () => {
  let h: Harness;
  let streams: DynamoDBStreamsClient;
  before(async () => {
    h = await startHarness({ ttlSweepIntervalMs: 0 });
    streams = streamsClient(h.endpoint.url);
  });
  after(async () => {
    streams.destroy();
    await h.close();
  });

  test('put, update, delete emit INSERT, MODIFY, REMOVE in commit order; a no-op write emits nothing', async () => {
    const arn = await createStreamTable(h.client, 'Orders');
    assert.match(arn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/Orders\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    const table = await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    assert.equal(table.Table!.LatestStreamArn, arn);
    assert.deepEqual(table.Table!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });

    await put(h.client, 'Orders', 'a', 1, { state: { S: 'new' } });
    await h.client.send(
      new UpdateItemCommand({
        TableName: 'Orders',
        Key: { pk: { S: 'a' }, sk: { N: '1' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':s': { S: 'paid' } },
      }),
    );
    await put(h.client, 'Orders', 'a', 1, { state: { S: 'paid' } }); // identical: no record
    await h.client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } }));
    await h.client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: { S: 'a' }, sk: { N: '1' } } })); // nothing to delete

    const description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    assert.equal(description.StreamStatus, 'ENABLED');
    assert.equal(description.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.equal(description.TableName, 'Orders');
    assert.deepEqual(description.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.ok(description.CreationRequestDateTime instanceof Date);
    assert.equal(description.Shards!.length, 1);
    assert.match(description.Shards![0].ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.equal(description.Shards![0].SequenceNumberRange!.EndingSequenceNumber, undefined);

    const first = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streams, arn, description.Shards![0].ShardId!) }));
    const records = first.Records!;
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    assert.equal(insert.eventVersion, '1.1');
    assert.equal(insert.eventSource, 'aws:dynamodb');
    assert.equal(insert.awsRegion, 'us-east-1');
    assert.match(insert.eventID!, /^[0-9a-f]{32}$/);
    assert.equal(insert.userIdentity, undefined);
    assert.deepEqual(insert.dynamodb!.Keys, { pk: { S: 'a' }, sk: { N: '1' } });
    assert.deepEqual(insert.dynamodb!.NewImage, { pk: { S: 'a' }, sk: { N: '1' }, state: { S: 'new' } });
    assert.equal(insert.dynamodb!.OldImage, undefined);
    assert.deepEqual(modify.dynamodb!.OldImage!.state, { S: 'new' });
    assert.deepEqual(modify.dynamodb!.NewImage!.state, { S: 'paid' });
    assert.deepEqual(remove.dynamodb!.OldImage!.state, { S: 'paid' });
    assert.equal(remove.dynamodb!.NewImage, undefined);
    assert.ok(insert.dynamodb!.ApproximateCreationDateTime instanceof Date);
    assert.ok(insert.dynamodb!.SizeBytes! > 0);
    const seqs = records.map((r) => r.dynamodb!.SequenceNumber!);
    for (const seq of seqs) assert.match(seq, /^\d{21}$/);
    assert.ok(seqs[0] < seqs[1] && seqs[1] < seqs[2]);
    assert.equal(seqs[0] >= description.Shards![0].SequenceNumberRange!.StartingSequenceNumber!, true);

    // The open shard keeps handing out iterators; nothing new means an empty page.
    const next = await streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    assert.deepEqual(next.Records, []);
    assert.ok(next.NextShardIterator);
    await put(h.client, 'Orders', 'b', 2);
    const later = await streams.send(new GetRecordsCommand({ ShardIterator: next.NextShardIterator }));
    assert.deepEqual(later.Records!.map((r) => r.dynamodb!.Keys!.pk.S), ['b']);
  });

  test('every view type carries the images it promises', async () => {
    const expected: Record<string, { insertNew: boolean; modifyOld: boolean }> = {
      KEYS_ONLY: { insertNew: false, modifyOld: false },
      NEW_IMAGE: { insertNew: true, modifyOld: false },
      OLD_IMAGE: { insertNew: false, modifyOld: true },
      NEW_AND_OLD_IMAGES: { insertNew: true, modifyOld: true },
    };
    for (const [viewType, want] of Object.entries(expected)) {
      const name = `View_${viewType}`;
      const arn = await createStreamTable(h.client, name, viewType as StreamViewType);
      await put(h.client, name, 'k', 1, { v: { S: 'one' } });
      await put(h.client, name, 'k', 1, { v: { S: 'two' } });
      await h.client.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'k' }, sk: { N: '1' } } }));
      const [insert, modify, remove] = await allRecords(streams, arn);
      for (const r of [insert, modify, remove]) {
        assert.equal(r.dynamodb!.StreamViewType, viewType);
        assert.deepEqual(r.dynamodb!.Keys, { pk: { S: 'k' }, sk: { N: '1' } });
      }
      assert.equal(insert.dynamodb!.NewImage !== undefined, want.insertNew, `${viewType} INSERT NewImage`);
      assert.equal(insert.dynamodb!.OldImage, undefined);
      assert.equal(modify.dynamodb!.NewImage?.v?.S, want.insertNew ? 'two' : undefined, `${viewType} MODIFY NewImage`);
      assert.equal(modify.dynamodb!.OldImage?.v?.S, want.modifyOld ? 'one' : undefined, `${viewType} MODIFY OldImage`);
      assert.equal(remove.dynamodb!.NewImage, undefined);
      assert.equal(remove.dynamodb!.OldImage?.v?.S, want.modifyOld ? 'two' : undefined, `${viewType} REMOVE OldImage`);
    }
  });

  test('iterator types: LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER', async () => {
    const arn = await createStreamTable(h.client, 'Positions', 'KEYS_ONLY');
    for (let i = 1; i <= 3; i++) await put(h.client, 'Positions', 'p', i);
    const [shard] = await shardIds(streams, arn);
    const latest = await iterator(streams, arn, shard, 'LATEST');
    const records = await allRecords(streams, arn);
    assert.equal(records.length, 3);
    const second = records[1].dynamodb!.SequenceNumber!;

    const at = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streams, arn, shard, 'AT_SEQUENCE_NUMBER', second) }));
    assert.deepEqual(at.Records!.map((r) => r.dynamodb!.Keys!.sk.N), ['2', '3']);
    const afterSecond = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streams, arn, shard, 'AFTER_SEQUENCE_NUMBER', second) }));
    assert.deepEqual(afterSecond.Records!.map((r) => r.dynamodb!.Keys!.sk.N), ['3']);
    const limited = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streams, arn, shard), Limit: 2 }));
    assert.deepEqual(limited.Records!.map((r) => r.dynamodb!.Keys!.sk.N), ['1', '2']);

    assert.deepEqual((await streams.send(new GetRecordsCommand({ ShardIterator: latest }))).Records, []);
    await put(h.client, 'Positions', 'p', 4);
    const fromLatest = await streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    assert.deepEqual(fromLatest.Records!.map((r) => r.dynamodb!.Keys!.sk.N), ['4']);
  });

  test('ListStreams filters by table and pages with ExclusiveStartStreamArn', async () => {
    await createStreamTable(h.client, 'ListA');
    await createStreamTable(h.client, 'ListB');
    const all = (await streams.send(new ListStreamsCommand({}))).Streams!;
    assert.ok(all.some((s) => s.TableName === 'ListA') && all.some((s) => s.TableName === 'ListB'));
    const onlyA = (await streams.send(new ListStreamsCommand({ TableName: 'ListA' }))).Streams!;
    assert.equal(onlyA.length, 1);
    assert.deepEqual(Object.keys(onlyA[0]).sort(), ['StreamArn', 'StreamLabel', 'TableName']);
    const page = await streams.send(new ListStreamsCommand({ Limit: 1 }));
    assert.equal(page.Streams!.length, 1);
    assert.equal(page.LastEvaluatedStreamArn, page.Streams![0].StreamArn);
    const rest = await streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: page.LastEvaluatedStreamArn }));
    assert.equal(rest.Streams!.length, all.length - 1);
    // Streams are namespaced by region like their tables.
    const westClient = streamsClient(h.endpoint.url, 'eu-west-1');
    assert.deepEqual((await westClient.send(new ListStreamsCommand({}))).Streams, []);
    westClient.destroy();
  });

  test('disabling closes the stream; re-enabling opens a new ARN while the old one stays readable', async () => {
    const oldArn = await createStreamTable(h.client, 'Toggle', 'NEW_IMAGE');
    await put(h.client, 'Toggle', 'x', 1);
    await h.client.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: false } }));
    await put(h.client, 'Toggle', 'x', 2); // stream off: not recorded anywhere
    const disabled = (await streams.send(new DescribeStreamCommand({ StreamArn: oldArn }))).StreamDescription!;
    assert.equal(disabled.StreamStatus, 'DISABLED');
    assert.ok(disabled.Shards![0].SequenceNumberRange!.EndingSequenceNumber);

    const updated = await h.client.send(
      new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    );
    const newArn = updated.TableDescription!.LatestStreamArn!;
    assert.notEqual(newArn, oldArn);
    await put(h.client, 'Toggle', 'x', 3);

    // The closed shard is read to its end: its last page carries no NextShardIterator.
    const [oldShard] = await shardIds(streams, oldArn);
    const oldPage = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streams, oldArn, oldShard) }));
    assert.deepEqual(oldPage.Records!.map((r) => r.dynamodb!.Keys!.sk.N), ['1']);
    assert.equal(oldPage.NextShardIterator, undefined);
    const newRecords = await allRecords(streams, newArn);
    assert.deepEqual(newRecords.map((r) => [r.dynamodb!.Keys!.sk.N, r.dynamodb!.StreamViewType]), [['3', 'KEYS_ONLY']]);
    const listed = (await streams.send(new ListStreamsCommand({ TableName: 'Toggle' }))).Streams!.map((s) => s.StreamArn);
    assert.deepEqual(listed, [oldArn, newArn]);
  });

  test('a stream disabled and re-enabled at once still gets a new ARN and keeps recording', async () => {
    const first = await createStreamTable(h.client, 'Flip', 'KEYS_ONLY');
    const ctx = { region: 'us-east-1', accountId: '000000000000' };
    await h.engine.handle('UpdateTable', { TableName: 'Flip', StreamSpecification: { StreamEnabled: false } }, ctx);
    const out = (await h.engine.handle('UpdateTable', { TableName: 'Flip', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }, ctx)) as {
      TableDescription: { LatestStreamArn: string };
    };
    const second = out.TableDescription.LatestStreamArn;
    assert.notEqual(second, first);
    await put(h.client, 'Flip', 'f', 1);
    assert.deepEqual((await allRecords(streams, second)).map((r) => r.dynamodb!.Keys!.pk.S), ['f']);
  });

  test('shards roll over with lineage; the parent is read to its end, the child continues', async () => {
    const arn = await createStreamTable(h.client, 'Rolling', 'KEYS_ONLY');
    await put(h.client, 'Rolling', 'r', 1);
    await put(h.client, 'Rolling', 'r', 2);
    const [parentId] = await shardIds(streams, arn);
    const parentIterator = await iterator(streams, arn, parentId);
    assert.equal(await h.engine.background.streams.rollover(Date.now(), true, arn), 1);
    await put(h.client, 'Rolling', 'r', 3);

    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!;
    assert.equal(shards.length, 2);
    assert.equal(shards[0].ShardId, parentId);
    assert.ok(shards[0].SequenceNumberRange!.EndingSequenceNumber);
    assert.equal(shards[1].ParentShardId, parentId);
    assert.equal(shards[1].SequenceNumberRange!.EndingSequenceNumber, undefined);
    assert.ok(shards[1].SequenceNumberRange!.StartingSequenceNumber! > shards[0].SequenceNumberRange!.EndingSequenceNumber!);

    const parent = await streams.send(new GetRecordsCommand({ ShardIterator: parentIterator }));
    assert.deepEqual(parent.Records!.map((r) => r.dynamodb!.Keys!.sk.N), ['1', '2']);
    assert.equal(parent.NextShardIterator, undefined);
    const child = await drain(streams, await iterator(streams, arn, shards[1].ShardId!));
    assert.deepEqual(child.records.map((r) => r.dynamodb!.Keys!.sk.N), ['3']);

    // A shard that received nothing is not rolled over.
    assert.equal(await h.engine.background.streams.rollover(Date.now(), true, arn), 1);
    assert.equal(await h.engine.background.streams.rollover(Date.now(), true, arn), 0);
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 2 }));
    assert.equal(page.StreamDescription!.Shards!.length, 2);
    assert.equal(page.StreamDescription!.LastEvaluatedShardId, page.StreamDescription!.Shards![1].ShardId);
    const rest = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: page.StreamDescription!.LastEvaluatedShardId }));
    assert.equal(rest.StreamDescription!.Shards!.length, 1);
  });

  test('batch and transaction writes are recorded like single writes', async () => {
    const arn = await createStreamTable(h.client, 'Bulk', 'NEW_IMAGE');
    await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          Bulk: [1, 2, 3].map((n) => ({ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: String(n) } } } })),
        },
      }),
    );
    await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'Bulk', Item: { pk: { S: 't' }, sk: { N: '1' } } } },
          { Delete: { TableName: 'Bulk', Key: { pk: { S: 'b' }, sk: { N: '1' } } } },
        ],
      }),
    );
    const records = await allRecords(streams, arn);
    assert.deepEqual(
      records.map((r) => `${r.eventName} ${r.dynamodb!.Keys!.pk.S}${r.dynamodb!.Keys!.sk.N}`),
      ['INSERT b1', 'INSERT b2', 'INSERT b3', 'INSERT t1', 'REMOVE b1'],
    );
  });

  test('a deleted table leaves its stream DISABLED and readable', async () => {
    const arn = await createStreamTable(h.client, 'Doomed', 'KEYS_ONLY');
    await put(h.client, 'Doomed', 'd', 1);
    await h.client.send(new DeleteTableCommand({ TableName: 'Doomed' }));
    const description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    assert.equal(description.StreamStatus, 'DISABLED');
    assert.equal(description.TableName, 'Doomed');
    assert.deepEqual((await allRecords(streams, arn)).map((r) => r.dynamodb!.Keys!.pk.S), ['d']);
  });

  test('errors: unknown stream or shard, bad iterators, expired and trimmed data', async () => {
    const arn = await createStreamTable(h.client, 'Errors', 'KEYS_ONLY');
    const [shard] = await shardIds(streams, arn);
    const missing = arn.replace('Errors', 'Nowhere');
    const notFound = await errorOf(() => streams.send(new DescribeStreamCommand({ StreamArn: missing })));
    assert.equal(notFound.name, 'ResourceNotFoundException');
    assert.equal(notFound.message, `Requested resource not found: Stream: ${missing} not found`);
    const noShard = await errorOf(() => iterator(streams, arn, 'shardId-00000000000000000000-00000000'));
    assert.equal(noShard.name, 'ResourceNotFoundException');

    const garbage = await errorOf(() => streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })));
    assert.equal(garbage.name, 'ValidationException');
    assert.equal(garbage.message, 'Invalid ShardIterator');
    const badType = await errorOf(() => iterator(streams, arn, shard, 'SIDEWAYS' as ShardIteratorType));
    assert.equal(badType.name, 'ValidationException');
    assert.match(badType.message, /^1 validation error detected: Value 'SIDEWAYS' at 'shardIteratorType' failed to satisfy constraint/);
    const noSeq = await errorOf(() => iterator(streams, arn, shard, 'AT_SEQUENCE_NUMBER'));
    assert.equal(noSeq.name, 'ValidationException');
    const badLimit = await errorOf(async () => streams.send(new GetRecordsCommand({ ShardIterator: await iterator(streams, arn, shard), Limit: 1001 })));
    assert.equal(badLimit.name, 'ValidationException');

    // Iterators expire 15 minutes after issue.
    const fresh = decodeIterator(await iterator(streams, arn, shard));
    const stale = encodeIterator({ ...fresh, issuedAt: Date.now() - 16 * 60 * 1000 });
    const expired = await errorOf(() => streams.send(new GetRecordsCommand({ ShardIterator: stale })));
    assert.equal(expired.name, 'ExpiredIteratorException');
    assert.equal(expired.message, 'The provided iterator exceeds the maximum age allowed.');

    // Records past retention are trimmed; an iterator that points at them fails, TRIM_HORIZON moves on.
    await put(h.client, 'Errors', 'e', 1);
    const [old] = await allRecords(streams, arn);
    const beforeTrim = await iterator(streams, arn, shard);
    await put(h.client, 'Errors', 'e', 2);
    const trimmed = await h.engine.background.streams.trim(Date.now() + 24 * 60 * 60 * 1000 + 1);
    assert.ok(trimmed >= 2);
    const trimmedError = await errorOf(() => streams.send(new GetRecordsCommand({ ShardIterator: beforeTrim })));
    assert.equal(trimmedError.name, 'TrimmedDataAccessException');
    const atOld = await errorOf(() => iterator(streams, arn, shard, 'AT_SEQUENCE_NUMBER', old.dynamodb!.SequenceNumber));
    assert.equal(atOld.name, 'TrimmedDataAccessException');
    await put(h.client, 'Errors', 'e', 3);
    assert.deepEqual((await drain(streams, await iterator(streams, arn, shard))).records.map((r) => r.dynamodb!.Keys!.sk.N), ['3']);
  });
});

describe('DynamoDB Streams across an engine restart on LMDB', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dynamo-lens-streams-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('iterators issued before the restart keep working and no record is lost', async () => {
    let h = await startHarness({ store: 'lmdb', dataDir, ttlSweepIntervalMs: 0 });
    let streams = streamsClient(h.endpoint.url);
    const arn = await createStreamTable(h.client, 'Durable', 'NEW_IMAGE');
    for (let i = 1; i <= 5; i++) await put(h.client, 'Durable', 'd', i);
    const [shard] = await shardIds(streams, arn);
    const fromStart = await iterator(streams, arn, shard);
    const firstPage = await streams.send(new GetRecordsCommand({ ShardIterator: fromStart, Limit: 3 }));
    const resumeAt = firstPage.NextShardIterator!;
    const latest = await iterator(streams, arn, shard, 'LATEST');
    const seqsBefore = (await allRecords(streams, arn)).map((r) => r.dynamodb!.SequenceNumber!);
    streams.destroy();
    await h.close();

    h = await startHarness({ store: 'lmdb', dataDir, ttlSweepIntervalMs: 0 });
    streams = streamsClient(h.endpoint.url);
    try {
      for (let i = 6; i <= 7; i++) await put(h.client, 'Durable', 'd', i);
      const resumed = await drain(streams, resumeAt);
      assert.deepEqual(resumed.records.map((r) => r.dynamodb!.Keys!.sk.N), ['4', '5', '6', '7']);
      const fromLatest = await drain(streams, latest);
      assert.deepEqual(fromLatest.records.map((r) => r.dynamodb!.Keys!.sk.N), ['6', '7']);
      const all = await allRecords(streams, arn);
      assert.deepEqual(all.slice(0, 5).map((r) => r.dynamodb!.SequenceNumber), seqsBefore);
      const seqs = all.map((r) => r.dynamodb!.SequenceNumber!);
      assert.deepEqual([...seqs].sort(), seqs, 'sequence numbers keep increasing after the restart');
      assert.equal(new Set(seqs).size, 7);
      assert.equal((await shardIds(streams, arn))[0], shard);
    } finally {
      streams.destroy();
      await h.close();
    }
  });
});
