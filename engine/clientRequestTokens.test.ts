/**
 * TransactWriteItems' ClientRequestToken through the AWS SDK: kept across a restart on LMDB,
 * honoured for its window and then forgotten, answered once under concurrent retries.
 */
import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { errorOf, startHarness, type Harness } from './testing/harness.ts';

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-lens-tokens-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function createCounters(h: Harness): Promise<void> {
  await h.client.send(
    new CreateTableCommand({
      TableName: 'Counters',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

const increment = (pk: string, token: string, by = 1): TransactWriteCommandInput => ({
  ClientRequestToken: token,
  TransactItems: [{ Update: { TableName: 'Counters', Key: { pk }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }],
});

async function counter(h: Harness, pk: string): Promise<number | undefined> {
  const { Item } = await h.doc.send(new GetCommand({ TableName: 'Counters', Key: { pk }, ConsistentRead: true }));
  return Item?.n as number | undefined;
}

/** Token records in the store (key tag 0x04). */
function storedTokens(h: Harness): number {
  return [...h.engine.store.range(Buffer.from([0x04]), Buffer.from([0x05]))].length;
}

describe('ClientRequestToken', () => {
  test('is kept across a restart on LMDB: a retry after it is not applied again', async () => {
    const dataDir = join(scratch, 'restart');
    const first = await startHarness({ store: 'lmdb', dataDir });
    await createCounters(first);
    await first.doc.send(new TransactWriteCommand(increment('a', 'retried-after-restart')));
    await first.close();

    const second = await startHarness({ store: 'lmdb', dataDir });
    try {
      await second.doc.send(new TransactWriteCommand(increment('a', 'retried-after-restart')));
      assert.equal(await counter(second, 'a'), 1);
      const mismatch = await errorOf(() => second.doc.send(new TransactWriteCommand(increment('a', 'retried-after-restart', 5))));
      assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
      assert.equal(mismatch.message, 'The request uses the same client token as a previous, but non-identical request.');
      assert.equal(await counter(second, 'a'), 1);
    } finally {
      await second.close();
    }
  });

  test('concurrent requests with one token are applied once', async () => {
    const h = await startHarness();
    try {
      await createCounters(h);
      await Promise.all(Array.from({ length: 20 }, () => h.doc.send(new TransactWriteCommand(increment('b', 'sent-twenty-times')))));
      assert.equal(await counter(h, 'b'), 1);
    } finally {
      await h.close();
    }
  });

  test('a retry reports the read capacity of reading the items, the first call its write capacity', async () => {
    const h = await startHarness();
    try {
      await createCounters(h);
      const request = {
        ClientRequestToken: 'capacity',
        ReturnConsumedCapacity: 'TOTAL' as const,
        TransactItems: [{ Put: { TableName: 'Counters', Item: { pk: { S: 'c' }, text: { S: 'x'.repeat(5000) } } } }],
      };
      const first = await h.client.send(new TransactWriteItemsCommand(request));
      assert.deepEqual(first.ConsumedCapacity, [{ TableName: 'Counters', CapacityUnits: 10, WriteCapacityUnits: 10 }]);
      const retry = await h.client.send(new TransactWriteItemsCommand(request));
      assert.deepEqual(retry.ConsumedCapacity, [{ TableName: 'Counters', CapacityUnits: 2, ReadCapacityUnits: 2 }]);
    } finally {
      await h.close();
    }
  });

  test('is honoured for its window, then treated as new; expired records are retired as new tokens come', async () => {
    const windowMs = 1000;
    const h = await startHarness({ clientRequestTokenWindowMs: windowMs });
    try {
      await createCounters(h);
      await h.doc.send(new TransactWriteCommand(increment('d', 'early-0')));
      await h.doc.send(new TransactWriteCommand(increment('d', 'early-0')));
      assert.equal(await counter(h, 'd'), 1, 'within the window a retry is a no-op');
      for (let i = 1; i < 10; i++) await h.doc.send(new TransactWriteCommand(increment('d', `early-${i}`)));
      assert.equal(storedTokens(h), 10);

      await new Promise((resolve) => setTimeout(resolve, windowMs + 100));
      await h.doc.send(new TransactWriteCommand(increment('d', 'early-0')));
      assert.equal(await counter(h, 'd'), 11, 'after the window the same token is a new request');
      for (let i = 0; i < 3; i++) await h.doc.send(new TransactWriteCommand(increment('d', `late-${i}`)));
      assert.equal(storedTokens(h), 4, 'the expired records were retired by the writes that followed');
    } finally {
      await h.close();
    }
  });
});
