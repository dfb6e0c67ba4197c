import { preview, typeOf, type AttributeType, type AttributeValue, type Item } from '../../shared/attributeValues.ts';

/** A value as the stream viewer shows it: its DynamoDB type beside the text, Strings quoted. */
export interface ShownValue {
  type: AttributeType;
  text: string;
}

export interface DiffRow {
  name: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  old?: ShownValue;
  new?: ShownValue;
}

/** String "1796" and Number 1796 must not look alike: Strings are quoted, every value carries its type. */
export function shownValue(value: AttributeValue): ShownValue {
  const type = typeOf(value)!;
  return { type, text: 'S' in value ? JSON.stringify(value.S) : preview(value, 120) };
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
    if (before && !after) rows.push({ name, kind: 'removed', old: shownValue(before) });
    else if (!before && after) rows.push({ name, kind: 'added', new: shownValue(after) });
    else if (before && after) {
      const same = JSON.stringify(before) === JSON.stringify(after);
      rows.push({ name, kind: same ? 'same' : 'changed', old: shownValue(before), new: shownValue(after) });
    }
  }
  return rows;
}
