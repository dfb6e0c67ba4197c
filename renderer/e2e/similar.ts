/** Similar items view and vector index helpers. */
import type { Page } from 'playwright-core';

export function vectorIndexRow(page: Page, indexName: string) {
  return page.getByRole('table', { name: 'Vector index list' }).getByRole('row', { name: `Vector index ${indexName}` });
}

export async function createVectorIndex(page: Page, spec: { name: string; attribute: string; dimensions: number; distance: 'Cosine' | 'Euclidean' | 'Dot product' }): Promise<void> {
  const section = page.getByRole('region', { name: 'Create vector index' });
  await section.getByLabel('Vector index name').fill(spec.name);
  await section.getByLabel('Vector attribute').fill(spec.attribute);
  await section.getByLabel('Dimensions').fill(String(spec.dimensions));
  await section.getByLabel('Distance function').selectOption({ label: spec.distance });
  await section.getByRole('button', { name: 'Create vector index' }).click();
}

export function similarForm(page: Page) {
  return page.getByRole('form', { name: 'Similar items search' });
}

/** The results, top to bottom, as the text of one column (by header position). */
export async function resultColumn(page: Page, column: number): Promise<string[]> {
  const rows = page.getByRole('table', { name: 'Similar items' }).getByRole('row', { name: /^Result / });
  return rows.evaluateAll((trs, index) => trs.map((tr) => (tr as HTMLTableRowElement).cells[index]?.textContent ?? ''), column);
}
