import type { AttributeValue } from '../../shared/attributeValues.ts';
import { attributeType, keyNamesOf, typedValue, type TableDescription } from './tableSchema.ts';
import type { ReadRequest } from './useItemPages.ts';

export type SortOperator = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';
export type FilterOperator = '=' | '<>' | '<' | '>' | 'begins_with' | 'contains' | 'exists' | 'not_exists';

export interface ReadForm {
  mode: 'scan' | 'query';
  /** '' for the table itself. */
  indexName: string;
  partitionValue: string;
  sortOperator: SortOperator;
  sortValue: string;
  sortValue2: string;
  filterAttribute: string;
  filterOperator: FilterOperator;
  filterValue: string;
}

export const EMPTY_READ_FORM: ReadForm = {
  mode: 'scan',
  indexName: '',
  partitionValue: '',
  sortOperator: '=',
  sortValue: '',
  sortValue2: '',
  filterAttribute: '',
  filterOperator: '=',
  filterValue: '',
};

/** The key schema a read addresses: the table's or the chosen index's. */
export function schemaFor(table: TableDescription, indexName: string) {
  if (!indexName) return table.KeySchema;
  const index = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === indexName);
  return index?.KeySchema ?? table.KeySchema;
}

/** A value typed into the filter box: a number if it looks like one, true/false as booleans, else text. */
function guessValue(text: string): AttributeValue {
  const trimmed = text.trim();
  if (trimmed !== '' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return { N: trimmed };
  if (trimmed === 'true' || trimmed === 'false') return { BOOL: trimmed === 'true' };
  return { S: text };
}

/** Turns the read form into a Scan or Query input, with names and values in placeholders. */
export function toReadRequest(table: TableDescription, form: ReadForm): ReadRequest {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const input: Record<string, unknown> = { TableName: table.TableName };
  if (form.indexName) input.IndexName = form.indexName;

  if (form.mode === 'query') {
    const keys = keyNamesOf(schemaFor(table, form.indexName));
    names['#pk'] = keys.partition;
    values[':pk'] = typedValue(attributeType(table, keys.partition), form.partitionValue);
    let condition = '#pk = :pk';
    if (keys.sort && form.sortValue !== '') {
      const type = attributeType(table, keys.sort);
      names['#sk'] = keys.sort;
      values[':sk'] = typedValue(type, form.sortValue);
      if (form.sortOperator === 'between') {
        values[':sk2'] = typedValue(type, form.sortValue2);
        condition += ' AND #sk BETWEEN :sk AND :sk2';
      } else if (form.sortOperator === 'begins_with') {
        condition += ' AND begins_with(#sk, :sk)';
      } else {
        condition += ` AND #sk ${form.sortOperator} :sk`;
      }
    }
    input.KeyConditionExpression = condition;
  }

  if (form.filterAttribute.trim()) {
    names['#f'] = form.filterAttribute.trim();
    let filter: string;
    switch (form.filterOperator) {
      case 'exists':
        filter = 'attribute_exists(#f)';
        break;
      case 'not_exists':
        filter = 'attribute_not_exists(#f)';
        break;
      case 'begins_with':
        values[':f'] = { S: form.filterValue };
        filter = 'begins_with(#f, :f)';
        break;
      case 'contains':
        values[':f'] = guessValue(form.filterValue);
        filter = 'contains(#f, :f)';
        break;
      default:
        values[':f'] = guessValue(form.filterValue);
        filter = `#f ${form.filterOperator} :f`;
    }
    input.FilterExpression = filter;
  }
  if (Object.keys(names).length) input.ExpressionAttributeNames = names;
  if (Object.keys(values).length) input.ExpressionAttributeValues = values;
  return { operation: form.mode === 'query' ? 'Query' : 'Scan', input };
}
