import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type ConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

describe('capacity accounting and throttling emulation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Tiny',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        GlobalSecondaryIndexes: [
          { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        ],
      }),
    );
  });
  after(() => h.close());

  test('writes charge each affected index; INDEXES reports the breakdown', async () => {
    const put = await h.client.send(
      new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'a' }, g: { S: 'x' }, data: { S: 'z'.repeat(1500) } }, ReturnConsumedCapacity: 'INDEXES' }),
    );
    assert.deepEqual(put.ConsumedCapacity, {
      TableName: 'Tiny',
      CapacityUnits: 4,
      Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 2 } },
    });
    // Changing the index key deletes the old 2-unit entry and inserts a 1-unit one.
    const moved = await h.client.send(new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'a' }, g: { S: 'y' } }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(moved.ConsumedCapacity?.GlobalSecondaryIndexes, { byG: { CapacityUnits: 3 } });
  });

  test('per-second series and partition heat record consumption', async () => {
    const table = h.engine.db.table('000000000000', 'us-east-1', 'Tiny')!;
    const series = h.engine.db.capacity.series(table.record.uid, '', 5);
    const written = series.write.reduce((sum, [, units]) => sum + units, 0);
    assert.ok(written >= 3, `expected write units in the series, got ${written}`);
    assert.ok(h.engine.db.capacity.partitionHeat(table.record.uid).some((units) => units > 0));
  });

  test('with emulation on, an exhausted table throttles and BatchWriteItem returns unprocessed items', async () => {
    const table = h.engine.db.table('000000000000', 'us-east-1', 'Tiny')!;
    await h.engine.db.setThrottlingEmulation(table, true);
    // 1 WCU accrues 300 units of burst; a 300 KB write takes it all, and the next request is refused.
    await h.client.send(new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'big' }, data: { S: 'z'.repeat(300 * 1024) } } }));
    const throttled = await errorOf(() => h.client.send(new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'next' } } })));
    assert.equal(throttled.name, 'ProvisionedThroughputExceededException');
    const batch = await errorOf(() => h.client.send(new BatchWriteItemCommand({ RequestItems: { Tiny: [{ PutRequest: { Item: { id: { S: 'b1' } } } }] } })));
    assert.equal(batch.name, 'ProvisionedThroughputExceededException');
    // Reads have their own bucket and still pass.
    const read = await h.client.send(new GetItemCommand({ TableName: 'Tiny', Key: { id: { S: 'a' } } }));
    assert.equal(read.Item?.g.S, 'y');
    await h.engine.db.setThrottlingEmulation(h.engine.db.table('000000000000', 'us-east-1', 'Tiny')!, false);
    await h.client.send(new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'next' } } }));
  });
});

