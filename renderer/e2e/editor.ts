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

export async function editorText(page: Page): Promise<string> {
  return editorDialog(page)
    .getByTestId('item-editor')
    .locator('.view-lines')
    .evaluate((el) => (el as HTMLElement).innerText.replace(/\u00a0/g, ' '));
}
