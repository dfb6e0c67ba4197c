/**
 * End-to-end: every run shows the read and write units it cost, equal to what the engine reports
 * for the same request, with an on-demand price estimate. Run after
 * `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/capacityCost.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { allowClipboard, editEditorText, editorDialog, waitForEditorText } from './editor.ts';
import { createSimpleTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { rowWithText, statusBar } from './items.ts';
import { openPartiql, partiqlView, replaceScript, runAs } from './partiql.ts';
import { queryForm, queryResults } from './query.ts';
import { openTab } from './tablePage.ts';

type Capacity = { ConsumedCapacity?: { CapacityUnits?: number } };

describe('consumed capacity on every run', () => {
  let app: AppUnderTest;
  /** Units the engine reports for a request sent to it directly. */
  const engineUnits = async (operation: string, input: Record<string, unknown>) =>
    ((await app.engine.handle(operation, { ...input, ReturnConsumedCapacity: 'TOTAL' }, REGION)) as Capacity).ConsumedCapacity?.CapacityUnits;
  const shown = async (note: ReturnType<AppUnderTest['page']['getByRole']>) => ({ read: Number(await note.getAttribute('data-read')), write: Number(await note.getAttribute('data-write')) });

  before(async () => {
    app = await startApp({ quiet: true });
    await allowClipboard(app.page);
    await createSimpleTable(app.engine, 'Notes');
    // Items of about 3 KB, so a Scan costs several units and the sum is not a round default.
    await seedItems(
      app.engine,
      'Notes',
      Array.from({ length: 9 }, (_, i) => ({ pk: { S: `n-${i}` }, body: { S: 'x'.repeat(3000 + i * 100) } })),
    );
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

  test('the items Scan shows the read units the engine reports for that Scan', async () => {
    const { page } = app;
    await openTable(page, 'Notes');
    await rowWithText(page, 'Notes', 'n-8').waitFor();
    const note = statusBar(page).getByRole('note', { name: 'Consumed capacity' });
    const expected = await engineUnits('Scan', { TableName: 'Notes' });
    assert.ok(expected && expected > 1, `a Scan of 9 items of 3 KB costs more than one unit (${expected})`);
    assert.deepEqual(await shown(note), { read: expected, write: 0 });
    assert.match(await note.innerText(), new RegExp(`${expected} RCU`));
    assert.match(await note.getAttribute('title') ?? '', /us-east-1 on-demand prices: \$0\.125 per million read request units, \$0\.625 per million write request units/);
  });

  test('saving an item says the write units the PutItem cost', async () => {
    const { page } = app;
    await openTable(page, 'Notes');
    await rowWithText(page, 'Notes', 'n-1').dblclick();
    await waitForEditorText(page, '"body"');
    const bigger = { pk: { S: 'n-1' }, body: { S: 'y'.repeat(4500) } };
    await editEditorText(page, () => JSON.stringify(bigger));
    await editorDialog(page).getByRole('button', { name: 'Save item' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Item saved' });
    await notice.waitFor();
    // Writing the same item again over itself costs what the larger of old and new cost the UI.
    const expected = await engineUnits('PutItem', { TableName: 'Notes', Item: bigger });
    assert.equal(expected, 5);
    assert.match(await notice.innerText(), new RegExp(`Item saved · 0 RCU · ${expected} WCU · ≈ \\$${(expected! * 0.625).toString()}`));
  });

  test('the query builder shows the read units of its Query', async () => {
    const { page } = app;
    await openTable(page, 'Notes');
    await openTab(page, 'Query');
    await queryForm(page).getByLabel('Partition key value').fill('n-3');
    await queryForm(page).getByRole('button', { name: 'Run Query' }).click();
    await queryResults(page).getByRole('row').filter({ hasText: 'n-3' }).waitFor();
    const note = page.locator('footer[aria-label="Query status"]:visible').getByRole('note', { name: 'Consumed capacity' });
    const expected = await engineUnits('Query', { TableName: 'Notes', KeyConditionExpression: 'pk = :v', ExpressionAttributeValues: { ':v': { S: 'n-3' } } });
    assert.deepEqual(await shown(note), { read: expected, write: 0 });
  });

  test('PartiQL SELECT and INSERT show read and write units as the engine reports them', async () => {
    const { page } = app;
    await openPartiql(page, 'Local engine');
    await replaceScript(page, `SELECT * FROM "Notes" WHERE pk = 'n-5'`);
    await runAs(page, 'ExecuteStatement');
    const note = partiqlView(page).getByRole('note', { name: 'Consumed capacity' });
    await note.waitFor();
    const read = await engineUnits('ExecuteStatement', { Statement: `SELECT * FROM "Notes" WHERE pk = 'n-5'` });
    assert.deepEqual(await shown(note), { read, write: 0 });

    await replaceScript(page, `INSERT INTO "Notes" VALUE {'pk': 'new', 'body': 'short'}`);
    await runAs(page, 'ExecuteStatement');
    await partiqlView(page).getByText('1 WCU').waitFor();
    const write = await engineUnits('ExecuteStatement', { Statement: `UPDATE "Notes" SET body = 'short' WHERE pk = 'new'` });
    assert.deepEqual(await shown(note), { read: 0, write });
    await app.screenshot('capacity-cost-partiql');
  });
});
