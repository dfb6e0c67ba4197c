/**
 * End-to-end: the data modeler in Chromium on a real in-memory engine. A two-entity single-table
 * model with a GSI is built in the page, 100 sample items with a fixed seed are committed and
 * counted in the engine, the access patterns are run and their costs shown, the Scan is flagged
 * with a suggested index; a table made through the AWS SDK is reverse-engineered; a model is
 * exported and imported again. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/modeler.test.ts
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeClient } from '../../engine/testing/harness.ts';
import { startEndpoint, type Endpoint } from '../../engine/server.ts';
import { REGION, startApp, type AppUnderTest } from './harness.ts';
import { addAttribute, boardRow, entity, modeler, newPatternForm, openModeler, setAttribute, setTemplates, showView } from './modeler.ts';

describe('data modeler in the browser', () => {
  let app: AppUnderTest;
  let endpoint: Endpoint;

  before(async () => {
    app = await startApp({ quiet: true });
    endpoint = await startEndpoint({ engine: app.engine, port: 0 });
    await openModeler(app.page, 'Local engine');
  });
  after(async () => {
    await endpoint?.close();
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('build a two-entity model with a GSI and access patterns, commit 100 seeded items, run the patterns and see their costs', async () => {
    const { page } = app;
    const view = modeler(page);
    await view.getByRole('textbox', { name: 'Model name' }).fill('Shop model');
    await view.getByRole('textbox', { name: 'Table name' }).fill('Shop');
    await view.getByRole('button', { name: 'Add global secondary index' }).click();
    await view.getByRole('row', { name: 'Index GSI1' }).waitFor();

    await view.getByRole('button', { name: 'Add entity' }).click();
    await entity(page, 'Entity').getByRole('textbox', { name: 'Entity name' }).fill('Customer');
    const customer = entity(page, 'Customer');
    await setAttribute(customer.getByRole('row', { name: 'Attribute id' }), { name: 'customerId', generator: 'sequence', options: 'C' });
    await addAttribute(customer, { name: 'name', generator: 'name' });
    await setTemplates(customer, { PK: 'CUSTOMER#{customerId}', SK: 'PROFILE' });
    await customer.getByRole('spinbutton', { name: 'Sample items' }).fill('20');

    await view.getByRole('button', { name: 'Add entity' }).click();
    await entity(page, 'Entity').getByRole('textbox', { name: 'Entity name' }).fill('Order');
    const order = entity(page, 'Order');
    await setAttribute(order.getByRole('row', { name: 'Attribute id' }), { name: 'orderId', generator: 'sequence', options: 'O' });
    await addAttribute(order, { name: 'customerId', generator: 'reference', options: 'Customer.customerId ^1.2' });
    await addAttribute(order, { name: 'status', generator: 'enum', options: 'OPEN, SHIPPED' });
    await addAttribute(order, { name: 'orderDate', generator: 'date', options: '2024-01-01..2024-12-31' });
    await addAttribute(order, { name: 'total', type: 'N', generator: 'number', options: '5..500' });
    await setTemplates(order, { PK: 'CUSTOMER#{customerId}', SK: 'ORDER#{orderDate}#{orderId}', GSI1PK: 'STATUS#{status}', GSI1SK: '{orderDate}' });
    await order.getByRole('spinbutton', { name: 'Sample items' }).fill('80');
    await assert.doesNotReject(view.getByRole('list', { name: 'Model problems' }).waitFor({ state: 'detached' }));

    await showView(page, 'Access patterns');
    const form = newPatternForm(page);
    const addPattern = async (name: string, fill: () => Promise<void>) => {
      await form.getByRole('textbox', { name: 'Access pattern name' }).fill(name);
      await fill();
      await form.getByRole('button', { name: 'Add access pattern' }).click();
      await boardRow(page, name).waitFor();
    };
    await addPattern('Get a customer', async () => {
      await form.getByRole('combobox', { name: 'Operation' }).selectOption('GetItem');
      await form.getByRole('combobox', { name: 'Entity' }).selectOption('Customer');
    });
    await addPattern('Orders of a customer', async () => {
      await form.getByRole('combobox', { name: 'Operation' }).selectOption('Query');
      await form.getByRole('combobox', { name: 'Entity' }).selectOption('Order');
      // The partition key value starts from the entity's template for the table's key.
      assert.equal(await form.getByRole('textbox', { name: 'Partition key value' }).inputValue(), 'CUSTOMER#{customerId}');
      await form.getByRole('combobox', { name: 'Sort key condition' }).selectOption('begins_with');
      await form.getByRole('textbox', { name: 'Sort key value' }).fill('ORDER#');
    });
    await addPattern('Latest orders by status', async () => {
      await form.getByRole('combobox', { name: 'Index' }).selectOption('GSI1');
      assert.equal(await form.getByRole('textbox', { name: 'Partition key value' }).inputValue(), 'STATUS#{status}');
      await form.getByRole('checkbox', { name: 'Descending' }).check();
      await form.getByRole('spinbutton', { name: 'Limit' }).fill('10');
    });
    await addPattern('Customers by name', async () => {
      await form.getByRole('combobox', { name: 'Operation' }).selectOption('Scan');
      await form.getByRole('combobox', { name: 'Entity' }).selectOption('Customer');
      await form.getByRole('combobox', { name: 'Index' }).selectOption({ label: 'Table Shop' });
      await form.getByRole('textbox', { name: 'Filter attribute' }).fill('name');
      await form.getByRole('textbox', { name: 'Filter value' }).fill('{name}');
      await form.getByRole('spinbutton', { name: 'Limit' }).fill('');
    });
    assert.equal(await boardRow(page, 'Latest orders by status').getByRole('cell', { name: 'Uses' }).textContent(), 'GSI1');
    // A pattern is edited in place: the form opens with what it has, and the change shows in the run below.
    await boardRow(page, 'Latest orders by status').getByRole('button', { name: 'Edit access pattern Latest orders by status' }).click();
    const editForm = view.getByRole('form', { name: 'Edit access pattern Latest orders by status' });
    assert.equal(await editForm.getByRole('combobox', { name: 'Index' }).inputValue(), 'GSI1');
    assert.equal(await editForm.getByRole('textbox', { name: 'Partition key value' }).inputValue(), 'STATUS#{status}');
    assert.equal(await editForm.getByRole('checkbox', { name: 'Descending' }).isChecked(), true);
    await editForm.getByRole('spinbutton', { name: 'Limit' }).fill('5');
    await editForm.getByRole('button', { name: 'Save access pattern' }).click();
    await form.waitFor();
    // Flagged before anything runs: the shape alone says it is a Scan, and which index would serve it.
    const scanFlag = boardRow(page, 'Customers by name').getByRole('note', { name: 'Why Customers by name is flagged' });
    assert.match(await scanFlag.textContent() ?? '', /Scan reads every item of table Shop.*Suggested index: name-index \(name\), then Query name = "\{name\}"/);

    await showView(page, 'Sample data');
    await view.getByRole('spinbutton', { name: 'Sample data seed' }).fill('42');
    assert.equal(await view.getByLabel('Sample item count').textContent(), '100 items');
    const firstItems = await view.getByRole('list', { name: 'Sample items' }).getByRole('listitem').first().textContent();
    await view.getByRole('spinbutton', { name: 'Sample data seed' }).fill('43');
    assert.notEqual(await view.getByRole('list', { name: 'Sample items' }).getByRole('listitem').first().textContent(), firstItems);
    await view.getByRole('spinbutton', { name: 'Sample data seed' }).fill('42');
    assert.equal(await view.getByRole('list', { name: 'Sample items' }).getByRole('listitem').first().textContent(), firstItems, 'the same seed makes the same items');

    await view.getByRole('button', { name: 'Commit…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Commit Shop model' });
    await dialog.getByRole('list', { name: 'Commit plan' }).getByText('will be created').waitFor();
    assert.match((await dialog.getByRole('checkbox', { name: /Write sample data/ }).locator('..').textContent()) ?? '', /100 items \(seed 42\)/);
    await dialog.getByRole('button', { name: 'Commit', exact: true }).click();
    assert.equal(await dialog.getByRole('status', { name: 'Commit result' }).textContent(), 'Committed. Created Shop. Wrote 100 items.');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const counted = (await app.engine.handle('Scan', { TableName: 'Shop', Select: 'COUNT' }, REGION)) as { Count: number };
    assert.equal(counted.Count, 100);
    const described = (await app.engine.handle('DescribeTable', { TableName: 'Shop' }, REGION)) as { Table: { GlobalSecondaryIndexes: { IndexName: string }[] } };
    assert.deepEqual(described.Table.GlobalSecondaryIndexes.map((i) => i.IndexName), ['GSI1']);

    await view.getByRole('button', { name: 'Run access patterns' }).click();
    await showView(page, 'Access patterns');
    const get = boardRow(page, 'Get a customer');
    await get.getByRole('cell', { name: 'Latency' }).waitFor();
    assert.equal(await get.getByRole('cell', { name: 'Returned and read' }).textContent(), '1 / 1');
    assert.equal(await get.getByRole('cell', { name: 'Capacity' }).textContent(), '0.5 RCU');
    assert.match((await get.getByRole('cell', { name: 'Latency' }).textContent()) ?? '', /^\d+\.\d ms$/);
    const [returned, read] = ((await boardRow(page, 'Orders of a customer').getByRole('cell', { name: 'Returned and read' }).textContent()) ?? '').split(' / ').map(Number);
    assert.ok(returned! > 0 && returned === read, 'a key condition reads only what it returns');
    assert.match((await boardRow(page, 'Latest orders by status').getByRole('cell', { name: 'Returned and read' }).textContent()) ?? '', /^5 \/ 5\+$/);
    const [scanReturned, scanRead] = ((await boardRow(page, 'Customers by name').getByRole('cell', { name: 'Returned and read' }).textContent()) ?? '').split(' / ').map(Number);
    assert.equal(scanRead, 100, 'the Scan read every item');
    assert.ok(scanReturned! >= 1 && scanReturned! < 5);
    assert.match((await scanFlag.textContent()) ?? '', /The last run returned \d+% of the items it read/);
    await app.screenshot('modeler-board');

    // The suggested index goes into the model with one click, and the pattern can then use it.
    await scanFlag.getByRole('button', { name: 'Add name-index' }).click();
    await showView(page, 'Entities');
    await view.getByRole('row', { name: 'Index name-index' }).waitFor();

    await showView(page, 'Facets');
    await view.getByRole('combobox', { name: 'View through' }).selectOption({ label: 'Index GSI1' });
    const facet = view.getByRole('table', { name: 'Facet' });
    assert.deepEqual(await facet.getByRole('columnheader').allTextContents().then((h) => h.slice(0, 2)), ['GSI1PK', 'GSI1SK']);
    assert.deepEqual((await facet.getByRole('rowheader').allTextContents()).sort(), ['STATUS#OPEN', 'STATUS#SHIPPED']);
    await app.screenshot('modeler-facets');
    await showView(page, 'Aggregate view');
    const aggregate = view.getByRole('table', { name: 'Aggregate view of Shop' });
    assert.deepEqual(await aggregate.getByRole('row', { name: 'Order' }).getByRole('cell').allTextContents().then((c) => c.slice(0, 4)), ['CUSTOMER#{customerId}', 'ORDER#{orderDate}#{orderId}', 'STATUS#{status}', '{orderDate}']);
    await app.screenshot('modeler-aggregate');

    // Code for a pattern, called with the parameters the run used (run by modelCodegen.test.ts).
    await showView(page, 'Code');
    await view.getByRole('combobox', { name: 'Code for' }).selectOption('Orders of a customer');
    const code = view.getByLabel('Generated code');
    assert.match((await code.textContent()) ?? '', /async function ordersOfACustomer\(\{ customerId \}\) \{[\s\S]*new QueryCommand\([\s\S]*":v0": `CUSTOMER#\$\{customerId\}`[\s\S]*await ordersOfACustomer\(\{ customerId: "C\d+" \}\);/);
    await view.getByRole('radiogroup', { name: 'Language' }).getByRole('radio', { name: 'Python (boto3)' }).click();
    assert.match((await code.textContent()) ?? '', /def orders_of_a_customer\(customer_id\):[\s\S]*":v0": f"CUSTOMER#\{customer_id\}"/);
    await view.getByRole('combobox', { name: 'Code for' }).selectOption({ label: 'Data-access module for the model (TypeScript)' });
    assert.match((await code.textContent()) ?? '', /export interface Order \{[\s\S]*total\?: number;[\s\S]*export class ShopModelAccess \{/);
    await app.screenshot('modeler-code');

    // Another tab in front and back again: the model being edited is still there (tabs stay mounted while hidden).
    await page.getByRole('navigation', { name: 'Connections and tables' }).getByRole('region', { name: 'Local engine' }).getByRole('button', { name: 'PartiQL' }).first().click();
    await page.getByRole('region', { name: 'PartiQL editor' }).waitFor();
    await page.getByRole('navigation', { name: 'Connections and tables' }).getByRole('region', { name: 'Local engine' }).getByRole('button', { name: 'Modeler' }).first().click();
    assert.equal(await view.getByRole('textbox', { name: 'Model name' }).inputValue(), 'Shop model');
    assert.equal(await view.getByRole('radiogroup', { name: 'Modeler view' }).getByRole('radio', { name: 'Code' }).getAttribute('aria-checked'), 'true');
  });

  test('export the model and import it again', async () => {
    const { page } = app;
    const view = modeler(page);
    await showView(page, 'Entities');
    const download = page.waitForEvent('download');
    await view.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'Shop-model.model.json');
    const path = await file.path();
    const exported = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(exported.format, 'dynamo-lens/data-model');
    assert.deepEqual(exported.tables[0].accessPatterns.map((p: { name: string }) => p.name), ['Get a customer', 'Orders of a customer', 'Latest orders by status', 'Customers by name']);

    await view.getByRole('combobox', { name: 'Open a model' }).selectOption({ label: 'New empty model' });
    assert.equal(await view.getByRole('textbox', { name: 'Model name' }).inputValue(), 'Untitled model');
    await view.getByLabel('Model file to import').setInputFiles(path);
    // The file is read asynchronously; the note says when it is in.
    await view.getByRole('status').getByText(/^Imported /).waitFor();
    assert.equal(await view.getByRole('textbox', { name: 'Model name' }).inputValue(), 'Shop model');
    assert.equal(await entity(page, 'Order').getByRole('textbox', { name: 'Template for SK', exact: true }).inputValue(), 'ORDER#{orderDate}#{orderId}');
    assert.equal(await view.getByRole('row', { name: 'Index name-index' }).count(), 1);

    // NoSQL Workbench's format, with the seed's sample items as each facet's data, reads back too.
    const workbenchDownload = page.waitForEvent('download');
    await view.getByRole('button', { name: 'For NoSQL Workbench' }).click();
    const workbenchFile = await workbenchDownload;
    assert.equal(workbenchFile.suggestedFilename(), 'Shop-model.workbench.json');
    const workbenchPath = await workbenchFile.path();
    const workbench = JSON.parse(await readFile(workbenchPath, 'utf8'));
    assert.equal(workbench.ModelName, 'Shop model');
    assert.deepEqual(workbench.DataModel[0].TableFacets.map((f: { FacetName: string; TableData: unknown[] }) => [f.FacetName, f.TableData.length]), [['Customer', 20], ['Order', 80]]);
    await view.getByRole('combobox', { name: 'Open a model' }).selectOption({ label: 'New empty model' });
    await view.getByLabel('Model file to import').setInputFiles(workbenchPath);
    // The download's path has no name of its own, so wait for the entities instead of the note.
    await entity(page, 'Order').waitFor();
    assert.equal(await entity(page, 'Order').getByRole('textbox', { name: 'Template for SK', exact: true }).inputValue(), 'ORDER#{orderDate}#{orderId}');
    assert.equal(await entity(page, 'Order').getByRole('textbox', { name: 'Template for GSI1SK', exact: true }).inputValue(), '{orderDate}');
  });

  test('a template committed onto an existing table only once its name is typed; a transaction pattern added and run', async () => {
    const { page } = app;
    const view = modeler(page);
    await view.getByRole('combobox', { name: 'Open a model' }).selectOption({ label: 'E-commerce orders' });
    await view.getByRole('button', { name: 'Commit…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Commit E-commerce orders' });
    await dialog.getByRole('list', { name: 'Commit plan' }).getByText('exists with every index').waitFor();
    const commit = dialog.getByRole('button', { name: 'Commit', exact: true });
    assert.equal(await commit.isDisabled(), true, 'writing into an existing table waits for its name');
    await dialog.getByRole('textbox', { name: 'Type Shop to confirm' }).fill('shop');
    assert.equal(await commit.isDisabled(), true);
    await dialog.getByRole('textbox', { name: 'Type Shop to confirm' }).fill('Shop');
    await commit.click();
    assert.match((await dialog.getByRole('status', { name: 'Commit result' }).textContent()) ?? '', /^Committed\. Wrote \d+ items\.$/);
    await dialog.getByRole('button', { name: 'Done' }).click();

    await showView(page, 'Access patterns');
    const form = newPatternForm(page);
    await form.getByRole('textbox', { name: 'Access pattern name' }).fill('Order, then count');
    await form.getByRole('combobox', { name: 'Operation' }).selectOption('TransactWriteItems');
    const writes = form.getByRole('group', { name: 'Writes in the transaction' });
    await writes.getByRole('checkbox', { name: 'Place an order' }).check();
    await writes.getByRole('checkbox', { name: 'Set the order count of a customer' }).check();
    await form.getByRole('button', { name: 'Add access pattern' }).click();
    assert.equal(await boardRow(page, 'Order, then count').getByRole('cell', { name: 'Key condition' }).textContent(), 'all or none: Place an order, Set the order count of a customer');
    await view.getByRole('button', { name: 'Run access patterns' }).click();
    await boardRow(page, 'Order, then count').getByRole('cell', { name: 'Latency' }).waitFor();
    // Transactional writes cost 2 WCU per item written, the order's GSI1 entry included.
    assert.equal(await boardRow(page, 'Order, then count').getByRole('cell', { name: 'Capacity' }).textContent(), '6 WCU');
    assert.equal(await boardRow(page, 'Place an order and count it').getByRole('cell', { name: 'Capacity' }).textContent(), '6 WCU');
    const counted = (await app.engine.handle('GetItem', { TableName: 'Shop', Key: { PK: { S: 'CUSTOMER#C0003' }, SK: { S: 'PROFILE' } } }, REGION)) as { Item: { orderCount: { N: string } } };
    assert.deepEqual(counted.Item.orderCount, { N: '1' });
  });

  test('reverse-engineer a model from a table made through the SDK', async () => {
    const { page } = app;
    const client = makeClient(endpoint.url);
    const doc = DynamoDBDocumentClient.from(client);
    await client.send(
      new CreateTableCommand({
        TableName: 'Legacy',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const userId of ['u1', 'u2']) {
      await doc.send(new PutCommand({ TableName: 'Legacy', Item: { pk: `USER#${userId}`, sk: 'PROFILE', userId, email: `${userId}@example.com` } }));
      for (const n of [1, 2]) await doc.send(new PutCommand({ TableName: 'Legacy', Item: { pk: `USER#${userId}`, sk: `POST#${n}`, postId: String(n), likes: n * 10 } }));
    }
    client.destroy();

    const view = modeler(page);
    await view.getByRole('combobox', { name: 'Open a model' }).selectOption({ label: 'New empty model' });
    await view.getByRole('button', { name: 'From a table…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Model from an existing table' });
    await dialog.getByRole('combobox', { name: 'Table to reverse-engineer' }).selectOption('Legacy');
    await dialog.getByRole('button', { name: 'Reverse-engineer' }).click();
    await view.getByRole('status').getByText(/^Reverse-engineered Legacy: /).waitFor();
    assert.match((await view.getByRole('status').first().textContent()) ?? '', /User \(2\)/);
    assert.match((await view.getByRole('status').first().textContent()) ?? '', /Post \(4\)/);
    assert.equal(await view.getByRole('textbox', { name: 'Table name' }).inputValue(), 'Legacy');
    assert.equal(await entity(page, 'User').getByRole('textbox', { name: 'Template for pk', exact: true }).inputValue(), 'USER#{userId}');
    assert.equal(await entity(page, 'User').getByRole('textbox', { name: 'Template for sk', exact: true }).inputValue(), 'PROFILE');
    assert.equal(await entity(page, 'Post').getByRole('textbox', { name: 'Template for sk', exact: true }).inputValue(), 'POST#{postId}');
    assert.equal(await entity(page, 'Post').getByRole('row', { name: 'Attribute likes' }).getByRole('combobox', { name: 'Attribute type' }).inputValue(), 'N');
    await app.screenshot('modeler-reversed');
  });
});
