/** PartiQL editor helpers. */
import type { Page } from 'playwright-core';
import { sidebar } from './connections.ts';

export function partiqlView(page: Page) {
  return page.getByRole('region', { name: 'PartiQL editor' });
}

export async function openPartiql(page: Page, connectionName: string): Promise<void> {
  await sidebar(page).getByRole('region', { name: connectionName }).getByRole('button', { name: 'PartiQL' }).first().click();
  await partiqlView(page).getByTestId('partiql-editor').locator('.view-lines').waitFor();
}

/** Replaces the script the way a user pasting would. */
export async function replaceScript(page: Page, text: string): Promise<void> {
  await partiqlView(page).getByTestId('partiql-editor').locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export async function runAs(page: Page, mode: 'ExecuteStatement' | 'BatchExecuteStatement' | 'ExecuteTransaction'): Promise<void> {
  await partiqlView(page).getByRole('radiogroup', { name: 'Run as' }).getByRole('radio', { name: mode, exact: true }).click();
  await partiqlView(page).getByRole('button', { name: `Run ${mode}` }).click();
}

export function results(page: Page) {
  return page.getByRole('grid', { name: 'PartiQL results' });
}

export function statementOutcome(page: Page, n: number) {
  return partiqlView(page).getByRole('list', { name: 'Statements' }).getByRole('listitem', { name: `Statement ${n}` });
}
