/**
 * End-to-end: importing items from a file and exporting them again, in Chromium through the
 * browser bridge, on a real in-memory engine. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/importExport.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, REGION, startApp, type AppUnderTest } from './harness.ts';
import {
  cancelImport,
  checkResults,
  chooseImportFile,
  closeImport,
  exportAll,
  exportDialog,
  formatSelect,
  importDialog,
  importProgress,
  importSummary,
  openImport,
  progressSeen,
  startImport,
} from './importExport.ts';
import { grid, rowWithText } from './items.ts';

/** Plain JSON people, with lists, maps, booleans and nulls that become L, M, BOOL and NULL. */
function people(count: number, prefix = 'user'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    pk: `${prefix}-${String(i).padStart(6, '0')}`,
    n: i,
    name: `Person ${i}`,
    active: i % 2 === 0,
    ...(i % 3 === 0 ? { tags: ['a', `t${i % 7}`] } : {}),
    ...(i % 5 === 0 ? { profile: { level: i % 10, note: null } } : {}),
  }));
}

async function scanAll(app: AppUnderTest, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: unknown;
  do {
    const page = (await app.engine.handle('Scan', { TableName: tableName, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }, REGION)) as {
      Items: Record<string, unknown>[];
      LastEvaluatedKey?: unknown;
    };
    items.push(...page.Items);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => JSON.stringify(a.pk).localeCompare(JSON.stringify(b.pk)));
}

