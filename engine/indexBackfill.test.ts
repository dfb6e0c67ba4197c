/**
 * GSI backfills through the SDK: progress counts every base item exactly once and ends equal to the
 * table's ItemCount; an index still backfilling (CREATING, Backfilling true) can be deleted, which
 * cancels the backfill and leaves nothing of the index behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, QueryCommand, UpdateTableCommand, type GlobalSecondaryIndexDescription } from '@aws-sdk/client-dynamodb';
import { startHarness, type Harness } from './testing/harness.ts';

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

async function seed(h: Harness, table: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 25) {
    const chunk = Array.from({ length: Math.min(25, count - i) }, (_, j) => ({
      PutRequest: { Item: { pk: { S: `item-${i + j}` }, ...((i + j) % 10 === 0 ? {} : { colour: { S: `c${(i + j) % 4}` } }) } },
    }));
    await h.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk } }));
  }
}

async function createTable(h: Harness, name: string): Promise<void> {
  await h.client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

const addIndex = (h: Harness, table: string) =>
  h.client.send(
    new UpdateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }),
  );

const deleteIndex = (h: Harness, table: string) => h.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }] }));

async function describeIndex(h: Harness, table: string): Promise<{ table: number; index?: GlobalSecondaryIndexDescription }> {
  const { Table } = await h.client.send(new DescribeTableCommand({ TableName: table }));
  return { table: Table!.ItemCount!, index: Table!.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'byColour') };
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('GSI backfill: progress and cancellation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('progress never passes the item count and ends equal to it', async () => {
    await createTable(h, 'Progress');
    await seed(h, 'Progress', 1234);
    await addIndex(h, 'Progress');
    const seen: number[] = [];
    await waitUntil(() => {
      const progress = h.engine.backfillProgress(CONTEXT, 'Progress').byColour;
      if (progress) seen.push(progress.scanned);
      return progress?.done === true;
    }, 'the backfill to finish');
    const { table, index } = await describeIndex(h, 'Progress');
    assert.equal(table, 1234);
    assert.ok(seen.every((scanned) => scanned <= table), `progress went past the item count: ${seen.join(', ')}`);
    assert.equal(h.engine.backfillProgress(CONTEXT, 'Progress').byColour?.scanned, table);
    assert.equal(index?.IndexStatus, 'ACTIVE');
    assert.equal(index?.ItemCount, 1234 - 124, 'every item with a colour, and only those');
  });
});

describe('GSI backfill: deleting an index that is still backfilling', () => {
  let h: Harness;
  before(async () => {
    // The backfill starts after the transition delay, so the index stays CREATING long enough to delete.
    h = await startHarness({ transitionDelayMs: 400 });
    await createTable(h, 'Cancel');
    await waitUntil(async () => (await h.client.send(new DescribeTableCommand({ TableName: 'Cancel' }))).Table?.TableStatus === 'ACTIVE', 'the table');
    await seed(h, 'Cancel', 300);
  });
  after(async () => {
    await h?.close();
  });

  test('the index disappears, the backfill stops, and the same index can be created again', async () => {
    await addIndex(h, 'Cancel');
    const creating = await describeIndex(h, 'Cancel');
    assert.equal(creating.index?.IndexStatus, 'CREATING');
    assert.equal(creating.index?.Backfilling, true);

    const { TableDescription } = await deleteIndex(h, 'Cancel');
    assert.equal(TableDescription?.GlobalSecondaryIndexes?.some((i) => i.IndexName === 'byColour') ?? false, false);
    assert.equal((await describeIndex(h, 'Cancel')).index, undefined);
    await assert.rejects(
      h.client.send(new QueryCommand({ TableName: 'Cancel', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } })),
      { name: 'ValidationException', message: 'The table does not have the specified index: byColour' },
    );
    // Past the delay the cancelled backfill would have run: nothing of it may appear.
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal((await describeIndex(h, 'Cancel')).index, undefined);
    assert.deepEqual(h.engine.backfillProgress(CONTEXT, 'Cancel'), {});

    await addIndex(h, 'Cancel');
    await waitUntil(async () => (await describeIndex(h, 'Cancel')).index?.IndexStatus === 'ACTIVE', 'the new index');
    const { index } = await describeIndex(h, 'Cancel');
    assert.equal(index?.ItemCount, 270);
    assert.deepEqual(h.engine.backfillProgress(CONTEXT, 'Cancel').byColour, { scanned: 300, done: true });
  });
});

describe('GSI backfill: an index deleted mid-backfill and created again at once', () => {
  let h: Harness;
  before(async () => {
    // The new index's own backfill waits out the transition delay: until then only the old one could touch it.
    h = await startHarness({ transitionDelayMs: 1500 });
    await createTable(h, 'Again');
    await waitUntil(async () => (await h.client.send(new DescribeTableCommand({ TableName: 'Again' }))).Table?.TableStatus === 'ACTIVE', 'the table');
    for (let i = 0; i < 12_000; i += 25) {
      const items = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: { S: `item-${String(i + j).padStart(6, '0')}` }, colour: { S: 'red' } } } }));
      await h.engine.handle('BatchWriteItem', { RequestItems: { Again: items } }, CONTEXT);
    }
  });
  after(async () => {
    await h?.close();
  });

  test('the cancelled backfill stops: it neither fills nor activates the new index of the same name', async () => {
    await addIndex(h, 'Again');
    await waitUntil(() => (h.engine.backfillProgress(CONTEXT, 'Again').byColour?.scanned ?? 0) >= 500, 'the first backfill to be under way');
    // In process, as the app's local connection calls the engine: both land before the next chunk.
    await h.engine.handle('UpdateTable', { TableName: 'Again', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }] }, CONTEXT);
    await h.engine.handle(
      'UpdateTable',
      {
        TableName: 'Again',
        AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
      },
      CONTEXT,
    );
    // The old backfill would reach the end of the table well within the new one's delay.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const { index } = await describeIndex(h, 'Again');
    assert.equal(index?.IndexStatus, 'CREATING', 'only its own backfill may make the new index ACTIVE');
    assert.equal(index?.ItemCount, 0);
    await waitUntil(async () => (await describeIndex(h, 'Again')).index?.IndexStatus === 'ACTIVE', 'the new index');
    assert.equal((await describeIndex(h, 'Again')).index?.ItemCount, 12_000);
    assert.deepEqual(h.engine.backfillProgress(CONTEXT, 'Again').byColour, { scanned: 12_000, done: true });
  });
});

describe('GSI backfill: items the index cannot hold', () => {
  for (const store of ['memory', 'lmdb'] as const) {
    test(`are left out, and the index becomes ACTIVE with the rest (${store})`, async () => {
      const h = await startHarness({ store });
      try {
        await createTable(h, 'Mixed');
        // Written before the index exists, so no write refuses them: a colour longer than a
        // partition key may be, one of another type, and two ordinary ones.
        const items = [
          { pk: { S: 'long' }, colour: { S: 'x'.repeat(5000) } },
          { pk: { S: 'number' }, colour: { N: '7' } },
          { pk: { S: 'red' }, colour: { S: 'red' } },
          { pk: { S: 'blue' }, colour: { S: 'blue' } },
        ];
        await h.client.send(new BatchWriteItemCommand({ RequestItems: { Mixed: items.map((Item) => ({ PutRequest: { Item } })) } }));
        await addIndex(h, 'Mixed');
        await waitUntil(async () => (await describeIndex(h, 'Mixed')).index?.IndexStatus === 'ACTIVE', 'the index');
        assert.equal((await describeIndex(h, 'Mixed')).index?.ItemCount, 2);
        const red = await h.client.send(new QueryCommand({ TableName: 'Mixed', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }));
        assert.deepEqual(red.Items, [{ pk: { S: 'red' }, colour: { S: 'red' } }]);
      } finally {
        await h.close();
      }
    });
  }
});
