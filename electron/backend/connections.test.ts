/**
 * Remote connections against a second DynamoDB endpoint process (dynalite): edit, test before
 * saving, "unreachable" in plain words when nothing answers, and keys that survive a restart of
 * the backend encrypted under a key kept in its own file, never in plain text.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DynamoEngine } from '../../engine/api.ts';
import { startTarget, type RunningTarget } from '../../engine/bench/processes.ts';
import type { Envelope } from '../contract.ts';
import { createBackend, type Backend } from './backend.ts';
import { EncryptedFileSecretStore, keyFileCipher } from './secrets.ts';
import { openTestEngine } from './testEngine.ts';

function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) assert.fail(`expected success, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

/** The browser mode's backend: state in a directory, keys encrypted under a key file. */
async function browserModeBackend(engine: DynamoEngine, stateDir: string): Promise<Backend> {
  const secrets = await EncryptedFileSecretStore.open(join(stateDir, 'secrets.json'), keyFileCipher(join(stateDir, 'secrets.key')));
  return createBackend({ engine, stateDir, secrets });
}

describe('remote connections against a second endpoint process', () => {
  let engine: DynamoEngine;
  let dynalite: RunningTarget;
  let stateDir: string;
  let backend: Backend;

  before(async () => {
    engine = await openTestEngine();
    dynalite = await startTarget('dynalite');
    stateDir = await mkdtemp(join(tmpdir(), 'dynamo-lens-connections-'));
    backend = await browserModeBackend(engine, stateDir);
  });
  after(async () => {
    await backend?.close();
    await dynalite?.stop();
    await engine?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  test('tests a form before saving: a live endpoint answers, a refused one is unreachable', async () => {
    const live = unwrap(await backend.invoke('connections/test', { connection: { name: 'dynalite', region: 'us-east-1', endpointUrl: dynalite.url } }));
    assert.ok(live.latencyMs >= 0);
    const refused = await backend.invoke('connections/test', { connection: { name: 'nowhere', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9' } });
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.error.code, 'EndpointUnreachable');
      assert.match(refused.error.message, /^Could not reach http:\/\/127\.0\.0\.1:9: connect ECONNREFUSED 127\.0\.0\.1:9$/);
    }
    const bad = await backend.invoke('connections/test', { connection: { name: 'x', region: 'us-east-1', endpointUrl: 'ftp://example' } });
    assert.equal(!bad.ok && bad.error.code, 'BadRequest');
  });

  test('keys survive a restart of the backend, encrypted under a key file of their own', async () => {
    const added = unwrap(
      await backend.invoke('connections/add', { name: 'Dynalite', region: 'us-east-1', endpointUrl: dynalite.url, accessKeyId: 'AKIDBROWSER', secretAccessKey: 'browser-mode-secret' }),
    );
    unwrap(await backend.invoke('dynamo', { connectionId: added.id, operation: 'CreateTable', input: { TableName: 'Remote', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' } }));

    for (const file of ['connections.json', 'secrets.json']) {
      assert.doesNotMatch(await readFile(join(stateDir, file), 'utf8'), /browser-mode-secret|AKIDBROWSER/, `${file} holds a key in plain text`);
    }
    assert.equal((await stat(join(stateDir, 'secrets.key'))).mode & 0o777, 0o600);

    await backend.close();
    backend = await browserModeBackend(engine, stateDir);
    const restored = unwrap(await backend.invoke('connections/list', null)).find((c) => c.id === added.id);
    assert.equal(restored?.name, 'Dynalite');
    assert.equal(restored?.hasCredentials, true);
    const { TableNames } = unwrap(await backend.invoke('dynamo', { connectionId: added.id, operation: 'ListTables', input: {} })) as { TableNames: string[] };
    assert.deepEqual(TableNames, ['Remote']);

    // Without the key file the secrets cannot be read: the connection is kept and asks for keys again.
    await rm(join(stateDir, 'secrets.key'));
    await backend.close();
    backend = await browserModeBackend(engine, stateDir);
    assert.equal(unwrap(await backend.invoke('connections/list', null)).find((c) => c.id === added.id)?.hasCredentials, false);
    unwrap(await backend.invoke('connections/remove', { id: added.id }));
  });

  test('edits a connection: new endpoint and name, saved keys kept unless replaced or cleared', async () => {
    const added = unwrap(await backend.invoke('connections/add', { name: 'Wrong port', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9', accessKeyId: 'AKID1', secretAccessKey: 'first' }));
    const down = await backend.invoke('dynamo', { connectionId: added.id, operation: 'ListTables', input: {} });
    assert.equal(!down.ok && down.error.code, 'EndpointUnreachable');

    const edited = unwrap(await backend.invoke('connections/update', { id: added.id, name: 'Dynalite again', region: 'us-east-1', endpointUrl: dynalite.url }));
    assert.equal(edited.name, 'Dynalite again');
    assert.equal(edited.endpointUrl, dynalite.url);
    assert.equal(edited.hasCredentials, true, 'keys left empty keep the saved ones');
    unwrap(await backend.invoke('connections/test', { id: added.id }));
    unwrap(await backend.invoke('dynamo', { connectionId: added.id, operation: 'ListTables', input: {} }));
    assert.match(await readFile(join(stateDir, 'connections.json'), 'utf8'), /Dynalite again/);

    const cleared = unwrap(await backend.invoke('connections/update', { id: added.id, name: 'Dynalite again', region: 'us-east-1', endpointUrl: dynalite.url, clearCredentials: true }));
    assert.equal(cleared.hasCredentials, false);
    const local = await backend.invoke('connections/update', { id: 'local', name: 'x', region: 'us-east-1' });
    assert.equal(!local.ok && local.error.code, 'BadRequest');
    unwrap(await backend.invoke('connections/remove', { id: added.id }));
  });

  test('a saved connection whose endpoint went down tests as unreachable', async () => {
    const added = unwrap(await backend.invoke('connections/add', { name: 'Going away', region: 'us-east-1', endpointUrl: dynalite.url }));
    unwrap(await backend.invoke('connections/test', { id: added.id }));
    await dynalite.stop();
    const result = await backend.invoke('connections/test', { id: added.id });
    assert.equal(!result.ok && result.error.code, 'EndpointUnreachable');
    unwrap(await backend.invoke('connections/test', { id: 'local' }));
  });
});