describe('capacity views through the engine API', () => {
  test('series, heat and the throttling switch are reachable by table name', async () => {
    const h = await startHarness();
    try {
      await h.client.send(
        new CreateTableCommand({ TableName: 'Viewed', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
      );
      for (let i = 0; i < 20; i++) await h.client.send(new PutItemCommand({ TableName: 'Viewed', Item: { id: { S: `k${i}` } } }));
      const ctx = { accountId: '000000000000', region: 'us-east-1' };
      const series = h.engine.capacitySeries(ctx, 'Viewed', '', 10);
      assert.equal(series.write.length, 10);
      assert.equal(series.write.reduce((sum, [, units]) => sum + units, 0), 20);
      const heat = h.engine.partitionHeat(ctx, 'Viewed');
      assert.equal(heat.length, 16);
      assert.equal(heat.reduce((a, b) => a + b, 0), 20);
      assert.ok(heat.filter((units) => units > 0).length > 4, 'twenty keys spread over several hash ranges');
      assert.equal(h.engine.throttlingEmulation(ctx, 'Viewed'), false);
      await h.engine.setThrottlingEmulation(ctx, 'Viewed', true);
      assert.equal(h.engine.throttlingEmulation(ctx, 'Viewed'), true);
      assert.throws(() => h.engine.partitionHeat(ctx, 'Nope'), /Table: Nope not found/);
    } finally {
      await h.close();
    }
  });
});

test('batch writes count towards the partition they write', async () => {
  const h = await startHarness();
  try {
    await h.client.send(new CreateTableCommand({ TableName: 'Hot', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST' }));
    await h.client.send(new BatchWriteItemCommand({ RequestItems: { Hot: Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { id: { S: 'same' }, n: { N: String(i) } } } })) } }));
    const heat = h.engine.partitionHeat({ accountId: '000000000000', region: 'us-east-1' }, 'Hot');
    assert.equal(Math.max(...heat), 10);
    assert.equal(heat.filter((units) => units > 0).length, 1);
  } finally {
    await h.close();
  }
});

/**
 * The shapes and figures real DynamoDB reports, measured in eu-west-2 (2026-08; paritysuite
 * dynamodb-conformance tier1/getItem/consumedCapacity, tier1/putItem/consumedCapacity and
 * tier1/putItem/indexConsumedCapacity). Every item is under 1 KB, so each charged index costs 1.
 */
describe('ConsumedCapacity as the service reports it', () => {
  let h: Harness;
  let fresh = 0;
  const nextKey = () => ({ pk: { S: `item-${fresh++}` }, sk: { S: '1' } });
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Indexed',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsiPk', AttributeType: 'S' },
          { AttributeName: 'lsiSk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [{ IndexName: 'gsi-inc', KeySchema: [{ AttributeName: 'gsiPk', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['proj'] } }],
        LocalSecondaryIndexes: [
          { IndexName: 'lsi1', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsiSk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        ],
      }),
    );
  });
  after(() => h.close());

  /** The breakdown as { total, table, gsi, lsi }, an index left out when its arm is absent. */
  function arms(capacity: ConsumedCapacity | undefined) {
    const out: Record<string, number | undefined> = { total: capacity?.CapacityUnits, table: capacity?.Table?.CapacityUnits };
    if (capacity?.GlobalSecondaryIndexes) out.gsi = capacity.GlobalSecondaryIndexes['gsi-inc']?.CapacityUnits;
    if (capacity?.LocalSecondaryIndexes) out.lsi = capacity.LocalSecondaryIndexes.lsi1?.CapacityUnits;
    return out;
  }
  const put = (Item: Record<string, { S: string }>) => h.client.send(new PutItemCommand({ TableName: 'Indexed', Item, ReturnConsumedCapacity: 'INDEXES' }));
  const update = (key: Record<string, { S: string }>, UpdateExpression: string, ExpressionAttributeValues?: Record<string, { S: string }>) =>
    h.client.send(new UpdateItemCommand({ TableName: 'Indexed', Key: key, UpdateExpression, ExpressionAttributeValues, ReturnConsumedCapacity: 'INDEXES' }));

  test('PutItem and DeleteItem charge only the indexes whose stored entry changes', async () => {
    assert.deepEqual(arms((await put({ ...nextKey(), gsiPk: { S: 'g1' }, proj: { S: 'p' } })).ConsumedCapacity), { total: 2, table: 1, gsi: 1 });
    assert.deepEqual(arms((await put({ ...nextKey(), other: { S: 'o' } })).ConsumedCapacity), { total: 1, table: 1 });
    assert.deepEqual(arms((await put({ ...nextKey(), lsiSk: { S: 'L1' } })).ConsumedCapacity), { total: 2, table: 1, lsi: 1 });
    const item = { ...nextKey(), gsiPk: { S: 'g4' }, lsiSk: { S: 'L1' }, proj: { S: 'p' } };
    assert.deepEqual(arms((await put(item)).ConsumedCapacity), { total: 3, table: 1, gsi: 1, lsi: 1 });
    // An identical overwrite changes no index entry: the table write alone.
    assert.deepEqual(arms((await put(item)).ConsumedCapacity), { total: 1, table: 1 });
    const deleted = await h.client.send(new DeleteItemCommand({ TableName: 'Indexed', Key: { pk: item.pk, sk: item.sk }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(arms(deleted.ConsumedCapacity), { total: 3, table: 1, gsi: 1, lsi: 1 });
    // TOTAL folds the index writes in and carries no breakdown.
    const total = await h.client.send(new PutItemCommand({ TableName: 'Indexed', Item: { ...nextKey(), gsiPk: { S: 'g2' }, proj: { S: 'p' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(total.ConsumedCapacity, { TableName: 'Indexed', CapacityUnits: 2 });
  });

  test('UpdateItem walks the ladder: outside the projection, projected attribute, key move, key removal', async () => {
    const seed = async () => {
      const key = nextKey();
      await put({ ...key, gsiPk: { S: 'g-ladder' }, lsiSk: { S: 'L1' }, proj: { S: 'p' }, note: { S: 'o' } });
      return key;
    };
    assert.deepEqual(arms((await update(await seed(), 'SET note = :v', { ':v': { S: 'o2' } })).ConsumedCapacity), { total: 2, table: 1, lsi: 1 });
    assert.deepEqual(arms((await update(await seed(), 'SET proj = :v', { ':v': { S: 'p2' } })).ConsumedCapacity), { total: 3, table: 1, gsi: 1, lsi: 1 });
    assert.deepEqual(arms((await update(await seed(), 'SET gsiPk = :v', { ':v': { S: 'g-moved' } })).ConsumedCapacity), { total: 4, table: 1, gsi: 2, lsi: 1 });
    assert.deepEqual(arms((await update(await seed(), 'REMOVE gsiPk')).ConsumedCapacity), { total: 3, table: 1, gsi: 1, lsi: 1 });
    assert.deepEqual(arms((await update(await seed(), 'SET lsiSk = :v', { ':v': { S: 'L2' } })).ConsumedCapacity), { total: 3, table: 1, lsi: 2 });
  });

  test('BatchWriteItem reports one entry per table with the arms the batch touched', async () => {
    const result = await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          Indexed: [{ PutRequest: { Item: { ...nextKey(), gsiPk: { S: 'g-batch' }, proj: { S: 'p' } } } }, { PutRequest: { Item: { ...nextKey(), other: { S: 'o' } } } }],
        },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    assert.equal(result.ConsumedCapacity?.length, 1);
    assert.deepEqual(arms(result.ConsumedCapacity?.[0]), { total: 3, table: 2, gsi: 1 });
  });

  test('only transactions split their units into ReadCapacityUnits or WriteCapacityUnits', async () => {
    const key = nextKey();
    await put({ ...key, other: { S: 'x' } });
    const plain: [string, ConsumedCapacity | undefined, number][] = [
      ['GetItem strongly consistent', (await h.client.send(new GetItemCommand({ TableName: 'Indexed', Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity, 1],
      ['GetItem eventually consistent', (await h.client.send(new GetItemCommand({ TableName: 'Indexed', Key: key, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity, 0.5],
      ['UpdateItem', (await h.client.send(new UpdateItemCommand({ TableName: 'Indexed', Key: key, UpdateExpression: 'SET note = :v', ExpressionAttributeValues: { ':v': { S: 'y' } }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity, 1],
    ];
    for (const [what, capacity, units] of plain) assert.deepEqual(capacity, { TableName: 'Indexed', CapacityUnits: units }, what);
    const query = await h.client.send(
      new QueryCommand({ TableName: 'Indexed', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': key.pk }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }),
    );
    assert.deepEqual(query.ConsumedCapacity, { TableName: 'Indexed', CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const written = await h.client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Indexed', Item: { ...nextKey(), other: { S: 'x' } } } }], ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.deepEqual(written.ConsumedCapacity, [{ TableName: 'Indexed', CapacityUnits: 2, WriteCapacityUnits: 2 }]);
    const read = await h.client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Indexed', Key: key } }], ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(read.ConsumedCapacity, [{ TableName: 'Indexed', CapacityUnits: 2, ReadCapacityUnits: 2 }]);
  });
});
