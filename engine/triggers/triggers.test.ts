/**
 * Stream triggers end to end: items written through the AWS SDK to the real HTTP endpoint, the
 * engine's stream read by the trigger runner, real handler modules in worker threads and a real
 * Python process, and what the handlers received checked against what was written.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import type { TriggerInput } from './definition.ts';
import { TriggerManager } from './manager.ts';
import type { InvocationRecord, LambdaStreamRecord } from './runner.ts';

const FAST = { pollIntervalMs: 20, retryDelayMs: 10 };

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('stream triggers', () => {
  let h: Harness;
  let manager: TriggerManager;
  let dir: string;

  before(async () => {
    h = await startHarness({ ttlSweepIntervalMs: 0 });
    manager = new TriggerManager({ engine: h.engine, ...FAST });
    dir = mkdtempSync(join(tmpdir(), 'dynamo-lens-triggers-'));
  });
  // Each test's triggers go when it ends, so later tests do not share the CPU with their polling.
  afterEach(async () => {
    for (const { definition } of manager.list()) await manager.delete(definition.id);
  });
  after(async () => {
    await manager?.close();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function streamTable(name: string, ttl = false): Promise<string> {
    const out = await h.client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    if (ttl) await h.client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    return out.TableDescription!.LatestStreamArn!;
  }

  function handlerFile(name: string, source: string): string {
    const path = join(dir, name);
    writeFileSync(path, source);
    return path;
  }

  async function addTrigger(input: Omit<TriggerInput, 'handler'> & { handler: TriggerInput['handler'] }): Promise<string> {
    return (await manager.put(input)).definition.id;
  }

  const keysOf = (records: LambdaStreamRecord[]) => records.map((r) => (r.dynamodb.Keys.pk as { S: string }).S);
  /** Records of the invocations that succeeded, oldest invocation first. */
  const delivered = (invocations: InvocationRecord[]) =>
    invocations
      .filter((i) => i.outcome === 'success')
      .reverse()
      .flatMap((i) => i.event.Records);

  test('batch size 10: every insert, modify and remove of a burst, in order, with the right images and context', async () => {
    const arn = await streamTable('Burst');
    const seen = join(dir, 'burst.jsonl');
    const path = handlerFile(
      'burst.mjs',
      `import { appendFileSync } from 'node:fs';
       export const handler = async (event, context) => {
         appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ records: event.Records, context: {
           functionName: context.functionName, functionVersion: context.functionVersion, invokedFunctionArn: context.invokedFunctionArn,
           memoryLimitInMB: context.memoryLimitInMB, awsRequestId: context.awsRequestId, logGroupName: context.logGroupName,
           logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
           callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop, region: process.env.AWS_REGION } }) + '\\n');
         console.log('batch of', event.Records.length);
       };`,
    );
    const id = await addTrigger({ tableName: 'Burst', functionName: 'burst-fn', handler: { kind: 'module', path }, settings: { BatchSize: 10 } });
    const expected: { name: string; key: string; newImage?: Record<string, AttributeValue>; oldImage?: Record<string, AttributeValue> }[] = [];
    for (let i = 0; i < 25; i++) {
      const item = { pk: { S: `k${i}` }, n: { N: String(i) } };
      await h.client.send(new PutItemCommand({ TableName: 'Burst', Item: item }));
      expected.push({ name: 'INSERT', key: `k${i}`, newImage: item });
    }
    for (let i = 0; i < 10; i++) {
      await h.client.send(
        new UpdateItemCommand({ TableName: 'Burst', Key: { pk: { S: `k${i}` } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: String(i + 100) } } }),
      );
      expected.push({ name: 'MODIFY', key: `k${i}`, oldImage: { pk: { S: `k${i}` }, n: { N: String(i) } }, newImage: { pk: { S: `k${i}` }, n: { N: String(i + 100) } } });
    }
    for (let i = 20; i < 25; i++) {
      await h.client.send(new DeleteItemCommand({ TableName: 'Burst', Key: { pk: { S: `k${i}` } } }));
      expected.push({ name: 'REMOVE', key: `k${i}`, oldImage: { pk: { S: `k${i}` }, n: { N: String(i) } } });
    }
    await waitFor('all 40 records', () => manager.get(id).runtime.recordsDelivered >= 40);
    const batches = readFileSync(seen, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { records: LambdaStreamRecord[]; context: Record<string, unknown> });
    const records = batches.flatMap((b) => b.records);
    assert.ok(batches.every((b) => b.records.length >= 1 && b.records.length <= 10), `batch sizes ${batches.map((b) => b.records.length)}`);
    assert.equal(records.length, 40, 'each record exactly once');
    assert.deepEqual(
      records.map((r) => ({ name: r.eventName, key: (r.dynamodb.Keys.pk as { S: string }).S, newImage: r.dynamodb.NewImage, oldImage: r.dynamodb.OldImage })),
      expected.map((e) => ({ name: e.name, key: e.key, newImage: e.newImage, oldImage: e.oldImage })),
    );
    const sequences = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    assert.ok(sequences.every((s, i) => i === 0 || s > sequences[i - 1]), 'sequence numbers ascend');
    const first = records[0];
    assert.deepEqual(Object.keys(first), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    assert.equal(first.eventSource, 'aws:dynamodb');
    assert.equal(first.eventVersion, '1.1');
    assert.equal(first.awsRegion, 'us-east-1');
    assert.equal(first.eventSourceARN, arn);
    assert.deepEqual(Object.keys(first.dynamodb), ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
    assert.equal(first.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.ok(Math.abs(first.dynamodb.ApproximateCreationDateTime - Date.now() / 1000) < 60);
    const context = batches[0].context;
    assert.equal(context.functionName, 'burst-fn');
    assert.equal(context.functionVersion, '$LATEST');
    assert.equal(context.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:burst-fn');
    assert.equal(context.memoryLimitInMB, '128');
    assert.equal(context.logGroupName, '/aws/lambda/burst-fn');
    assert.match(context.logStreamName as string, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.match(context.awsRequestId as string, /^[0-9a-f-]{36}$/);
    assert.ok((context.remaining as number) > 0 && (context.remaining as number) <= 3000);
    assert.equal(context.callbackWaitsForEmptyEventLoop, true);
    assert.equal(context.region, 'us-east-1');
    // The engine's own record of the invocations: logs captured per invocation, with the event.
    const invocations = manager.invocations(id);
    assert.deepEqual(keysOf(delivered(invocations)), expected.map((e) => e.key));
    // Only the first invocation loaded the module (Lambda's Init Duration); its timeout ran from the handler's start.
    assert.ok(invocations.at(-1)!.initDurationMs! > 0);
    assert.ok(invocations.slice(0, -1).every((i) => i.initDurationMs === undefined));
    assert.match(invocations[0].logs.join('\n'), new RegExp(`\\t${invocations[0].requestId}\\tINFO\\tbatch of ${invocations[0].batchSize}`));
  });

  test('bisect on error isolates the record the handler throws on; the rest are delivered', async () => {
    await streamTable('Bisect');
    await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: { Bisect: Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { pk: { S: i === 6 ? 'bad' : `ok${i}` } } } })) },
      }),
    );
    const path = handlerFile(
      'bisect.cjs',
      `exports.handler = async (event) => {
         if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'bad')) throw new TypeError('cannot take bad');
       };`,
    );
    const id = await addTrigger({
      tableName: 'Bisect',
      handler: { kind: 'module', path },
      settings: { BatchSize: 10, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1 },
    });
    const failed = await waitFor('a failed batch', () => manager.failedBatches(id)[0]);
    await waitFor('the rest delivered', () => manager.get(id).runtime.recordsDelivered >= 9);
    assert.deepEqual(keysOf(failed.records), ['bad']);
    assert.equal(failed.condition, 'RetryAttemptsExhausted');
    assert.deepEqual(failed.error && { type: failed.error.errorType, message: failed.error.errorMessage }, { type: 'TypeError', message: 'cannot take bad' });
    assert.equal(failed.DDBStreamBatchInfo.batchSize, 1);
    const okKeys = keysOf(delivered(manager.invocations(id)));
    assert.equal(okKeys.length, 9);
    assert.ok(!okKeys.includes('bad'));
    // The bad record was tried alone once more than its first try (MaximumRetryAttempts 1).
    const alone = manager.invocations(id).filter((i) => i.batchSize === 1 && keysOf(i.event.Records)[0] === 'bad');
    assert.deepEqual(alone.map((i) => i.retries).reverse(), [0, 1]);
  });

  test('ReportBatchItemFailures: the retry starts at the lowest failed record, earlier ones are not resent', async () => {
    await streamTable('Partial');
    await h.client.send(
      new BatchWriteItemCommand({ RequestItems: { Partial: Array.from({ length: 6 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `r${i}` } } } })) } }),
    );
    const path = handlerFile(
      'partial.mjs',
      `let calls = 0;
       export async function handler(event) {
         calls++;
         if (calls > 1) return { batchItemFailures: [] };
         return { batchItemFailures: event.Records.filter((r) => ['r2', 'r4'].includes(r.dynamodb.Keys.pk.S)).map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })) };
       }`,
    );
    const id = await addTrigger({ tableName: 'Partial', handler: { kind: 'module', path }, settings: { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] } });
    await waitFor('two invocations', () => manager.invocations(id).length >= 2);
    const [second, first] = manager.invocations(id);
    assert.deepEqual(keysOf(first.event.Records), ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    assert.equal(first.outcome, 'partial');
    assert.deepEqual(first.batchItemFailures, [first.event.Records[2].dynamodb.SequenceNumber, first.event.Records[4].dynamodb.SequenceNumber]);
    assert.deepEqual(keysOf(second.event.Records), ['r2', 'r3', 'r4', 'r5']);
    assert.equal(second.outcome, 'success');
    assert.equal(second.retries, 1);
    assert.equal(manager.get(id).runtime.recordsDelivered, 6);
  });

  test('an identifier that is not in the batch fails the whole batch', async () => {
    await streamTable('BadReport');
    await h.client.send(new PutItemCommand({ TableName: 'BadReport', Item: { pk: { S: 'x' } } }));
    const path = handlerFile('badreport.mjs', `export const handler = async () => ({ batchItemFailures: [{ itemIdentifier: '42' }] });`);
    const id = await addTrigger({
      tableName: 'BadReport',
      handler: { kind: 'module', path },
      settings: { FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 0 },
    });
    const failed = await waitFor('a failed batch', () => manager.failedBatches(id)[0]);
    assert.equal(failed.error?.errorType, 'InvalidBatchItemFailures');
    assert.equal(manager.invocations(id)[0].outcome, 'error');
  });

  test('a handler that hangs is timed out, its worker replaced, and the batch retried; the engine keeps answering', async () => {
    await streamTable('Hang');
    const marker = join(dir, 'hung-once');
    const path = handlerFile(
      'hang.mjs',
      `import { existsSync, writeFileSync } from 'node:fs';
       export const handler = async (event) => {
         if (!existsSync(${JSON.stringify(marker)})) {
           writeFileSync(${JSON.stringify(marker)}, 'x');
           console.log('about to hang');
           for (;;) {}
         }
         return 'ok';
       };`,
    );
    const id = await addTrigger({ tableName: 'Hang', handler: { kind: 'module', path }, settings: { Timeout: 1 } });
    await h.client.send(new PutItemCommand({ TableName: 'Hang', Item: { pk: { S: 'h1' } } }));
    await waitFor('the hang to start', () => existsSync(marker));
    // A busy loop in the handler's thread does not block the engine's.
    const started = performance.now();
    await h.client.send(new GetItemCommand({ TableName: 'Hang', Key: { pk: { S: 'h1' } } }));
    assert.ok(performance.now() - started < 500, 'GetItem answered while the handler spins');
    await waitFor('the retry to succeed', () => manager.invocations(id).some((i) => i.outcome === 'success'));
    const [retry, hung] = manager.invocations(id);
    assert.equal(hung.outcome, 'timeout');
    assert.equal(hung.error?.errorMessage, 'Task timed out after 1.00 seconds');
    assert.match(hung.logs.join('\n'), /INFO\tabout to hang/);
    // Timers may fire a millisecond or so before a clock read elsewhere says the second is up.
    assert.ok(hung.durationMs >= 990, `ran ${hung.durationMs} ms`);
    assert.deepEqual(keysOf(retry.event.Records), ['h1']);
    assert.equal(retry.retries, 1);
  });

  test('loading the module does not count against the function\'s timeout (Lambda\'s init phase)', async () => {
    await streamTable('SlowInit');
    const path = handlerFile('slowinit.mjs', `await new Promise((resolve) => setTimeout(resolve, 1500));\nexport const handler = async () => 'ready';`);
    const id = await addTrigger({ tableName: 'SlowInit', handler: { kind: 'module', path }, settings: { Timeout: 1, MaximumRetryAttempts: 0 } });
    await h.client.send(new PutItemCommand({ TableName: 'SlowInit', Item: { pk: { S: 's' } } }));
    const [invocation] = await waitFor('an invocation', () => manager.invocations(id).length > 0 && manager.invocations(id));
    assert.equal(invocation!.outcome, 'success');
    assert.ok(invocation!.initDurationMs! >= 1500, `init ${invocation!.initDurationMs} ms`);
    assert.ok(invocation!.durationMs < 1000);
  });

  test('a handler that runs out of memory dies alone', async () => {
    await streamTable('Hungry');
    const path = handlerFile(
      'hungry.mjs',
      `export const handler = async () => { const hoard = []; for (;;) hoard.push(new Array(1e6).fill({ x: Math.random() })); };`,
    );
    const id = await addTrigger({ tableName: 'Hungry', handler: { kind: 'module', path }, settings: { MaximumRetryAttempts: 0, Timeout: 30 } });
    await h.client.send(new PutItemCommand({ TableName: 'Hungry', Item: { pk: { S: 'm' } } }));
    const failed = await waitFor('the batch to fail', () => manager.failedBatches(id)[0], 30_000);
    assert.equal(failed.error?.errorType, 'Runtime.OutOfMemory');
    const item = await h.client.send(new GetItemCommand({ TableName: 'Hungry', Key: { pk: { S: 'm' } } }));
    assert.deepEqual(item.Item, { pk: { S: 'm' } });
  });

  test('a filter pattern delivers only the records that match', async () => {
    await streamTable('Filtered');
    const path = handlerFile('filtered.mjs', `export const handler = async () => {};`);
    const pattern = {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { status: { S: [{ prefix: 'ship' }] }, $or: [{ total: { N: [{ numeric: ['>', 100] }] } }, { vip: { BOOL: [true] } }] } },
    };
    const id = await addTrigger({
      tableName: 'Filtered',
      handler: { kind: 'module', path },
      settings: { FilterCriteria: { Filters: [{ Pattern: JSON.stringify(pattern) }] } },
    });
    const put = (pk: string, item: Record<string, AttributeValue>) => h.client.send(new PutItemCommand({ TableName: 'Filtered', Item: { pk: { S: pk }, ...item } }));
    await put('a', { status: { S: 'shipped' }, total: { N: '150' } }); // match
    await put('b', { status: { S: 'open' }, total: { N: '150' } }); // status does not start with "ship"
    await put('c', { status: { S: 'shipping' }, total: { N: '50' } }); // neither total > 100 nor vip
    await put('d', { status: { S: 'shipping' }, total: { N: '50' }, vip: { BOOL: true } }); // match by $or
    await h.client.send(new DeleteItemCommand({ TableName: 'Filtered', Key: { pk: { S: 'a' } } })); // REMOVE is not wanted
    await put('e', { status: { S: 'shipped' }, total: { N: '101' } }); // match
    await waitFor('three records', () => manager.get(id).runtime.recordsDelivered >= 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(keysOf(delivered(manager.invocations(id))), ['a', 'd', 'e']);
  });

  test('a TTL deletion arrives with the service principal (CommonJS callback handler)', async () => {
    await streamTable('Expiring', true);
    const seen = join(dir, 'ttl.json');
    const path = handlerFile(
      'ttl.cjs',
      `const fs = require('node:fs');
       module.exports.handler = function (event, context, callback) {
         fs.appendFileSync(${JSON.stringify(seen)}, JSON.stringify(event.Records) + '\\n');
         setTimeout(() => callback(null, 'done'), 5);
       };`,
    );
    const id = await addTrigger({ tableName: 'Expiring', handler: { kind: 'module', path }, settings: { StartingPosition: 'LATEST' } });
    await waitFor('the first poll', () => manager.get(id).runtime.lastPolledAt);
    await h.client.send(new PutItemCommand({ TableName: 'Expiring', Item: { pk: { S: 'old' }, expires: { N: String(Math.floor(Date.now() / 1000) - 60) } } }));
    await h.client.send(new DeleteItemCommand({ TableName: 'Expiring', Key: { pk: { S: 'none' } } }));
    assert.equal(await h.engine.sweepTtlNow(), 1);
    await waitFor('the REMOVE', () => manager.get(id).runtime.recordsDelivered >= 2);
    const records = readFileSync(seen, 'utf8').trim().split('\n').flatMap((l) => JSON.parse(l) as LambdaStreamRecord[]);
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'REMOVE']);
    assert.equal(records[0].userIdentity, undefined);
    assert.deepEqual(records[1].userIdentity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    assert.deepEqual(Object.keys(records[1]).at(-1), 'userIdentity');
  });

  test('LATEST skips what was written before the trigger; TRIM_HORIZON does not', async () => {
    await streamTable('Positions');
    await h.client.send(new PutItemCommand({ TableName: 'Positions', Item: { pk: { S: 'before' } } }));
    const path = handlerFile('positions.mjs', `export const handler = async () => {};`);
    const latest = await addTrigger({ tableName: 'Positions', handler: { kind: 'module', path }, settings: { StartingPosition: 'LATEST' } });
    const horizon = await addTrigger({ tableName: 'Positions', handler: { kind: 'module', path } });
    await waitFor('the LATEST trigger\'s first poll', () => manager.get(latest).runtime.lastPolledAt);
    await h.client.send(new PutItemCommand({ TableName: 'Positions', Item: { pk: { S: 'after' } } }));
    await waitFor('both delivered', () => manager.get(latest).runtime.recordsDelivered >= 1 && manager.get(horizon).runtime.recordsDelivered >= 2);
    assert.deepEqual(keysOf(delivered(manager.invocations(latest))), ['after']);
    assert.deepEqual(keysOf(delivered(manager.invocations(horizon))), ['before', 'after']);
  });

  test('an edited handler file is loaded again; pause holds records back until resume', async () => {
    await streamTable('Edited');
    const path = handlerFile('edited.mjs', `export const handler = async () => { console.log('version one'); };`);
    const id = await addTrigger({ tableName: 'Edited', handler: { kind: 'module', path } });
    await h.client.send(new PutItemCommand({ TableName: 'Edited', Item: { pk: { S: 'one' } } }));
    await waitFor('the first record', () => manager.get(id).runtime.recordsDelivered >= 1);
    assert.match(manager.invocations(id)[0].logs.join(''), /version one/);
    writeFileSync(path, `export const handler = async () => { console.log('version two'); };`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await manager.setEnabled(id, false);
    assert.equal(manager.get(id).runtime.status, 'paused');
    await h.client.send(new PutItemCommand({ TableName: 'Edited', Item: { pk: { S: 'two' } } }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(manager.get(id).runtime.recordsDelivered, 1, 'nothing delivered while paused');
    await manager.setEnabled(id, true);
    await waitFor('the second record', () => manager.get(id).runtime.recordsDelivered >= 2);
    assert.match(manager.invocations(id)[0].logs.join(''), /version two/);
  });

  test('failed records can be re-driven once the handler is fixed', async () => {
    await streamTable('Redrive');
    const path = handlerFile('redrive.mjs', `export const handler = async () => { throw new Error('not yet'); };`);
    const id = await addTrigger({ tableName: 'Redrive', handler: { kind: 'module', path }, settings: { MaximumRetryAttempts: 0 } });
    await h.client.send(new PutItemCommand({ TableName: 'Redrive', Item: { pk: { S: 'later' } } }));
    const failed = await waitFor('a failed batch', () => manager.failedBatches(id)[0]);
    assert.deepEqual(await manager.redrive(id, failed.id), { succeeded: 0, stillFailing: 1 });
    assert.equal(manager.failedBatches(id)[0].redrives, 1);
    writeFileSync(path, `export const handler = async () => 'fine';`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await manager.redrive(id), { succeeded: 1, stillFailing: 0 });
    assert.deepEqual(manager.failedBatches(id), []);
    const last = manager.invocations(id)[0];
    assert.equal(last.redrive, true);
    assert.deepEqual(keysOf(last.event.Records), ['later']);
  });

  test('a command-line handler in Python receives the same event', { skip: !hasPython() && 'python3 is not installed' }, async () => {
    await streamTable('Commanded');
    const seen = join(dir, 'python-event.json');
    const script = handlerFile(
      'handler.py',
      `import json, os, sys
event = json.load(sys.stdin)
context = json.loads(os.environ["DYNAMO_LENS_LAMBDA_CONTEXT"])
with open(${JSON.stringify(seen)}, "a") as f:
    f.write(json.dumps({"event": event, "function": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "requestId": context["awsRequestId"]}) + "\\n")
print("handled", len(event["Records"]), "records")
print(json.dumps({"batchItemFailures": []}))
`,
    );
    const twin = handlerFile('twin.mjs', `export const handler = async () => {};`);
    const pythonId = await addTrigger({ tableName: 'Commanded', functionName: 'py-fn', handler: { kind: 'command', command: `python3 ${script}` }, settings: { BatchSize: 50 } });
    const moduleId = await addTrigger({ tableName: 'Commanded', handler: { kind: 'module', path: twin }, settings: { BatchSize: 50 } });
    await h.client.send(new PutItemCommand({ TableName: 'Commanded', Item: { pk: { S: 'p1' }, list: { L: [{ N: '1' }, { S: 'two' }] }, bin: { B: Buffer.from('hi') } } }));
    await h.client.send(new UpdateItemCommand({ TableName: 'Commanded', Key: { pk: { S: 'p1' } }, UpdateExpression: 'SET flag = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }));
    await waitFor('both triggers', () => manager.get(pythonId).runtime.recordsDelivered >= 2 && manager.get(moduleId).runtime.recordsDelivered >= 2);
    const received = readFileSync(seen, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: { Records: LambdaStreamRecord[] }; function: string; requestId: string });
    const pythonRecords = received.flatMap((r) => r.event.Records);
    assert.deepEqual(pythonRecords, delivered(manager.invocations(moduleId)));
    assert.deepEqual(pythonRecords, delivered(manager.invocations(pythonId)));
    assert.equal(received[0].function, 'py-fn');
    const invocation = manager.invocations(pythonId).at(-1)!;
    assert.equal(received[0].requestId, invocation.requestId);
    assert.match(invocation.logs.join('\n'), /INFO\thandled \d records/);
  });

  test('across a shard roll-over, the parent shard is read to its end before the child', async () => {
    const arn = await streamTable('Lineage');
    const put = (pk: string) => h.client.send(new PutItemCommand({ TableName: 'Lineage', Item: { pk: { S: pk } } }));
    for (const pk of ['p1', 'p2', 'p3']) await put(pk);
    assert.equal(await h.engine.background.streams.rollover(Date.now(), true, arn), 1);
    for (const pk of ['c1', 'c2']) await put(pk);
    assert.equal(await h.engine.background.streams.rollover(Date.now(), true, arn), 1);
    await put('g1');
    const path = handlerFile('lineage.mjs', `export const handler = async () => {};`);
    const id = await addTrigger({ tableName: 'Lineage', handler: { kind: 'module', path }, settings: { BatchSize: 2 } });
    await waitFor('six records', () => manager.get(id).runtime.recordsDelivered >= 6);
    const invocations = manager.invocations(id).reverse();
    assert.deepEqual(keysOf(invocations.flatMap((i) => i.event.Records)), ['p1', 'p2', 'p3', 'c1', 'c2', 'g1']);
    // A batch never spans two shards.
    assert.deepEqual(invocations.map((i) => keysOf(i.event.Records)), [['p1', 'p2'], ['p3'], ['c1', 'c2'], ['g1']]);
    assert.equal(new Set(invocations.map((i) => i.shardId)).size, 3);
  });

  test('a batching window gathers records written over a moment into one invocation', async () => {
    await streamTable('Windowed');
    const path = handlerFile('windowed.mjs', `export const handler = async () => {};`);
    const id = await addTrigger({ tableName: 'Windowed', handler: { kind: 'module', path }, settings: { BatchSize: 100, MaximumBatchingWindowInSeconds: 1 } });
    await waitFor('the first poll', () => manager.get(id).runtime.lastPolledAt);
    for (let i = 0; i < 5; i++) {
      await h.client.send(new PutItemCommand({ TableName: 'Windowed', Item: { pk: { S: `w${i}` } } }));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await waitFor('five records', () => manager.get(id).runtime.recordsDelivered >= 5);
    assert.deepEqual(manager.invocations(id).map((i) => keysOf(i.event.Records)), [['w0', 'w1', 'w2', 'w3', 'w4']]);
  });

  test('the invocation list keeps within its byte budget, newest first', async () => {
    await streamTable('Budget');
    const small = new TriggerManager({ engine: h.engine, ...FAST, maxInvocationBytes: 1 });
    try {
      const path = handlerFile('budget.mjs', `export const handler = async () => {};`);
      const { definition } = await small.put({ tableName: 'Budget', handler: { kind: 'module', path }, settings: { BatchSize: 1 } });
      for (const pk of ['b1', 'b2', 'b3']) await h.client.send(new PutItemCommand({ TableName: 'Budget', Item: { pk: { S: pk } } }));
      await waitFor('three invocations', () => small.get(definition.id).runtime.invocations >= 3);
      assert.deepEqual(small.invocations(definition.id).map((i) => keysOf(i.event.Records)), [['b3']]);
    } finally {
      await small.close();
    }
  });

  test('settings outside Lambda\'s limits are refused in Lambda\'s words', async () => {
    const handler = { kind: 'module' as const, path: join(dir, 'none.mjs') };
    await assert.rejects(manager.put({ tableName: 'Burst', handler, settings: { BatchSize: 10_001 } }), {
      name: 'InvalidParameterValueException',
      message: "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
    });
    await assert.rejects(manager.put({ tableName: 'Burst', handler, settings: { MaximumRecordAgeInSeconds: 30 } }), {
      message: "1 validation error detected: Value '30' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to -1",
    });
    await assert.rejects(manager.put({ tableName: 'Burst', handler, settings: { FilterCriteria: { Filters: [{ Pattern: '{"a": "not a list"}' }] } } }), {
      message: 'Invalid filter pattern definition.',
    });
  });
});
