/** Items grid helpers. */
import type { Locator, Page } from 'playwright-core';

export function grid(page: Page, tableName: string) {
  return page.getByRole('grid', { name: `Items of ${tableName}` });
}

export function rowWithText(page: Page, tableName: string, text: string) {
  return grid(page, tableName).getByRole('row').filter({ hasText: text });
}

export function statusBar(page: Page) {
  return page.getByRole('contentinfo', { name: 'Read status' }).or(page.locator('footer.status-bar:visible'));
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

/**
 * Every row's key in a grid (the Items grid or the query results), matched in each row's text by
 * `key`, sorted: the grid draws only the rows in view, so it is scrolled from top to bottom.
 */
export async function gridKeys(gridLocator: Locator, key: RegExp): Promise<string[]> {
  const scroller = gridLocator.locator('.grid-scroll');
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  const keys = new Set<string>();
  for (;;) {
    for (const text of await gridLocator.getByRole('row').allInnerTexts()) {
      const found = key.exec(text)?.[0];
      if (found) keys.add(found);
    }
    const atEnd = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollBy({ top: el.clientHeight / 2 });
      return end;
    });
    if (atEnd) return [...keys].sort();
    await gridLocator.page().waitForTimeout(50);
  }
}

/** The column headers the grid has drawn (it draws only those in view), the selection column left out. */
export async function drawnColumns(gridLocator: Locator): Promise<string[]> {
  const texts = await gridLocator.getByRole('columnheader').allInnerTexts();
  return texts.slice(1).map((text) => text.replace(/[⚷▲▼]|\b(GSI|LSI|IDX)\b/g, '').trim());
}

/** Opens the Columns menu of the Items tab and returns it. */
export async function openColumnsMenu(page: Page): Promise<Locator> {
  const menu = page.getByRole('group', { name: 'Columns' });
  if (!(await menu.isVisible())) await page.getByRole('button', { name: 'Columns' }).click();
  await menu.waitFor();
  return menu;
}
