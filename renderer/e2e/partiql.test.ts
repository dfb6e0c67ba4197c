/**
 * End-to-end: the PartiQL editor in Chromium, through the browser bridge, on a real in-memory
 * engine (and a remote connection to a second one). Outcomes are checked in the engine. Run after
 * `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/partiql.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../../engine/engine.ts';
import { startEndpoint } from '../../engine/server.ts';
import { createKeyedTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { openPartiql, partiqlView, replaceScript, results, runAs, statementOutcome } from './partiql.ts';

describe('PartiQL editor in the browser', () => {
  let app: AppUnderTest;
  const get = async (pk: string, sk: string, engine = app.engine) =>
    ((await engine.handle('GetItem', { TableName: 'Orders', Key: { pk: { S: pk }, sk: { S: sk } } }, REGION)) as { Item?: Record<string, { S?: string; N?: string }> }).Item;

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'total', AttributeType: 'N' },
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
              { AttributeName: 'total', KeyType: 'RANGE' },
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
      Array.from({ length: 30 }, (_, i) => ({
        pk: { S: `customer-${i % 3}` },
        sk: { S: `order#${String(i).padStart(3, '0')}` },
        status: { S: i % 3 === 0 ? 'open' : 'shipped' },
        total: { N: String(i * 10) },
      })),
    );
    await app.page.reload();
    await openPartiql(app.page, 'Local engine');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('highlights PartiQL and completes tables, "Table"."Index" paths and attributes', async () => {
    const { page } = app;
    await replaceScript(page, 'SELECT * FROM "Ord');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget');
    await suggestions.getByText('"Orders"."byStatus"').waitFor();
    await suggestions.getByText('"Orders"', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    // Keywords and quoted names are tokens of their own kinds (Monaco gives each a colour class).
    const lines = partiqlView(page).getByTestId('partiql-editor').locator('.view-lines');
    const keywordClass = await lines.locator('span span', { hasText: /^SELECT$/ }).getAttribute('class');
    const quotedClass = await lines.locator('span span', { hasText: /^"Ord$/ }).getAttribute('class');
    assert.ok(keywordClass && quotedClass && keywordClass !== quotedClass, `${keywordClass} vs ${quotedClass}`);
  });

  test('a SELECT on a GSI with a typed parameter pages through results with Load more', async () => {
    const { page } = app;
    await replaceScript(page, 'SELECT pk, sk, total FROM "Orders"."byStatus" WHERE status = ? AND total >= ?');
    const parameters = partiqlView(page).getByRole('group', { name: 'Parameters' });
    await parameters.getByRole('group', { name: 'Parameter 1' }).getByLabel('Parameter value').fill('open');
    await parameters.getByRole('group', { name: 'Parameter 2' }).getByLabel('Parameter type').selectOption({ label: 'Number' });
    await parameters.getByRole('group', { name: 'Parameter 2' }).getByLabel('Parameter value').fill('30');
    await partiqlView(page).getByLabel('Limit').fill('4');
    await runAs(page, 'ExecuteStatement');
    // Items with status open are i = 0, 3, …, 27; total >= 30 leaves 9 of them, read 4 at a time.
    await page.getByText('More results available.').waitFor();
    assert.equal(await results(page).getByRole('row').filter({ hasText: 'customer-' }).count(), 4);
    for (const expected of [8, 9]) {
      await page.getByRole('button', { name: 'Load more' }).click();
      await partiqlView(page).getByText(new RegExp(`^${expected} items$`)).waitFor();
    }
    await page.getByText('End of results.').waitFor();
    const shown = await results(page).getByRole('row').filter({ hasText: 'customer-' }).allInnerTexts();
    assert.equal(shown.length, 9);
    assert.ok(shown.every((row) => !/\b(0|10|20)\b/.test(row.split('\n').at(-1)!)), 'only totals of 30 and more');
    await app.screenshot('partiql-gsi-paging');
  });

  test('a 2-statement ExecuteTransaction commits both; a failing one shows the reason on its statement', async () => {
    const { page } = app;
    await replaceScript(
      page,
      `UPDATE "Orders" SET total = total + 1 WHERE pk = 'customer-0' AND sk = 'order#000';
INSERT INTO "Orders" VALUE {'pk': 'customer-9', 'sk': 'order#999', 'status': 'open', 'total': 5}`,
    );
    await partiqlView(page).getByText('2 statements').waitFor();
    await runAs(page, 'ExecuteTransaction');
    await partiqlView(page).getByRole('status', { name: 'PartiQL outcome' }).getByText('Committed', { exact: true }).waitFor();
    assert.equal((await get('customer-0', 'order#000'))?.total?.N, '1');
    assert.equal((await get('customer-9', 'order#999'))?.status?.S, 'open');

    // Run again: the INSERT now finds its item, so the whole transaction is cancelled.
    await partiqlView(page).getByRole('button', { name: 'Run ExecuteTransaction' }).click();
    await partiqlView(page).getByRole('status', { name: 'PartiQL outcome' }).getByText('Cancelled', { exact: true }).waitFor();
    await statementOutcome(page, 2).getByRole('note', { name: 'Why statement 2 failed' }).getByText('DuplicateItem').waitFor();
    assert.equal(await statementOutcome(page, 1).getByRole('note').count(), 0);
    // The error is also marked on the statement in the editor.
    await partiqlView(page).getByTestId('partiql-editor').locator('.squiggly-error').first().waitFor();
    assert.equal((await get('customer-0', 'order#000'))?.total?.N, '1', 'the cancelled UPDATE was not applied');
    await app.screenshot('partiql-transaction-cancelled');
  });

  test('the cancelled ExecuteTransaction reopens from the request history in the editor', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Request history' }).click();
    const history = page.getByRole('region', { name: 'Request history' });
    await history.getByLabel('Search history').fill('TransactionCanceled');
    await history.getByRole('table', { name: 'Requests' }).getByRole('button', { name: /ExecuteTransaction$/ }).first().click();
    await history.getByRole('complementary', { name: 'Request detail' }).getByRole('button', { name: 'Open in builder' }).click();
    await partiqlView(page).getByTestId('partiql-editor').getByText("INSERT INTO \"Orders\" VALUE").waitFor();
    assert.equal(await partiqlView(page).getByRole('radio', { name: 'ExecuteTransaction', exact: true }).getAttribute('aria-checked'), 'true');
    await partiqlView(page).getByText('2 statements').waitFor();
  });

  test('BatchExecuteStatement shows each statement\'s own error in place', async () => {
    const { page } = app;
    await replaceScript(page, `SELECT * FROM "Orders" WHERE pk = 'customer-1' AND sk = 'order#001';\nSELECT * FROM "Orders" WHERE pk = 'customer-1'`);
    await runAs(page, 'BatchExecuteStatement');
    await statementOutcome(page, 1).getByText(/pk: customer-1/).waitFor();
    const why = statementOutcome(page, 2).getByRole('note', { name: 'Why statement 2 failed' });
    await why.getByText('ValidationError', { exact: true }).waitFor();
    await why.getByText('Select statements within BatchExecuteStatement must specify the primary key in the where clause.').waitFor();
    assert.equal(await statementOutcome(page, 1).getByRole('note').count(), 0);
  });

  test('Explain says key lookup, Query on an index, or a full Scan with the items it reads, before running', async () => {
    const { page } = app;
    const panel = partiqlView(page).getByRole('status', { name: 'Explain' });
    const explain = () => partiqlView(page).getByRole('button', { name: 'Explain', exact: true }).click();

    await replaceScript(page, `SELECT * FROM "Orders" WHERE pk = ? AND sk = ?`);
    await explain();
    await panel.getByText('Key lookup: one item read by its whole primary key.').waitFor();
    assert.equal(await panel.locator('[data-access]').textContent(), 'GetItem');

    await replaceScript(page, `SELECT * FROM "Orders"."byStatus" WHERE status = ? AND total > 100`);
    await explain();
    await panel.getByText('On index byStatus of Orders.').waitFor();
    assert.equal(await panel.locator('[data-access]').textContent(), 'Query');
    assert.equal(await panel.getByRole('alert').count(), 0, 'a Query carries no Scan warning');

    await replaceScript(page, `SELECT * FROM "Orders" WHERE total > 100`);
    await explain();
    await panel.getByRole('alert').getByText(/full Scan/).waitFor();
    const described = (await app.engine.handle('DescribeTable', { TableName: 'Orders' }, REGION)) as { Table: { ItemCount: number } };
    assert.equal(await panel.locator('.explain-estimate strong').textContent(), String(described.Table.ItemCount));
    await app.screenshot('partiql-explain-scan');

    await replaceScript(page, `SELECT * FROM "Orders" WHERE`);
    // An edit drops the stale explanation (once the editor's change has reached the view).
    await panel.waitFor({ state: 'detached' });
  });

  test('works on a remote connection', async () => {
    const { page } = app;
    const other = await openEngine({ inMemory: true });
    const endpoint = await startEndpoint({ engine: other, port: 0 });
    let remoteId: string | undefined;
    try {
      await createKeyedTable(other, 'Orders');
      const added = await app.backend.invoke('connections/add', { name: 'Second endpoint', region: 'us-east-1', endpointUrl: endpoint.url });
      assert.ok(added.ok);
      remoteId = added.value.id;
      await openPartiql(page, 'Second endpoint');
      await replaceScript(page, `SELECT * FROM "Orders"`);
      await partiqlView(page).getByRole('button', { name: 'Explain', exact: true }).click();
      await partiqlView(page).getByRole('status', { name: 'Explain' }).getByText(/only available for the local engine/).waitFor();
      await replaceScript(page, `INSERT INTO "Orders" VALUE {'pk': 'remote', 'sk': ?}`);
      await partiqlView(page).getByRole('group', { name: 'Parameter 1' }).getByLabel('Parameter value').fill('r-1');
      await runAs(page, 'ExecuteStatement');
      await partiqlView(page).getByText('End of results').waitFor();
      assert.deepEqual(await get('remote', 'r-1', other), { pk: { S: 'remote' }, sk: { S: 'r-1' } });
      assert.equal(await get('remote', 'r-1'), undefined);
    } finally {
      if (remoteId) await app.backend.invoke('connections/remove', { id: remoteId });
      await endpoint.close();
      await other.close();
    }
  });
});
