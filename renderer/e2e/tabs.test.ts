/**
 * End-to-end: tables and builders open as tabs, keep their place side by side, and come back
 * after the backend restarts on the same state directory. Run after
 * `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/tabs.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, seedItems, restartableApp } from './harness.ts';
import { rowWithText } from './items.ts';
import { openPartiql, partiqlView } from './partiql.ts';
import { queryForm } from './query.ts';
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
