/**
 * End-to-end: an index still backfilling can be deleted from the Indexes tab, which cancels its
 * backfill (DynamoDB allows deleting a CREATING index while Backfilling is true). The engine's
 * transition delay keeps the index CREATING long enough to act on it.
 *   node build/test.mjs renderer/e2e/backfill
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { REGION, createSimpleTable, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { createGsi, indexRow } from './indexes.ts';
import { openTab } from './tablePage.ts';

const DELAY_MS = 4000;

describe('cancelling a GSI backfill in the browser', () => {
  let app: AppUnderTest;
  const describeTable = async () =>
    ((await app.engine.handle('DescribeTable', { TableName: 'Slow' }, REGION)) as { Table: { TableStatus: string; GlobalSecondaryIndexes?: { IndexName: string }[] } }).Table;

  before(async () => {
    app = await startApp({ quiet: true, transitionDelayMs: DELAY_MS });
    await createSimpleTable(app.engine, 'Slow');
    while ((await describeTable()).TableStatus !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 100));
    await seedItems(app.engine, 'Slow', Array.from({ length: 50 }, (_, i) => ({ pk: { S: `k${i}` }, colour: { S: i % 2 ? 'red' : 'blue' } })));
    await app.page.reload();
    await openTable(app.page, 'Slow');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('Cancel on a backfilling index deletes it; DescribeTable no longer lists it', async () => {
    const { page } = app;
    await openTab(page, 'Indexes');
    await createGsi(page, { name: 'byColour', partitionKey: 'colour' });
    const row = indexRow(page, 'byColour');
    await row.getByText('CREATING').waitFor();
    await row.getByText(/Backfilling/).waitFor();
    await row.getByRole('button', { name: 'Cancel backfill of byColour' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete index byColour?' });
    await dialog.getByText(/still backfilling: the backfill stops/).waitFor();
    await app.screenshot('backfill-cancel');
    await dialog.getByLabel('Type byColour to confirm').fill('byColour');
    await dialog.getByRole('button', { name: 'Delete index' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await describeTable()).GlobalSecondaryIndexes, undefined);
    // Past the delay, the cancelled backfill does not bring the index back.
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS + 500));
    assert.equal((await describeTable()).GlobalSecondaryIndexes, undefined);
    assert.deepEqual(await app.backend.invoke('insights/backfill', { connectionId: 'local', tableName: 'Slow', namespace: REGION }), { ok: true, value: {} });
  });
});
