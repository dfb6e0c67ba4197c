/**
 * End-to-end: editing scalar cells in place, copying rows and the row context menu, in Chromium on
 * a real in-memory engine; stored values are read back with GetItem.
 *   node --import tsx --test renderer/e2e/inlineEdit.test.ts   (after building the renderer)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { grid, rowWithText } from './items.ts';

async function stored(app: AppUnderTest, pk: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = (await app.engine.handle('GetItem', { TableName: 'Cells', Key: { pk: { S: pk } }, ConsistentRead: true }, REGION)) as { Item?: Record<string, unknown> };
  return Item;
}

describe('inline editing in the items grid', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await createSimpleTable(app.engine, 'Cells');
    await seedItems(app.engine, 'Cells', [
      { pk: { S: 'row-1' }, zip: { S: '0150' }, qty: { N: '5' }, ok: { BOOL: false }, tags: { SS: ['a'] } },
      { pk: { S: 'row-2' }, zip: { S: '9' }, qty: { N: '7' }, ok: { BOOL: true } },
    ]);
    await app.page.reload();
    await openTable(app.page, 'Cells');
    await rowWithText(app.page, 'Cells', 'row-1').waitFor();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  const cell = (pk: string, column: string) => rowWithText(app.page, 'Cells', pk).locator(`[data-column="${column}"]`);

  test('edits S, N and BOOL cells in place, keeping their types, with DynamoDB number rules', async () => {
    const { page } = app;
    await cell('row-1', 'zip').click();
    await page.keyboard.press('F2');
    const zip = page.getByRole('textbox', { name: 'New value of zip (S)' });
    await zip.fill('0042');
    await zip.press('Enter');
    await page.getByText('Saved zip').waitFor();

    await cell('row-1', 'qty').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Edit qty here' }).click();
    const qty = page.getByRole('textbox', { name: 'New value of qty (N)' });
    await qty.fill('123456789012345678901234567890123456789');
    await qty.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Attempting to store more than 38 significant digits in a Number' }).waitFor();
    await app.screenshot('inline-edit-number-refused');
    await qty.fill('12345678901234567890123456789012345678');
    await qty.press('Enter');
    await page.getByText('Saved qty').waitFor();

    await cell('row-1', 'ok').click();
    await page.keyboard.press('F2');
    await page.getByRole('combobox', { name: 'New value of ok (BOOL)' }).selectOption('true');
    await page.getByText('Saved ok').waitFor();
    await cell('row-1', 'ok').filter({ hasText: 'true' }).waitFor();

    assert.deepEqual(await stored(app, 'row-1'), {
      pk: { S: 'row-1' },
      zip: { S: '0042' },
      qty: { N: '12345678901234567890123456789012345678' },
      ok: { BOOL: true },
      tags: { SS: ['a'] },
    });
    // Keys and sets are not edited in place.
    await cell('row-1', 'pk').click({ button: 'right' });
    assert.equal(await page.getByRole('menuitem', { name: 'Edit pk here' }).isDisabled(), true);
    await page.keyboard.press('Escape');
  });

  test('a value changed elsewhere since the row was read is refused, said so, and the stored value shown', async () => {
    const { page } = app;
    await app.engine.handle('UpdateItem', { TableName: 'Cells', Key: { pk: { S: 'row-2' } }, UpdateExpression: 'SET zip = :z', ExpressionAttributeValues: { ':z': { S: 'changed-outside' } } }, REGION);
    await cell('row-2', 'zip').filter({ hasText: '9' }).click();
    await page.keyboard.press('F2');
    const zip = page.getByRole('textbox', { name: 'New value of zip (S)' });
    await zip.fill('mine');
    await zip.press('Enter');
    await page.getByText(/zip was not saved: it was changed elsewhere since this row was read \(it is now \{"S":"changed-outside"\}\)/).waitFor();
    await cell('row-2', 'zip').filter({ hasText: 'changed-outside' }).waitFor();
    await app.screenshot('inline-edit-conflict');
    assert.deepEqual((await stored(app, 'row-2'))?.zip, { S: 'changed-outside' });
  });

  test('Ctrl+C copies rows as DynamoDB JSON, Ctrl+Shift+C as plain JSON; the menu copies the key', async () => {
    const { page } = app;
    await cell('row-2', 'pk').click();
    await grid(page, 'Cells').press('Control+c');
    await page.getByText('Copied the item as DynamoDB JSON').waitFor();
    assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())), await stored(app, 'row-2'));
    await grid(page, 'Cells').press('Control+Shift+c');
    await page.getByText('Copied the item as plain JSON').waitFor();
    assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())), { pk: 'row-2', zip: 'changed-outside', qty: 7, ok: true });
    await cell('row-2', 'qty').click({ button: 'right' });
    await app.screenshot('inline-context-menu');
    await page.getByRole('menuitem', { name: 'Copy key' }).click();
    await page.getByText('Copied the key as DynamoDB JSON').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '{"pk":{"S":"row-2"}}');
  });
});

describe('string cells', () => {
  test('leading and trailing spaces are marked, so "abc " does not look like "abc"', async () => {
    const app = await startApp({ quiet: true });
    try {
      await createSimpleTable(app.engine, 'Spaces');
      await seedItems(app.engine, 'Spaces', [{ pk: { S: 'k' }, name: { S: '  padded ' }, plain: { S: 'plain' } }]);
      await app.page.reload();
      await openTable(app.page, 'Spaces');
      const row = rowWithText(app.page, 'Spaces', 'padded');
      await row.waitFor();
      const marks = row.locator('[data-column="name"] .cell-space');
      assert.deepEqual(await marks.evaluateAll((els) => els.map((el) => [el.textContent, el.getAttribute('title')])), [
        ['  ', '2 leading whitespace characters'],
        [' ', '1 trailing whitespace character'],
      ]);
      assert.equal(await row.locator('[data-column="plain"] .cell-space').count(), 0);
    } finally {
      await app.close();
    }
  });
});
