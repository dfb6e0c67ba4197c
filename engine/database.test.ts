/**
 * The write path's bookkeeping: the statistics DescribeTable reports (kept in memory as a write is
 * staged) stay as they were when a write throws after staging, since such a write commits nothing.
 */
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorOf, startHarness } from './testing/harness.ts';

test('a write that throws after staging its item leaves ItemCount and TableSizeBytes as they were', async () => {
  const h = await startHarness();
  try {
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Counted',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await h.client.send(new PutItemCommand({ TableName: 'Counted', Item: { pk: { S: 'kept' }, n: { N: '1' } } }));
    const described = async () => {
      const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'Counted' }));
      return { items: Table!.ItemCount, bytes: Table!.TableSizeBytes };
    };
    const before = await described();
    // A fault after the item and its statistics are staged: a hook (as streams and point-in-time
    // recovery are) that throws.
    const failing = { wants: () => true, apply: () => { throw new Error('injected failure after staging'); } };
    h.engine.db.changeHooks.push(failing);
    const error = await errorOf(() => h.client.send(new PutItemCommand({ TableName: 'Counted', Item: { pk: { S: 'lost' }, payload: { S: 'x'.repeat(1000) } } })));
    h.engine.db.changeHooks.splice(h.engine.db.changeHooks.indexOf(failing), 1);
    assert.equal(error.name, 'InternalServerError');
    assert.deepEqual(await described(), before);
    await h.client.send(new PutItemCommand({ TableName: 'Counted', Item: { pk: { S: 'next' } } }));
    assert.equal((await described()).items, 2);
  } finally {
    await h.close();
  }
});
