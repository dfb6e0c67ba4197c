import type { AttributeValue } from '../../shared/attributeValues.ts';
import { filterConditions, Placeholders, toAttributeValue, type FilterJoin, type FilterRow } from '../query/queryModel.ts';
import { attributeType, keyNamesOf, typedValue, type TableDescription } from './tableSchema.ts';
import type { ReadRequest } from './useItemPages.ts';

export type SortOperator = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';

export interface ReadForm {
  mode: 'scan' | 'query';
  /** '' for the table itself. */
  indexName: string;
  partitionValue: string;
  sortOperator: SortOperator;
  sortValue: string;
  sortValue2: string;
  /** The query builder's filter rows, typed by the user. */
  filters: FilterRow[];
  filterJoin: FilterJoin;
}

export const EMPTY_READ_FORM: ReadForm = {
  mode: 'scan',
  indexName: '',
  partitionValue: '',
  sortOperator: '=',
  sortValue: '',
  sortValue2: '',
  filters: [],
  filterJoin: 'AND',
};

/** The key schema a read addresses: the table's or the chosen index's. */
export function schemaFor(table: TableDescription, indexName: string) {
  if (!indexName) return table.KeySchema;
  const index = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === indexName);
  return index?.KeySchema ?? table.KeySchema;
}

/** Turns the read form into a Scan or Query input, with names and values in placeholders; throws QueryFormError for a filter it cannot read. */
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

  // The filter's placeholders (#n0, :v0) never meet the key condition's (#pk, :pk).
  const filter = new Placeholders();
  const filterExpression = filter.filter(filterConditions(form.filters), form.filterJoin);
  if (filterExpression) {
    input.FilterExpression = filterExpression;
    Object.assign(names, filter.names);
    for (const [alias, value] of Object.entries(filter.values)) values[alias] = toAttributeValue(value);
  }
  if (Object.keys(names).length) input.ExpressionAttributeNames = names;
  if (Object.keys(values).length) input.ExpressionAttributeValues = values;
  return { operation: form.mode === 'query' ? 'Query' : 'Scan', input };
}
