/** TTL view helpers. */
import type { Page } from 'playwright-core';

export async function enableTtl(page: Page, attribute: string): Promise<void> {
  const settings = page.getByRole('region', { name: 'Time to Live settings' });
  await settings.getByLabel('TTL attribute').fill(attribute);
  await settings.getByRole('button', { name: 'Enable TTL' }).click();
  await settings.getByRole('button', { name: 'Disable TTL' }).waitFor();
}

export function dueNow(page: Page) {
  return page.getByTestId('ttl-due-now');
}

export async function sweepNow(page: Page): Promise<void> {
  await page.getByRole('region', { name: 'Expiry' }).getByRole('button', { name: 'Sweep now' }).click();
}
