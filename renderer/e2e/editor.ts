/** Item editor helpers (Monaco inside a dialog). */
import type { Page } from 'playwright-core';

export function editorDialog(page: Page) {
  return page.getByRole('dialog', { name: /item in / });
}

/** Replaces the editor's whole text the way a user pasting would. */
export async function replaceEditorText(page: Page, text: string): Promise<void> {
  const editor = editorDialog(page).getByTestId('item-editor');
  await editor.locator('.view-lines').waitFor();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Waits until the editor shows `text`: Monaco renders its lines a moment after the dialog opens. */
export async function waitForEditorText(page: Page, text: string | RegExp): Promise<void> {
  await editorDialog(page).getByTestId('item-editor').locator('.view-lines', { hasText: text }).waitFor();
}

/**
 * The editor's whole text, as a user copying it would get it (select all, copy): Monaco renders
 * only the lines in view, so the DOM cannot be read for it. Needs clipboard permissions (see
 * `allowClipboard`).
 */
export async function copyEditorText(page: Page): Promise<string> {
  await editorDialog(page).getByTestId('item-editor').locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

export async function allowClipboard(page: Page): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
}

/** Edits the text the editor shows, as a user would: `edit` gets what is there and returns the new text. */
export async function editEditorText(page: Page, edit: (text: string) => string): Promise<void> {
  await replaceEditorText(page, edit(await copyEditorText(page)));
}
