/** Data modeler helpers. */
import type { Locator, Page } from 'playwright-core';
import { sidebar } from './connections.ts';

export function modeler(page: Page): Locator {
  return page.getByRole('region', { name: 'Data modeler' });
}

export async function openModeler(page: Page, connectionName: string): Promise<void> {
  await sidebar(page).getByRole('region', { name: connectionName }).getByRole('button', { name: 'Modeler' }).first().click();
  await modeler(page).getByRole('heading', { level: 1, name: 'Modeler' }).waitFor();
}

export async function showView(page: Page, view: 'Entities' | 'Access patterns' | 'Facets' | 'Aggregate view' | 'Sample data' | 'Code'): Promise<void> {
  await modeler(page).getByRole('radiogroup', { name: 'Modeler view' }).getByRole('radio', { name: view }).click();
}

export function entity(page: Page, name: string): Locator {
  return modeler(page).getByRole('group', { name: `Entity ${name}` });
}

/** Fills an attribute row: type, a generator with its options text, and last the name (which the row is named by). */
export async function setAttribute(row: Locator, attribute: { name: string; type?: string; generator?: string; options?: string }): Promise<void> {
  if (attribute.type) await row.getByRole('combobox', { name: 'Attribute type' }).selectOption(attribute.type);
  if (attribute.generator) await row.getByRole('combobox', { name: 'Generator' }).selectOption(attribute.generator);
  if (attribute.options !== undefined) await row.getByRole('textbox', { name: 'Generator options' }).fill(attribute.options);
  await row.getByRole('textbox', { name: 'Attribute name' }).fill(attribute.name);
}

export async function addAttribute(card: Locator, attribute: { name: string; type?: string; generator?: string; options?: string }): Promise<void> {
  await card.getByRole('button', { name: 'Add attribute' }).click();
  await setAttribute(card.getByRole('row').last(), attribute);
}

export async function setTemplates(card: Locator, templates: Record<string, string>): Promise<void> {
  for (const [key, template] of Object.entries(templates)) await card.getByRole('textbox', { name: `Template for ${key}`, exact: true }).fill(template);
}

export function newPatternForm(page: Page): Locator {
  return modeler(page).getByRole('form', { name: 'New access pattern' });
}

export function boardRow(page: Page, pattern: string): Locator {
  return modeler(page).getByRole('table', { name: 'Access patterns' }).getByRole('row', { name: pattern, exact: true });
}
