import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DynamoEngine } from '../../engine/api.ts';
import { startEndpoint } from '../../engine/server.ts';
import type { Envelope, Events, HistoryEntry } from '../contract.ts';
import { createBackend, type Backend } from './backend.ts';
import { LOCAL_CONNECTION_ID } from './connections.ts';
import { openTestEngine } from './testEngine.ts';

function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) assert.fail(`expected success, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

const usersTable = {
  TableName: 'Users',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

describe('backend channel handlers (real in-memory engine)', () => {
  let engine: DynamoEngine;
  let backend: Backend;
  let stateDir: string;

  before(async () => {
    engine = await openTestEngine();
    stateDir = await mkdtemp(join(tmpdir(), 'dynamo-lens-backend-'));
    backend = createBackend({ engine, endpointUrl: 'http://127.0.0.1:8000', stateDir, version: '1.2.3' });
  });
  after(async () => {
    await backend.close();
    await engine.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  test('lists the local engine first, with its endpoint', async () => {
    const connections = unwrap(await backend.invoke('connections/list', null));
    assert.equal(connections[0]!.id, LOCAL_CONNECTION_ID);
    assert.equal(connections[0]!.kind, 'local');
    assert.equal(connections[0]!.builtIn, true);
    assert.equal(connections[0]!.endpointUrl, 'http://127.0.0.1:8000');
  });

  test('runs DynamoDB operations on the local engine in the chosen namespace', async () => {
    const eu = { region: 'eu-west-1', accountId: '111111111111' };
    unwrap(await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'CreateTable', input: usersTable, namespace: eu }));
    unwrap(
      await backend.invoke('dynamo', {
        connectionId: LOCAL_CONNECTION_ID,
        operation: 'PutItem',
        input: { TableName: 'Users', Item: { pk: { S: 'ada' }, age: { N: '36' } } },
        namespace: eu,
      }),
    );
    const got = unwrap(
      await backend.invoke('dynamo', {
        connectionId: LOCAL_CONNECTION_ID,
        operation: 'GetItem',
        input: { TableName: 'Users', Key: { pk: { S: 'ada' } } },
        namespace: eu,
      }),
    );
    assert.deepEqual(got.Item, { pk: { S: 'ada' }, age: { N: '36' } });

    // The same table name is absent from the default namespace.
    const elsewhere = await backend.invoke('dynamo', {
      connectionId: LOCAL_CONNECTION_ID,
      operation: 'DescribeTable',
      input: { TableName: 'Users' },
    });
    assert.equal(elsewhere.ok, false);

    const namespaces = unwrap(await backend.invoke('namespaces', { connectionId: LOCAL_CONNECTION_ID }));
    assert.ok(namespaces.some((n) => n.region === 'eu-west-1' && n.accountId === '111111111111' && n.tableCount === 1));
    assert.ok(namespaces.some((n) => n.region === 'us-east-1'), 'the default namespace is always offered');
  });

  test('engine errors come back as {code, message} without a stack', async () => {
    const result = await backend.invoke('dynamo', {
      connectionId: LOCAL_CONNECTION_ID,
      operation: 'DescribeTable',
      input: { TableName: 'Missing' },
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'ResourceNotFoundException');
    assert.match(result.error.message, /Missing/);
    assert.deepEqual(Object.keys(result.error).sort(), ['code', 'message']);
  });

  test('a cancelled transaction keeps each action\'s reason, with the old item, locally and through a remote connection', async () => {
    unwrap(await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'CreateTable', input: { ...usersTable, TableName: 'Accounts' } }));
    const stored = { pk: { S: 'acct-1' }, balance: { N: '10' }, blob: { B: Buffer.from('raw bytes').toString('base64') } };
    unwrap(await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'PutItem', input: { TableName: 'Accounts', Item: stored } }));
    const transaction = {
      TransactItems: [
        { Put: { TableName: 'Accounts', Item: { pk: { S: 'acct-2' } } } },
        {
          ConditionCheck: {
            TableName: 'Accounts',
            Key: { pk: { S: 'acct-1' } },
            ConditionExpression: 'balance > :min',
            ExpressionAttributeValues: { ':min': { N: '100' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    };
    const expected = [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: stored }];

    const local = await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'TransactWriteItems', input: transaction });
    assert.equal(!local.ok && local.error.code, 'TransactionCanceledException');
    if (!local.ok) assert.deepEqual(local.error.cancellationReasons, expected);

    const endpoint = await startEndpoint({ engine, port: 0 });
    try {
      const remote = unwrap(await backend.invoke('connections/add', { name: 'Same engine over HTTP', region: 'us-east-1', endpointUrl: endpoint.url }));
      const viaSdk = await backend.invoke('dynamo', { connectionId: remote.id, operation: 'TransactWriteItems', input: transaction });
      assert.equal(!viaSdk.ok && viaSdk.error.code, 'TransactionCanceledException');
      if (!viaSdk.ok) assert.deepEqual(viaSdk.error.cancellationReasons, expected);
      unwrap(await backend.invoke('connections/remove', { id: remote.id }));
    } finally {
      await endpoint.close();
    }
  });

  test('history keeps the data requests sent, newest first, with outcome, capacity and the exact request; searchable and clearable', async () => {
    unwrap(await backend.invoke('history/clear', null));
    unwrap(await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'CreateTable', input: { ...usersTable, TableName: 'Logged' } }));
    unwrap(await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'DescribeTable', input: { TableName: 'Logged' } }));
    const put = { TableName: 'Logged', Item: { pk: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' };
    unwrap(await backend.invoke('dynamo', { connectionId: LOCAL_CONNECTION_ID, operation: 'PutItem', input: put }));
    const failed = await backend.invoke('dynamo', {
      connectionId: LOCAL_CONNECTION_ID,
      operation: 'TransactWriteItems',
      input: { TransactItems: [{ ConditionCheck: { TableName: 'Logged', Key: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)' } }] },
    });
    assert.equal(failed.ok, false);

    const entries = unwrap(await backend.invoke('history/list', {}));
    assert.deepEqual(entries.map((e) => e.operation), ['TransactWriteItems', 'PutItem', 'CreateTable'], 'Describe and List calls are not recorded');
    const [transaction, written] = entries as [HistoryEntry, HistoryEntry];
    assert.equal(transaction.error?.code, 'TransactionCanceledException');
    assert.deepEqual(transaction.error?.cancellationReasons?.map((r) => r.Code), ['ConditionalCheckFailed']);
    assert.deepEqual(transaction.tables, ['Logged']);
    assert.deepEqual(written.request, put);
    assert.equal(written.capacityUnits, 1);
    assert.ok(written.durationMs >= 0 && written.startedAt <= Date.now());

    assert.deepEqual(unwrap(await backend.invoke('history/list', { search: 'canceled' })).map((e) => e.id), [transaction.id]);
    unwrap(await backend.invoke('history/clear', null));
    assert.deepEqual(unwrap(await backend.invoke('history/list', {})), []);
  });

  test('saved operations are created, renamed, listed per connection, deleted and kept across a restart', async () => {
    const changes: unknown[] = [];
    const unsubscribe = backend.subscribe((event) => {
      if (event === 'saved/changed') changes.push(event);
    });
    const query = unwrap(
      await backend.invoke('saved/save', { name: 'Open orders', kind: 'query', connectionId: LOCAL_CONNECTION_ID, tableName: 'Orders', body: { partitionValue: 'u1' } }),
    );
    unwrap(await backend.invoke('saved/save', { name: 'Elsewhere', kind: 'partiql', connectionId: 'some-remote', body: { script: 'SELECT 1' } }));
    const renamed = unwrap(await backend.invoke('saved/save', { ...query, name: 'Open orders of u1' }));
    assert.equal(renamed.id, query.id);
    assert.deepEqual(unwrap(await backend.invoke('saved/list', { connectionId: LOCAL_CONNECTION_ID })).map((o) => o.name), ['Open orders of u1']);

    const reopened = createBackend({ engine, stateDir });
    assert.deepEqual(unwrap(await reopened.invoke('saved/list', {})).map((o) => [o.name, o.kind, o.body]), [
      ['Open orders of u1', 'query', { partitionValue: 'u1' }],
      ['Elsewhere', 'partiql', { script: 'SELECT 1' }],
    ]);
    await reopened.close();

    unwrap(await backend.invoke('saved/delete', { id: query.id }));
    assert.deepEqual(unwrap(await backend.invoke('saved/list', { connectionId: LOCAL_CONNECTION_ID })), []);
    assert.equal(changes.length, 4);
    unsubscribe();

    const unnamed = await backend.dispatch('saved/save', { name: ' ', kind: 'query', connectionId: 'local', body: {} });
    assert.equal(!unnamed.ok && unnamed.error.code, 'BadRequest');
    const badKind = await backend.dispatch('saved/save', { name: 'x', kind: 'shell', connectionId: 'local', body: {} });
    assert.equal(!badKind.ok && badKind.error.code, 'BadRequest');
  });

  test('refuses unknown channels, malformed calls and unknown connections', async () => {
    const unknown = await backend.dispatch('fs/readFile', { path: '/etc/passwd' });
    assert.equal(unknown.ok, false);
    if (!unknown.ok) assert.equal(unknown.error.code, 'UnknownChannel');

    const badOperation = await backend.dispatch('dynamo', { connectionId: 'local', operation: '../x', input: {} });
    assert.equal(!badOperation.ok && badOperation.error.code, 'BadRequest');

    const badInput = await backend.dispatch('dynamo', { connectionId: 'local', operation: 'Scan', input: 'x' });
    assert.equal(!badInput.ok && badInput.error.code, 'BadRequest');

    const noConnection = await backend.invoke('dynamo', { connectionId: 'nope', operation: 'ListTables', input: {} });
    assert.equal(!noConnection.ok && noConnection.error.code, 'UnknownConnection');
  });

  test('adds and removes remote connections; secrets stay out of the saved file', async () => {
    const changes: Events['connections/changed'][] = [];
    const unsubscribe = backend.subscribe((event, payload) => {
      if (event === 'connections/changed') changes.push(payload as Events['connections/changed']);
    });
    const added = unwrap(
      await backend.invoke('connections/add', {
        name: 'DynamoDB Local',
        region: 'us-west-2',
        endpointUrl: 'http://127.0.0.1:1',
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'very-secret-value',
      }),
    );
    assert.equal(added.kind, 'remote');
    assert.equal(added.hasCredentials, true);
    assert.equal('secretAccessKey' in added, false);
    const saved = await readFile(join(stateDir, 'connections.json'), 'utf8');
    assert.match(saved, /DynamoDB Local/);
    assert.doesNotMatch(saved, /very-secret-value|AKIDEXAMPLE/);

    const list = unwrap(await backend.invoke('connections/list', null));
    assert.deepEqual(list.map((c) => c.kind), ['local', 'remote']);

    unwrap(await backend.invoke('connections/remove', { id: added.id }));
    assert.equal(unwrap(await backend.invoke('connections/list', null)).length, 1);
    assert.equal(changes.length, 2);
    unsubscribe();

    const refused = await backend.invoke('connections/remove', { id: LOCAL_CONNECTION_ID });
    assert.equal(refused.ok, false);
    const badUrl = await backend.invoke('connections/add', { name: 'x', region: 'us-east-1', endpointUrl: 'file:///etc' });
    assert.equal(!badUrl.ok && badUrl.error.code, 'BadRequest');
  });

  test('a remote call that cannot connect reports a plain error', async () => {
    const added = unwrap(
      await backend.invoke('connections/add', { name: 'Nowhere', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9' }),
    );
    const result = await backend.invoke('dynamo', { connectionId: added.id, operation: 'ListTables', input: {} });
    assert.equal(result.ok, false);
    if (!result.ok) assert.ok(result.error.message.length > 0);
    const unknownOp = await backend.invoke('dynamo', { connectionId: added.id, operation: 'FrobnicateTable', input: {} });
    assert.equal(!unknownOp.ok && unknownOp.error.code, 'UnknownOperationException');
    unwrap(await backend.invoke('connections/remove', { id: added.id }));
  });

  test('settings validate, persist and announce changes', async () => {
    const initial = unwrap(await backend.invoke('settings/get', null));
    assert.equal(initial.theme, 'system');
    let announced = 0;
    const unsubscribe = backend.subscribe((event) => {
      if (event === 'settings/changed') announced++;
    });
    const updated = unwrap(await backend.invoke('settings/set', { theme: 'dark', localEndpoint: { enabled: false, port: 8001 } }));
    assert.equal(updated.theme, 'dark');
    assert.deepEqual(updated.localEndpoint, { enabled: false, port: 8001 });
    assert.equal(announced, 1);
    unsubscribe();
    const invalid = await backend.invoke('settings/set', { theme: 'purple' as 'dark' });
    assert.equal(!invalid.ok && invalid.error.code, 'BadRequest');
    const saved = JSON.parse(await readFile(join(stateDir, 'settings.json'), 'utf8'));
    assert.equal(saved.theme, 'dark');

    // A second backend over the same state directory starts from the saved settings.
    const reopened = createBackend({ engine, stateDir });
    assert.equal(unwrap(await reopened.invoke('settings/get', null)).theme, 'dark');
    await reopened.close();
  });

  test('open tabs are kept in the settings, checked, and come back after a restart', async () => {
    const tabs = [
      { kind: 'table' as const, connectionId: 'local', namespace: { accountId: '000000000000', region: 'us-east-1' }, tableName: 'Orders' },
      { kind: 'partiql' as const, connectionId: 'local' },
      { kind: 'table' as const, connectionId: 'local', namespace: { accountId: '000000000000', region: 'us-east-1' }, tableName: 'Orders', instance: 2 },
    ];
    unwrap(await backend.invoke('settings/set', { openTabs: tabs, activeTab: 1, splitTabs: [0, 2] }));
    const refusals: [Record<string, unknown>, string][] = [
      [{ splitTabs: [1, 1] }, 'splitTabs must be two different tab positions from 0 to 19'],
      [{ openTabs: [{ kind: 'table', connectionId: 'local', tableName: 'Orders', instance: 1 }] }, 'openTabs must be a list of at most 20 tabs, each a table (with its tableName), "transactions", "partiql" or "modeler" on a connectionId'],
    ];
    for (const [patch, message] of refusals) {
      const refused = await backend.invoke('settings/set', patch);
      assert.deepEqual(!refused.ok && refused.error, { code: 'BadRequest', message });
    }
    const bad = await backend.invoke('settings/set', { openTabs: [{ kind: 'table', connectionId: 'local' }] });
    assert.deepEqual(!bad.ok && bad.error, {
      code: 'BadRequest',
      message: 'openTabs must be a list of at most 20 tabs, each a table (with its tableName), "transactions", "partiql" or "modeler" on a connectionId',
    });
    const reopened = createBackend({ engine, stateDir });
    const restored = unwrap(await reopened.invoke('settings/get', null));
    assert.deepEqual([restored.openTabs, restored.activeTab, restored.splitTabs], [tabs, 1, [0, 2]]);
    unwrap(await reopened.invoke('settings/set', { splitTabs: null }));
    assert.equal(unwrap(await reopened.invoke('settings/get', null)).splitTabs, null);
    await reopened.close();
  });

  test('app/info reports version, shell and local endpoint', async () => {
    const info = unwrap(await backend.invoke('app/info', null));
    assert.equal(info.version, '1.2.3');
    assert.equal(info.shell, 'browser');
    assert.equal(info.localEndpointUrl, 'http://127.0.0.1:8000');
    assert.equal(info.storage?.kind, 'memory');
    assert.equal(info.storage?.problem, undefined);
  });

  test('app/info says why the engine is not on the store asked for', async () => {
    const fallback = createBackend({ engine, storageProblem: 'The data directory /x is in use by another Dynamo Lens process.' });
    const info = unwrap(await fallback.invoke('app/info', null));
    assert.equal(info.storage?.kind, 'memory');
    assert.equal(info.storage?.problem, 'The data directory /x is in use by another Dynamo Lens process.');
    await fallback.close();
  });

  test('items/delete removes many items with progress events', async () => {
    unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'CreateTable', input: { ...usersTable, TableName: 'Bulk' } }));
    const keys = [];
    for (let i = 0; i < 60; i++) {
      const key = { pk: { S: `item-${i}` } };
      keys.push(key);
      unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'PutItem', input: { TableName: 'Bulk', Item: key } }));
    }
    const progress: number[] = [];
    const unsubscribe = backend.subscribe((event, payload) => {
      if (event === 'task/progress') progress.push((payload as Events['task/progress']).done);
    });
    const result = unwrap(await backend.invoke('items/delete', { connectionId: 'local', tableName: 'Bulk', keys, taskId: 't1' }));
    unsubscribe();
    assert.deepEqual(result, { deleted: 60, cancelled: false });
    assert.equal(progress.at(-1), 60);
    const scan = unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'Scan', input: { TableName: 'Bulk' } }));
    assert.equal(scan.Count, 0);
  });

  test('items/import writes in chunks of 25, reports items DynamoDB refuses, and stops when cancelled', async () => {
    unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'CreateTable', input: { ...usersTable, TableName: 'Imported' } }));
    const items: Record<string, unknown>[] = Array.from({ length: 120 }, (_, i) => ({ pk: { S: `item-${i}` }, n: { N: String(i) } }));
    // The engine refuses these on their own (an empty set; a key of the wrong type), which fails
    // their whole chunk; the chunk is replayed item by item and only they are reported.
    items[30] = { pk: { S: 'bad-set' }, tags: { SS: [] } };
    items[31] = { pk: { N: '1' } };
    const progress: Events['task/progress'][] = [];
    const unsubscribe = backend.subscribe((event, payload) => {
      if (event === 'task/progress') progress.push(payload as Events['task/progress']);
    });
    const result = unwrap(await backend.invoke('items/import', { connectionId: 'local', tableName: 'Imported', items, taskId: 'import-1' }));
    unsubscribe();
    assert.equal(result.written, 118);
    assert.equal(result.cancelled, false);
    assert.deepEqual(result.failed.map((f) => [f.index, f.code]), [[30, 'ValidationException'], [31, 'ValidationException']]);
    assert.ok(result.failed.every((f) => f.message.length > 0));
    assert.ok(progress.every((p) => p.taskId === 'import-1' && p.total === 120));
    assert.equal(progress.at(-1)!.done, 118);
    const scan = unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'Scan', input: { TableName: 'Imported', Select: 'COUNT' } }));
    assert.equal(scan.Count, 118);
    const got = unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'GetItem', input: { TableName: 'Imported', Key: { pk: { S: 'item-7' } } } }));
    assert.deepEqual(got.Item, { pk: { S: 'item-7' }, n: { N: '7' } });

    // Cancel after the first chunk: the chunks in flight finish, nothing after them is written.
    const more = Array.from({ length: 2000 }, (_, i) => ({ pk: { S: `more-${i}` } }));
    const cancelOnFirstChunk = backend.subscribe((event, payload) => {
      const p = payload as Events['task/progress'];
      if (event === 'task/progress' && p.taskId === 'import-2' && p.done === 25) void backend.invoke('tasks/cancel', { taskId: 'import-2' });
    });
    const cancelled = unwrap(await backend.invoke('items/import', { connectionId: 'local', tableName: 'Imported', items: more, taskId: 'import-2' }));
    cancelOnFirstChunk();
    assert.equal(cancelled.cancelled, true);
    assert.ok(cancelled.written >= 25 && cancelled.written < 2000 && cancelled.written % 25 === 0, `wrote ${cancelled.written}`);
    const after = unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'Scan', input: { TableName: 'Imported', Select: 'COUNT' } }));
    assert.equal(after.Count, 118 + cancelled.written);

    // Chunks run in parallel, yet the last item for a key wins as in the file: the first "dup"
    // sits in a chunk refused whole (its bad neighbour) and replayed item by item, slower than the
    // later chunk holding the second "dup", which must wait for it.
    const ordered: Record<string, unknown>[] = Array.from({ length: 100 }, (_, i) => ({ pk: { S: `ordered-${i}` } }));
    ordered[0] = { pk: { S: 'dup' }, v: { N: '1' } };
    ordered[1] = { pk: { S: 'bad' }, tags: { SS: [] } };
    ordered[60] = { pk: { S: 'dup' }, v: { N: '2' } };
    const orderedResult = unwrap(await backend.invoke('items/import', { connectionId: 'local', tableName: 'Imported', items: ordered, taskId: 'import-ordered' }));
    assert.equal(orderedResult.written, 99);
    const dup = unwrap(await backend.invoke('dynamo', { connectionId: 'local', operation: 'GetItem', input: { TableName: 'Imported', Key: { pk: { S: 'dup' } } } }));
    assert.deepEqual(dup.Item, { pk: { S: 'dup' }, v: { N: '2' } });

    const missing = await backend.invoke('items/import', { connectionId: 'local', tableName: 'NoSuchTable', items: more.slice(0, 3), taskId: 'import-3' });
    assert.equal(!missing.ok && missing.error.code, 'ResourceNotFoundException');
    const malformed = await backend.dispatch('items/import', { connectionId: 'local', tableName: 'Imported', items: [1, 2], taskId: 'import-4' });
    assert.equal(!malformed.ok && malformed.error.code, 'BadRequest');
  });
});

describe('export files (desktop save dialog, written a page at a time)', () => {
  test('writes before + pages + after at the chosen path, and a discarded export leaves nothing', async () => {
    const engine = await openTestEngine();
    const dir = await mkdtemp(join(tmpdir(), 'dynamo-lens-export-'));
    let chosen: string | null = join(dir, 'out.csv');
    const backend = createBackend({ engine, dialogs: { chooseSavePath: async () => chosen } });
    try {
      const created = unwrap(await backend.invoke('files/create', { suggestedName: 'Users-items.csv' }));
      assert.ok(created);
      unwrap(await backend.invoke('files/append', { fileId: created.fileId, text: 'a,1\n' }));
      unwrap(await backend.invoke('files/append', { fileId: created.fileId, text: 'b,2\n' }));
      assert.deepEqual(unwrap(await backend.invoke('files/finish', { fileId: created.fileId, before: 'pk,n\n', after: '' })), { path: join(dir, 'out.csv') });
      assert.equal(await readFile(join(dir, 'out.csv'), 'utf8'), 'pk,n\na,1\nb,2\n');
      const appended = await backend.invoke('files/append', { fileId: created.fileId, text: 'late' });
      assert.equal(appended.ok, false, 'a finished file takes no more pages');

      chosen = join(dir, 'cancelled.json');
      const cancelled = unwrap(await backend.invoke('files/create', { suggestedName: 'x.json' }));
      unwrap(await backend.invoke('files/append', { fileId: cancelled!.fileId, text: '{}' }));
      unwrap(await backend.invoke('files/discard', { fileId: cancelled!.fileId }));
      assert.deepEqual((await readdir(dir)).sort(), ['out.csv']);

      chosen = null;
      assert.equal(unwrap(await backend.invoke('files/create', { suggestedName: 'x.json' })), null, 'the dialog was cancelled');
      const browser = createBackend({ engine });
      const unsupported = await browser.invoke('files/create', { suggestedName: 'x.json' });
      assert.deepEqual(unsupported.ok ? null : unsupported.error.code, 'Unsupported');
      await browser.close();
    } finally {
      await backend.close();
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
