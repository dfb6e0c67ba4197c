/**
 * End-to-end: what the item editor tells the user around a save — the headline of a refused new
 * item, the notice after a save, and the grid's selection afterwards (issue #10's smaller defects).
 * Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/itemEditor.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { allowClipboard, editEditorText, editorDialog, replaceEditorText, waitForEditorText } from './editor.ts';
import { createSimpleTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { rowWithText, statusBar } from './items.ts';

describe('item editor around a save', () => {
  let app: AppUnderTest;
  const stored = { pk: { S: 'taken' }, note: { S: 'original' } };

  before(async () => {
    app = await startApp({ quiet: true });
    await allowClipboard(app.page);
    await createSimpleTable(app.engine, 'Notes');
    await seedItems(app.engine, 'Notes', [stored]);
  });
  // Each test starts from a fresh page, so one that fails leaves no dialog open for the next.
  beforeEach(async () => {
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('a new item whose key exists is refused with a headline that says so', async () => {
    const { page } = app;
    await openTable(page, 'Notes');
    await page.getByRole('button', { name: 'New item' }).click();
    await replaceEditorText(page, JSON.stringify({ pk: { S: 'taken' }, note: { S: 'overwrite?' } }));
    await editorDialog(page).getByRole('button', { name: 'Create item' }).click();
    const alert = editorDialog(page).getByRole('alert');
    await alert.getByText('An item with this key already exists.').waitFor();
    const text = await alert.innerText();
    assert.doesNotMatch(text, /changed since you loaded it/);
    assert.match(text, /ConditionalCheckFailedException/);
    assert.equal(await editorDialog(page).getByRole('button', { name: 'Load current version' }).count(), 0);
    await app.screenshot('new-item-key-taken');
    await editorDialog(page).getByRole('button', { name: 'Cancel' }).click();
    const { Item } = (await app.engine.handle('GetItem', { TableName: 'Notes', Key: { pk: { S: 'taken' } } }, REGION)) as { Item?: unknown };
    assert.deepEqual(Item, stored);
  });

  test('after a save the row is no longer selected and the notice goes away by itself', async () => {
    const { page } = app;
    await openTable(page, 'Notes');
    const row = rowWithText(page, 'Notes', 'taken');
    await row.dblclick();
    await waitForEditorText(page, '"note"');
    assert.match(await statusBar(page).innerText(), /1 selected/, 'opening the row selected it');
    await editEditorText(page, (text) => JSON.stringify({ ...JSON.parse(text), note: { S: 'edited' } }));
    await editorDialog(page).getByRole('button', { name: 'Save item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    const notice = page.getByRole('status').filter({ hasText: 'Item saved' });
    await notice.waitFor();
    await row.filter({ hasText: 'edited' }).waitFor();
    assert.equal(await row.getAttribute('aria-selected'), 'false');
    assert.doesNotMatch(await statusBar(page).innerText(), /selected/);
    await notice.waitFor({ state: 'detached', timeout: 15_000 });
  });
});
