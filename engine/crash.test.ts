/**
 * Crash safety: a real `serve` process on LMDB is killed with SIGKILL in the middle of a burst of
 * writes and transactions. After a restart on the same directory every acknowledged write is
 * there, every item is whole, and every transaction is wholly applied or wholly absent. Every
 * transaction sent (acknowledged or cut off by the kill) is then retried with its
 * ClientRequestToken, as SDKs retry after a timeout: each must end up applied exactly once.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClient } from './testing/harness.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'dynamo-lens.js');

async function startServe(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /endpoint: (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
  return { child, url };
}

test('kill -9 during a write burst loses no acknowledged write and tears no transaction', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dynamo-lens-crash-'));
  try {
    const first = await startServe(dataDir);
    const client = makeClient(first.url);
    const doc = DynamoDBDocumentClient.from(client);
    await client.send(
      new CreateTableCommand({
        TableName: 'Crash',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const acknowledged = new Set<string>();
    /** Every transaction sent, by its ClientRequestToken. */
    const sent = new Map<string, TransactWriteCommandInput>();
    const payload = 'p'.repeat(2000);
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const id = `w${w}-${i}`;
        try {
          if (i % 3 === 0) {
            const transaction: TransactWriteCommandInput = {
              ClientRequestToken: id,
              TransactItems: [
                { Put: { TableName: 'Crash', Item: { id: `${id}-a`, tx: id, payload } } },
                { Put: { TableName: 'Crash', Item: { id: `${id}-b`, tx: id, payload } } },
                { Update: { TableName: 'Crash', Key: { id: `counter-w${w}` }, UpdateExpression: 'ADD applied :one', ExpressionAttributeValues: { ':one': 1 } } },
              ],
            };
            sent.set(id, transaction);
            await doc.send(new TransactWriteCommand(transaction));
            acknowledged.add(`${id}-a`);
            acknowledged.add(`${id}-b`);
          } else {
            await doc.send(new PutCommand({ TableName: 'Crash', Item: { id, payload, check: payload.length } }));
            acknowledged.add(id);
          }
        } catch {
          return; // the server died mid-request: this write was never acknowledged
        }
      }
    });
    // Kill mid-burst once a real burst is under way (a busy machine may need longer than usual).
    for (let waited = 0; acknowledged.size < 200 && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    client.destroy();
    assert.ok(acknowledged.size > 50, `expected a real burst, got ${acknowledged.size} writes`);

    const second = await startServe(dataDir);
    const client2 = makeClient(second.url);
    const doc2 = DynamoDBDocumentClient.from(client2);
    try {
      for (const id of acknowledged) {
        const got = await doc2.send(new GetCommand({ TableName: 'Crash', Key: { id }, ConsistentRead: true }));
        assert.ok(got.Item, `acknowledged item ${id} is missing after the crash`);
        assert.equal(got.Item.payload, payload, `item ${id} is torn`);
      }
      const byTransaction = new Map<string, number>();
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc2.send(new ScanCommand({ TableName: 'Crash', ExclusiveStartKey }));
        for (const item of page.Items ?? []) {
          if (String(item.id).startsWith('counter-')) continue;
          assert.equal(item.payload, payload);
          if (item.tx) byTransaction.set(item.tx as string, (byTransaction.get(item.tx as string) ?? 0) + 1);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      for (const [tx, count] of byTransaction) assert.equal(count, 2, `transaction ${tx} is half applied`);

      // Retried with their tokens after the restart, no transaction is applied twice.
      await Promise.all([...sent.values()].map((transaction) => doc2.send(new TransactWriteCommand(transaction))));
      for (let w = 0; w < 8; w++) {
        const sentByWriter = [...sent.keys()].filter((id) => id.startsWith(`w${w}-`)).length;
        const counter = await doc2.send(new GetCommand({ TableName: 'Crash', Key: { id: `counter-w${w}` }, ConsistentRead: true }));
        assert.equal(counter.Item?.applied ?? 0, sentByWriter, `writer ${w}: ${sentByWriter} transactions sent, each must be applied once`);
      }
    } finally {
      client2.destroy();
      second.child.kill('SIGKILL');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
