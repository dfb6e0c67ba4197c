/** Import and Export helpers for the items view. */
import type { Page } from 'playwright-core';

export function importDialog(page: Page) {
  return page.getByRole('dialog', { name: /^Import items into/ });
}

export async function openImport(page: Page): Promise<void> {
  await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Import' }).click();
  await importDialog(page).waitFor();
}

/** Picks a file through the <input type=file>, as a user choosing it would: its text, or a path on disk. */
export async function chooseImportFile(page: Page, name: string, content: string | { path: string }, timeout?: number): Promise<void> {
  const input = importDialog(page).getByLabel('File to import');
  if (typeof content === 'string') await input.setInputFiles({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/json', buffer: Buffer.from(content) });
  else await input.setInputFiles(content.path);
  await checkResults(page).waitFor(timeout === undefined ? {} : { timeout });
}

/** Fixes a CSV column's type in the import preview (or 'auto' to type it per cell). */
export async function setCsvColumnType(page: Page, column: string, type: string): Promise<void> {
  await importDialog(page).getByRole('combobox', { name: `Type of column ${column}` }).selectOption(type);
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
 * Exports every item of the open table (or the selection) in the chosen format; returns the downloaded file's text and every text the
 * export's progress line showed (recorded in the page, as the read may finish between polls).
 */
export async function exportAll(page: Page, options: { format?: string; csvColumns?: 'The grid' | 'Every attribute' } = {}): Promise<{ text: string; progress: string[] }> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __exportProgress: string[] }).__exportProgress = seen;
    new MutationObserver(() => {
      const status = document.querySelector('[aria-label="Export progress"]');
      if (status && seen.at(-1) !== status.textContent) seen.push(status.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: /^Export/ }).click();
  const dialog = exportDialog(page);
  if (options.format) await dialog.getByRole('combobox', { name: 'Export format' }).selectOption({ label: options.format });
  if (options.csvColumns) await dialog.getByRole('radio', { name: new RegExp(`^${options.csvColumns}`) }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: /^Export / }).click();
  const file = await download;
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const progress = await page.evaluate(() => (window as unknown as { __exportProgress: string[] }).__exportProgress);
  return { text: Buffer.concat(chunks).toString('utf8'), progress };
}
