/**
 * End-to-end: the built renderer in Chromium, through the browser bridge, on a real in-memory
 * engine. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/workbench.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable, sidebar, tableEntry } from './connections.ts';
import { editorDialog, waitForEditorText, replaceEditorText } from './editor.ts';
import { createSimpleTable, REGION, sampleItems, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { grid, rowWithText, scrollUntilAllLoaded, statusBar } from './items.ts';
import { runCommand } from './palette.ts';
import { createTableDialog, deleteTable, fillCreateTable, submitCreateTable } from './tables.ts';

describe('workbench in the browser', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('the top bar says where the local engine keeps its data', async () => {
    const pill = app.page.getByTestId('storage-pill');
    assert.match(await pill.innerText(), /^In memory · \d/);
    assert.match((await pill.getAttribute('title')) ?? '', /gone when the app exits/);
  });

  test('creates a table with a global secondary index from the dialog', async () => {
    const { page } = app;
    await runCommand(page, 'create table');
    await fillCreateTable(page, {
      name: 'Orders',
      partitionKey: 'orderId',
      sortKey: 'createdAt',
      gsi: { name: 'byCustomer', partitionKey: 'customerId', projection: 'All attributes' },
    });
    await app.screenshot('create-table-dialog');
    await submitCreateTable(page);
    await createTableDialog(page).waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await tableEntry(page, 'Orders').waitFor();

    const { Table } = (await app.engine.handle('DescribeTable', { TableName: 'Orders' }, REGION)) as {
      Table: { GlobalSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string }[] }[] };
    };
    assert.equal(Table.GlobalSecondaryIndexes?.[0]?.IndexName, 'byCustomer');
    assert.equal(Table.GlobalSecondaryIndexes?.[0]?.KeySchema[0]?.AttributeName, 'customerId');
    await page.getByRole('combobox', { name: 'Table or index' }).selectOption({ label: 'Index: byCustomer' });
  });

  test('shows an engine error in place, in DynamoDB words', async () => {
    const { page } = app;
    await runCommand(page, 'create table');
    await fillCreateTable(page, { name: 'Orders', partitionKey: 'orderId' });
    await submitCreateTable(page);
    const alert = createTableDialog(page).getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /already exists/i);
    assert.match(text, /ResourceInUseException/);
    await app.screenshot('engine-error-in-place');
    await page.keyboard.press('Escape');
    await createTableDialog(page).waitFor({ state: 'detached' });
  });

  test('adds, edits (with a conflict check) and deletes items', async () => {
    const { page } = app;
    await openTable(page, 'Orders');

    // Add
    await page.getByRole('button', { name: 'New item' }).click();
    await editorDialog(page).waitFor();
    await replaceEditorText(
      page,
      JSON.stringify({ orderId: { S: 'o-1' }, createdAt: { S: '2024-01-01' }, customerId: { S: 'c-9' }, total: { N: '42.5' }, tags: { SS: ['gift'] } }),
    );
    await page.getByRole('button', { name: 'Create item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    await rowWithText(page, 'Orders', 'o-1').waitFor();

    // Validation before save: a malformed attribute value never reaches the engine.
    await rowWithText(page, 'Orders', 'o-1').dblclick();
    await editorDialog(page).waitFor();
    await waitForEditorText(page, '"total"');
    await replaceEditorText(page, '{"orderId": {"S": "o-1"}, "createdAt": {"S": "2024-01-01"}, "total": {"N": "not a number"}}');
    await page.getByRole('button', { name: 'Save item' }).click();
    await editorDialog(page).getByRole('alert').getByText(/N must be a number/).waitFor();

    // Someone else changes the item meanwhile: the save is refused, not overwritten.
    await app.engine.handle('UpdateItem', {
      TableName: 'Orders',
      Key: { orderId: { S: 'o-1' }, createdAt: { S: '2024-01-01' } },
      UpdateExpression: 'SET #total = :t',
      ExpressionAttributeNames: { '#total': 'total' },
      ExpressionAttributeValues: { ':t': { N: '99' } },
    }, REGION);
    await replaceEditorText(page, JSON.stringify({ orderId: { S: 'o-1' }, createdAt: { S: '2024-01-01' }, customerId: { S: 'c-9' }, total: { N: '50' } }));
    await page.getByRole('button', { name: 'Save item' }).click();
    const conflict = editorDialog(page).getByRole('alert');
    await conflict.getByText(/ConditionalCheckFailedException/).waitFor();
    await app.screenshot('edit-conflict');

    // Load the current version and save the edit on top of it.
    await page.getByRole('button', { name: 'Load current version' }).click();
    await editorDialog(page).getByText('"99"').waitFor();
    // The stored item holds a string set, which plain JSON cannot express: the switch is refused.
    await page.getByRole('radio', { name: 'Plain JSON' }).click();
    await editorDialog(page).getByRole('alert').getByText(/plain JSON cannot express/).waitFor();
    await replaceEditorText(page, JSON.stringify({ orderId: { S: 'o-1' }, createdAt: { S: '2024-01-01' }, customerId: { S: 'c-9' }, total: { N: '51' } }));
    await page.getByRole('button', { name: 'Save item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    const stored = (await app.engine.handle('GetItem', { TableName: 'Orders', Key: { orderId: { S: 'o-1' }, createdAt: { S: '2024-01-01' } } }, REGION)) as {
      Item: Record<string, unknown>;
    };
    assert.deepEqual(stored.Item.total, { N: '51' });

    // Duplicate twice, then delete the three selected items together.
    for (const suffix of ['2', '3']) {
      await rowWithText(page, 'Orders', 'o-1').click();
      await page.keyboard.press('d');
      await editorDialog(page).waitFor();
      // Duplicates are written in plain JSON, which the editor converts to DynamoDB JSON on save.
      await page.getByRole('radio', { name: 'Plain JSON' }).click();
      await editorDialog(page).getByText('"total": 51').waitFor();
      await replaceEditorText(page, JSON.stringify({ orderId: `o-${suffix}`, createdAt: '2024-01-01', customerId: 'c-9', total: Number(suffix) }));
      await page.getByRole('button', { name: 'Create item' }).click();
      await editorDialog(page).waitFor({ state: 'detached' });
    }
    await rowWithText(page, 'Orders', 'o-3').waitFor();
    const duplicate = (await app.engine.handle('GetItem', { TableName: 'Orders', Key: { orderId: { S: 'o-2' }, createdAt: { S: '2024-01-01' } } }, REGION)) as {
      Item: Record<string, unknown>;
    };
    assert.deepEqual(duplicate.Item.total, { N: '2' });
    await grid(page, 'Orders').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await app.screenshot('items-selected');
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete 3 items?' });
    await confirm.getByRole('button', { name: 'Delete 3 items' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('Deleted 3 items').waitFor();
    const scan = (await app.engine.handle('Scan', { TableName: 'Orders' }, REGION)) as { Count: number };
    assert.equal(scan.Count, 0);
  });

  test('pages through 20,000 items with infinite scroll', async () => {
    const { page } = app;
    await createSimpleTable(app.engine, 'Events');
    await seedItems(app.engine, 'Events', sampleItems(20_000, 'event'));
    await runCommand(page, 'refresh table list');
    await openTable(page, 'Events');
    await rowWithText(page, 'Events', 'event-').first().waitFor();
    await page.getByText('More items available').first().waitFor();
    await app.screenshot('items-first-page');
    const started = Date.now();
    await scrollUntilAllLoaded(page, 'Events', 20_000, 90_000);
    console.log(`loaded 20,000 items by scrolling in ${Date.now() - started} ms`);
    await app.screenshot('items-all-loaded');
    assert.match(await statusBar(page).innerText(), /20,000\s+loaded/);
  });

  test('deletes a table after typing its name', async () => {
    const { page } = app;
    await openTable(page, 'Orders');
    await deleteTable(page, 'Orders');
    await tableEntry(page, 'Orders').waitFor({ state: 'detached' });
    await sidebar(page).getByText('Events').waitFor();
  });

  test('follows a dark system theme', async () => {
    const dark = await app.browser.newContext({ viewport: { width: 1400, height: 860 }, colorScheme: 'dark' });
    const page = await dark.newPage();
    page.on('pageerror', (error) => app.pageErrors.push(error));
    await page.goto(app.server.url);
    await tableEntry(page, 'Events').click();
    await rowWithText(page, 'Events', 'event-').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.screenshot({ path: `${process.cwd()}/test-artifacts/dark-theme.png` });
    await dark.close();
  });
});
