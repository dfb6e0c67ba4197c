/**
 * End-to-end: a table's Settings tab turns point-in-time recovery on and restores the table as it
 * was at a chosen second into a new table, checked with DescribeTable and GetItem on the real engine.
 *   node build/test.mjs renderer/e2e/pointInTime
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { openTable, tableEntry } from './connections.ts';
import { createSimpleTable, REGION, sampleItems, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { openTab } from './tablePage.ts';

/** The value a `datetime-local` input shows for an epoch second, in the browser's (and our) time zone. */
function localInput(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

describe('point-in-time recovery in the browser', () => {
  let app: AppUnderTest;
  before(async () => {
    app = await startApp({ quiet: true });
    await createSimpleTable(app.engine, 'Journal');
    await seedItems(app.engine, 'Journal', sampleItems(40, 'entry'));
    await app.page.reload();
    await openTable(app.page, 'Journal');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('turns recovery on and restores the table as it was at a chosen second into a new table', async () => {
    const { page } = app;
    await openTab(page, 'Settings');
    const section = page.getByRole('region', { name: 'Point-in-time recovery' });
    await section.getByLabel('Recovery period (days)').fill('7');
    await section.getByRole('button', { name: 'Turn on point-in-time recovery' }).click();
    await section.getByRole('status').filter({ hasText: 'Point-in-time recovery is on, keeping 7 days.' }).waitFor();
    await section.getByText(/On, keeping 7 days: restorable from/).waitFor();

    // A whole second after recovery came on, then a change after it: the restore must not have it.
    const moment = Math.ceil(Date.now() / 1000) + 1;
    await sleep(moment * 1000 - Date.now() + 100);
    await app.engine.handle('PutItem', { TableName: 'Journal', Item: { pk: { S: 'after-moment' } } }, REGION);
    await app.engine.handle('DeleteItem', { TableName: 'Journal', Key: { pk: { S: 'entry-000001' } } }, REGION);

    await section.getByLabel('Restore the table as it was at').fill(localInput(moment));
    await section.getByLabel('into the new table').fill('JournalThen');
    await section.getByRole('button', { name: 'Restore to point in time' }).click();
    await section.getByRole('status').filter({ hasText: /^Restored Journal as it was at .* into the new table JournalThen\.$/ }).waitFor();
    await tableEntry(page, 'JournalThen').waitFor();
    await section.scrollIntoViewIfNeeded();
    await app.screenshot('settings-point-in-time');

    const { Table } = (await app.engine.handle('DescribeTable', { TableName: 'JournalThen' }, REGION)) as { Table: { ItemCount: number; RestoreSummary?: { RestoreDateTime: number } } };
    assert.equal(Table.ItemCount, 40);
    assert.equal(Table.RestoreSummary?.RestoreDateTime, moment);
    const later = (await app.engine.handle('GetItem', { TableName: 'JournalThen', Key: { pk: { S: 'after-moment' } } }, REGION)) as { Item?: unknown };
    assert.equal(later.Item, undefined);
    const deleted = (await app.engine.handle('GetItem', { TableName: 'JournalThen', Key: { pk: { S: 'entry-000001' } } }, REGION)) as { Item?: unknown };
    assert.ok(deleted.Item, 'the item deleted after the moment is back');

    await section.getByRole('button', { name: 'Turn off point-in-time recovery' }).click();
    await section.getByRole('status').filter({ hasText: 'Point-in-time recovery is off; its history is gone.' }).waitFor();
    await section.getByLabel('Recovery period (days)').waitFor();
  });
});
