import { isPlainJsonSafe, itemToPlain, parseJson, plainToItem, stringifyJson, validateItem, type AttributeValue, type Item } from '../../shared/attributeValues.ts';

export type EditorFormat = 'dynamodb' | 'plain';

/** DynamoDB caps an expression at 4 KB; leave room for the key clause. */
const MAX_CONDITION_LENGTH = 3800;

export function formatItem(item: Item, format: EditorFormat): string {
  return format === 'plain' ? stringifyJson(itemToPlain(item), 2) : JSON.stringify(item, null, 2);
}

/**
 * Reads the editor's text as an item, or throws an Error saying what is wrong and where. Key
 * attributes must be present with the table's declared types.
 */
export function parseItem(text: string, format: EditorFormat, keyTypes: Record<string, 'S' | 'N' | 'B'>): Item {
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch (error) {
    throw new Error(`Not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The item must be a JSON object of attributes');
  const item = format === 'plain' ? plainToItem(parsed as Record<string, unknown>) : parsed;
  validateItem(item);
  for (const [name, type] of Object.entries(keyTypes)) {
    const value = item[name];
    if (!value) throw new Error(`The key attribute "${name}" is missing`);
    if (!(type in value)) throw new Error(`The key attribute "${name}" must be of type ${type}, like {"${type}": ${type === 'N' ? '"1"' : '"…"'}}`);
  }
  return item;
}

export const PLAIN_JSON_CANNOT_EXPRESS = 'This item has sets or binary values, which plain JSON cannot express. Keep editing it as DynamoDB JSON.';

/** Converts text between formats; refuses plain JSON for items it cannot represent faithfully. */
export function convertText(text: string, from: EditorFormat, to: EditorFormat, keyTypes: Record<string, 'S' | 'N' | 'B'>): string {
  if (from === to) return text;
  const item = parseItem(text, from, keyTypes);
  if (to === 'plain' && !isPlainJsonSafe(item)) {
    throw new Error(PLAIN_JSON_CANNOT_EXPRESS);
  }
  return formatItem(item, to);
}

export function sameKey(a: Item, b: Item, keyNames: string[]): boolean {
  return keyNames.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * PutItem input that only succeeds if nothing changed underneath:
 * - editing: every attribute of the loaded item must still hold its loaded value, so a concurrent
 *   change fails with ConditionalCheckFailedException instead of being overwritten;
 * - creating (new or duplicate): the key must not exist yet.
 */
export function putInput(tableName: string, item: Item, keyNames: string[], original: Item | undefined): Record<string, unknown> {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const clauses: string[] = [];
  names['#k0'] = keyNames[0]!;
  if (!original) {
    clauses.push('attribute_not_exists(#k0)');
  } else {
    clauses.push('attribute_exists(#k0)');
    let length = clauses[0]!.length;
    let i = 0;
    for (const [name, value] of Object.entries(original)) {
      if (keyNames.includes(name)) continue; // The key already identifies the item.
      const clause = `#a${i} = :a${i}`;
      // Past DynamoDB's expression size limit, the remaining attributes go unchecked.
      if (length + clause.length + 5 > MAX_CONDITION_LENGTH) break;
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      clauses.push(clause);
      length += clause.length + 5;
      i++;
    }
  }
  return {
    TableName: tableName,
    Item: item,
    ConditionExpression: clauses.join(' AND '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

/** A starting template for a new item: the key attributes with empty values of the right type. */
export function newItemTemplate(keyTypes: Record<string, 'S' | 'N' | 'B'>): Item {
  const item: Item = {};
  for (const [name, type] of Object.entries(keyTypes)) item[name] = type === 'N' ? { N: '0' } : type === 'B' ? { B: '' } : { S: '' };
  return item;
}
