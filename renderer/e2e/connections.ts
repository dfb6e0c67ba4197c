/** Sidebar helpers: connections, namespaces and the tables under them. */
import type { Page } from 'playwright-core';

export function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'Connections and tables' });
}

export function tableEntry(page: Page, tableName: string) {
  return sidebar(page).getByRole('button', { name: new RegExp(`^${tableName}\\b`) });
}

export async function openTable(page: Page, tableName: string): Promise<void> {
  await tableEntry(page, tableName).click();
  await page.getByRole('heading', { level: 1, name: tableName }).waitFor();
}

export async function filterTables(page: Page, text: string): Promise<void> {
  await sidebar(page).getByRole('searchbox', { name: 'Filter tables' }).fill(text);
}
