/** Streams view helpers. */
import type { Page } from 'playwright-core';

export function streamSettings(page: Page) {
  return page.getByRole('region', { name: 'Stream settings' });
}

export function streamRecords(page: Page) {
  return page.getByRole('list', { name: 'Records, newest first' });
}

export async function enableStream(page: Page, viewType = 'NEW_AND_OLD_IMAGES'): Promise<void> {
  await streamSettings(page).getByLabel('Stream view type').selectOption(viewType);
  await streamSettings(page).getByRole('button', { name: 'Enable stream' }).click();
  await streamSettings(page).getByRole('button', { name: 'Disable stream' }).waitFor();
}

export async function startReading(page: Page, from: 'TRIM_HORIZON' | 'LATEST'): Promise<void> {
  const records = page.getByRole('region', { name: 'Stream records' });
  await records.getByLabel('Start position').selectOption(from);
  await records.getByRole('button', { name: /Start reading|Restart/ }).click();
}
