/** Workbench tab helpers. */
import type { Page } from 'playwright-core';

export function openTabs(page: Page) {
  return page.getByRole('tablist', { name: 'Open tabs' });
}

/** The tabs' names (title, connection and namespace), in order. */
export async function tabTitles(page: Page): Promise<string[]> {
  return openTabs(page).getByRole('tab').evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('aria-label') ?? ''));
}

export async function frontTab(page: Page): Promise<string | null> {
  return openTabs(page).getByRole('tab', { selected: true }).getAttribute('aria-label');
}

export async function focusTab(page: Page, title: string): Promise<void> {
  await openTabs(page).getByRole('tab', { name: title }).click();
}
