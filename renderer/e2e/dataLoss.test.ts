/**
 * End-to-end: the paths that used to lose data silently (issue #10) — editing an item opened from
 * an index's partial row, and plain JSON numbers rounded to doubles in the editor and in imports.
 * Each test checks what is stored with GetItem on the real engine, not what the page says.
 * Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/dataLoss.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { allowClipboard, copyEditorText, editEditorText, editorDialog, replaceEditorText, waitForEditorText } from './editor.ts';
import { REGION, startApp, type AppUnderTest } from './harness.ts';
import { checkResults, chooseImportFile, closeImport, importSummary, openImport, startImport } from './importExport.ts';
import { rowWithText, scanIndex } from './items.ts';

/** The example: numbers a double cannot hold, each well within DynamoDB's 38 digits. */
const PRECISE = {
  total: '12345678901234567890123456789012345678',
  price: '0.1000000000000000000000000000000000001',
  big: '9007199254740993',
};
const PRECISE_PLAIN = `{"pk":"A","total":${PRECISE.total},"price":${PRECISE.price},"big":${PRECISE.big}}`;
const PRECISE_STORED = { total: { N: PRECISE.total }, price: { N: PRECISE.price }, big: { N: PRECISE.big } };

/** An order with attributes the indexes below do not project. */
const ORDER = {
  pk: { S: 'o-1' },
  status: { S: 'open' },
  customer: { S: 'c-7' },
  total: { N: '42.5' },
  note: { S: 'leave at the door' },
  tags: { SS: ['gift', 'fragile'] },
  lines: { L: [{ M: { sku: { S: 'A-1' }, qty: { N: '2' } } }] },
};

