/**
 * End-to-end: the Triggers tab in Chromium, through the browser bridge, on a real in-memory
 * engine: a trigger created from the form runs a real handler module on the table's stream; its
 * invocations show logs and the event; a failing batch lands in the failed records and is
 * re-driven once the handler is fixed. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/triggers.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { REGION, startApp, type AppUnderTest } from './harness.ts';
import { openTab } from './tablePage.ts';
import { createModuleTrigger, invocations, triggerRow } from './triggers.ts';

describe('stream triggers in the browser', () => {
  let app: AppUnderTest;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dynamo-lens-e2e-triggers-'));
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      },
      REGION,
    );
    await app.page.reload();
    await openTable(app.page, 'Orders');
    await openTab(app.page, 'Triggers');
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  const put = (pk: string) => app.engine.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: pk }, total: { N: '42' } } }, REGION);

  test('creates a trigger from the form, writes items, and sees invocations with logs and the event', async () => {
    const { page } = app;
    const path = join(dir, 'orders.mjs');
    writeFileSync(path, `export const handler = async (event, context) => { console.log('shipping', event.Records.map((r) => r.dynamodb.Keys.pk.S).join(', '), 'in', context.functionName); };`);
    await createModuleTrigger(page, { path, functionName: 'ship-orders', batchSize: 10 });
    await put('order-1');
    await put('order-2');
    const first = invocations(page).getByRole('listitem').first();
    await first.waitFor({ timeout: 15_000 });
    await triggerRow(page, 'ship-orders').getByText('polling').waitFor();
    await first.locator('summary').click();
    const logs = await invocations(page).getByLabel('Logs').first().innerText();
    assert.match(logs, /INFO\tshipping order-1(, order-2)? in ship-orders/);
    const event = JSON.parse(await invocations(page).getByLabel('Event').first().innerText()) as { Records: { eventName: string; eventSource: string; dynamodb: { Keys: unknown } }[] };
    assert.equal(event.Records[0]!.eventName, 'INSERT');
    assert.equal(event.Records[0]!.eventSource, 'aws:dynamodb');
    assert.match(await first.getAttribute('aria-label') ?? '', /record(s)? · [\d.]+ ms \(init \d+ ms\) · success/);
    await app.screenshot('triggers');
  });

  test('pause and resume; a failing batch lands in failed records and is re-driven after the fix', async () => {
    const { page } = app;
    const path = join(dir, 'fragile.mjs');
    writeFileSync(path, `export const handler = async (event) => { if (event.Records.some((r) => r.dynamodb.Keys.pk.S === 'poison')) throw new Error('poisoned'); };`);
    await triggerRow(page, 'ship-orders').getByRole('button', { name: 'Pause' }).click();
    await triggerRow(page, 'ship-orders').getByText('paused').waitFor();
    await createModuleTrigger(page, { path, functionName: 'fragile', maxRetries: 0 });
    await put('poison');
    const failedRow = page.getByRole('table', { name: 'Failed batches' }).getByRole('row', { name: 'Failed batch of 1' });
    await failedRow.waitFor({ timeout: 15_000 });
    assert.match(await failedRow.innerText(), /RetryAttemptsExhausted[\s\S]*Error: poisoned/);
    writeFileSync(path, `export const handler = async () => {};`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await failedRow.getByRole('button', { name: 'Re-drive' }).click();
    await page.getByRole('status').filter({ hasText: 'Re-drive: 1 succeeded, 0 still failing.' }).waitFor();
    await failedRow.waitFor({ state: 'detached' });
    await invocations(page).getByRole('listitem', { name: /re-drive/ }).waitFor();
    await app.screenshot('triggers-redrive');
    // The paused trigger saw nothing of the poison until it resumes.
    await triggerRow(page, 'ship-orders').click();
    await triggerRow(page, 'ship-orders').getByRole('button', { name: 'Resume' }).click();
    await triggerRow(page, 'ship-orders').getByText('polling').waitFor();
    await invocations(page).getByRole('listitem').first().locator('summary').click();
    await page.waitForFunction(() => /shipping poison/.test(document.querySelector('[aria-label="Logs"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
  });

  test('edits a trigger\'s settings and deletes it', async () => {
    const { page } = app;
    await triggerRow(page, 'fragile').getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('region', { name: 'Edit trigger fragile' });
    await form.getByLabel('Batch size').fill('0');
    await form.getByRole('button', { name: 'Save trigger' }).click();
    await form.getByText("Value '0' at 'batchSize' failed to satisfy constraint").waitFor();
    await form.scrollIntoViewIfNeeded();
    await app.screenshot('triggers-edit');
    await form.getByLabel('Batch size').fill('25');
    await form.getByRole('button', { name: 'Save trigger' }).click();
    await form.waitFor({ state: 'detached' });
    const listed = await app.backend.invoke('triggers/list', { connectionId: 'local' });
    assert.ok(listed.ok);
    assert.equal(listed.value.find((t) => t.definition.functionName === 'fragile')?.definition.settings.BatchSize, 25);
    page.once('dialog', (dialog) => void dialog.accept());
    await triggerRow(page, 'fragile').getByRole('button', { name: 'Delete' }).click();
    await triggerRow(page, 'fragile').waitFor({ state: 'detached' });
  });
});
