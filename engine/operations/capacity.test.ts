import { BatchWriteItemCommand, CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
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

  test('writes charge each affected index; INDEXES reports the split', async () => {
    const put = await h.client.send(
      new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'a' }, g: { S: 'x' }, data: { S: 'z'.repeat(1500) } }, ReturnConsumedCapacity: 'INDEXES' }),
    );
    assert.deepEqual(put.ConsumedCapacity, {
      TableName: 'Tiny',
      CapacityUnits: 4,
      WriteCapacityUnits: 4,
      Table: { CapacityUnits: 2, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
    });
    // Changing the index key deletes the old entry and writes a new one: two index writes.
    const moved = await h.client.send(new PutItemCommand({ TableName: 'Tiny', Item: { id: { S: 'a' }, g: { S: 'y' } }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(moved.ConsumedCapacity?.GlobalSecondaryIndexes, { byG: { CapacityUnits: 4, WriteCapacityUnits: 4 } });
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