describe('the explorer never loses data', () => {
  let app: AppUnderTest;

  const getItem = async (tableName: string, key: Record<string, unknown>) =>
    ((await app.engine.handle('GetItem', { TableName: tableName, Key: key, ConsistentRead: true }, REGION)) as { Item?: Record<string, unknown> }).Item;

  before(async () => {
    app = await startApp({ quiet: true });
    await allowClipboard(app.page);
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'customer', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
          {
            IndexName: 'byCustomer',
            KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
      REGION,
    );
    for (const name of ['Numbers', 'Imported']) {
      await app.engine.handle(
        'CreateTable',
        { TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
        REGION,
      );
    }
  });
  // Each test starts from a fresh page, so one that fails leaves no dialog open for the next.
  beforeEach(async () => {
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('an item opened from a KEYS_ONLY index is edited whole: no unprojected attribute is lost', async () => {
    const { page } = app;
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: ORDER }, REGION);
    await openTable(page, 'Orders');
    await scanIndex(page, 'byStatus');
    // The index row holds only the keys.
    const row = rowWithText(page, 'Orders', 'o-1').filter({ hasNotText: 'leave at the door' });
    await row.waitFor();
    await row.dblclick();
    await waitForEditorText(page, '"status"');
    await app.screenshot('edit-from-keys-only-index');
    await editEditorText(page, (text) => JSON.stringify({ ...JSON.parse(text), status: { S: 'shipped' } }));
    await editorDialog(page).getByRole('button', { name: 'Save item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    assert.deepEqual(await getItem('Orders', { pk: ORDER.pk }), { ...ORDER, status: { S: 'shipped' } });
  });

  test('the put-if-unchanged guard covers attributes an INCLUDE index does not project', async () => {
    const { page } = app;
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: { ...ORDER, pk: { S: 'o-2' } } }, REGION);
    await openTable(page, 'Orders');
    await scanIndex(page, 'byCustomer');
    const row = rowWithText(page, 'Orders', 'o-2').filter({ hasNotText: 'leave at the door' });
    await row.waitFor();
    await row.dblclick();
    await waitForEditorText(page, '"note"');
    // Someone changes an unprojected attribute after the editor read the item.
    await app.engine.handle(
      'UpdateItem',
      { TableName: 'Orders', Key: { pk: { S: 'o-2' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'changed elsewhere' } } },
      REGION,
    );
    await editEditorText(page, (text) => JSON.stringify({ ...JSON.parse(text), total: { N: '50' } }));
    await editorDialog(page).getByRole('button', { name: 'Save item' }).click();
    await editorDialog(page).getByRole('alert').getByText(/ConditionalCheckFailedException/).waitFor();
    assert.deepEqual(await getItem('Orders', { pk: { S: 'o-2' } }), { ...ORDER, pk: { S: 'o-2' }, note: { S: 'changed elsewhere' } });
    await editorDialog(page).getByRole('button', { name: 'Cancel' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
  });

  test('duplicating from an index copies the whole item', async () => {
    const { page } = app;
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: { ...ORDER, pk: { S: 'o-4' } } }, REGION);
    await openTable(page, 'Orders');
    await scanIndex(page, 'byStatus');
    const row = rowWithText(page, 'Orders', 'o-4').filter({ hasNotText: 'leave at the door' });
    await row.click();
    await page.keyboard.press('d');
    await waitForEditorText(page, '"status"');
    await editEditorText(page, (text) => JSON.stringify({ ...JSON.parse(text), pk: { S: 'o-4-copy' } }));
    await editorDialog(page).getByRole('button', { name: 'Create item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    assert.deepEqual(await getItem('Orders', { pk: { S: 'o-4-copy' } }), { ...ORDER, pk: { S: 'o-4-copy' } });
  });

  test('an item deleted after the index was read is reported gone, not opened in part', async () => {
    const { page } = app;
    await app.engine.handle('PutItem', { TableName: 'Orders', Item: { ...ORDER, pk: { S: 'o-3' } } }, REGION);
    await openTable(page, 'Orders');
    await scanIndex(page, 'byStatus');
    const row = rowWithText(page, 'Orders', 'o-3');
    await row.waitFor();
    await app.engine.handle('DeleteItem', { TableName: 'Orders', Key: { pk: { S: 'o-3' } } }, REGION);
    await row.dblclick();
    await editorDialog(page).getByRole('alert').getByText('This item is no longer stored in Orders').waitFor();
    assert.equal(await editorDialog(page).getByTestId('item-editor').count(), 0, 'no editor opens on a partial item');
    assert.equal(await editorDialog(page).getByRole('button', { name: 'Save item' }).isDisabled(), true);
    await app.screenshot('edit-deleted-item');
    await editorDialog(page).getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await getItem('Orders', { pk: { S: 'o-3' } }), undefined);
  });

  test('plain JSON in the editor stores every digit', async () => {
    const { page } = app;
    await openTable(page, 'Numbers');
    await page.getByRole('button', { name: 'New item' }).click();
    await editorDialog(page).getByRole('radio', { name: 'Plain JSON' }).click();
    await replaceEditorText(page, PRECISE_PLAIN);
    await editorDialog(page).getByRole('button', { name: 'Create item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    assert.deepEqual(await getItem('Numbers', { pk: { S: 'A' } }), { pk: { S: 'A' }, ...PRECISE_STORED });
  });

  test('switching between plain and DynamoDB JSON keeps every digit, both ways', async () => {
    const { page } = app;
    await openTable(page, 'Numbers');
    await page.getByRole('button', { name: 'New item' }).click();
    await editorDialog(page).getByRole('radio', { name: 'Plain JSON' }).click();
    await replaceEditorText(page, PRECISE_PLAIN.replace('"A"', '"toggled"'));
    await editorDialog(page).getByRole('radio', { name: 'DynamoDB JSON' }).click();
    await waitForEditorText(page, '"total"');
    assert.deepEqual(JSON.parse(await copyEditorText(page)), { pk: { S: 'toggled' }, ...PRECISE_STORED });
    await editorDialog(page).getByRole('button', { name: 'Create item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    assert.deepEqual(await getItem('Numbers', { pk: { S: 'toggled' } }), { pk: { S: 'toggled' }, ...PRECISE_STORED });

    // The stored item opened as DynamoDB JSON shows as plain JSON with the same digits, and saves back unchanged.
    await rowWithText(page, 'Numbers', 'toggled').dblclick();
    await waitForEditorText(page, '"total"');
    await editorDialog(page).getByRole('radio', { name: 'Plain JSON' }).click();
    await waitForEditorText(page, `"total": ${PRECISE.total}`);
    const plain = await copyEditorText(page);
    for (const digits of Object.values(PRECISE)) assert.ok(plain.includes(`: ${digits}`), `plain JSON shows ${digits}: ${plain}`);
    await app.screenshot('plain-json-precise-numbers');
    await editEditorText(page, (text) => text.replace('{', '{"seen": true,'));
    await editorDialog(page).getByRole('button', { name: 'Save item' }).click();
    await editorDialog(page).waitFor({ state: 'detached' });
    assert.deepEqual(await getItem('Numbers', { pk: { S: 'toggled' } }), { pk: { S: 'toggled' }, ...PRECISE_STORED, seen: { BOOL: true } });
  });

  test("a number DynamoDB would refuse gets DynamoDB's message before anything is sent", async () => {
    const { page } = app;
    await openTable(page, 'Numbers');
    await page.getByRole('button', { name: 'New item' }).click();
    await editorDialog(page).getByRole('radio', { name: 'Plain JSON' }).click();
    await replaceEditorText(page, '{"pk": "C", "n": 123456789012345678901234567890123456789}');
    await editorDialog(page).getByRole('button', { name: 'Create item' }).click();
    await editorDialog(page).getByRole('alert').getByText('n: Attempting to store more than 38 significant digits in a Number').waitFor();
    assert.equal(await getItem('Numbers', { pk: { S: 'C' } }), undefined);
    await editorDialog(page).getByRole('button', { name: 'Cancel' }).click();
  });

  test('plain JSON imports (array and JSON Lines) store every digit, and the preview shows them as stored', async () => {
    const { page } = app;
    await openTable(page, 'Imported');
    const files = [
      { name: 'precise.json', text: `[${PRECISE_PLAIN.replace('"A"', '"array"')},\n{"pk": "too-precise", "n": 123456789012345678901234567890123456789}]` },
      { name: 'precise.jsonl', text: `${PRECISE_PLAIN.replace('"A"', '"lines"')}\n` },
    ];
    const checks: string[] = [];
    for (const file of files) {
      await openImport(page);
      await chooseImportFile(page, file.name, file.text);
      checks.push(await checkResults(page).innerText());
      if (file.name === 'precise.json') await app.screenshot('import-preview-precise');
      await startImport(page);
      await importSummary(page).filter({ hasText: /^Done: / }).waitFor();
      await closeImport(page);
    }
    // What is stored first: that is where the numbers used to be rounded.
    assert.deepEqual(await getItem('Imported', { pk: { S: 'array' } }), { pk: { S: 'array' }, ...PRECISE_STORED });
    assert.deepEqual(await getItem('Imported', { pk: { S: 'lines' } }), { pk: { S: 'lines' }, ...PRECISE_STORED });
    assert.equal(await getItem('Imported', { pk: { S: 'too-precise' } }), undefined);
    assert.match(checks[0]!, /item 2 \(line 2\): n: Attempting to store more than 38 significant digits in a Number/);
    for (const check of checks) assert.ok(check.includes(JSON.stringify(PRECISE_STORED).slice(1, -1)), `the preview shows the numbers as stored: ${check}`);
  });
});
