/** Query builder helpers. */
import type { Page } from 'playwright-core';

export function queryForm(page: Page) {
  return page.getByRole('form', { name: 'Query builder' });
}

export function queryResults(page: Page) {
  return page.getByRole('grid', { name: 'Query results' });
}

export function generatedCode(page: Page) {
  return page.getByRole('region', { name: 'Generated code' }).locator('pre code');
}

export async function chooseLanguage(page: Page, label: 'JavaScript' | 'Python' | 'AWS CLI'): Promise<void> {
  await page.getByRole('radiogroup', { name: 'Code language' }).getByRole('radio', { name: label }).click();
}

export async function addFilter(page: Page, filter: { attribute: string; operator: string; type?: string; value?: string }): Promise<void> {
  const form = queryForm(page);
  await form.getByRole('button', { name: 'Add filter' }).click();
  const row = form.getByRole('group', { name: /^Filter \d+$/ }).last();
  await row.getByLabel('Filter attribute').fill(filter.attribute);
  await row.getByLabel('Filter operator').selectOption(filter.operator);
  if (filter.type) await row.getByLabel('Filter value type').selectOption({ label: filter.type });
  if (filter.value !== undefined) await row.getByLabel('Filter value', { exact: true }).fill(filter.value);
}
