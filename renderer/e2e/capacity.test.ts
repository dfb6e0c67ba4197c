/**
 * End-to-end: with throttling emulation on, requests the engine refuses show up in the capacity
 * view as their own per-second series, apart from the units consumed.
 *   node build/test.mjs renderer/e2e/capacity
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { capacityChart, throttlingSwitch } from './capacity.ts';
import { openTable } from './connections.ts';
import { REGION, startApp, type AppUnderTest } from './harness.ts';
import { openTab } from './tablePage.ts';

describe('throttled requests in the capacity view', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Tight',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      },
      REGION,
    );
    await app.page.reload();
    await openTable(app.page, 'Tight');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('writes past the burst allowance are refused and counted per second', async () => {
    const { page } = app;
    await openTab(page, 'Capacity');
    await throttlingSwitch(page).click();
    await page.waitForFunction(() => (document.querySelector('[role="switch"]') as HTMLInputElement | null)?.checked === true);
    // 1 WCU keeps 300 seconds of unused capacity as burst: the 301st one-unit write onwards is refused.
    let refused = 0;
    for (let i = 0; i < 320; i++) {
      try {
        await app.engine.handle('PutItem', { TableName: 'Tight', Item: { pk: { S: `k${i}` } } }, REGION);
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'ProvisionedThroughputExceededException');
        refused++;
      }
    }
    assert.ok(refused > 0, 'some writes were throttled');
    const chart = capacityChart(page, 'Throttled requests of Tight');
    await page.waitForFunction(
      (count) => document.querySelector('.chart[aria-label^="Throttled requests of Tight"]')?.getAttribute('aria-label')?.includes(`: 0 throttled reads and ${count} throttled writes`),
      refused,
      { timeout: 10_000 },
    );
    assert.match((await chart.getAttribute('aria-label'))!, new RegExp(`^Throttled requests of Tight: 0 throttled reads and ${refused} throttled writes in the last 60 seconds$`));
    await app.screenshot('capacity-throttled');
    await throttlingSwitch(page).click();
  });
});
