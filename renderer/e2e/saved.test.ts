/**
 * End-to-end: saved operations survive a restart. The app runs on LMDB with a state directory,
 * a query and a PartiQL script are saved, the whole app (engine, backend, server, browser) is
 * closed and started again on the same directories, and both reopen from their "Saved" menus and
 * run. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/saved.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createKeyedTable, REGION, restartableApp, seedItems } from './harness.ts';
import { openPartiql, partiqlView, replaceScript, results as partiqlResults } from './partiql.ts';
import { queryForm, queryResults } from './query.ts';
import { openSaved, saveAs, savedMenu } from './saved.ts';
import { openTab } from './tablePage.ts';

describe('saved operations across a restart', () => {
  const { start, stop, cleanup } = restartableApp('dynamo-lens-saved-');
  after(cleanup);

  test('a saved query and a saved PartiQL script reopen after a restart on the same data directory and run', async () => {
    const first = await start();
    await createKeyedTable(first.engine, 'Orders');
    await seedItems(
      first.engine,
      'Orders',
      Array.from({ length: 12 }, (_, i) => ({ pk: { S: `customer-${i % 2}` }, sk: { S: `order#${String(i).padStart(3, '0')}` }, total: { N: String(i) } })),
    );
    await first.page.reload();
    await openTable(first.page, 'Orders');
    await openTab(first.page, 'Query');
    await queryForm(first.page).getByLabel('Partition key value').fill('customer-1');
    await queryForm(first.page).getByLabel('Sort order').selectOption('desc');
    await saveAs(first.page, queryForm(first.page), 'Customer 1, newest first');

    await openPartiql(first.page, 'Local engine');
    await replaceScript(first.page, `SELECT sk, total FROM "Orders" WHERE pk = ? AND total > 5`);
    await partiqlView(first.page).getByRole('group', { name: 'Parameter 1' }).getByLabel('Parameter value').fill('customer-0');
    await saveAs(first.page, partiqlView(first.page), 'Big orders of a customer');
    await stop();

    // Everything restarts: engine on the same LMDB directory, backend on the same state directory.
    const second = await start();
    const { page } = second;
    await openTable(page, 'Orders');
    await openTab(page, 'Query');
    assert.equal(await queryForm(page).getByLabel('Partition key value').inputValue(), '', 'a fresh builder');
    await openSaved(page, queryForm(page), 'Customer 1, newest first');
    assert.equal(await queryForm(page).getByLabel('Partition key value').inputValue(), 'customer-1');
    await queryForm(page).getByRole('button', { name: 'Run Query' }).click();
    await queryResults(page).getByRole('row').filter({ hasText: 'order#011' }).waitFor();
    const rows = await queryResults(page).getByRole('row').filter({ hasText: 'customer-1' }).allInnerTexts();
    assert.equal(rows.length, 6);
    assert.match(rows[0]!, /order#011/, 'newest first, as saved');

    await openPartiql(page, 'Local engine');
    await openSaved(page, partiqlView(page), 'Big orders of a customer');
    await partiqlView(page).getByTestId('partiql-editor').getByText('SELECT sk, total FROM').waitFor();
    assert.equal(await partiqlView(page).getByRole('group', { name: 'Parameter 1' }).getByLabel('Parameter value').inputValue(), 'customer-0');
    await partiqlView(page).getByRole('button', { name: 'Run ExecuteStatement' }).click();
    await partiqlView(page).getByText('End of results', { exact: true }).waitFor();
    assert.equal(await partiqlResults(page).getByRole('row').filter({ hasText: 'order#' }).count(), 3, 'totals 6, 8 and 10');

    // Rename and delete from the menu.
    await partiqlView(page).getByRole('button', { name: /^Saved/ }).click();
    await savedMenu(page).getByRole('button', { name: 'Rename Big orders of a customer' }).click();
    await savedMenu(page).getByLabel('New name').fill('Orders over 5');
    await savedMenu(page).getByRole('button', { name: 'Rename', exact: true }).click();
    await savedMenu(page).getByRole('button', { name: 'Orders over 5', exact: true }).waitFor();
    await second.screenshot('saved-menu');
    await savedMenu(page).getByRole('button', { name: 'Delete Orders over 5' }).click();
    await savedMenu(page).getByText('Nothing saved here yet.').waitFor();
  });
});
