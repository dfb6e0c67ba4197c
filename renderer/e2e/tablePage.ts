/** Table page helpers: the tabs above the views. */
import type { Page } from 'playwright-core';

export function tab(page: Page, name: string) {
  return page.getByRole('tablist', { name: /views$/ }).getByRole('tab', { name, exact: true });
}

export async function openTab(page: Page, name: string): Promise<void> {
  await tab(page, name).click();
  await page.getByRole('tabpanel', { name }).waitFor();
}
