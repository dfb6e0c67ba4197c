/**
 * End-to-end: the Settings tab changes a table through UpdateTable, UpdateTimeToLive, TagResource
 * and UntagResource, each change checked with DescribeTable (or its kin) on the real engine; the
 * app's messages that tell the user to change a setting link to its control.
 *   node build/test.mjs renderer/e2e/settings
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { focusedId, chooseCapacityMode, saveCapacity, setUnits, settingsSection, settingSwitch } from './settings.ts';
import { REGION, startApp, type AppUnderTest } from './harness.ts';
import { openTab, tab } from './tablePage.ts';

interface Described {
  BillingModeSummary?: { BillingMode: string };
  ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexes?: { IndexName: string; ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number } }[];
  DeletionProtectionEnabled?: boolean;
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  TableClassSummary?: { TableClass: string };
  TableArn: string;
}

describe('table settings in the browser', () => {
  let app: AppUnderTest;
  const describeTable = async () => ((await app.engine.handle('DescribeTable', { TableName: 'Accounts' }, REGION)) as { Table: Described }).Table;
  /** Waits until DescribeTable shows what the UI just asked for. */
  const eventually = async (check: (table: Described) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const table = await describeTable();
      if (check(table)) return table;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`DescribeTable never showed the change: ${JSON.stringify(await describeTable())}`);
  };

  // A table without BillingModeSummary is provisioned (DynamoDB omits it for tables created that way).
  const provisioned = (t: Described) => (t.BillingModeSummary?.BillingMode ?? 'PROVISIONED') === 'PROVISIONED';

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Accounts',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      },
      REGION,
    );
    await app.page.reload();
    await openTable(app.page, 'Accounts');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('the capacity view links "Switch it to provisioned capacity" to the capacity mode control', async () => {
    const { page } = app;
    await openTab(page, 'Capacity');
    await page.getByRole('button', { name: 'Switch it to provisioned capacity' }).click();
    await page.getByRole('tabpanel', { name: 'Settings' }).waitFor();
    assert.equal(await tab(page, 'Settings').getAttribute('aria-selected'), 'true');
    await page.waitForFunction(() => document.activeElement?.id === 'settings-capacity');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Provisioned');
  });

  test('switches to provisioned capacity for the table and its index', async () => {
    const { page } = app;
    await chooseCapacityMode(page, 'Provisioned');
    await setUnits(page, 'Table', { read: 7, write: 3 });
    await setUnits(page, 'Index byEmail', { read: 4, write: 2 });
    await app.screenshot('settings-capacity-provisioned');
    await saveCapacity(page);
    const table = await eventually(provisioned);
    assert.deepEqual([table.ProvisionedThroughput.ReadCapacityUnits, table.ProvisionedThroughput.WriteCapacityUnits], [7, 3]);
    const index = table.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'byEmail');
    assert.deepEqual([index?.ProvisionedThroughput?.ReadCapacityUnits, index?.ProvisionedThroughput?.WriteCapacityUnits], [4, 2]);
    // Saved: the form now matches the table, so there is nothing to save.
    await page.waitForFunction(() => (document.querySelector('[aria-label="Capacity"] button[type="submit"]') as HTMLButtonElement | null)?.disabled === true);
  });

  test("DynamoDB's refusal of a capacity change is shown in the capacity section", async () => {
    const { page } = app;
    await setUnits(page, 'Table', { read: 0, write: 3 });
    await saveCapacity(page);
    const alert = settingsSection(page, 'Capacity').getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Member must have value greater than or equal to 1[\s\S]*ValidationException/);
    assert.equal((await describeTable()).ProvisionedThroughput.ReadCapacityUnits, 7, 'nothing changed');
    await app.screenshot('settings-capacity-error');
    await settingsSection(page, 'Capacity').getByRole('button', { name: 'Discard' }).click();
  });

  test('raises one index alone, then goes back to on-demand', async () => {
    const { page } = app;
    await setUnits(page, 'Index byEmail', { read: 9, write: 2 });
    await saveCapacity(page);
    let table = await eventually((t) => t.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits === 9);
    assert.equal(table.ProvisionedThroughput.ReadCapacityUnits, 7);
    await page.waitForFunction(() => (document.querySelector('[aria-label="Capacity"] button[type="submit"]') as HTMLButtonElement | null)?.disabled === true);
    await chooseCapacityMode(page, 'On-demand');
    await saveCapacity(page);
    table = await eventually((t) => t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST');
    assert.equal(table.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits ?? 0, 0);
  });

  test('deletion protection: on from Settings; the delete dialog links back to the switch; off again', async () => {
    const { page } = app;
    await settingSwitch(page, 'Deletion protection').click();
    await eventually((t) => t.DeletionProtectionEnabled === true);
    await page.waitForFunction(() => (document.getElementById('settings-deletion-protection') as HTMLInputElement | null)?.checked === true);

    await page.getByRole('button', { name: 'Delete table' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete table Accounts?' });
    await dialog.getByText('Deletion protection is on').waitFor();
    await dialog.getByLabel('Type Accounts to confirm').fill('Accounts');
    await dialog.getByRole('button', { name: 'Delete table' }).click();
    await dialog.getByRole('alert').getByText(/Disable deletion protection first/).waitFor();
    await app.screenshot('settings-delete-protected');
    await dialog.getByRole('button', { name: 'Disable deletion protection' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.id === 'settings-deletion-protection');
    assert.equal(await focusedId(page), 'settings-deletion-protection');
    await page.keyboard.press('Space');
    await eventually((t) => t.DeletionProtectionEnabled === false);
  });

  test('stream: on with a chosen view type, then off', async () => {
    const { page } = app;
    await settingsSection(page, 'Stream').getByLabel('Stream view type').selectOption('NEW_IMAGE');
    await settingSwitch(page, 'Stream').click();
    const table = await eventually((t) => t.StreamSpecification?.StreamEnabled === true);
    assert.equal(table.StreamSpecification?.StreamViewType, 'NEW_IMAGE');
    await page.waitForFunction(() => (document.querySelector('[aria-label="Stream view type"]') as HTMLSelectElement | null)?.disabled === true);
    await settingSwitch(page, 'Stream').click();
    await eventually((t) => t.StreamSpecification?.StreamEnabled !== true);
  });

  test('table class', async () => {
    const { page } = app;
    const section = settingsSection(page, 'Table class');
    await section.getByLabel('Table class').selectOption('STANDARD_INFREQUENT_ACCESS');
    await section.getByRole('button', { name: 'Save table class' }).click();
    await eventually((t) => t.TableClassSummary?.TableClass === 'STANDARD_INFREQUENT_ACCESS');
  });

  test('TTL attribute', async () => {
    const { page } = app;
    const section = settingsSection(page, 'Time to Live');
    await section.getByLabel('TTL attribute').fill('expiresAt');
    await section.getByRole('button', { name: 'Enable TTL' }).click();
    await section.getByRole('button', { name: 'Disable TTL' }).waitFor();
    const { TimeToLiveDescription } = (await app.engine.handle('DescribeTimeToLive', { TableName: 'Accounts' }, REGION)) as {
      TimeToLiveDescription: { TimeToLiveStatus: string; AttributeName: string };
    };
    assert.equal(TimeToLiveDescription.AttributeName, 'expiresAt');
    assert.equal(TimeToLiveDescription.TimeToLiveStatus, 'ENABLED');
  });

  test('tags: add two, remove one', async () => {
    const { page } = app;
    const section = settingsSection(page, 'Tags');
    for (const [key, value] of [['env', 'dev'], ['team', 'payments']]) {
      await section.getByLabel('Tag key').fill(key!);
      await section.getByLabel('Tag value').fill(value!);
      await section.getByRole('button', { name: 'Add tag' }).click();
      await section.getByRole('row', { name: `Tag ${key}` }).waitFor();
    }
    await section.getByRole('button', { name: 'Remove tag env' }).click();
    await section.getByRole('row', { name: 'Tag env' }).waitFor({ state: 'detached' });
    await app.screenshot('settings-tags');
    const { TableArn } = await describeTable();
    const { Tags } = (await app.engine.handle('ListTagsOfResource', { ResourceArn: TableArn }, REGION)) as { Tags: { Key: string; Value: string }[] };
    assert.deepEqual(Tags, [{ Key: 'team', Value: 'payments' }]);
  });
});
