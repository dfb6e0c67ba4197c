/** Import and Export helpers for the items view. */
import type { Page } from 'playwright-core';

export function importDialog(page: Page) {
  return page.getByRole('dialog', { name: /^Import items into/ });
}

export async function openImport(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Import' }).click();
  await importDialog(page).waitFor();
}

/** Picks a file through the browser mode's <input type=file>, as a user choosing it would. */
export async function chooseImportFile(page: Page, name: string, content: string): Promise<void> {
  await importDialog(page)
    .getByLabel('File to import')
    .setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  await checkResults(page).waitFor();
}

export function formatSelect(page: Page) {
  return importDialog(page).getByRole('combobox', { name: 'Format' });
}

export function checkResults(page: Page) {
  return importDialog(page).getByRole('region', { name: 'Check results' });
}

export function importProgress(page: Page) {
  return importDialog(page).getByRole('status', { name: 'Import progress' });
}

export function importSummary(page: Page) {
  return importDialog(page).getByRole('region', { name: 'Import summary' });
}

/**
 * Starts the import and records every text the progress line shows, in the page, so a fast import
 * that finishes between two polls still leaves its progress behind. Read it with `progressSeen`.
 */
export async function startImport(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __importProgress: string[] }).__importProgress = seen;
    new MutationObserver(() => {
      const status = document.querySelector('[aria-label="Import progress"]');
      if (status && seen.at(-1) !== status.textContent) seen.push(status.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await importDialog(page).getByRole('button', { name: /^Import [\d,]+ items?$/ }).click();
}

export async function progressSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __importProgress: string[] }).__importProgress);
}

export async function cancelImport(page: Page): Promise<void> {
  await importDialog(page).getByRole('button', { name: 'Cancel' }).click();
}

export async function closeImport(page: Page): Promise<void> {
  await importDialog(page).getByRole('button', { name: 'Close', exact: true }).last().click();
  await importDialog(page).waitFor({ state: 'detached' });
}

export function exportDialog(page: Page) {
  return page.getByRole('dialog', { name: /^Export items of/ });
}

/**
 * Exports every item of the open table; returns the downloaded file's text and every text the
 * export's progress line showed (recorded in the page, as the read may finish between polls).
 */
export async function exportAll(page: Page): Promise<{ text: string; progress: string[] }> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __exportProgress: string[] }).__exportProgress = seen;
    new MutationObserver(() => {
      const status = document.querySelector('[aria-label="Export progress"]');
      if (status && seen.at(-1) !== status.textContent) seen.push(status.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const download = page.waitForEvent('download');
  await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: /^Export/ }).click();
  const file = await download;
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const progress = await page.evaluate(() => (window as unknown as { __exportProgress: string[] }).__exportProgress);
  return { text: Buffer.concat(chunks).toString('utf8'), progress };
}
