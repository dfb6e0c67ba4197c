/** Command palette helpers. */
import type { Page } from 'playwright-core';

export async function runCommand(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+K');
  const input = page.getByRole('combobox', { name: 'Type a command or table name' });
  await input.waitFor();
  await input.fill(text);
  await page.keyboard.press('Enter');
}
