/** Settings tab helpers: one region per setting. */
import type { Page } from 'playwright-core';

export function settingsSection(page: Page, name: 'Capacity' | 'Deletion protection' | 'Stream' | 'Table class' | 'Time to Live' | 'Tags') {
  return page.getByRole('region', { name, exact: true });
}

export async function chooseCapacityMode(page: Page, mode: 'On-demand' | 'Provisioned'): Promise<void> {
  await settingsSection(page, 'Capacity').getByRole('radiogroup', { name: 'Capacity mode' }).getByRole('radio', { name: mode }).click();
}

export async function setUnits(page: Page, owner: string, units: { read: number | string; write: number | string }): Promise<void> {
  const section = settingsSection(page, 'Capacity');
  await section.getByLabel(`${owner} read capacity units`).fill(String(units.read));
  await section.getByLabel(`${owner} write capacity units`).fill(String(units.write));
}

export async function saveCapacity(page: Page): Promise<void> {
  await settingsSection(page, 'Capacity').getByRole('button', { name: 'Save capacity' }).click();
}

export function settingSwitch(page: Page, name: 'Deletion protection' | 'Stream') {
  return settingsSection(page, name).getByRole('switch', { name });
}

/** The id of the focused element, to check where a link landed. */
export function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}
