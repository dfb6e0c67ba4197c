/**
 * End-to-end: the table page's tabs beyond Items (query builder, indexes, streams, TTL, capacity)
 * in Chromium, through the browser bridge, on a real in-memory engine. Run after
 * `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/views.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEndpoint, type Endpoint } from '../../engine/server.ts';
import { capacityChart, throttlingSwitch } from './capacity.ts';
import { openTable, sidebar } from './connections.ts';
import { REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { createGsi, indexRow } from './indexes.ts';
import { addFilter, chooseLanguage, generatedCode, queryForm, queryResults } from './query.ts';
import { enableStream, startReading, streamRecords } from './streams.ts';
import { openTab, tab } from './tablePage.ts';
import { dueNow, enableTtl, sweepNow } from './ttl.ts';

describe('table views in the browser', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
      },
      REGION,
    );
    await seedItems(
      app.engine,
      'Orders',
      Array.from({ length: 30 }, (_, i) => ({
        pk: { S: `customer-${i % 3}` },
        sk: { S: `order#${String(i).padStart(3, '0')}` },
        status: { S: i % 2 ? 'shipped' : 'open' },
        total: { N: String(i * 10) },
      })),
    );
    await app.page.reload();
    await openTable(app.page, 'Orders');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('tabs: Items first, arrow keys move between tabs', async () => {
    const { page } = app;
    assert.equal(await tab(page, 'Items').getAttribute('aria-selected'), 'true');
    await tab(page, 'Items').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await tab(page, 'Query').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    assert.equal(await tab(page, 'Settings').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Home');
    assert.equal(await tab(page, 'Items').getAttribute('aria-selected'), 'true');
    await page.getByRole('grid', { name: 'Items of Orders' }).waitFor();
  });

  test('builds a query, runs it and shows results and live code', async () => {
    const { page } = app;
    await openTab(page, 'Query');
    const form = queryForm(page);
    await form.getByLabel('Partition key value').fill('customer-1');
    await form.getByLabel('Sort key condition').selectOption('begins_with');
    await form.getByLabel('Sort key value').fill('order#00');
    await addFilter(page, { attribute: 'status', operator: '=', type: 'String', value: 'shipped' });
    await form.getByLabel('Sort order').selectOption('desc');
    await form.getByRole('button', { name: 'Run Query' }).click();
    // customer-1 holds orders 1, 4, 7, …, 28; begins_with order#00 keeps 1, 4, 7; shipped (odd) → 1, 7.
    await queryResults(page).getByRole('row').filter({ hasText: 'order#007' }).waitFor();
    const rows = await queryResults(page).getByRole('row').filter({ hasText: 'customer-1' }).allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /order#007/, 'descending order');

    const js = await generatedCode(page).innerText();
    assert.match(js, /new QueryCommand\(\{/);
    assert.match(js, /KeyConditionExpression: "#n0 = :v0 AND begins_with\(#n1, :v1\)"/);
    assert.match(js, /"#n2": "status"/);
    assert.match(js, /ScanIndexForward: false/);
    await app.screenshot('views-query-javascript');
    await page.getByRole('region', { name: 'Generated code' }).getByLabel('All pages').check();
    assert.match(await generatedCode(page).innerText(), /for await \(const page of paginateQuery\(\{ client \}, \{/);
    await chooseLanguage(page, 'Python');
    assert.match(await generatedCode(page).innerText(), /KeyConditionExpression=Key\("pk"\)\.eq\("customer-1"\) & Key\("sk"\)\.begins_with\("order#00"\)/);
    await chooseLanguage(page, 'AWS CLI');
    // The local engine needs no AWS configuration: the line carries placeholder keys.
    assert.match(await generatedCode(page).innerText(), /^AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws dynamodb query/);
    await app.screenshot('views-query-cli');
  });

  test('creates a global secondary index and sees it become ACTIVE', async () => {
    const { page } = app;
    await openTab(page, 'Indexes');
    await createGsi(page, { name: 'byStatus', partitionKey: 'status' });
    await indexRow(page, 'byStatus').getByText('ACTIVE').waitFor({ timeout: 10_000 });
    assert.match(await indexRow(page, 'byStatus').innerText(), /GSI[\s\S]*status[\s\S]*ALL[\s\S]*30/);
    await app.screenshot('views-indexes');
    const { Table } = (await app.engine.handle('DescribeTable', { TableName: 'Orders' }, REGION)) as { Table: { GlobalSecondaryIndexes?: { IndexName: string }[] } };
    assert.deepEqual(Table.GlobalSecondaryIndexes?.map((i) => i.IndexName), ['byStatus']);
  });

  test('enables a stream, writes an item and sees its INSERT record', async () => {
    const { page } = app;
    await openTab(page, 'Streams');
    await enableStream(page);
    await startReading(page, 'TRIM_HORIZON');
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'customer-9' }, sk: { S: 'order#900' }, status: { S: 'open' } } }, REGION);
    await app.engine.handle('UpdateItem', {
      TableName: 'Orders',
      Key: { pk: { S: 'customer-9' }, sk: { S: 'order#900' } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'shipped' } },
    }, REGION);
    const insert = streamRecords(page).getByRole('listitem', { name: /^INSERT pk=customer-9, sk=order#900/ });
    await insert.waitFor({ timeout: 10_000 });
    const modify = streamRecords(page).getByRole('listitem', { name: /^MODIFY pk=customer-9/ });
    await modify.waitFor();
    assert.match(await modify.getByRole('table', { name: 'Image changes' }).innerText(), /status\s+S "open"\s*S "shipped"/);
    // Newest first: the MODIFY is above the INSERT.
    const names = await streamRecords(page).getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.ok(names.indexOf(names.find((n) => n?.startsWith('MODIFY'))!) < names.indexOf(names.find((n) => n?.startsWith('INSERT'))!));
    await app.screenshot('views-streams');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
  });

  test('enables TTL, sees an expired item due, sweeps it away', async () => {
    const { page } = app;
    await openTab(page, 'TTL');
    await enableTtl(page, 'expiresAt');
    const past = Math.floor(Date.now() / 1000) - 60;
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'temp' }, sk: { S: 'x' }, expiresAt: { N: String(past) } } }, REGION);
    await page.waitForFunction(() => document.querySelector('[data-testid="ttl-due-now"]')?.textContent === '1', undefined, { timeout: 10_000 });
    await app.screenshot('views-ttl-due');
    await sweepNow(page);
    await page.getByRole('status').filter({ hasText: /Swept 1 expired item/ }).waitFor();
    // The notice comes with the sweep's answer; the counts are re-read right after it.
    await dueNow(page).filter({ hasText: /^0$/ }).waitFor({ timeout: 10_000 });
    const { Item } = await app.engine.handle('GetItem', { TableName: 'Orders', Key: { pk: { S: 'temp' }, sk: { S: 'x' } } }, REGION);
    assert.equal(Item, undefined);
  });

  test('capacity chart shows consumption after writes; throttling switch for a provisioned table', async () => {
    const { page } = app;
    await openTab(page, 'Capacity');
    for (let i = 0; i < 10; i++) {
      await app.engine.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'load' }, sk: { S: `k${i}` }, status: { S: 'open' } } }, REGION);
    }
    await app.engine.handle('Query', { TableName: 'Orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'load' } } }, REGION);
    await page.waitForFunction(
      () => /: [1-9][\d.]* read units and [1-9][\d.]* write units/.test(document.querySelector('.chart[aria-label^="Table Orders"]')?.getAttribute('aria-label') ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await capacityChart(page, 'Index byStatus').waitFor();
    assert.equal(await throttlingSwitch(page).isChecked(), false);
    await throttlingSwitch(page).click();
    await page.waitForFunction(() => (document.querySelector('[role="switch"]') as HTMLInputElement | null)?.checked === true);
    await app.screenshot('views-capacity');
    await throttlingSwitch(page).click();
  });

  test('a remote connection explains what only the local engine measures', async () => {
    const { page } = app;
    // A "remote" connection to the same engine over HTTP: the views see it without engine capabilities.
    const endpoint: Endpoint = await startEndpoint({ engine: app.engine as never, port: 0 });
    let remoteId: string | undefined;
    try {
      const added = await app.backend.invoke('connections/add', { name: 'Over HTTP', region: 'us-east-1', endpointUrl: endpoint.url });
      assert.ok(added.ok);
      remoteId = added.value.id;
      await sidebar(page).getByRole('button', { name: /Over HTTP/ }).first().waitFor();
      await sidebar(page).locator('.connection', { hasText: 'Over HTTP' }).getByRole('button', { name: /^Orders\b/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
      await openTab(page, 'Capacity');
      await page.getByText(/measured by the local engine, and this connection does not offer them/).waitFor();
      await openTab(page, 'TTL');
      await page.getByText(/does not report items due for expiry/).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sweep now' }).count(), 0);
      await app.screenshot('views-remote-capacity-note');
    } finally {
      if (remoteId) await app.backend.invoke('connections/remove', { id: remoteId });
      await endpoint.close();
    }
  });

  test('dark theme', async () => {
    const dark = await app.browser.newContext({ viewport: { width: 1400, height: 860 }, colorScheme: 'dark' });
    try {
      const page = await dark.newPage();
      await page.goto(app.server.url);
      await openTable(page, 'Orders');
      await openTab(page, 'Capacity');
      await page.locator('.chart').first().waitFor();
      await page.screenshot({ path: `${process.cwd()}/test-artifacts/views-capacity-dark.png` });
      await openTab(page, 'Query');
      await queryForm(page).getByLabel('Partition key value').fill('customer-2');
      await queryForm(page).getByRole('button', { name: 'Run Query' }).click();
      await queryResults(page).getByRole('row').nth(2).waitFor();
      await page.screenshot({ path: `${process.cwd()}/test-artifacts/views-query-dark.png` });
    } finally {
      await dark.close();
    }
  });
});
