/**
 * TransactWriteItems with a fresh ClientRequestToken each, in process, on an engine whose token
 * window already holds 0 or 2,000,000 tokens: a lookup is one B-tree read, so the rate must not
 * depend on how many tokens the window holds. Rounds interleave the two cases (best of each), so
 * other work on the machine lands on both sides of the ratio.
 *
 * Run as a child; input `{ "stored": N, "transactions": M, "rounds": R }`, one JSON line out.
 */
import { requestFingerprint } from '../clientRequestTokens.ts';
import { openEngine } from '../engine.ts';

export interface TokenScalingResult {
  stored: number;
  emptyPerSecond: number;
  fullPerSecond: number;
}

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

async function rate(stored: number, transactions: number): Promise<number> {
  const engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });
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
  return perSecond;
}

async function run({ stored, transactions, rounds }: { stored: number; transactions: number; rounds: number }): Promise<TokenScalingResult> {
  let emptyPerSecond = 0;
  let fullPerSecond = 0;
  for (let round = 0; round < rounds; round++) {
    emptyPerSecond = Math.max(emptyPerSecond, await rate(0, transactions));
    fullPerSecond = Math.max(fullPerSecond, await rate(stored, transactions));
  }
  return { stored, emptyPerSecond, fullPerSecond };
}

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', async () => {
  process.stdout.write(JSON.stringify(await run(JSON.parse(Buffer.concat(chunks).toString('utf8')))) + '\n');
});
