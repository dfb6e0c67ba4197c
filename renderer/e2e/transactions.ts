/** Transaction builder helpers. */
import type { Locator, Page } from 'playwright-core';
import { sidebar } from './connections.ts';

export function builder(page: Page) {
  return page.getByRole('region', { name: 'Transaction builder' });
}

/** Opens the builder from the sidebar, under the connection with this name. */
export async function openTransactions(page: Page, connectionName: string): Promise<void> {
  await sidebar(page).getByRole('region', { name: connectionName }).getByRole('button', { name: 'Transactions' }).first().click();
  await builder(page).getByRole('heading', { level: 1, name: 'Transactions' }).waitFor();
}

/** The action card numbered `n` (from 1). */
export function action(page: Page, n: number): Locator {
  return builder(page).getByRole('group', { name: new RegExp(`^Action ${n}: `) });
}

export async function expand(page: Page, n: number): Promise<Locator> {
  const card = action(page, n);
  const toggle = card.getByRole('button', { name: `Expand action ${n}` });
  if (await toggle.isVisible()) await toggle.click();
  return card;
}

export async function addUpdate(card: Locator, update: { action: 'SET' | 'REMOVE' | 'ADD'; attribute: string; type?: string; value?: string }): Promise<void> {
  await card.getByRole('button', { name: 'Add update' }).click();
  const row = card.getByRole('group', { name: /^Update \d+$/ }).last();
  await row.getByLabel('Update action').selectOption(update.action);
  await row.getByLabel('Update attribute').fill(update.attribute);
  if (update.type) await row.getByLabel('Update value type').selectOption({ label: update.type });
  if (update.value !== undefined) await row.getByLabel('Update value').fill(update.value);
}

export async function addCondition(card: Locator, condition: { attribute: string; operator: string; type?: string; value?: string }): Promise<void> {
  await card.getByRole('button', { name: 'Add condition' }).click();
  const row = card.getByRole('group', { name: /^Condition \d+$/ }).last();
  await row.getByLabel('Condition attribute').fill(condition.attribute);
  await row.getByLabel('Condition operator').selectOption(condition.operator);
  if (condition.type) await row.getByLabel('Condition value type').selectOption({ label: condition.type });
  if (condition.value !== undefined) await row.getByLabel('Condition value', { exact: true }).fill(condition.value);
}

export function outcome(page: Page) {
  return builder(page).getByRole('status', { name: 'Transaction outcome' });
}

export async function run(page: Page, operation = 'TransactWriteItems'): Promise<void> {
  await builder(page).getByRole('button', { name: `Run ${operation}` }).click();
}
