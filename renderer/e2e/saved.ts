/** Saved operations helpers (the "Saved" menu every builder has). */
import type { Locator, Page } from 'playwright-core';

export function savedMenu(page: Page): Locator {
  return page.getByRole('group', { name: 'Saved operations' });
}

export async function saveAs(page: Page, within: Locator, name: string): Promise<void> {
  await within.getByRole('button', { name: /^Saved/ }).click();
  await savedMenu(page).getByLabel('Name to save as').fill(name);
  await savedMenu(page).getByRole('button', { name: 'Save', exact: true }).click();
  await savedMenu(page).getByRole('button', { name, exact: true }).waitFor();
  await page.keyboard.press('Escape');
}

export async function openSaved(page: Page, within: Locator, name: string): Promise<void> {
  await within.getByRole('button', { name: /^Saved/ }).click();
  await savedMenu(page).getByRole('button', { name, exact: true }).click();
}
