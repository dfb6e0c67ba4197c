/**
 * The test-suite API through the real endpoint and the real AWS SDK: snapshots, restore and reset
 * in-process and, through connectDynamoLens, from another "process" over the control path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { connectDynamoLens, startDynamoLens, type DynamoLens } from './testApi.ts';

async function createUsers(client: DynamoDBClient, TableName = 'Users'): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'team', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byTeam', KeySchema: [{ AttributeName: 'team', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

const put = (client: DynamoDBClient, pk: string, team: string, name = pk) =>
  client.send(new PutItemCommand({ TableName: 'Users', Item: { pk: { S: pk }, team: { S: team }, name: { S: name } } }));
const names = async (client: DynamoDBClient) =>
  ((await client.send(new ScanCommand({ TableName: 'Users' }))).Items ?? []).map((item) => item.name.S).sort();
const teamCount = async (client: DynamoDBClient, team: string) =>
  (await client.send(new QueryCommand({ TableName: 'Users', IndexName: 'byTeam', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': { S: team } } }))).Count;
const itemCount = async (client: DynamoDBClient, TableName = 'Users') => (await client.send(new DescribeTableCommand({ TableName }))).Table?.ItemCount;

describe('startDynamoLens', () => {
  let lens: DynamoLens;
  let client: DynamoDBClient;

  before(async () => {
    const started = performance.now();
    lens = await startDynamoLens();
    const elapsed = performance.now() - started;
    // Tens of milliseconds on an idle machine; the bound leaves room for a busy shared CI core.
    assert.ok(elapsed < 500, `started in ${elapsed.toFixed(0)} ms`);
    client = lens.client();
    await createUsers(client);
    await put(client, 'u1', 'red', 'Ada');
    await put(client, 'u2', 'blue', 'Grace');
    await lens.snapshot('seeded');
  });

  after(async () => {
    client.destroy();
    await lens.close();
  });

  it('runs in memory on a free port with local credentials', () => {
    assert.match(lens.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(lens.port, 0);
    assert.equal(lens.region, 'us-east-1');
    assert.deepEqual(lens.credentials, { accessKeyId: 'local', secretAccessKey: 'local' });
  });

  it('restore puts items, index entries, counts and the table list back, and can be repeated', async () => {
    for (let round = 0; round < 2; round++) {
      await put(client, 'u1', 'blue', 'Ada Lovelace'); // overwrite, moving the item between index partitions
      await put(client, 'u3', 'blue', `Linus ${round}`);
      await createUsers(client, 'Later');
      assert.deepEqual(await names(client), ['Ada Lovelace', 'Grace', `Linus ${round}`]);
      assert.equal(await teamCount(client, 'blue'), 3);
      await lens.restore('seeded');
      assert.deepEqual(await names(client), ['Ada', 'Grace']);
      assert.equal(await teamCount(client, 'blue'), 1);
      assert.equal(await teamCount(client, 'red'), 1);
      assert.equal(await itemCount(client), 2, 'the statistics cache follows the store');
      assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['Users'], 'a table created after the snapshot is gone');
    }
  });

  it('streams follow a restore: a table re-created after it records into its own stream', async () => {
    await createUsers(client, 'Later');
    await client.send(new PutItemCommand({ TableName: 'Later', Item: { pk: { S: 'before' }, team: { S: 'x' } } }));
    await lens.restore('seeded');
    await createUsers(client, 'Later');
    await client.send(new PutItemCommand({ TableName: 'Later', Item: { pk: { S: 'after' }, team: { S: 'x' } } }));
    const streamArn = (await client.send(new DescribeTableCommand({ TableName: 'Later' }))).Table!.LatestStreamArn!;
    const streams = new DynamoDBStreamsClient({ endpoint: lens.endpoint, region: lens.region, credentials: { ...lens.credentials } });
    try {
      const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!;
      const keys: string[] = [];
      for (const shard of shards) {
        const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
        const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
        for (const record of Records ?? []) keys.push(`${record.eventName} ${record.dynamodb?.Keys?.pk.S}`);
      }
      assert.deepEqual(keys, ['INSERT after']);
      const listed = (await streams.send(new ListStreamsCommand({}))).Streams!.map((stream) => stream.TableName).sort();
      assert.deepEqual(listed, ['Later', 'Users'], 'the stream of the table the restore removed is gone');
    } finally {
      streams.destroy();
      await lens.restore('seeded');
    }
  });

  it('reset empties every table and index but keeps the definitions', async () => {
    await lens.reset();
    assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['Users']);
    assert.deepEqual(await names(client), []);
    assert.equal(await teamCount(client, 'red'), 0);
    assert.equal(await itemCount(client), 0);
    await put(client, 'u9', 'red');
    assert.equal(await itemCount(client), 1);
    await lens.restore('seeded');
    assert.deepEqual(await names(client), ['Ada', 'Grace']);
  });

  it('connectDynamoLens drives the same instance over its endpoint', async () => {
    const remote = connectDynamoLens(lens.endpoint);
    await remote.snapshot('remote');
    await put(client, 'u4', 'green', 'Barbara');
    const remoteClient = remote.client();
    assert.equal((await remoteClient.send(new GetItemCommand({ TableName: 'Users', Key: { pk: { S: 'u4' } } }))).Item?.name.S, 'Barbara');
    remoteClient.destroy();
    await remote.restore('remote');
    assert.deepEqual(await names(client), ['Ada', 'Grace']);
    await assert.rejects(remote.restore('missing'), { message: 'dynamo-lens restore: No snapshot named "missing"' });
    await remote.deleteSnapshot('remote');
    await assert.rejects(remote.restore('remote'), /No snapshot named "remote"/);
  });

  it('refuses control requests from browsers (any page can post to 127.0.0.1)', async () => {
    await put(client, 'u5', 'red', 'Mallory');
    const response = await fetch(`${lens.endpoint}/_dynamo-lens/restore`, {
      method: 'POST',
      headers: { origin: 'https://example.com' },
      body: JSON.stringify({ name: 'seeded' }),
    });
    assert.equal(response.status, 404, 'answered as an unknown DynamoDB request');
    assert.ok((await names(client)).includes('Mallory'), 'nothing was restored');
    await lens.restore('seeded');
  });
});
