/** Indexes view helpers. */
import type { Page } from 'playwright-core';

export function indexRow(page: Page, indexName: string) {
  return page.getByRole('table', { name: 'Indexes' }).getByRole('row', { name: `Index ${indexName}` });
}

export async function createGsi(page: Page, spec: { name: string; partitionKey: string; partitionType?: 'String' | 'Number' }): Promise<void> {
  const section = page.getByRole('region', { name: 'Create global secondary index' });
  await section.getByLabel('Index name').fill(spec.name);
  await section.getByLabel('Index partition key', { exact: true }).fill(spec.partitionKey);
  if (spec.partitionType) await section.getByLabel('Index partition key type').selectOption({ label: spec.partitionType });
  await section.getByRole('button', { name: 'Create index' }).click();
}
