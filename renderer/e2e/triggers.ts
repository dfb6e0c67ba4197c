/** Triggers view helpers. */
import type { Page } from 'playwright-core';

export function triggerRow(page: Page, functionName: string) {
  return page.getByRole('table', { name: 'Triggers of this table' }).getByRole('row', { name: `Trigger ${functionName}` });
}

export function invocations(page: Page) {
  return page.getByRole('list', { name: 'Invocations, newest first' });
}

/** Fills the new-trigger form for a module handler and creates it. */
export async function createModuleTrigger(page: Page, options: { path: string; functionName: string; batchSize?: number; maxRetries?: number }): Promise<void> {
  await page.getByRole('button', { name: 'New trigger' }).click();
  const form = page.getByRole('region', { name: 'New trigger' });
  await form.getByLabel('Handler file').fill(options.path);
  await form.getByLabel('Function name').fill(options.functionName);
  if (options.batchSize !== undefined) await form.getByLabel('Batch size').fill(String(options.batchSize));
  if (options.maxRetries !== undefined) await form.getByLabel('Maximum retry attempts').fill(String(options.maxRetries));
  await form.getByRole('button', { name: 'Create trigger' }).click();
  await triggerRow(page, options.functionName).waitFor();
}
