/** Items grid helpers. */
import type { Page } from 'playwright-core';

export function grid(page: Page, tableName: string) {
  return page.getByRole('grid', { name: `Items of ${tableName}` });
}

export function rowWithText(page: Page, tableName: string, text: string) {
  return grid(page, tableName).getByRole('row').filter({ hasText: text });
}

export function statusBar(page: Page) {
  return page.getByRole('contentinfo', { name: 'Read status' }).or(page.locator('footer.status-bar'));
}

/** Scrolls the grid to its end until every item is loaded (infinite scroll), returning the scroll count. */
export async function scrollUntilAllLoaded(page: Page, tableName: string, expected: number, timeoutMs = 60_000): Promise<number> {
  const scroller = grid(page, tableName).locator('.grid-scroll');
  const done = page.getByText(`All ${expected.toLocaleString('en-US')} matching items loaded.`);
  const deadline = Date.now() + timeoutMs;
  let scrolls = 0;
  while (!(await done.isVisible())) {
    if (Date.now() > deadline) throw new Error(`Not all ${expected} items loaded within ${timeoutMs} ms`);
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    scrolls++;
    await page.waitForTimeout(30);
  }
  return scrolls;
}

/** Scans one of the table's indexes with the read bar, as choosing it and pressing Run does. */
export async function scanIndex(page: Page, indexName: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Read items' });
  await form.getByRole('combobox', { name: 'Table or index' }).selectOption({ label: `Index: ${indexName}` });
  await form.getByRole('button', { name: 'Run' }).click();
}
