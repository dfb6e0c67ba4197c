/**
 * The query builder's form, its normalised spec, and the DynamoDB input built from it.
 *
 * Every attribute name goes through an ExpressionAttributeNames alias (#n0, #n1, …), not only the
 * reserved words: that is always correct, needs no copy of DynamoDB's 573 reserved words, and
 * also covers names with dots, dashes or spaces. Names are top-level attributes, taken literally.
 */
import type { AttributeValue } from '../../shared/attributeValues.ts';
import { attributeType, keyNamesOf, type TableDescription } from '../items/tableSchema.ts';
import { schemaFor } from '../items/readRequest.ts';

export type ValueType = 'S' | 'N' | 'BOOL' | 'NULL';
export type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';
export type FilterOperator = KeyOperator | '<>' | 'contains' | 'attribute_exists' | 'attribute_not_exists';

export const KEY_OPERATORS: readonly KeyOperator[] = ['=', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with'];
export const FILTER_OPERATORS: readonly FilterOperator[] = ['=', '<>', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with', 'contains', 'attribute_exists', 'attribute_not_exists'];

export interface FilterRow {
  attribute: string;
  operator: FilterOperator;
  type: ValueType;
  value: string;
  value2: string;
}

export interface QueryForm {
  operation: 'Query' | 'Scan';
  /** '' for the table itself. */
  indexName: string;
  partitionValue: string;
  /** '' means no sort key condition. */
  sortOperator: KeyOperator | '';
  sortValue: string;
  sortValue2: string;
  filters: FilterRow[];
  /** Comma-separated attribute names; empty returns whole items. */
  projection: string;
  scanIndexForward: boolean;
  /** Empty for no Limit. */
  limit: string;
}

export const EMPTY_QUERY_FORM: QueryForm = {
  operation: 'Query',
  indexName: '',
  partitionValue: '',
  sortOperator: '',
  sortValue: '',
  sortValue2: '',
  filters: [],
  projection: '',
  scanIndexForward: true,
  limit: '',
};

export function emptyFilter(): FilterRow {
  return { attribute: '', operator: '=', type: 'S', value: '', value2: '' };
}

/** A value with its DynamoDB type; B values are base64 text. */
export type TypedValue = { type: 'S' | 'N' | 'B'; value: string } | { type: 'BOOL'; value: boolean } | { type: 'NULL' };

export interface Condition {
  name: string;
  operator: FilterOperator;
  values: TypedValue[];
}

/** What the form asks for, checked and typed: the one source for the request and every code sample. */
export interface QuerySpec {
  operation: 'Query' | 'Scan';
  tableName: string;
  indexName?: string;
  /** Query only: partition key equality, then an optional sort key condition. */
  key?: { partition: Condition; sort?: Condition };
  filters: Condition[];
  projection: string[];
  /** Query only; false reads the sort key descending. */
  scanIndexForward: boolean;
  limit?: number;
}

export class QueryFormError extends Error {}

/** A DynamoDB number as text (sign, digits, fraction, exponent). */
export const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function operandCount(operator: FilterOperator): 0 | 1 | 2 {
  if (operator === 'attribute_exists' || operator === 'attribute_not_exists') return 0;
  return operator === 'BETWEEN' ? 2 : 1;
}

/** Types a value typed into a form field; throws QueryFormError saying what is wrong with it. */
export function parseTypedValue(type: ValueType | 'B', text: string, what: string): TypedValue {
  switch (type) {
    case 'N':
      if (!NUMBER.test(text.trim())) throw new QueryFormError(`${what}: "${text}" is not a number`);
      return { type: 'N', value: text.trim() };
    case 'BOOL':
      if (!/^(true|false)$/i.test(text.trim())) throw new QueryFormError(`${what}: write true or false`);
      return { type: 'BOOL', value: text.trim().toLowerCase() === 'true' };
    case 'NULL':
      return { type: 'NULL' };
    case 'B':
      return { type: 'B', value: text.trim() };
    default:
      return { type: 'S', value: text };
  }
}

/** Checks the form against the table and types every value; throws QueryFormError with a plain message. */
export function toSpec(table: TableDescription, form: QueryForm): QuerySpec {
  const spec: QuerySpec = {
    operation: form.operation,
    tableName: table.TableName,
    filters: [],
    projection: form.projection
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    scanIndexForward: form.scanIndexForward,
  };
  if (form.indexName) spec.indexName = form.indexName;
  if (form.operation === 'Query') {
    const keys = keyNamesOf(schemaFor(table, form.indexName));
    const partitionType = attributeType(table, keys.partition);
    if (form.partitionValue === '') throw new QueryFormError(`A Query needs a value for the partition key ${keys.partition}`);
    const key: NonNullable<QuerySpec['key']> = {
      partition: { name: keys.partition, operator: '=', values: [parseTypedValue(partitionType, form.partitionValue, keys.partition)] },
    };
    if (keys.sort && form.sortOperator) {
      const sortType = attributeType(table, keys.sort);
      if (form.sortOperator === 'begins_with' && sortType === 'N') throw new QueryFormError(`begins_with needs a String or Binary sort key; ${keys.sort} is a Number`);
      const values = [parseTypedValue(sortType, form.sortValue, keys.sort)];
      if (form.sortOperator === 'BETWEEN') values.push(parseTypedValue(sortType, form.sortValue2, `${keys.sort} (upper bound)`));
      key.sort = { name: keys.sort, operator: form.sortOperator, values };
    }
    spec.key = key;
  }
  for (const row of form.filters) {
    const condition = conditionOf(row);
    if (condition) spec.filters.push(condition);
  }
  if (form.limit.trim()) {
    const limit = Number(form.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new QueryFormError('Limit must be a whole number of at least 1');
    spec.limit = limit;
  }
  return spec;
}

/** A condition row, typed; undefined for a row without an attribute name (left blank). */
export function conditionOf(row: FilterRow): Condition | undefined {
  const name = row.attribute.trim();
  if (!name) return undefined;
  const count = operandCount(row.operator);
  const values: TypedValue[] = [];
  if (count >= 1) values.push(parseTypedValue(row.type, row.value, name));
  if (count === 2) values.push(parseTypedValue(row.type, row.value2, `${name} (upper bound)`));
  return { name, operator: row.operator, values };
}

/** Builds expressions with placeholders; names and values are numbered in order of first use. */
export class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, TypedValue> = {};
  private readonly byName = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly namePrefix = '#n') {}

  name(attribute: string): string {
    let alias = this.byName.get(attribute);
    if (!alias) {
      alias = `${this.namePrefix}${this.byName.size}`;
      this.byName.set(attribute, alias);
      this.names[alias] = attribute;
    }
    return alias;
  }

  value(value: TypedValue): string {
    const alias = `:v${this.valueCount++}`;
    this.values[alias] = value;
    return alias;
  }

  condition(c: Condition): string {
    const name = this.name(c.name);
    switch (c.operator) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return `${c.operator}(${name})`;
      case 'begins_with':
      case 'contains':
        return `${c.operator}(${name}, ${this.value(c.values[0]!)})`;
      case 'BETWEEN':
        return `${name} BETWEEN ${this.value(c.values[0]!)} AND ${this.value(c.values[1]!)}`;
      default:
        return `${name} ${c.operator} ${this.value(c.values[0]!)}`;
    }
  }
}

