/**
 * Editing one scalar cell in the grid: the value typed, kept in its type, becomes an UpdateItem
 * that sets only that attribute, on condition that it still holds the value the grid showed, so
 * a change made elsewhere since the row was read is refused rather than overwritten.
 */
import { checkNumber } from '../../shared/dynamoNumbers.ts';
import type { AttributeValue, Item } from '../../shared/attributeValues.ts';

export type InlineType = 'S' | 'N' | 'BOOL';

/** The cell's editable type: S, N or BOOL; collections, binary and NULL open the item editor instead. */
export function inlineTypeOf(value: AttributeValue | undefined): InlineType | undefined {
  if (!value) return undefined;
  if ('S' in value) return 'S';
  if ('N' in value) return 'N';
  if ('BOOL' in value) return 'BOOL';
  return undefined;
}

/** The text typed as a value of the cell's type, or an Error in DynamoDB's words (numbers). */
export function parseInlineValue(type: InlineType, text: string): AttributeValue {
  if (type === 'S') return { S: text };
  if (type === 'BOOL') {
    if (text !== 'true' && text !== 'false') throw new Error('A boolean is true or false');
    return { BOOL: text === 'true' };
  }
  const checked = checkNumber(text);
  if ('error' in checked) throw new Error(checked.error);
  return { N: checked.value };
}

/** UpdateItem input: SET the attribute to `next` if it still equals `previous`. */
export function inlineUpdateInput(tableName: string, key: Item, attribute: string, previous: AttributeValue, next: AttributeValue): Record<string, unknown> {
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: 'SET #a = :next',
    ConditionExpression: '#a = :previous',
    ExpressionAttributeNames: { '#a': attribute },
    ExpressionAttributeValues: { ':next': next, ':previous': previous },
    ReturnValues: 'ALL_NEW',
  };
}
