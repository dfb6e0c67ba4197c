/** Capacity view helpers. */
import type { Page } from 'playwright-core';

export function capacityChart(page: Page, label: string) {
  return page.getByRole('region', { name: 'Consumed capacity' }).getByRole('img', { name: new RegExp(`^${label}:`) });
}

export function throttlingSwitch(page: Page) {
  return page.getByRole('switch', { name: 'Emulate throttling' });
}
