/** Create-table and delete-table dialog helpers. */
import type { Page } from 'playwright-core';

export interface TableSpec {
  name: string;
  partitionKey: string;
  sortKey?: string;
  gsi?: { name: string; partitionKey: string; partitionType?: 'String' | 'Number'; projection?: 'All attributes' | 'Keys only' };
}

export function createTableDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Create table' });
}

export async function fillCreateTable(page: Page, spec: TableSpec): Promise<void> {
  const dialog = createTableDialog(page);
  await dialog.waitFor();
  await dialog.getByLabel('Table name').fill(spec.name);
  await dialog.getByLabel('Partition key', { exact: true }).fill(spec.partitionKey);
  if (spec.sortKey) await dialog.getByLabel('Sort key (optional)', { exact: true }).fill(spec.sortKey);
  if (spec.gsi) {
    await dialog.getByRole('button', { name: 'Add global index' }).click();
    const card = dialog.getByRole('group', { name: 'global index 1' });
    await card.getByLabel('Index name').fill(spec.gsi.name);
    await card.getByLabel('Index partition key', { exact: true }).fill(spec.gsi.partitionKey);
    if (spec.gsi.partitionType) await card.getByLabel('Index partition key type').selectOption({ label: spec.gsi.partitionType });
    if (spec.gsi.projection) await card.getByLabel('Projection').selectOption({ label: spec.gsi.projection });
  }
}

export async function submitCreateTable(page: Page): Promise<void> {
  await createTableDialog(page).getByRole('button', { name: 'Create table' }).click();
}

export async function deleteTable(page: Page, tableName: string): Promise<void> {
  await page.getByRole('button', { name: 'Delete table' }).first().click();
  const dialog = page.getByRole('dialog', { name: `Delete table ${tableName}?` });
  await dialog.getByLabel(`Type ${tableName} to confirm`).fill(tableName);
  await dialog.getByRole('button', { name: 'Delete table' }).click();
  await dialog.waitFor({ state: 'detached' });
}
