/**
 * End-to-end: the URL names the connection, namespace, table and tab (browser mode), so a reload
 * comes back to the same place, and a link edited in the address bar goes where it says.
 *   node build/test.mjs renderer/e2e/deepLinks
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sidebar } from './connections.ts';
import { reload, urlHash } from './deepLinks.ts';
import { createSimpleTable, REGION, startApp, type AppUnderTest } from './harness.ts';
import { openTab, tab } from './tablePage.ts';

const EU = { region: 'eu-west-1', accountId: '000000000000' };

describe('deep links in the browser', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await createSimpleTable(app.engine, 'Orders', REGION);
    // The same name in another region: the link must tell them apart.
    await createSimpleTable(app.engine, 'Orders', EU);
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'only-in-eu' } } }, EU);
    await app.page.reload();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('a reload keeps the table, its region and the tab', async () => {
    const { page } = app;
    await sidebar(page).getByRole('list', { name: 'Tables in eu-west-1 · 000000000000' }).getByRole('button', { name: /^Orders\b/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await openTab(page, 'Settings');
    assert.equal(await urlHash(page), '#/local/000000000000/eu-west-1/Orders/settings');
    assert.match(page.url(), /\?token=/, 'the token stays in the query');

    await reload(page);
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.getByText('eu-west-1 · 000000000000', { exact: false }).first().waitFor();
    assert.equal(await tab(page, 'Settings').getAttribute('aria-selected'), 'true');
    await page.getByRole('region', { name: 'Capacity', exact: true }).waitFor();
    await openTab(page, 'Items');
    await page.getByRole('grid', { name: 'Items of Orders' }).getByText('only-in-eu').waitFor();
  });

  test('a link edited in the address bar goes where it says', async () => {
    const { page } = app;
    await page.evaluate(() => {
      location.hash = '#/local/000000000000/us-east-1/Orders/query';
    });
    await page.getByRole('form', { name: 'Query builder' }).waitFor();
    assert.equal(await tab(page, 'Query').getAttribute('aria-selected'), 'true');
    await openTab(page, 'Items');
    await page.getByRole('grid', { name: 'Items of Orders' }).getByText('No items').or(page.getByText('No items')).first().waitFor();
    assert.equal(await page.getByText('only-in-eu').count(), 0, 'the us-east-1 table, not the eu-west-1 one');
    assert.equal(await urlHash(page), '#/local/000000000000/us-east-1/Orders/items');
  });

  test('a link to a connection that is gone is dropped, and the workbench opens as it was left', async () => {
    const { page } = app;
    await page.goto(`${app.server.url}#/no-such-connection/-/-/Orders/items`);
    await reload(page);
    // The tabs open before the reload come back (they are kept in the settings); the dead link goes.
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.waitForFunction(() => !location.hash.startsWith('#/no-such-connection'));
    assert.match(await urlHash(page), /^#\/local\/000000000000\/(us-east-1|eu-west-1)\/Orders\/\w+$/);
  });
});
