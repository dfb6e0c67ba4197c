/**
 * The query builder's form, its normalised spec, and the DynamoDB input built from it.
 *
 * Every attribute name goes through an ExpressionAttributeNames alias (#n0, #n1, …), not only the
 * reserved words: that is always correct, needs no copy of DynamoDB's 573 reserved words, and
 * also covers names with dashes or spaces. A filter names a document path (`a.b[0]`); a name that
 * itself holds a dot or a bracket is written in double quotes (`"user.email"`).
 */
import type { AttributeValue } from '../../shared/attributeValues.ts';
import { attributeType, keyNamesOf, type TableDescription } from '../items/tableSchema.ts';
import { schemaFor } from '../items/readRequest.ts';

export type ValueType = 'S' | 'N' | 'BOOL' | 'NULL';
export type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';
export type FilterOperator = KeyOperator | '<>' | 'IN' | 'contains' | 'attribute_exists' | 'attribute_not_exists' | 'attribute_type';
export type FilterJoin = 'AND' | 'OR';

export const KEY_OPERATORS: readonly KeyOperator[] = ['=', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with'];
export const FILTER_OPERATORS: readonly FilterOperator[] = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'BETWEEN',
  'IN',
  'begins_with',
  'contains',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
];
/** What size(path) can be compared with: it is a number, so no functions. */
export const SIZE_OPERATORS: readonly FilterOperator[] = ['=', '<>', '<', '<=', '>', '>=', 'BETWEEN', 'IN'];
/** The type names attribute_type accepts. */
export const ATTRIBUTE_TYPES = ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'] as const;
/** DynamoDB's limits: operands of IN, and levels of a document path. */
const MAX_IN_VALUES = 100;
const MAX_PATH_DEPTH = 32;

export interface FilterRow {
  /** A document path: `name`, `a.b`, `list[0].c`, `"name.with.dots"`. */
  attribute: string;
  /** Compare size(path) (a string's length, a set's or list's element count) instead of the value. */
  size?: boolean;
  operator: FilterOperator;
  type: ValueType;
  /** One value; for IN, values separated by commas (a value holding a comma in double quotes); for attribute_type, a type name. */
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
  /** Whether an item must match every filter or any one; absent (a form saved before there was a choice) is AND. */
  filterJoin?: FilterJoin;
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
  filterJoin: 'AND',
  projection: '',
  scanIndexForward: true,
  limit: '',
};

export function emptyFilter(): FilterRow {
  return { attribute: '', operator: '=', type: 'S', value: '', value2: '' };
}

/** A value with its DynamoDB type; B values are base64 text. */
export type TypedValue = { type: 'S' | 'N' | 'B'; value: string } | { type: 'BOOL'; value: boolean } | { type: 'NULL' };

/** One step of a document path: an attribute or map key by name, or a list element by index. */
export type PathElement = { name: string } | { index: number };

