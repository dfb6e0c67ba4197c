/**
 * End-to-end: an item editor's text saved as an operation of its table (a template for new items)
 * and reopened in the editor later. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/savedItem.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { allowClipboard, copyEditorText, editorDialog, replaceEditorText } from './editor.ts';
import { createSimpleTable, REGION, startApp, type AppUnderTest } from './harness.ts';
import { savedMenu } from './saved.ts';

describe('item edits as saved operations', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await allowClipboard(app.page);
    await createSimpleTable(app.engine, 'Notes');
    await createSimpleTable(app.engine, 'Other');
    await app.page.reload();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('a new item saved as a template reopens in a later editor and creates the item', async () => {
    const { page } = app;
    const template = { pk: { S: 'draft-1' }, tags: { SS: ['a', 'b'] }, count: { N: '3' } };
    await openTable(page, 'Notes');
    await page.getByRole('button', { name: 'New item' }).click();
    await replaceEditorText(page, JSON.stringify(template));
    const savedButton = editorDialog(page).getByRole('button', { name: /^Saved/ });
    await savedButton.click();
    await savedMenu(page).getByLabel('Name to save as').fill('Tagged note');
    await savedMenu(page).getByRole('button', { name: 'Save', exact: true }).click();
    await savedMenu(page).getByRole('button', { name: 'Tagged note', exact: true }).waitFor();
    await app.screenshot('saved-item-menu');
    const listed = await app.backend.invoke('saved/list', { connectionId: 'local' });
    assert.ok(listed.ok);
    assert.deepEqual(listed.value.map((o) => [o.kind, o.tableName, o.body]), [['item', 'Notes', { text: JSON.stringify(template), format: 'dynamodb' }]]);
    await savedButton.click();
    await editorDialog(page).getByRole('button', { name: 'Cancel' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });

    // Another table's editor does not offer it.
    await openTable(page, 'Other');
    await page.getByRole('button', { name: 'New item' }).click();
    await editorDialog(page).getByRole('button', { name: /^Saved/ }).click();
    await savedMenu(page).waitFor();
    assert.equal(await savedMenu(page).getByRole('button', { name: 'Tagged note', exact: true }).count(), 0);
    await editorDialog(page).getByRole('button', { name: /^Saved/ }).click();
    await editorDialog(page).getByRole('button', { name: 'Cancel' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });

    await openTable(page, 'Notes');
    await page.getByRole('button', { name: 'New item' }).click();
    await editorDialog(page).getByRole('button', { name: /^Saved/ }).click();
    await savedMenu(page).getByRole('button', { name: 'Tagged note', exact: true }).click();
    assert.deepEqual(JSON.parse(await copyEditorText(page)), template);
    await editorDialog(page).getByRole('button', { name: 'Create item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    const { Item } = (await app.engine.handle('GetItem', { TableName: 'Notes', Key: { pk: { S: 'draft-1' } } }, REGION)) as { Item?: unknown };
    assert.deepEqual(Item, template);
  });
});
