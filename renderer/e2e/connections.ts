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

export function connectionDialog(page: Page) {
  return page.getByRole('dialog', { name: /^(Add connection|Edit connection .*)$/ });
}

/** Fills the add/edit connection form; fields left out keep what the form holds. */
export async function fillConnection(page: Page, fields: { name?: string; region?: string; endpointUrl?: string; accessKeyId?: string; secretAccessKey?: string }): Promise<void> {
  const dialog = connectionDialog(page);
  const labels = { name: 'Name', region: 'Region', endpointUrl: 'Endpoint URL', accessKeyId: 'Access key ID', secretAccessKey: 'Secret access key' } as const;
  for (const [field, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
    // A field's label carries its hint after the name.
    if (fields[field] !== undefined) await dialog.getByLabel(new RegExp(`^${label}`)).fill(fields[field]!);
  }
}

export async function testConnection(page: Page): Promise<void> {
  await connectionDialog(page).getByRole('button', { name: 'Test connection' }).click();
}

export function connectionSection(page: Page, name: string) {
  return sidebar(page).getByRole('region', { name, exact: true });
}

/** The top bar's pill for the connection in view (a remote one): its endpoint and whether it answers. */
export function endpointStatus(page: Page, connectionName: string) {
  return page.getByRole('banner').getByRole('status', { name: new RegExp(`^${connectionName}: `) });
}
