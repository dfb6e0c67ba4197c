/**
 * End-to-end: CSV import and export in Chromium through the browser bridge, on a real in-memory
 * engine; what was stored is read back with Scan, not only from the UI.
 *   node --import tsx --test renderer/e2e/csv.test.ts   (after building the renderer)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { checkResults, chooseImportFile, closeImport, exportAll, formatSelect, importSummary, openImport, setCsvColumnType, startImport } from './importExport.ts';
import { rowWithText } from './items.ts';

/** One item per row, together holding every DynamoDB type, with texts a CSV could misread. */
const EVERY_TYPE = [
  {
    pk: { S: 'a' },
    zip: { S: '0150' },
    numericText: { S: '42' },
    spaced: { S: ' padded, "quoted"\nsecond line ' },
    n: { N: '12345678901234567890123456789012345678' },
    ok: { BOOL: true },
    none: { NULL: true },
    blob: { B: 'AAE=' },
    ss: { SS: ['x', 'y,z'] },
    ns: { NS: ['1', '-0.5'] },
    bs: { BS: ['AAE=', 'AgM='] },
    list: { L: [{ S: 'x' }, { N: '1.5' }, { NULL: true }, { BOOL: false }] },
    map: { M: { deep: { M: { n: { N: '9007199254740993' } } }, s: { S: 'ü' } } },
  },
  {
    pk: { S: 'b' },
    zip: { S: '0007' },
    numericText: { S: '7' },
    spaced: { S: '' },
    n: { N: '-0.001' },
    ok: { BOOL: false },
    none: { NULL: true },
    blob: { B: 'AgM=' },
    ss: { SS: ['only'] },
    ns: { NS: ['99'] },
    bs: { BS: ['AAE='] },
    list: { L: [] },
    map: { M: {} },
  },
];

async function scanAll(app: AppUnderTest, tableName: string): Promise<Record<string, unknown>[]> {
  const { Items } = (await app.engine.handle('Scan', { TableName: tableName }, REGION)) as { Items: Record<string, unknown>[] };
  return Items.sort((a, b) => JSON.stringify(a.pk).localeCompare(JSON.stringify(b.pk)));
}

describe('CSV import and export in the browser', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    for (const name of ['Typed', 'TypedCopy', 'Zips']) await createSimpleTable(app.engine, name);
    await seedItems(app.engine, 'Typed', EVERY_TYPE);
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('every type exported as CSV imports back into another table unchanged', async () => {
    const { page } = app;
    await openTable(page, 'Typed');
    await rowWithText(page, 'Typed', '0150').waitFor();
    const { text } = await exportAll(page, { format: 'CSV (nested values as JSON)', csvColumns: 'Every attribute' });
    await page.getByText('Exported 2 items').waitFor();
    assert.equal(text.split('\n')[0], 'pk,zip,numericText:S,spaced:S,n,ok,none:NULL,blob:B,ss:SS,ns:NS,bs:BS,list,map');

    await openTable(page, 'TypedCopy');
    await openImport(page);
    await chooseImportFile(page, 'Typed-items.csv', text);
    assert.match(await formatSelect(page).locator('option:checked').innerText(), /CSV with a header row \(detected\)/);
    assert.match(await checkResults(page).innerText(), /2 valid items/);
    await app.screenshot('csv-import-check');
    await startImport(page);
    await importSummary(page).filter({ hasText: 'Done: 2 of 2 items written' }).waitFor();
    await closeImport(page);
    assert.deepEqual(await scanAll(app, 'TypedCopy'), await scanAll(app, 'Typed'));
  });

  test('the visible columns only, and a column type chosen in the preview, with ; as delimiter and a BOM', async () => {
    const { page } = app;
    await openTable(page, 'Typed');
    await rowWithText(page, 'Typed', '0150').waitFor();
    const visible = await exportAll(page, { format: 'CSV (nested values as JSON)', csvColumns: 'The grid' });
    assert.equal(visible.text.split('\n')[0]!.split(',').length, 13, 'every column is visible at first');

    await openTable(page, 'Zips');
    await openImport(page);
    await chooseImportFile(page, 'zips.csv', '\ufeffpk;zip;price\r\n"p;1";0150;1.50\r\np2;42;2\r\n');
    // Guessed per cell, 42 is a number; fixed to String in the preview it stays text.
    assert.match(await checkResults(page).innerText(), /"zip":\{"N":"42"\}/);
    await setCsvColumnType(page, 'zip', 'S');
    assert.match(await checkResults(page).innerText(), /"zip":\{"S":"42"\}/);
    await app.screenshot('csv-import-column-types');
    await startImport(page);
    await importSummary(page).filter({ hasText: 'Done: 2 of 2 items written' }).waitFor();
    await closeImport(page);
    assert.deepEqual(await scanAll(app, 'Zips'), [
      { pk: { S: 'p;1' }, zip: { S: '0150' }, price: { N: '1.5' } },
      { pk: { S: 'p2' }, zip: { S: '42' }, price: { N: '2' } },
    ]);
  });
});
