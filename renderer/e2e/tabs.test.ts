/**
 * End-to-end: tables and builders open as tabs, keep their place side by side, and come back
 * after the backend restarts on the same state directory. Run after
 * `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/tabs.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { openTable } from './connections.ts';
import { createKeyedTable, createSimpleTable, restartableApp, seedItems } from './harness.ts';
import { rowWithText } from './items.ts';
import { openPartiql, partiqlView } from './partiql.ts';
import { queryForm, queryStatus } from './query.ts';
import { focusTab, frontTab, openTabs, tabTitles } from './tabs.ts';
import { openTab } from './tablePage.ts';

describe('workbench tabs across a restart', () => {
  const { start, stop, cleanup } = restartableApp('dynamo-lens-tabs-');
  after(cleanup);

  test('two tables and the PartiQL editor open as tabs and all come back after a restart', async () => {
    const first = await start();
    for (const name of ['Orders', 'Customers']) {
      await createSimpleTable(first.engine, name);
      await seedItems(first.engine, name, [{ pk: { S: `${name}-1` } }]);
    }
    await first.page.reload();
    await openTable(first.page, 'Orders');
    await openTab(first.page, 'Query');
    await openTable(first.page, 'Customers');
    await openPartiql(first.page, 'Local engine');
    const expected = ['Orders (Local engine · us-east-1 · 000000000000)', 'Customers (Local engine · us-east-1 · 000000000000)', 'PartiQL (Local engine · us-east-1 · 000000000000)'];
    assert.deepEqual(await tabTitles(first.page), expected);

    // Each tab shows its own view; opening an open table brings its tab to the front.
    await focusTab(first.page, expected[0]!);
    await first.page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await openTable(first.page, 'Customers');
    assert.equal(await frontTab(first.page), expected[1]);
    assert.equal((await tabTitles(first.page)).length, 3, 'no second tab for an open table');
    await first.screenshot('tabs-open');
    await stop();

    const second = await start();
    await openTabs(second.page).waitFor();
    assert.deepEqual(await tabTitles(second.page), expected);
    assert.equal(await frontTab(second.page), expected[1], 'the tab in front stays in front');
    await rowWithText(second.page, 'Customers', 'Customers-1').waitFor();
    await focusTab(second.page, expected[0]!);
    await rowWithText(second.page, 'Orders', 'Orders-1').waitFor();
    await openTab(second.page, 'Query');
    await queryForm(second.page).waitFor();
    await focusTab(second.page, expected[2]!);
    await partiqlView(second.page).waitFor();

    // Closing a tab is remembered too.
    await openTabs(second.page).getByRole('button', { name: `Close ${expected[0]}` }).click();
    assert.deepEqual(await tabTitles(second.page), expected.slice(1));
    await stop();
    const third = await start();
    await openTabs(third.page).waitFor();
    assert.deepEqual(await tabTitles(third.page), expected.slice(1));
  });
});

describe('two queries on one table, side by side', () => {
  const { start, stop, cleanup } = restartableApp('dynamo-lens-split-');
  after(cleanup);

  test('each tab keeps its own query and results, they show side by side, a Query reopens from the history, and the split comes back after a restart', async () => {
    const first = await start();
    const { page } = first;
    await createKeyedTable(first.engine, 'Orders');
    await seedItems(first.engine, 'Orders', [
      ...['ORDER#1', 'ORDER#2', 'ORDER#3', 'PROFILE'].map((sk) => ({ pk: { S: 'USER#1' }, sk: { S: sk } })),
      ...['ORDER#7', 'PROFILE'].map((sk) => ({ pk: { S: 'USER#2' }, sk: { S: sk } })),
    ]);
    await page.reload();
    const [ordersTab, secondTab] = ['Orders', 'Orders · 2'].map((title) => `${title} (Local engine · us-east-1 · 000000000000)`) as [string, string];

    // Tab 1: the orders of USER#1.
    await openTable(page, 'Orders');
    await openTab(page, 'Query');
    await runQuery(queryForm(page), 'USER#1', 'ORDER#');
    await queryStatus(page).getByText('3 returned').waitFor();

    // Items and back: the built query and its results are still there.
    await openTab(page, 'Items');
    await rowWithText(page, 'Orders', 'PROFILE').first().waitFor();
    await openTab(page, 'Query');
    assert.equal(await queryForm(page).getByLabel('Partition key value').inputValue(), 'USER#1');
    await queryStatus(page).getByText('3 returned').waitFor();

    // Tab 2 on the same table: its own query.
    await page.getByRole('button', { name: 'Open another tab on this table' }).click();
    assert.deepEqual(await tabTitles(page), [ordersTab, secondTab]);
    assert.equal(await frontTab(page), secondTab);
    await openTab(page, 'Query');
    await runQuery(queryForm(page), 'USER#2', 'ORDER#');
    await queryStatus(page).getByText('1 returned').waitFor();

    // Side by side: both builders, each with its query and results.
    await openTabs(page).getByRole('button', { name: `Show ${ordersTab} beside` }).click();
    const ordersPane = page.getByRole('region', { name: ordersTab });
    const secondPane = page.getByRole('region', { name: secondTab });
    assert.equal(await queryForm(ordersPane).getByLabel('Partition key value').inputValue(), 'USER#1');
    assert.equal(await queryForm(secondPane).getByLabel('Partition key value').inputValue(), 'USER#2');
    await queryStatus(ordersPane).getByText('3 returned').waitFor();
    await queryStatus(secondPane).getByText('1 returned').waitFor();
    await first.screenshot('tabs-side-by-side');

    // Working in the other pane brings its tab to the front.
    await ordersPane.getByLabel('Limit').click();
    assert.equal(await frontTab(page), ordersTab);

    // The history: the latest Query (USER#2's) reopens in the table's first tab, in its Query tab.
    await page.getByRole('button', { name: 'Request history' }).click();
    const history = page.getByRole('region', { name: 'Request history' });
    await history.getByRole('table', { name: 'Requests' }).getByRole('button', { name: /Query$/ }).first().click();
    await history.getByRole('complementary', { name: 'Request detail' }).getByRole('button', { name: 'Open in builder' }).click();
    const reopened = queryForm(ordersPane);
    await reopened.waitFor();
    assert.equal(await reopened.getByLabel('Partition key value').inputValue(), 'USER#2');
    assert.equal(await reopened.getByLabel('Sort key condition').inputValue(), 'begins_with');
    assert.equal(await reopened.getByLabel('Sort key value').inputValue(), 'ORDER#');
    await reopened.getByRole('button', { name: 'Run Query' }).click();
    await queryStatus(ordersPane).getByText('1 returned').waitFor();
    await stop();

    // After a restart both tabs come back, side by side.
    const second = await start();
    await openTabs(second.page).waitFor();
    assert.deepEqual(await tabTitles(second.page), [ordersTab, secondTab]);
    await second.page.getByRole('region', { name: ordersTab }).waitFor();
    await second.page.getByRole('region', { name: secondTab }).waitFor();
    await second.page.getByRole('button', { name: 'Stop showing side by side' }).click();
    await second.page.getByRole('region', { name: secondTab }).waitFor({ state: 'hidden' });
  });
});

/** Fills a query builder's key condition (partition value, sort key begins_with) and runs it. */
async function runQuery(form: Locator, partition: string, sortPrefix: string): Promise<void> {
  await form.getByLabel('Partition key value').fill(partition);
  await form.getByLabel('Sort key condition').selectOption('begins_with');
  await form.getByLabel('Sort key value').fill(sortPrefix);
  await form.getByRole('button', { name: 'Run Query' }).click();
}
