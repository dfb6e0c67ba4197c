/**
 * End-to-end: the items grid with many attributes and with index keys, in Chromium through the
 * browser bridge, on a real in-memory engine. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/grid.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { drawnColumns, grid, openColumnsMenu, rowWithText } from './items.ts';
import { queryForm, queryResults } from './query.ts';
import { openTab } from './tablePage.ts';

const ATTRIBUTES = 300;
const attr = (i: number) => `attr${String(i).padStart(3, '0')}`;

describe('the items grid', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await createSimpleTable(app.engine, 'Wide');
    await seedItems(
      app.engine,
      'Wide',
      Array.from({ length: 20 }, (_, row) => ({
        pk: { S: `row-${String(row).padStart(2, '0')}` },
        ...Object.fromEntries(Array.from({ length: ATTRIBUTES }, (_, i) => [attr(i), { S: `r${row}c${i}` }])),
      })),
    );
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'placed', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'status', KeyType: 'HASH' },
              { AttributeName: 'placed', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
      REGION,
    );
    await seedItems(
      app.engine,
      'Orders',
      Array.from({ length: 6 }, (_, i) => ({ pk: { S: `c${i % 2}` }, sk: { S: `o${i}` }, status: { S: i % 2 ? 'open' : 'shipped' }, placed: { N: String(i) }, note: { S: 'n' } })),
    );
    await app.page.reload();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('300 attributes: only the columns in view are drawn, and scrolling right reaches the last one', async () => {
    const { page } = app;
    await openTable(page, 'Wide');
    const items = grid(page, 'Wide');
    await rowWithText(page, 'Wide', 'row-00').waitFor();
    const first = await drawnColumns(items);
    assert.equal(first[0], 'pk');
    assert.ok(first.length < 20, `${first.length} columns drawn`);
    assert.equal(await items.getByRole('row').nth(1).getByRole('gridcell').count(), first.length + 1, 'rows draw the same columns as the header');
    assert.equal(await items.getAttribute('aria-colcount'), String(ATTRIBUTES + 2));

    await items.locator('.grid-scroll').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await items.getByRole('columnheader', { name: attr(ATTRIBUTES - 1) }).waitFor();
    const last = await drawnColumns(items);
    assert.ok(last.length < 20 && !last.includes('pk'), `drawn at the end: ${last.join(', ')}`);
    await rowWithText(page, 'Wide', `r0c${ATTRIBUTES - 1}`).waitFor();
    await app.screenshot('grid-wide-scrolled');
    await items.locator('.grid-scroll').evaluate((el) => el.scrollTo({ left: 0 }));
  });

  test('the Columns menu searches and hides all but the table key', async () => {
    const { page } = app;
    const items = grid(page, 'Wide');
    const menu = await openColumnsMenu(page);
    await menu.getByRole('searchbox', { name: 'Search columns' }).fill('attr29');
    assert.deepEqual(
      await menu.getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => box.parentElement!.textContent)),
      Array.from({ length: 10 }, (_, i) => attr(290 + i)),
    );
    await menu.getByRole('button', { name: 'Hide all' }).click();
    await menu.getByRole('searchbox', { name: 'Search columns' }).fill('');
    assert.equal(await menu.getByRole('checkbox', { checked: false }).count(), 10, 'the searched columns only');

    await menu.getByRole('button', { name: 'Hide all' }).click();
    await menu.getByRole('searchbox', { name: 'Search columns' }).fill('attr007');
    await menu.getByRole('checkbox', { name: 'attr007' }).check();
    await app.screenshot('grid-columns-menu');
    await page.keyboard.press('Escape');
    assert.deepEqual(await drawnColumns(items), ['pk', 'attr007']);
    await rowWithText(page, 'Wide', 'r0c7').waitFor();
  });

  test("the Query tab's results scroll to their last column, clear of the code panel", async () => {
    const { page } = app;
    await openTable(page, 'Wide');
    await openTab(page, 'Query');
    const form = queryForm(page);
    await form.getByRole('radiogroup', { name: 'Operation' }).getByRole('radio', { name: 'Scan' }).click();
    await form.getByRole('button', { name: 'Run Scan' }).click();
    const results = queryResults(page);
    await results.getByRole('row').filter({ hasText: 'row-00' }).waitFor();
    const scroller = results.locator('.grid-scroll');
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    const lastHeader = results.getByRole('columnheader', { name: attr(ATTRIBUTES - 1) });
    await lastHeader.waitFor();
    const view = await scroller.evaluate((el) => ({ left: el.getBoundingClientRect().left, width: el.clientWidth }));
    const header = (await lastHeader.boundingBox())!;
    const codePanel = (await page.getByRole('region', { name: 'Generated code' }).boundingBox())!;
    assert.ok(header.x + header.width <= view.left + view.width + 0.5, `the last column ends at ${header.x + header.width}, the view at ${view.left + view.width}`);
    assert.ok(header.x + header.width <= codePanel.x + 0.5, 'the code panel does not cover it');
    await app.screenshot('grid-query-last-column');
  });

  test('an index key has its own marker, apart from the table key, in the Items and Query grids', async () => {
    const { page } = app;
    await openTable(page, 'Orders');
    await openTab(page, 'Items');
    const items = grid(page, 'Orders');
    await rowWithText(page, 'Orders', 'o1').waitFor();
    const marker = (gridLocator: typeof items, column: string) => gridLocator.getByRole('columnheader', { name: new RegExp(`\\b${column}$`) }).locator('[aria-label$="key attribute"], [aria-label*="key attribute ("]');
    assert.equal(await marker(items, 'pk').getAttribute('aria-label'), 'table key attribute');
    assert.equal(await marker(items, 'sk').getAttribute('aria-label'), 'table key attribute');
    assert.equal(await marker(items, 'status').getAttribute('aria-label'), 'index key attribute (byStatus)');
    assert.equal(await marker(items, 'status').innerText(), 'GSI');
    assert.equal(await marker(items, 'placed').getAttribute('aria-label'), 'index key attribute (byStatus)');
    assert.equal(await marker(items, 'note').count(), 0);
    await app.screenshot('grid-index-key-markers');

    await openTab(page, 'Query');
    const form = queryForm(page);
    await form.getByRole('radiogroup', { name: 'Operation' }).getByRole('radio', { name: 'Scan' }).click();
    await form.getByRole('button', { name: 'Run Scan' }).click();
    await queryResults(page).getByRole('row').filter({ hasText: 'o1' }).waitFor();
    assert.equal(await marker(queryResults(page), 'pk').getAttribute('aria-label'), 'table key attribute');
    assert.equal(await marker(queryResults(page), 'status').getAttribute('aria-label'), 'index key attribute (byStatus)');
  });
});
