/** Query builder helpers. */
import type { Locator, Page } from 'playwright-core';

/** The query builder in the page, or in one pane when tabs are shown side by side. */
export function queryForm(page: Page | Locator) {
  return page.getByRole('form', { name: 'Query builder' });
}

export function queryResults(page: Page) {
  return page.getByRole('grid', { name: 'Query results' });
}

/** The line under the results: how many were returned and read. */
export function queryStatus(page: Page | Locator) {
  return page.locator('footer[aria-label="Query status"]:visible');
}

export function generatedCode(page: Page) {
  return page.getByRole('region', { name: 'Generated code' }).locator('pre code');
}

export async function chooseLanguage(page: Page, label: 'JavaScript' | 'Python' | 'AWS CLI'): Promise<void> {
  await page.getByRole('radiogroup', { name: 'Code language' }).getByRole('radio', { name: label }).click();
}

/** The Items tab's read bar; it shares its filter rows with the query builder. */
export function readBar(page: Page) {
  return page.getByRole('form', { name: 'Read items' });
}

export interface FilterInput {
  attribute: string;
  operator: string;
  /** Compare size(attribute) instead of its value. */
  size?: boolean;
  /** The value type's label (String, Number…), or for attribute_type the type name. */
  type?: string;
  value?: string;
  upperBound?: string;
}

/** Adds a filter row to the query builder, or to another form with the same filter rows (the Items tab's read bar). */
export async function addFilter(page: Page, filter: FilterInput, form = queryForm(page)): Promise<void> {
  await form.getByRole('button', { name: 'Add filter' }).click();
  const row = form.getByRole('group', { name: /^Filter \d+$/ }).last();
  if (filter.size) await row.getByLabel('Filter on').selectOption('size of');
  await row.getByLabel('Filter attribute').fill(filter.attribute);
  await row.getByLabel('Filter operator').selectOption(filter.operator);
  if (filter.operator === 'attribute_type') {
    await row.getByLabel('Filter value', { exact: true }).selectOption(filter.value!);
    return;
  }
  if (filter.type) await row.getByLabel('Filter value type').selectOption({ label: filter.type });
  if (filter.value !== undefined) await row.getByLabel('Filter value', { exact: true }).fill(filter.value);
  if (filter.upperBound !== undefined) await row.getByLabel('Filter upper bound').fill(filter.upperBound);
}

/** Joins a form's filter rows by AND or OR. */
export async function matchFilters(form: ReturnType<Page['getByRole']>, join: 'and' | 'or'): Promise<void> {
  await form.getByLabel('Match').selectOption(join);
}
