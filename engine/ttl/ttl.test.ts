/**
 * Time to Live end to end: UpdateTimeToLive/DescribeTimeToLive through the AWS SDK, the sweeper
 * deleting expired items (with indexes and the stream kept right), and its bounded, resumable
 * passes.
 */
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';
import { TtlSweeper } from './sweeper.ts';

async function createTable(client: DynamoDBClient, name: string, stream = false): Promise<string | undefined> {
  const out = await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'group', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'group', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' as const } } : {}),
    }),
  );
  return out.TableDescription!.LatestStreamArn;
}

const enableTtl = (client: DynamoDBClient, table: string, attribute = 'expires') =>
  client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }));

const nowSeconds = () => Math.floor(Date.now() / 1000);
const putItem = (client: DynamoDBClient, table: string, id: string, expires?: { N: string } | { S: string }) =>
  client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, group: { S: 'g' }, ...(expires ? { expires } : {}) } }));

describe('Time to Live through the AWS SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ttlSweepIntervalMs: 0 });
  });
  after(() => h.close());

  test('UpdateTimeToLive and DescribeTimeToLive with DynamoDB messages', async () => {
    await createTable(h.client, 'TtlConfig');
    const describe = async () => (await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'TtlConfig' }))).TimeToLiveDescription;
    assert.deepEqual(await describe(), { TimeToLiveStatus: 'DISABLED' });

    const disabledAlready = await errorOf(() =>
      h.client.send(new UpdateTimeToLiveCommand({ TableName: 'TtlConfig', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } })),
    );
    assert.equal(disabledAlready.name, 'ValidationException');
    assert.equal(disabledAlready.message, 'TimeToLive is already disabled');

    const enabled = await enableTtl(h.client, 'TtlConfig');
    assert.deepEqual(enabled.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    assert.deepEqual(await describe(), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });

    const again = await errorOf(() => enableTtl(h.client, 'TtlConfig'));
    assert.equal(again.message, 'TimeToLive is already enabled');
    const other = await errorOf(() => enableTtl(h.client, 'TtlConfig', 'other'));
    assert.equal(other.message, 'TimeToLive is active on a different AttributeName: current AttributeName is expires');
    const wrongDisable = await errorOf(() =>
      h.client.send(new UpdateTimeToLiveCommand({ TableName: 'TtlConfig', TimeToLiveSpecification: { Enabled: false, AttributeName: 'other' } })),
    );
    assert.equal(wrongDisable.message, 'TimeToLive is active on a different AttributeName: current AttributeName is expires');

    await h.client.send(new UpdateTimeToLiveCommand({ TableName: 'TtlConfig', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } }));
    assert.deepEqual(await describe(), { TimeToLiveStatus: 'DISABLED' });

    const missing = await errorOf(() => enableTtl(h.client, 'NoSuchTable'));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const invalid = await errorOf(() =>
      h.client.send(new UpdateTimeToLiveCommand({ TableName: 'TtlConfig', TimeToLiveSpecification: { Enabled: true, AttributeName: '' } })),
    );
    assert.equal(invalid.name, 'ValidationException');
    assert.match(invalid.message, /at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1/);
  });

  test('the sweeper deletes expired Number expiries only, keeps indexes right and records service REMOVEs', async () => {
    const arn = (await createTable(h.client, 'Sessions', true))!;
    await enableTtl(h.client, 'Sessions');
    const now = nowSeconds();
    await putItem(h.client, 'Sessions', 'expired', { N: String(now - 60) });
    await putItem(h.client, 'Sessions', 'future', { N: String(now + 3600) });
    await putItem(h.client, 'Sessions', 'text', { S: String(now - 60) });
    await putItem(h.client, 'Sessions', 'ancient', { N: String(now - 6 * 365 * 24 * 3600) });
    await putItem(h.client, 'Sessions', 'none');

    // Expired items stay readable until the sweeper runs.
    const before = await h.client.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: 'expired' } } }));
    assert.ok(before.Item);
    const [status] = h.engine.ttlStatus().filter((s) => s.tableName === 'Sessions');
    assert.equal(status.attributeName, 'expires');
    assert.equal(status.dueNow, 1);
    assert.equal(status.itemsWithTtl, 3);
    assert.equal(status.nextExpiry, now + 3600);

    assert.equal(await h.engine.sweepTtlNow(), 1);
    const gone = await h.client.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: 'expired' } } }));
    assert.equal(gone.Item, undefined);
    const byIndex = await h.client.send(
      new QueryCommand({ TableName: 'Sessions', IndexName: 'byGroup', KeyConditionExpression: '#g = :g', ExpressionAttributeNames: { '#g': 'group' }, ExpressionAttributeValues: { ':g': { S: 'g' } } }),
    );
    assert.deepEqual(byIndex.Items!.map((i) => i.id.S).sort(), ['ancient', 'future', 'none', 'text']);
    assert.equal(h.engine.ttlStatus().find((s) => s.tableName === 'Sessions')!.dueNow, 0);

    const streams = new DynamoDBStreamsClient({ endpoint: h.endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, maxAttempts: 1 });
    try {
      const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0].ShardId!;
      const it = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
      const records = (await streams.send(new GetRecordsCommand({ ShardIterator: it }))).Records!;
      const remove = records.find((r) => r.eventName === 'REMOVE')!;
      assert.deepEqual(remove.dynamodb!.Keys, { id: { S: 'expired' } });
      assert.deepEqual(remove.dynamodb!.OldImage!.expires, { N: String(now - 60) });
      assert.deepEqual(remove.userIdentity, { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
      assert.ok(records.filter((r) => r.eventName === 'INSERT').every((r) => r.userIdentity === undefined));
    } finally {
      streams.destroy();
    }
  });

  test('a bounded sweep resumes where it stopped', async () => {
    await createTable(h.client, 'ManyExpired');
    await enableTtl(h.client, 'ManyExpired');
    for (let i = 0; i < 10; i++) await putItem(h.client, 'ManyExpired', `item${i}`, { N: String(nowSeconds() - 10) });
    const sweeper = new TtlSweeper(h.engine.db, () => 0, { scanBudget: 4, deleteBatch: 3 });
    const counts: number[] = [];
    while (counts.reduce((a, b) => a + b, 0) < 10 && counts.length < 10) counts.push(await sweeper.sweep());
    assert.equal(counts.reduce((a, b) => a + b, 0), 10);
    assert.ok(counts.length >= 3 && counts.every((c) => c <= 4), `sweeps deleted ${counts.join(', ')}`);
    assert.equal(h.engine.ttlStatus().find((s) => s.tableName === 'ManyExpired')!.itemsWithTtl, 0);
  });

  test('while ENABLING, nothing is swept and a second change is refused', async () => {
    const slow = await startHarness({ ttlSweepIntervalMs: 0, transitionDelayMs: 200 });
    try {
      await slow.client.send(
        new CreateTableCommand({
          TableName: 'Slow',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await sleep(300);
      await enableTtl(slow.client, 'Slow');
      await slow.client.send(new PutItemCommand({ TableName: 'Slow', Item: { id: { S: 'x' }, expires: { N: String(nowSeconds() - 5) } } }));
      const status = (await slow.client.send(new DescribeTimeToLiveCommand({ TableName: 'Slow' }))).TimeToLiveDescription;
      assert.deepEqual(status, { TimeToLiveStatus: 'ENABLING', AttributeName: 'expires' });
      const twice = await errorOf(() =>
        slow.client.send(new UpdateTimeToLiveCommand({ TableName: 'Slow', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } })),
      );
      assert.equal(twice.message, 'Time to live has been modified multiple times within a fixed interval');
      assert.equal(await slow.engine.sweepTtlNow(), 0);
      await sleep(250);
      assert.equal((await slow.client.send(new DescribeTimeToLiveCommand({ TableName: 'Slow' }))).TimeToLiveDescription!.TimeToLiveStatus, 'ENABLED');
      assert.equal(await slow.engine.sweepTtlNow(), 1);
    } finally {
      await slow.close();
    }
  });
});

describe('the background TTL sweep', () => {
  test('runs on its interval and deletes expired items without being asked', async () => {
    const h = await startHarness({ ttlSweepIntervalMs: 30 });
    try {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'Auto',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await enableTtl(h.client, 'Auto');
      await h.client.send(new PutItemCommand({ TableName: 'Auto', Item: { id: { S: 'soon' }, expires: { N: String(nowSeconds() + 1) } } }));
      const deadline = Date.now() + 5000;
      let item: unknown = {};
      while (item && Date.now() < deadline) {
        await sleep(100);
        item = (await h.client.send(new GetItemCommand({ TableName: 'Auto', Key: { id: { S: 'soon' } } }))).Item;
      }
      assert.equal(item, undefined);
    } finally {
      await h.close();
    }
  });
});
