/** Update builder helpers: the dialog opened by "Update…" on a selected row. */
import type { Page } from 'playwright-core';

export function updateDialog(page: Page) {
  return page.getByRole('dialog', { name: /^Update item in / });
}

export interface ActionSpec {
  action?: 'SET' | 'REMOVE' | 'ADD' | 'DELETE';
  path: string;
  mode?: string;
  type?: 'String' | 'Number' | 'Boolean' | 'Null' | 'DynamoDB JSON';
  value?: string;
}

/** Fills action row `n` (1-based), adding rows as needed. */
export async function setAction(page: Page, n: number, spec: ActionSpec): Promise<void> {
  const dialog = updateDialog(page);
  while ((await dialog.getByRole('group', { name: /^Action \d+$/ }).count()) < n) await dialog.getByRole('button', { name: 'Add action' }).click();
  const row = dialog.getByRole('group', { name: `Action ${n}` });
  if (spec.action) await row.getByLabel('Action', { exact: true }).selectOption(spec.action);
  await row.getByLabel('Attribute path').fill(spec.path);
  if (spec.mode) await row.getByLabel('Set mode').selectOption({ label: spec.mode });
  if (spec.type) await row.getByLabel('Value type').selectOption({ label: spec.type });
  if (spec.value !== undefined) await row.getByLabel('Value', { exact: true }).fill(spec.value);
}

export async function addCondition(page: Page, spec: { attribute: string; operator: string; type?: string; value?: string }): Promise<void> {
  const dialog = updateDialog(page);
  await dialog.getByRole('button', { name: 'Add condition' }).click();
  const row = dialog.getByRole('group', { name: /^Condition \d+$/ }).last();
  await row.getByLabel('Condition attribute').fill(spec.attribute);
  await row.getByLabel('Condition operator').selectOption(spec.operator);
  if (spec.type) await row.getByLabel('Condition value type').selectOption({ label: spec.type });
  if (spec.value !== undefined) await row.getByLabel('Condition value', { exact: true }).fill(spec.value);
}

export function updateRequest(page: Page) {
  return updateDialog(page).getByRole('region', { name: 'Request' }).locator('pre code');
}

export function updateCode(page: Page) {
  return updateDialog(page).getByRole('region', { name: 'Generated code' }).locator('pre code');
}
