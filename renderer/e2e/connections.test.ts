/**
 * End-to-end: remote connections in the browser mode, against a second DynamoDB endpoint process
 * (dynalite): test before saving (a refused endpoint is "unreachable"), add, refresh the sidebar
 * after a table appears outside the app, edit, keep across a restart of the backend, a red top
 * bar when the endpoint goes down, removal through the in-app confirm dialog. And the local
 * engine's sidebar follows tables created and deleted behind the app's back.
 *   node build/test.mjs renderer/e2e/connections
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTarget, type RunningTarget } from '../../engine/bench/processes.ts';
import { connectionDialog, connectionSection, endpointStatus, fillConnection, sidebar, tableEntry, testConnection } from './connections.ts';
import { createSimpleTable, REGION, startApp, type AppUnderTest } from './harness.ts';

describe('connections in the browser mode', () => {
  let app: AppUnderTest;
  let dynalite: RunningTarget;
  let stateDir: string;

  before(async () => {
    dynalite = await startTarget('dynalite');
    stateDir = await mkdtemp(join(tmpdir(), 'dynamo-lens-e2e-state-'));
    app = await startApp({ quiet: true, stateDir });
  });
  after(async () => {
    await app?.close();
    await dynalite?.stop();
    await rm(stateDir, { recursive: true, force: true });
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('tests a connection before saving: refused is unreachable, then the right endpoint answers', async () => {
    const { page } = app;
    await sidebar(page).getByRole('button', { name: 'Add connection' }).click();
    await fillConnection(page, { name: 'Dynalite', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9' });
    await testConnection(page);
    const alert = connectionDialog(page).getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /The endpoint is unreachable\.[\s\S]*Could not reach http:\/\/127\.0\.0\.1:9: connect ECONNREFUSED[\s\S]*EndpointUnreachable/);
    assert.doesNotMatch(text, /Something went wrong/);
    await app.screenshot('connections-test-refused');

    await fillConnection(page, { endpointUrl: dynalite.url, accessKeyId: 'AKIDE2E', secretAccessKey: 'e2e-secret-value' });
    await testConnection(page);
    await connectionDialog(page).getByRole('status').getByText(/Connected: ListTables answered in \d+ ms/).waitFor();
    await connectionDialog(page).getByRole('button', { name: 'Add connection' }).click();
    await connectionDialog(page).waitFor({ state: 'detached' });
    await connectionSection(page, 'Dynalite').getByText('No tables yet').waitFor();
    for (const file of ['connections.json', 'secrets.json']) {
      assert.doesNotMatch(await readFile(join(stateDir, file), 'utf8'), /e2e-secret-value|AKIDE2E/);
    }
  });

  test('a table created outside the app appears after Refresh tables; the top bar shows the endpoint', async () => {
    const { page } = app;
    const client = new DynamoDBClient({ endpoint: dynalite.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    try {
      await client.send(
        new CreateTableCommand({ TableName: 'Outside', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
      );
    } finally {
      client.destroy();
    }
    await sidebar(page).getByRole('button', { name: 'Refresh tables' }).click();
    await connectionSection(page, 'Dynalite').getByRole('button', { name: /^Outside\b/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Outside' }).waitFor();
    await endpointStatus(page, 'Dynalite').and(page.getByRole('status', { name: /reachable$/ })).waitFor();
    assert.match(await endpointStatus(page, 'Dynalite').innerText(), new RegExp(dynalite.url.replace(/[.]/g, '\\.')));
    assert.doesNotMatch((await endpointStatus(page, 'Dynalite').getAttribute('aria-label'))!, /unreachable/);
  });

  test('edits the connection: the new name is kept, and so are the saved keys', async () => {
    const { page } = app;
    await connectionSection(page, 'Dynalite').getByRole('button', { name: 'Edit connection Dynalite' }).click();
    const dialog = connectionDialog(page);
    assert.equal(await dialog.getByLabel(/^Secret access key/).getAttribute('placeholder'), 'Saved; leave empty to keep');
    await fillConnection(page, { name: 'Dynalite (edited)' });
    await testConnection(page);
    await dialog.getByRole('status').getByText(/Connected/).waitFor();
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await dialog.waitFor({ state: 'detached' });
    await connectionSection(page, 'Dynalite (edited)').getByRole('button', { name: /^Outside\b/ }).waitFor();
    assert.match(await readFile(join(stateDir, 'connections.json'), 'utf8'), /Dynalite \(edited\)/);
  });

  test('the connection and its keys survive a restart of the backend', async () => {
    const { page } = app;
    await app.restartBackend();
    const section = connectionSection(page, 'Dynalite (edited)');
    await section.getByRole('button', { name: /^Outside\b/ }).waitFor();
    const listed = await app.backend.invoke('connections/list', null);
    const remote = listed.ok ? listed.value.find((c) => c.kind === 'remote') : undefined;
    assert.deepEqual(remote && { name: remote.name, hasCredentials: remote.hasCredentials }, { name: 'Dynalite (edited)', hasCredentials: true });
  });

  test('the top bar turns red when the endpoint goes down', async () => {
    const { page } = app;
    await dynalite.stop();
    await connectionSection(page, 'Dynalite (edited)').getByRole('button', { name: /^Outside\b/ }).click();
    const pill = endpointStatus(page, 'Dynalite \\(edited\\)');
    await page.getByRole('status', { name: /unreachable$/ }).waitFor({ timeout: 15_000 });
    assert.match(await pill.innerText(), /unreachable/);
    assert.equal(await pill.evaluate((el) => el.classList.contains('down')), true);
    await app.screenshot('connections-down');
  });

  test('removing a connection asks in the app, not with window.confirm', async () => {
    const { page } = app;
    let nativeDialogs = 0;
    page.on('dialog', (dialog) => {
      nativeDialogs++;
      void dialog.dismiss();
    });
    await connectionSection(page, 'Dynalite (edited)').getByRole('button', { name: 'Remove connection Dynalite (edited)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove connection Dynalite (edited)?' });
    await confirm.getByRole('button', { name: 'Remove connection' }).click();
    await connectionSection(page, 'Dynalite (edited)').waitFor({ state: 'detached' });
    assert.equal(nativeDialogs, 0);
    assert.doesNotMatch(await readFile(join(stateDir, 'connections.json'), 'utf8'), /Dynalite/);
  });

  test("the local engine's tables appear and disappear in the sidebar without a refresh", async () => {
    const { page } = app;
    await createSimpleTable(app.engine, 'MadeBySdk');
    await tableEntry(page, 'MadeBySdk').waitFor({ timeout: 10_000 });
    await app.engine.handle('DeleteTable', { TableName: 'MadeBySdk' }, REGION);
    await tableEntry(page, 'MadeBySdk').waitFor({ state: 'detached', timeout: 10_000 });
  });
});
