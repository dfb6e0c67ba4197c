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
