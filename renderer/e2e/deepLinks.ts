/** Deep-link helpers: the place the URL names. */
import type { Page } from 'playwright-core';

export function urlHash(page: Page): Promise<string> {
  return page.evaluate(() => location.hash);
}

/** Reloads the page and waits for the app to be back. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
}
