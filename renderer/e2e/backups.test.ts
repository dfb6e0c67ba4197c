/**
 * End-to-end: a table's Settings tab takes an on-demand backup and restores it into a new table,
 * checked with DescribeTable and GetItem on the real engine.
 *   node build/test.mjs renderer/e2e/backups
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable, tableEntry } from './connections.ts';
import { createSimpleTable, REGION, sampleItems, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { openTab } from './tablePage.ts';

describe('backups in the browser', () => {
  let app: AppUnderTest;
  before(async () => {
    app = await startApp({ quiet: true });
    await createSimpleTable(app.engine, 'Ledger');
    await seedItems(app.engine, 'Ledger', sampleItems(120, 'entry'));
    await app.page.reload();
    await openTable(app.page, 'Ledger');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('creates a backup, restores it into a new table, deletes it', async () => {
    const { page } = app;
    await openTab(page, 'Settings');
    const section = page.getByRole('region', { name: 'Backups' });
    await section.getByLabel('Backup name').fill('before-cleanup');
    await section.getByRole('button', { name: 'Create backup' }).click();
    await section.getByRole('status').filter({ hasText: 'Backup before-cleanup created.' }).waitFor();
    await section.getByRole('cell', { name: 'before-cleanup', exact: true }).waitFor();

    // Changed after the backup: the restored table must not have this.
    await app.engine.handle('PutItem', { TableName: 'Ledger', Item: { pk: { S: 'after-backup' } } }, REGION);

    await section.getByLabel('New table for before-cleanup').fill('LedgerRestored');
    await section.getByRole('button', { name: 'Restore' }).click();
    await section.getByRole('status').filter({ hasText: 'Restored before-cleanup into the new table LedgerRestored.' }).waitFor();
    await tableEntry(page, 'LedgerRestored').waitFor();
    await app.screenshot('settings-backups');

    const { Table } = (await app.engine.handle('DescribeTable', { TableName: 'LedgerRestored' }, REGION)) as { Table: { ItemCount: number; RestoreSummary?: { SourceTableArn: string } } };
    assert.equal(Table.ItemCount, 120);
    assert.match(Table.RestoreSummary?.SourceTableArn ?? '', /table\/Ledger$/);
    const later = (await app.engine.handle('GetItem', { TableName: 'LedgerRestored', Key: { pk: { S: 'after-backup' } } }, REGION)) as { Item?: unknown };
    assert.equal(later.Item, undefined);

    await section.getByRole('button', { name: 'Delete backup before-cleanup' }).click();
    await section.getByText('No backups of this table yet.').waitFor();
    const { BackupSummaries } = (await app.engine.handle('ListBackups', { TableName: 'Ledger' }, REGION)) as { BackupSummaries: unknown[] };
    assert.deepEqual(BackupSummaries, []);
  });
});