export interface Condition {
  /** The path as the user wrote it (a key condition's attribute name). */
  name: string;
  path: PathElement[];
  /** The condition is on size(path). */
  size?: boolean;
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
  filterJoin: FilterJoin;
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

/**
 * Splits a document path (`a.b[0].c`) into names and list indexes, one character at a time (no
 * regular expression to backtrack). A name is any run of characters other than `.`, `[`, `]` and
 * `"`; a name in double quotes is taken literally, dots and brackets included (`"user.email"`).
 * Shared by the filters and conditions (queryModel) and the update builder's actions.
 */
export function parsePath(text: string): PathElement[] {
  const source = text.trim();
  if (!source) throw new QueryFormError('An attribute path is needed');
  const path: PathElement[] = [];
  let i = 0;
  const fail = (why: string) => new QueryFormError(`Path "${source}": ${why}`);
  while (i < source.length) {
    if (source[i] === '[') {
      if (path.length === 0) throw fail('it must start with an attribute name');
      const close = source.indexOf(']', i);
      const digits = close < 0 ? '' : source.slice(i + 1, close);
      if (!/^\d{1,9}$/.test(digits)) throw fail('a list index is written [0], [1], …');
      path.push({ index: Number(digits) });
      i = close + 1;
    } else {
      if (path.length > 0) {
        if (source[i] !== '.') throw fail('expected "." or "[" after a name or index');
        i++;
      }
      if (source[i] === '"') {
        const close = source.indexOf('"', i + 1);
        if (close < 0) throw fail('a quoted name has no closing "');
        if (close === i + 1) throw fail('a quoted name is empty');
        path.push({ name: source.slice(i + 1, close) });
        i = close + 1;
      } else {
        let end = i;
        while (end < source.length && !'.[]"'.includes(source[end]!)) end++;
        if (end === i) throw fail('an attribute name is missing');
        path.push({ name: source.slice(i, end) });
        i = end;
      }
    }
    if (path.length > MAX_PATH_DEPTH) throw fail(`it nests deeper than DynamoDB's ${MAX_PATH_DEPTH} levels`);
  }
  return path;
}

/** A path as the user would write it, for messages. */
export function pathText(path: readonly PathElement[]): string {
  return path.map((e, i) => ('index' in e ? `[${e.index}]` : `${i === 0 ? '' : '.'}${/[.[\]"]/.test(e.name) ? `"${e.name}"` : e.name}`)).join('');
}

/** Splits IN's values on commas; a value in double quotes is read as a JSON string, commas and spaces kept. */
function splitValues(text: string, what: string): string[] {
  const values: string[] = [];
  let at = 0;
  while (at <= text.length) {
    while (text[at] === ' ') at++;
    if (text[at] === '"') {
      const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at));
      if (!match) throw new QueryFormError(`${what}: a quoted value has no closing "`);
      values.push(JSON.parse(match[0]) as string);
      at += match[0].length;
      while (text[at] === ' ') at++;
      if (at < text.length && text[at] !== ',') throw new QueryFormError(`${what}: put a comma after each quoted value`);
    } else {
      const end = text.indexOf(',', at);
      values.push(text.slice(at, end < 0 ? text.length : end).trim());
      at = end < 0 ? text.length : end;
    }
    at++;
  }
  return values;
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
    filterJoin: form.filterJoin ?? 'AND',
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
      partition: { name: keys.partition, path: [{ name: keys.partition }], operator: '=', values: [parseTypedValue(partitionType, form.partitionValue, keys.partition)] },
    };
    if (keys.sort && form.sortOperator) {
      const sortType = attributeType(table, keys.sort);
      if (form.sortOperator === 'begins_with' && sortType === 'N') throw new QueryFormError(`begins_with needs a String or Binary sort key; ${keys.sort} is a Number`);
      const values = [parseTypedValue(sortType, form.sortValue, keys.sort)];
      if (form.sortOperator === 'BETWEEN') values.push(parseTypedValue(sortType, form.sortValue2, `${keys.sort} (upper bound)`));
      key.sort = { name: keys.sort, path: [{ name: keys.sort }], operator: form.sortOperator, values };
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

/**
 * A condition row, checked and typed; undefined for a row without an attribute path (left blank).
 * Throws QueryFormError saying what is wrong.
 */
export function conditionOf(row: FilterRow): Condition | undefined {
  const name = row.attribute.trim();
  if (!name) return undefined;
  const path = parsePath(name);
  if (row.size && !SIZE_OPERATORS.includes(row.operator)) throw new QueryFormError(`size(${name}) is a number: compare it, ${row.operator.replace(/_/g, ' ')} does not apply`);
  // size() is a number whatever the attribute holds.
  const type: ValueType = row.size ? 'N' : row.type;
  const what = row.size ? `size(${name})` : name;
  const values: TypedValue[] = [];
  if (row.operator === 'attribute_type') {
    const typeName = row.value.trim();
    if (!(ATTRIBUTE_TYPES as readonly string[]).includes(typeName)) throw new QueryFormError(`${name}: attribute_type takes one of ${ATTRIBUTE_TYPES.join(', ')}`);
    values.push({ type: 'S', value: typeName });
  } else if (row.operator === 'IN') {
    const texts = type === 'NULL' ? [''] : splitValues(row.value, what);
    if (texts.length > MAX_IN_VALUES) throw new QueryFormError(`${what}: IN takes at most ${MAX_IN_VALUES} values`);
    for (const text of texts) values.push(parseTypedValue(type, text, what));
  } else {
    const count = operandCount(row.operator);
    if (count >= 1) values.push(parseTypedValue(type, row.value, what));
    if (count === 2) values.push(parseTypedValue(type, row.value2, `${what} (upper bound)`));
  }
  return { name, path, ...(row.size ? { size: true } : {}), operator: row.operator, values };
}

/** Checks and types filter rows, leaving out those without an attribute path; throws QueryFormError. */
export function filterConditions(rows: readonly FilterRow[]): Condition[] {
  return rows.flatMap((row) => conditionOf(row) ?? []);
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

  /** A document path with every name aliased: `#n0.#n1[2]`. */
  path(elements: readonly PathElement[]): string {
    return elements.map((element, i) => ('index' in element ? `[${element.index}]` : `${i ? '.' : ''}${this.name(element.name)}`)).join('');
  }

  value(value: TypedValue): string {
    const alias = `:v${this.valueCount++}`;
    this.values[alias] = value;
    return alias;
  }

  condition(c: Condition): string {
    const path = this.path(c.path);
    const subject = c.size ? `size(${path})` : path;
    switch (c.operator) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return `${c.operator}(${path})`;
      case 'begins_with':
      case 'contains':
      case 'attribute_type':
        return `${c.operator}(${path}, ${this.value(c.values[0]!)})`;
      case 'BETWEEN':
        return `${subject} BETWEEN ${this.value(c.values[0]!)} AND ${this.value(c.values[1]!)}`;
      case 'IN':
        return `${subject} IN (${c.values.map((v) => this.value(v)).join(', ')})`;
      default:
        return `${subject} ${c.operator} ${this.value(c.values[0]!)}`;
    }
  }

  /** The filter conditions joined by AND or OR (each condition is one comparison or function, so none needs brackets). */
  filter(conditions: readonly Condition[], join: FilterJoin): string | undefined {
    return conditions.length ? conditions.map((c) => this.condition(c)).join(` ${join} `) : undefined;
  }
}

/** The expressions of a spec, with the placeholders they use. */
export function expressionsOf(spec: QuerySpec) {
  const p = new Placeholders();
  const keyCondition = spec.key ? [spec.key.partition, ...(spec.key.sort ? [spec.key.sort] : [])].map((c) => p.condition(c)).join(' AND ') : undefined;
  const filter = p.filter(spec.filters, spec.filterJoin);
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
