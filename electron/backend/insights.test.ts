import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DynamoEngine } from '../../engine/api.ts';
import type { Envelope } from '../contract.ts';
import { createBackend, type Backend } from './backend.ts';
import { LOCAL_CONNECTION_ID } from './connections.ts';
import { openTestEngine } from './testEngine.ts';

function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) assert.fail(`expected success, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

function failure(envelope: Envelope<unknown>) {
  if (envelope.ok) assert.fail('expected a failure, got success');
  return envelope.error;
}

const local = LOCAL_CONNECTION_ID;

describe('streams and insight channels (real in-memory engine)', () => {
  let engine: DynamoEngine;
  let backend: Backend;
  const dynamo = (operation: string, input: Record<string, unknown>) => backend.invoke('dynamo', { connectionId: local, operation, input }).then(unwrap);

  before(async () => {
    engine = await openTestEngine();
    backend = createBackend({ engine });
    await dynamo('CreateTable', {
      TableName: 'Events',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });
  after(async () => {
    await backend.close();
    await engine.close();
  });

  test('the local engine offers every measurement; capabilities say so', async () => {
    const [connection] = unwrap(await backend.invoke('connections/list', null));
    assert.deepEqual(
      { ...connection!.capabilities },
      { namespaces: true, deleteTable: true, capacityMetrics: true, throttlingEmulation: true, ttlSweep: true, backfillProgress: true, vectorSearchStatus: true, streamTriggers: true, partiqlExplain: true },
    );
  });

  test('streams: lists, describes and reads the INSERT and MODIFY of a write', async () => {
    await dynamo('PutItem', { TableName: 'Events', Item: { pk: { S: 'a' }, n: { N: '1' } } });
    await dynamo('PutItem', { TableName: 'Events', Item: { pk: { S: 'a' }, n: { N: '2' } } });
    const streams = (operation: 'ListStreams' | 'DescribeStream' | 'GetShardIterator' | 'GetRecords', input: Record<string, unknown>) =>
      backend.invoke('streams', { connectionId: local, operation, input }).then(unwrap);
    const { Streams } = (await streams('ListStreams', { TableName: 'Events' })) as { Streams: { StreamArn: string }[] };
    assert.equal(Streams.length, 1);
    const { StreamDescription } = (await streams('DescribeStream', { StreamArn: Streams[0]!.StreamArn })) as {
      StreamDescription: { StreamViewType: string; Shards: { ShardId: string }[] };
    };
    assert.equal(StreamDescription.StreamViewType, 'NEW_AND_OLD_IMAGES');
    const { ShardIterator } = (await streams('GetShardIterator', {
      StreamArn: Streams[0]!.StreamArn,
      ShardId: StreamDescription.Shards[0]!.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    })) as { ShardIterator: string };
    const { Records } = (await streams('GetRecords', { ShardIterator })) as {
      Records: { eventName: string; dynamodb: { OldImage?: Record<string, unknown>; NewImage?: Record<string, unknown> } }[];
    };
    assert.deepEqual(
      Records.map((r) => r.eventName),
      ['INSERT', 'MODIFY'],
    );
    assert.deepEqual(Records[1]!.dynamodb.OldImage?.n, { N: '1' });
    assert.deepEqual(Records[1]!.dynamodb.NewImage?.n, { N: '2' });
  });

  test('streams: only the four read operations pass, and engine errors keep their code', async () => {
    const refused = failure(await backend.invoke('streams', { connectionId: local, operation: 'DeleteTable' as never, input: {} }));
    assert.equal(refused.code, 'BadRequest');
    const missing = failure(
      await backend.invoke('streams', {
        connectionId: local,
        operation: 'DescribeStream',
        input: { StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Nope/stream/2024-01-01T00:00:00.000' },
      }),
    );
    assert.equal(missing.code, 'ResourceNotFoundException');
  });

  test('capacity: one snapshot has the table, each index, partition heat and the throttling switch', async () => {
    for (let i = 0; i < 5; i++) await dynamo('PutItem', { TableName: 'Events', Item: { pk: { S: `c${i}` } } });
    await dynamo('GetItem', { TableName: 'Events', Key: { pk: { S: 'c1' } } });
    const snapshot = unwrap(await backend.invoke('insights/capacity', { connectionId: local, tableName: 'Events', seconds: 60 }));
    const sum = (series: [number, number][]) => series.reduce((total, [, units]) => total + units, 0);
    assert.ok(sum(snapshot.table.write) >= 5, `write units ${sum(snapshot.table.write)}`);
    assert.ok(sum(snapshot.table.read) > 0);
    assert.equal(snapshot.partitionHeat.length, 16);
    assert.ok(snapshot.partitionHeat.some((units) => units > 0));
    assert.deepEqual(snapshot.indexes, {});
    assert.equal(snapshot.throttlingEmulation, false);

    assert.deepEqual(unwrap(await backend.invoke('insights/throttling', { connectionId: local, tableName: 'Events', enabled: true })), { enabled: true });
    const after = unwrap(await backend.invoke('insights/capacity', { connectionId: local, tableName: 'Events', seconds: 300 }));
    assert.equal(after.throttlingEmulation, true);
    unwrap(await backend.invoke('insights/throttling', { connectionId: local, tableName: 'Events', enabled: false }));

    const notFound = failure(await backend.invoke('insights/capacity', { connectionId: local, tableName: 'Nope', seconds: 60 }));
    assert.equal(notFound.code, 'ResourceNotFoundException');
  });

  test('backfill: a GSI added by UpdateTable reports its progress until done', async () => {
    await dynamo('UpdateTable', {
      TableName: 'Events',
      AttributeDefinitions: [{ AttributeName: 'kind', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        { Create: { IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } },
      ],
    });
    let progress: Record<string, { scanned: number; done: boolean }> = {};
    for (let i = 0; i < 100 && !progress.byKind?.done; i++) {
      progress = unwrap(await backend.invoke('insights/backfill', { connectionId: local, tableName: 'Events' }));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(progress.byKind?.done, true);
    assert.ok(progress.byKind!.scanned >= 6);
    const snapshot = unwrap(await backend.invoke('insights/capacity', { connectionId: local, tableName: 'Events', seconds: 60 }));
    assert.ok('byKind' in snapshot.indexes);
  });

  test('ttl: null while disabled; counts due items; sweep now deletes them', async () => {
    assert.equal(unwrap(await backend.invoke('insights/ttl', { connectionId: local, tableName: 'Events' })), null);
    await dynamo('UpdateTimeToLive', { TableName: 'Events', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
    const now = Math.floor(Date.now() / 1000);
    await dynamo('PutItem', { TableName: 'Events', Item: { pk: { S: 'old' }, expiresAt: { N: String(now - 60) } } });
    await dynamo('PutItem', { TableName: 'Events', Item: { pk: { S: 'new' }, expiresAt: { N: String(now + 3600) } } });
    const before = unwrap(await backend.invoke('insights/ttl', { connectionId: local, tableName: 'Events' }));
    assert.deepEqual(before, { attributeName: 'expiresAt', status: 'ENABLED', itemsWithTtl: 2, dueNow: 1, nextExpiry: now + 3600 });
    const { deleted } = unwrap(await backend.invoke('insights/sweepTtl', { connectionId: local }));
    assert.equal(deleted, 1);
    const gone = await dynamo('GetItem', { TableName: 'Events', Key: { pk: { S: 'old' } } });
    assert.equal(gone.Item, undefined);
    assert.equal(unwrap(await backend.invoke('insights/ttl', { connectionId: local, tableName: 'Events' }))?.dueNow, 0);
  });

  test('partiql/explain: the planner decides, DynamoDB errors keep their type', async () => {
    const scan = unwrap(await backend.invoke('partiql/explain', { connectionId: local, statement: `SELECT * FROM Events WHERE note = ?` }));
    assert.equal(scan.access, 'Scan');
    assert.equal(typeof scan.estimatedItemsRead, 'number');
    const lookup = unwrap(await backend.invoke('partiql/explain', { connectionId: local, statement: `SELECT * FROM Events WHERE pk = ?`, parameters: [{ S: 'a' }] }));
    assert.deepEqual([lookup.access, lookup.estimatedItemsRead], ['GetItem', 1]);
    const badValue = failure(await backend.invoke('partiql/explain', { connectionId: local, statement: `SELECT * FROM Events WHERE pk = ?`, parameters: [{ N: 'x' }] }));
    assert.equal(badValue.code, 'ValidationException');
  });

  test('a remote connection has no engine measurements: capabilities off, channels answer Unsupported', async () => {
    const remote = unwrap(await backend.invoke('connections/add', { name: 'Elsewhere', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:9' }));
    assert.equal(remote.capabilities.capacityMetrics, false);
    assert.equal(remote.capabilities.ttlSweep, false);
    const refused = failure(await backend.invoke('insights/capacity', { connectionId: remote.id, tableName: 'Events', seconds: 60 }));
    assert.equal(refused.code, 'Unsupported');
    assert.equal(failure(await backend.invoke('insights/sweepTtl', { connectionId: remote.id })).code, 'Unsupported');
    assert.equal(remote.capabilities.partiqlExplain, false);
    const explain = failure(await backend.invoke('partiql/explain', { connectionId: remote.id, statement: 'SELECT * FROM Events' }));
    assert.deepEqual([explain.code, explain.message], ['Unsupported', 'Explaining a PartiQL statement is measured by the local engine only; this connection does not offer it']);
    assert.equal(failure(await backend.invoke('insights/ttl', { connectionId: 'nope', tableName: 'Events' })).code, 'UnknownConnection');
    unwrap(await backend.invoke('connections/remove', { id: remote.id }));
  });
});

describe('insights/vectorSearch (real in-memory engine)', () => {
  test('a vector index is searched exactly, then over clusters once the engine has clustered it; a remote connection is refused', async () => {
    const engine = await openTestEngine({ vectorClusteringMinimum: 64 });
    const backend = createBackend({ engine });
    try {
      const dynamo = (operation: string, input: Record<string, unknown>) => backend.invoke('dynamo', { connectionId: local, operation, input }).then(unwrap);
      await dynamo('CreateTable', {
        TableName: 'Docs',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        VectorIndexes: [{ IndexName: 'similar', VectorAttribute: { AttributeName: 'v' }, Dimensions: 4, DistanceFunction: 'EUCLIDEAN', Projection: { ProjectionType: 'KEYS_ONLY' } }],
      });
      const status = () => backend.invoke('insights/vectorSearch', { connectionId: local, tableName: 'Docs' }).then(unwrap);
      assert.deepEqual(await status(), { similar: { clusters: 0 } });
      for (let i = 0; i < 64; i++) {
        await dynamo('PutItem', { TableName: 'Docs', Item: { pk: { S: `d${i}` }, v: { L: [i, i % 7, i % 5, 1].map((n) => ({ N: String(n) })) } } });
      }
      let now = await status();
      for (let tries = 0; tries < 500 && (now.similar!.clusters === 0 || now.similar!.clustering); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        now = await status();
      }
      assert.deepEqual(now, { similar: { clusters: 16 } });
      const remote = unwrap(await backend.invoke('connections/add', { name: 'Elsewhere', region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:9' }));
      assert.equal(remote.capabilities.vectorSearchStatus, false);
      assert.equal(failure(await backend.invoke('insights/vectorSearch', { connectionId: remote.id, tableName: 'Docs' })).code, 'Unsupported');
    } finally {
      await backend.close();
      await engine.close();
    }
  });
});
