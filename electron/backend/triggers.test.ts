/**
 * The triggers channels on a real in-memory engine: create, run, pause, fail, re-drive, delete,
 * saved to triggers.json and loaded again; and a trigger on a "remote" connection that reads the
 * same engine's stream over HTTP through the AWS SDK.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openEngine, type Engine } from '../../engine/engine.ts';
import { startEndpoint, type Endpoint } from '../../engine/server.ts';
import type { Envelope, TriggerInfo } from '../contract.ts';
import { createBackend, type Backend } from './backend.ts';
import { LOCAL_CONNECTION_ID } from './connections.ts';
import { handlerFromText, loadTriggerFile, startServeTriggers, triggerFromFlag } from './triggerStore.ts';

function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) assert.fail(`expected success, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('triggers channels', () => {
  let engine: Engine;
  let endpoint: Endpoint;
  let backend: Backend;
  let stateDir: string;

  before(async () => {
    engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });
    endpoint = await startEndpoint({ engine, port: 0 });
    stateDir = await mkdtemp(join(tmpdir(), 'dynamo-lens-triggers-backend-'));
    backend = createBackend({ engine, endpointUrl: endpoint.url, stateDir });
    await engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      },
      { region: 'us-east-1', accountId: '000000000000' },
    );
  });
  after(async () => {
    await backend.close();
    await endpoint.close();
    await engine.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  const put = (pk: string) => backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'PutItem', input: { TableName: 'Orders', Item: { pk: { S: pk } } } }).then(unwrap);

  test('create, run, pause, fail, re-drive and delete a trigger; definitions saved to triggers.json', async () => {
    const path = join(stateDir, 'orders.mjs');
    await writeFile(path, `export const handler = async (event) => { console.log('got', event.Records.map((r) => r.dynamodb.Keys.pk.S).join(), 'endpoint', process.env.AWS_ENDPOINT_URL_DYNAMODB); if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'poison')) throw new Error('poison'); };`);
    const created = unwrap(
      await backend.invoke('triggers/put', {
        connectionId: LOCAL_CONNECTION_ID,
        tableName: 'Orders',
        handler: { kind: 'module', path },
        settings: { BatchSize: 5, MaximumRetryAttempts: 0 },
      }),
    );
    assert.equal(created.definition.functionName, 'Orders-trigger');
    assert.deepEqual(created.definition.namespace, { accountId: '000000000000', region: 'us-east-1' });
    const id = created.definition.id;
    await put('first');
    const [invocation] = await waitFor('an invocation', async () => {
      const list = unwrap(await backend.invoke('triggers/invocations', { id }));
      return list.length > 0 && list;
    });
    assert.equal(invocation!.outcome, 'success');
    assert.match(invocation!.logs.join('\n'), /INFO\tgot first endpoint http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(invocation!.logs.join('\n').includes(`endpoint ${endpoint.url}`), 'handlers reach the local engine through AWS_ENDPOINT_URL_DYNAMODB');
    assert.equal(invocation!.event.Records[0]!.eventName, 'INSERT');

    const listed = unwrap(await backend.invoke('triggers/list', { connectionId: LOCAL_CONNECTION_ID, tableName: 'Orders' }));
    assert.deepEqual(listed.map((t) => t.definition.id), [id]);
    assert.deepEqual(unwrap(await backend.invoke('triggers/list', { connectionId: LOCAL_CONNECTION_ID, namespace: { accountId: '000000000000', region: 'eu-west-1' } })), []);

    const paused = unwrap(await backend.invoke('triggers/setEnabled', { id, enabled: false }));
    assert.equal(paused.runtime.status, 'paused');
    await put('poison');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(unwrap(await backend.invoke('triggers/invocations', { id })).length, 1, 'nothing runs while paused');
    unwrap(await backend.invoke('triggers/setEnabled', { id, enabled: true }));
    const [failed] = await waitFor('a failed batch', async () => {
      const list = unwrap(await backend.invoke('triggers/failed', { id }));
      return list.length > 0 && list;
    });
    assert.equal(failed!.error?.errorMessage, 'poison');
    assert.equal(failed!.records[0]!.dynamodb.Keys.pk && (failed!.records[0]!.dynamodb.Keys.pk as { S: string }).S, 'poison');
    assert.deepEqual(unwrap(await backend.invoke('triggers/redrive', { id, batchId: failed!.id })), { succeeded: 0, stillFailing: 1 });
    const missing = await backend.invoke('triggers/redrive', { id, batchId: 'nope' });
    assert.deepEqual(!missing.ok && missing.error, { code: 'ResourceNotFoundException', message: 'Failed batch nope does not exist.' });

    const saved = JSON.parse(await readFile(join(stateDir, 'triggers.json'), 'utf8')) as { triggers: { id: string; handler: { path: string }; settings: { BatchSize: number } }[] };
    assert.deepEqual(saved.triggers.map((t) => [t.id, t.handler.path, t.settings.BatchSize]), [[id, path, 5]]);

    // Another backend on the same state directory (the app started again) has the trigger back.
    const again = createBackend({ engine, stateDir });
    try {
      const reloaded = unwrap(await again.invoke('triggers/list', { connectionId: LOCAL_CONNECTION_ID }));
      assert.deepEqual(reloaded.map((t) => t.definition.id), [id]);
    } finally {
      await again.close();
    }

    unwrap(await backend.invoke('triggers/delete', { id }));
    assert.deepEqual(unwrap(await backend.invoke('triggers/list', { connectionId: LOCAL_CONNECTION_ID })), []);
    const gone = await backend.invoke('triggers/invocations', { id });
    assert.deepEqual(!gone.ok && gone.error, { code: 'ResourceNotFoundException', message: `Trigger ${id} does not exist.` });
  });

  test('handlers started after the app\'s endpoint comes up are pointed at it', async () => {
    const late = createBackend({ engine });
    try {
      const path = join(stateDir, 'late.mjs');
      await writeFile(path, `export const handler = async () => { console.log('endpoint', process.env.AWS_ENDPOINT_URL_DYNAMODB); };`);
      const { definition } = unwrap(await late.invoke('triggers/put', { connectionId: LOCAL_CONNECTION_ID, tableName: 'Orders', handler: { kind: 'module', path }, settings: { StartingPosition: 'LATEST' } }));
      await waitFor('the first poll', async () => unwrap(await late.invoke('triggers/list', { connectionId: LOCAL_CONNECTION_ID }))[0]?.runtime.lastPolledAt);
      // The endpoint comes up after the trigger exists (as in the desktop app), before its handler starts.
      late.setLocalEndpoint('http://127.0.0.1:9999');
      await put('late');
      const [invocation] = await waitFor('an invocation', async () => {
        const list = unwrap(await late.invoke('triggers/invocations', { id: definition.id }));
        return list.length > 0 && list;
      });
      assert.match(invocation!.logs.join('\n'), /INFO\tendpoint http:\/\/127\.0\.0\.1:9999$/);
    } finally {
      await late.close();
    }
  });

  test('bad settings come back in Lambda\'s words', async () => {
    const result = await backend.invoke('triggers/put', {
      connectionId: LOCAL_CONNECTION_ID,
      tableName: 'Orders',
      handler: { kind: 'command', command: 'true' },
      settings: { BatchSize: 0 },
    });
    assert.deepEqual(!result.ok && result.error, {
      code: 'InvalidParameterValueException',
      message: "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });

  test('a trigger on a remote connection reads its stream through the SDK', async () => {
    const remote = unwrap(
      await backend.invoke('connections/add', { name: 'Same engine over HTTP', region: 'us-east-1', endpointUrl: endpoint.url, accessKeyId: 'k', secretAccessKey: 's' }),
    );
    assert.equal(remote.capabilities.streamTriggers, true);
    const path = join(stateDir, 'remote.mjs');
    await writeFile(path, `export const handler = async () => {};`);
    const created: TriggerInfo = unwrap(
      await backend.invoke('triggers/put', { connectionId: remote.id, tableName: 'Orders', handler: { kind: 'module', path }, settings: { StartingPosition: 'LATEST' } }),
    );
    assert.equal(created.definition.connectionId, remote.id);
    const id = created.definition.id;
    await waitFor('the remote trigger to poll the stream', async () => unwrap(await backend.invoke('triggers/list', { connectionId: remote.id }))[0]?.runtime.lastPolledAt);
    await put('over-http');
    const [invocation] = await waitFor('a remote invocation', async () => {
        const list = unwrap(await backend.invoke('triggers/invocations', { id }));
      return list.length > 0 && list;
    });
    const record = invocation!.event.Records[0]!;
    assert.deepEqual(record.dynamodb.Keys, { pk: { S: 'over-http' } });
    assert.equal(typeof record.dynamodb.ApproximateCreationDateTime, 'number');
    assert.equal(record.eventSource, 'aws:dynamodb');
    // The local list does not show the remote connection's trigger.
    assert.deepEqual(unwrap(await backend.invoke('triggers/list', { connectionId: LOCAL_CONNECTION_ID })), []);
    unwrap(await backend.invoke('triggers/delete', { id }));
  });

  test('flags and triggers files: modules by extension, everything else a command', async () => {
    assert.deepEqual(handlerFromText('./h.mjs', '/base'), { kind: 'module', path: '/base/h.mjs' });
    assert.deepEqual(handlerFromText('python3 h.py', '/base'), { kind: 'command', command: 'python3 h.py', cwd: '/base' });
    const flag = triggerFromFlag('Orders=node handle.js', '/base');
    assert.equal(flag.tableName, 'Orders');
    assert.deepEqual(flag.handler, { kind: 'command', command: 'node handle.js', cwd: '/base' });
    assert.equal(triggerFromFlag('Orders=node handle.js', '/base').id, flag.id, 'the same flag names the same trigger');
    assert.throws(() => triggerFromFlag('Orders'), /--trigger takes <table>=<path-or-command>/);
    const file = join(stateDir, 'config.json');
    await writeFile(file, JSON.stringify({ triggers: [{ table: 'Orders', handler: 'handlers/a.ts', settings: { BatchSize: 7 } }] }));
    assert.deepEqual(await loadTriggerFile(file), [{ table: 'Orders', tableName: 'Orders', handler: { kind: 'module', path: join(stateDir, 'handlers/a.ts') }, settings: { BatchSize: 7 } }]);
    assert.deepEqual(await loadTriggerFile(join(stateDir, 'absent.json')), []);
  });

  test('serve\'s triggers file keeps its own and the UI\'s triggers, not those of --trigger flags', async () => {
    const file = join(stateDir, 'serve-triggers.json');
    await writeFile(file, JSON.stringify([{ table: 'Orders', functionName: 'from-file', handler: 'true' }]));
    const triggers = await startServeTriggers({ engine, endpointUrl: endpoint.url, flags: ['Orders=true'], file });
    try {
      assert.equal(triggers.list().length, 2);
      await triggers.put({ tableName: 'Orders', functionName: 'from-ui', handler: { kind: 'command', command: 'true' } });
      const saved = JSON.parse(await readFile(file, 'utf8')) as { triggers: { functionName: string }[] };
      assert.deepEqual(saved.triggers.map((t) => t.functionName), ['from-file', 'from-ui']);
    } finally {
      await triggers.close();
    }
  });
});