/** The expressions of a spec, with the placeholders they use. */
export function expressionsOf(spec: QuerySpec) {
  const p = new Placeholders();
  const keyCondition = spec.key ? [spec.key.partition, ...(spec.key.sort ? [spec.key.sort] : [])].map((c) => p.condition(c)).join(' AND ') : undefined;
  const filter = spec.filters.length ? spec.filters.map((c) => p.condition(c)).join(' AND ') : undefined;
  const projection = spec.projection.length ? spec.projection.map((n) => p.name(n)).join(', ') : undefined;
  return { keyCondition, filter, projection, names: p.names, values: p.values };
}

export function toAttributeValue(value: TypedValue): AttributeValue {
  switch (value.type) {
    case 'S':
      return { S: value.value };
    case 'N':
      return { N: value.value };
    case 'B':
      return { B: value.value };
    case 'BOOL':
      return { BOOL: value.value };
    default:
      return { NULL: true };
  }
}

/** The Query or Scan input in DynamoDB's wire shape, as the app sends it. */
export function toInput(spec: QuerySpec): Record<string, unknown> {
  const e = expressionsOf(spec);
  const input: Record<string, unknown> = { TableName: spec.tableName };
  if (spec.indexName) input.IndexName = spec.indexName;
  if (e.keyCondition) input.KeyConditionExpression = e.keyCondition;
  if (e.filter) input.FilterExpression = e.filter;
  if (e.projection) input.ProjectionExpression = e.projection;
  if (Object.keys(e.names).length) input.ExpressionAttributeNames = e.names;
  if (Object.keys(e.values).length) input.ExpressionAttributeValues = Object.fromEntries(Object.entries(e.values).map(([k, v]) => [k, toAttributeValue(v)]));
  if (spec.operation === 'Query' && !spec.scanIndexForward) input.ScanIndexForward = false;
  if (spec.limit !== undefined) input.Limit = spec.limit;
  return input;
}
