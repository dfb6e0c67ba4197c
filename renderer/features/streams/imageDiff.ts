import { preview, type Item } from '../../shared/attributeValues.ts';

export interface DiffRow {
  name: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  old?: string;
  new?: string;
}

/**
 * Attribute-by-attribute comparison of a stream record's OldImage and NewImage: what a MODIFY
 * changed, and for INSERT/REMOVE every attribute as added or removed. Unchanged attributes are
 * kept (the view can fold them); keys of the table come first.
 */
export function imageDiff(oldImage: Item | undefined, newImage: Item | undefined, keyNames: string[] = []): DiffRow[] {
  const names = new Set<string>([...keyNames.filter((k) => (oldImage && k in oldImage) || (newImage && k in newImage))]);
  for (const name of Object.keys(oldImage ?? {}).sort()) names.add(name);
  for (const name of Object.keys(newImage ?? {}).sort()) names.add(name);
  const rows: DiffRow[] = [];
  for (const name of names) {
    const before = oldImage?.[name];
    const after = newImage?.[name];
    if (before && !after) rows.push({ name, kind: 'removed', old: preview(before, 120) });
    else if (!before && after) rows.push({ name, kind: 'added', new: preview(after, 120) });
    else if (before && after) {
      const same = JSON.stringify(before) === JSON.stringify(after);
      rows.push({ name, kind: same ? 'same' : 'changed', old: preview(before, 120), new: preview(after, 120) });
    }
  }
  return rows;
}