describe('import and export in the browser', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    for (const name of ['People', 'PeopleCopy', 'Big']) await createSimpleTable(app.engine, name);
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('imports 2,000 plain JSON items, skipping the invalid rows, with progress and a summary', async () => {
    const { page } = app;
    await openTable(page, 'People');
    const records: unknown[] = people(2000);
    records.splice(500, 0, { n: 1, name: 'no key' });
    records.splice(1200, 0, { pk: 42, name: 'numeric key' });
    await openImport(page);
    await chooseImportFile(page, 'people.json', JSON.stringify(records, null, 1));

    assert.match(await formatSelect(page).locator('option:checked').innerText(), /JSON array of plain items \(detected\)/);
    const check = await checkResults(page).innerText();
    assert.match(check, /2,000 valid items in people\.json/);
    assert.match(check, /2 problems \(skipped\)/);
    assert.match(check, /item 501 \(line \d+\): key attribute "pk" is missing/);
    assert.match(check, /item 1201 \(line \d+\): key attribute "pk" must be a string \(S\), found a number \(N\)/);
    await app.screenshot('import-check');

    await startImport(page);
    await importSummary(page).waitFor();
    const seen = await progressSeen(page);
    assert.ok(seen.some((text) => /^[\d,]+ of 2,000 written · [\d,]+ items\/s/.test(text)), `progress shown: ${JSON.stringify(seen)}`);
    const summary = await importSummary(page).innerText();
    assert.match(summary, /Done: 2,000 of 2,000 items written/);
    assert.match(summary, /Skipped \(invalid\)\s+2/);
    assert.match(summary, /Failed\s+0/);
    await app.screenshot('import-summary');
    await closeImport(page);

    await page.getByText('Imported 2,000 items').waitFor();
    await grid(page, 'People').getByRole('row').filter({ hasText: /user-\d{6}/ }).first().waitFor();
    const stored = await scanAll(app, 'People');
    assert.equal(stored.length, 2000);
    assert.deepEqual(
      stored.find((item) => (item.pk as { S: string }).S === 'user-000015'),
      {
        pk: { S: 'user-000015' },
        n: { N: '15' },
        name: { S: 'Person 15' },
        active: { BOOL: false },
        tags: { L: [{ S: 'a' }, { S: 't1' }] },
        profile: { M: { level: { N: '5' }, note: { NULL: true } } },
      },
    );
    await app.screenshot('import-grid');
  });

  // The bridge holds the second items/import call until Cancel has been clicked, so the import is
  // surely still running then, however loaded the machine (a free-running import of 100,000 items
  // had finished first). The call itself is not touched: it goes on to the backend as sent.
  test('cancelling an import stops midway and reports the partial count', async () => {
    const { page } = app;
    let releaseSecondCall!: () => void;
    const released = new Promise<void>((resolve) => (releaseSecondCall = resolve));
    let secondCallArrived!: () => void;
    const secondCallHeld = new Promise<void>((resolve) => (secondCallArrived = resolve));
    let importCalls = 0;
    await page.routeWebSocket(/\/bridge/, (socket) => {
      const server = socket.connectToServer();
      const queue: (string | Buffer)[] = [];
      let holding = false;
      socket.onMessage((message) => {
        // Order is kept: once the call is held, everything after it waits behind it.
        if (!holding && typeof message === 'string' && message.includes('"channel":"items/import"') && ++importCalls === 2) {
          holding = true;
          secondCallArrived();
          void released.then(() => {
            for (const held of queue) server.send(held);
            queue.length = 0;
            holding = false;
          });
        }
        if (holding) queue.push(message);
        else server.send(message);
      });
    });
    await page.reload();
    await openTable(page, 'Big');
    const total = 20_000;
    await openImport(page);
    await chooseImportFile(page, 'big.jsonl', people(total, 'big').map((p) => JSON.stringify(p)).join('\n'));
    assert.match(await formatSelect(page).locator('option:checked').innerText(), /JSON Lines of plain items \(detected\)/);
    await startImport(page);
    await secondCallHeld;
    await importProgress(page).filter({ hasText: /^4,000 of 20,000 written/ }).waitFor();
    await cancelImport(page);
    await importDialog(page).getByRole('button', { name: 'Cancelling…' }).waitFor();
    await importProgress(page).filter({ hasText: /stopping after the batch in flight/ }).waitFor();
    await app.screenshot('import-progress');
    releaseSecondCall();
    await importSummary(page).waitFor();
    const summary = await importSummary(page).innerText();
    await app.screenshot('import-cancelled');
    const written = Number(/Stopped: ([\d,]+) of 20,000 items written/.exec(summary)?.[1]?.replaceAll(',', ''));
    // The first call's 4,000, and all or part of the second's, which the cancel (queued behind it) may cut short.
    assert.ok(written >= 4000 && written <= 8000, `wrote ${written} of ${total}`);
    assert.match(summary, /Not sent\s+[\d,]+/);
    assert.equal(importCalls, 2, 'no call was sent after Cancel');
    await closeImport(page);
    assert.equal((await scanAll(app, 'Big')).length, written);
  });

  test('export writes every item and imports back into another table unchanged', async () => {
    const { page } = app;
    await openTable(page, 'People');
    await rowWithText(page, 'People', 'user-').first().waitFor();
    const { text, progress } = await exportAll(page);
    assert.ok(progress.some((line) => /^[\d,]+ items read of about 2,000 · \d+ pages? by Scan/.test(line)), `export progress: ${JSON.stringify(progress)}`);
    await exportDialog(page).waitFor({ state: 'detached' });
    await page.getByText('Exported 2,000 items').waitFor();
    const exported = JSON.parse(text) as Record<string, unknown>[];
    assert.equal(exported.length, 2000);

    await openTable(page, 'PeopleCopy');
    await openImport(page);
    await chooseImportFile(page, 'People-2000-items.json', text);
    assert.match(await formatSelect(page).locator('option:checked').innerText(), /DynamoDB JSON \(what Export writes\) \(detected\)/);
    assert.match(await checkResults(page).innerText(), /2,000 valid items/);
    await startImport(page);
    await importSummary(page).filter({ hasText: 'Done: 2,000 of 2,000 items written' }).waitFor();
    await closeImport(page);
    assert.deepEqual(await scanAll(app, 'PeopleCopy'), await scanAll(app, 'People'));
  });
});
