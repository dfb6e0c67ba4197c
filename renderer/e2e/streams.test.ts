/**
 * End-to-end: the stream viewer tells types apart (String "1796" from Number 1796, binary marked as
 * such), and its reader keeps reading across a visit to another tab.
 *   node build/test.mjs renderer/e2e/streams
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, REGION, startApp, type AppUnderTest } from './harness.ts';
import { enableStream, startReading, streamRecords } from './streams.ts';
import { openTab } from './tablePage.ts';

describe('stream viewer in the browser', () => {
  let app: AppUnderTest;
  const put = (Item: Record<string, unknown>) => app.engine.handle('PutItem', { TableName: 'Codes', Item }, REGION);

  before(async () => {
    app = await startApp({ quiet: true });
    await createSimpleTable(app.engine, 'Codes');
    await app.page.reload();
    await openTable(app.page, 'Codes');
    await openTab(app.page, 'Streams');
    await enableStream(app.page);
    await startReading(app.page, 'TRIM_HORIZON');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('String "1796" and Number 1796 look different; binary is marked', async () => {
    const { page } = app;
    await put({ pk: { S: 'a' }, code: { S: '1796' }, blob: { B: 'AAEC' } });
    await put({ pk: { S: 'a' }, code: { N: '1796' }, blob: { B: 'AAEC' } });
    const modify = streamRecords(page).getByRole('listitem', { name: /^MODIFY pk=a/ });
    await modify.waitFor({ timeout: 10_000 });
    const changes = modify.getByRole('table', { name: 'Image changes' });
    const code = changes.getByRole('row').filter({ hasText: 'code' });
    assert.match(await code.innerText(), /~\s*code\s*S "1796"\s*N 1796/);
    const insert = streamRecords(page).getByRole('listitem', { name: /^INSERT pk=a/ });
    assert.match(await insert.getByRole('row').filter({ hasText: 'blob' }).innerText(), /B AAEC/);
    assert.equal(await insert.getByRole('row').filter({ hasText: 'blob' }).locator('abbr').getAttribute('title'), 'Binary (base64)');
    await app.screenshot('streams-types');
  });

  test('records written while another tab is open are there on coming back, and reading goes on', async () => {
    const { page } = app;
    await openTab(page, 'Items');
    await put({ pk: { S: 'while-away' } });
    await openTab(page, 'Streams');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await streamRecords(page).getByRole('listitem', { name: /^MODIFY pk=a/ }).waitFor();
    await streamRecords(page).getByRole('listitem', { name: /^INSERT pk=while-away/ }).waitFor({ timeout: 10_000 });
    await put({ pk: { S: 'after-return' } });
    await streamRecords(page).getByRole('listitem', { name: /^INSERT pk=after-return/ }).waitFor({ timeout: 10_000 });
  });
});
