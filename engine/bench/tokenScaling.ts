/**
 * TransactWriteItems with a fresh ClientRequestToken each, in process, on an engine whose token
 * window already holds 0 or 2,000,000 tokens: a lookup is one B-tree read, so the rate should
 * barely depend on how many tokens the window holds. On LMDB the records live off the JavaScript
 * heap; in memory each is a key on the heap, so the garbage collector's work grows with them.
 * Rounds interleave the two cases (best of each), so other work on the machine lands on both sides
 * of the ratio.
 *
 * Run as a child; input `{ "store": "memory" | "lmdb", "stored": N, "transactions": M, "rounds": R }`, one JSON line out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestFingerprint } from '../clientRequestTokens.ts';
import { openEngine } from '../engine.ts';

type Store = 'memory' | 'lmdb';

export interface TokenScalingResult {
  store: Store;
  stored: number;
  emptyPerSecond: number;
  fullPerSecond: number;
}

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

async function rate(store: Store, stored: number, transactions: number): Promise<number> {
  const dataDir = store === 'lmdb' ? await mkdtemp(join(tmpdir(), 'dynamo-lens-tokens-')) : undefined;
  const engine = await openEngine(dataDir ? { dataDir, ttlSweepIntervalMs: 0 } : { inMemory: true, ttlSweepIntervalMs: 0 });
  await engine.handle(
    'CreateTable',
    { TableName: 'Tokens', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
    CONTEXT,
  );
  const fingerprint = requestFingerprint('stored');
  const scope = `${CONTEXT.accountId}/${CONTEXT.region}`;
  for (let i = 0; i < stored; i += 10_000) {
    await engine.db.store.write((w) => {
      for (let j = i; j < Math.min(stored, i + 10_000); j++) engine.db.clientRequestTokens.record(w, scope, `stored-${j}`, fingerprint, Date.now());
    });
  }
  const started = performance.now();
  for (let i = 0; i < transactions; i++) {
    await engine.handle(
      'TransactWriteItems',
      {
        ClientRequestToken: `new-${i}`,
        TransactItems: [
          { Put: { TableName: 'Tokens', Item: { pk: { S: `item-${i % 100}` } } } },
          { Update: { TableName: 'Tokens', Key: { pk: { S: 'counter' } }, UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
        ],
      },
      CONTEXT,
    );
  }
  const perSecond = transactions / ((performance.now() - started) / 1000);
  await engine.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  return perSecond;
}

async function run({ store, stored, transactions, rounds }: { store: Store; stored: number; transactions: number; rounds: number }): Promise<TokenScalingResult> {
  let emptyPerSecond = 0;
  let fullPerSecond = 0;
  for (let round = 0; round < rounds; round++) {
    emptyPerSecond = Math.max(emptyPerSecond, await rate(store, 0, transactions));
    fullPerSecond = Math.max(fullPerSecond, await rate(store, stored, transactions));
  }
  return { store, stored, emptyPerSecond, fullPerSecond };
}

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', async () => {
  process.stdout.write(JSON.stringify(await run(JSON.parse(Buffer.concat(chunks).toString('utf8')))) + '\n');
});
