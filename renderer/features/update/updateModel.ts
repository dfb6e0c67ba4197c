/**
 * The update builder's form, its checked spec and the UpdateItem input built from it.
 *
 * Paths like `address.lines[0]` are split into names and list indexes (queryModel's parsePath); every name goes through an
 * ExpressionAttributeNames alias (as in the query builder), so reserved words and names with odd
 * characters need no care. The optional condition reuses the query builder's condition rows.
 */
import { parseJson, validateAttributeValue, type AttributeValue, type Item } from '../../shared/attributeValues.ts';
import { checkNumber } from '../../shared/dynamoNumbers.ts';
import {
  EMPTY_QUERY_FORM,
  parsePath,
  pathText,
  Placeholders,
  QueryFormError,
  toAttributeValue,
  toSpec,
  type Condition,
  type FilterRow,
  type PathElement,
} from '../query/queryModel.ts';
import type { TableDescription } from '../items/tableSchema.ts';

export type UpdateAction = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';
/** How SET computes its value: the value itself, appended/prepended to a list, or only if the path is absent. */
export type SetMode = 'value' | 'list_append' | 'list_prepend' | 'if_not_exists';
/** String, Number, Boolean, Null, or any value written in DynamoDB JSON (lists, maps, sets, binary). */
export type UpdateValueType = 'S' | 'N' | 'BOOL' | 'NULL' | 'JSON';

export const UPDATE_ACTIONS: readonly UpdateAction[] = ['SET', 'REMOVE', 'ADD', 'DELETE'];
export const SET_MODES: readonly { id: SetMode; label: string }[] = [
  { id: 'value', label: '= value' },
  { id: 'list_append', label: '= list_append(path, value)' },
  { id: 'list_prepend', label: '= list_append(value, path)' },
  { id: 'if_not_exists', label: '= if_not_exists(path, value)' },
];

export interface UpdateRow {
  action: UpdateAction;
  path: string;
  mode: SetMode;
  type: UpdateValueType;
  value: string;
}

export function emptyUpdateRow(): UpdateRow {
  return { action: 'SET', path: '', mode: 'value', type: 'S', value: '' };
}

export interface UpdateStep {
  action: UpdateAction;
  path: PathElement[];
  mode: SetMode;
  /** Absent for REMOVE. */
  value?: AttributeValue;
}

/** What the builder asks for, checked and typed: the one source for the request and every code sample. */
export interface UpdateSpec {
  tableName: string;
  key: Item;
  steps: UpdateStep[];
  conditions: Condition[];
}

function valueOf(row: UpdateRow, where: string): AttributeValue {
  switch (row.type) {
    case 'S':
      return { S: row.value };
    case 'N': {
      // Checked by DynamoDB's rules (38 digits, range), and sent as typed: DynamoDB keeps every digit.
      const checked = checkNumber(row.value.trim());
      if ('error' in checked) throw new QueryFormError(`${where}: ${checked.error}`);
      return { N: row.value.trim() };
    }
    case 'BOOL':
      if (!/^(true|false)$/i.test(row.value.trim())) throw new QueryFormError(`${where}: write true or false`);
      return { BOOL: row.value.trim().toLowerCase() === 'true' };
    case 'NULL':
      return { NULL: true };
    default:
      try {
        const value = parseJson(row.value);
        validateAttributeValue(value, where);
        return value;
      } catch (error) {
        throw new QueryFormError(`${where}: ${(error as Error).message}`);
      }
  }
}

/** Checks the rows and types every value; throws QueryFormError with a plain message. */
export function toUpdateSpec(table: TableDescription, key: Item, rows: UpdateRow[], conditionRows: FilterRow[]): UpdateSpec {
  const steps: UpdateStep[] = [];
  for (const row of rows) {
    if (!row.path.trim()) continue;
    const path = parsePath(row.path);
    const where = pathText(path);
    if (row.action === 'REMOVE') steps.push({ action: 'REMOVE', path, mode: 'value' });
    else steps.push({ action: row.action, path, mode: row.action === 'SET' ? row.mode : 'value', value: valueOf(row, where) });
  }
  if (steps.length === 0) throw new QueryFormError('Add at least one action with an attribute path');
  // The condition rows are the query builder's: it types them exactly as its filters.
  const conditions = toSpec(table, { ...EMPTY_QUERY_FORM, operation: 'Scan', filters: conditionRows }).filters;
  return { tableName: table.TableName, key, steps, conditions };
}

/** The expressions of a spec, with every placeholder they use; values are DynamoDB JSON. */
export function updateExpressionsOf(spec: UpdateSpec) {
  const p = new Placeholders();
  const values: Record<string, AttributeValue> = {};
  let valueCount = 0;
  const value = (v: AttributeValue) => {
    const alias = `:u${valueCount++}`;
    values[alias] = v;
    return alias;
  };
  const clauses: Record<UpdateAction, string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
  for (const step of spec.steps) {
    const target = p.path(step.path);
    if (step.action === 'REMOVE') clauses.REMOVE.push(target);
    else if (step.action === 'SET') {
      const v = value(step.value!);
      const right =
        step.mode === 'list_append' ? `list_append(${target}, ${v})` : step.mode === 'list_prepend' ? `list_append(${v}, ${target})` : step.mode === 'if_not_exists' ? `if_not_exists(${target}, ${v})` : v;
      clauses.SET.push(`${target} = ${right}`);
    } else clauses[step.action].push(`${target} ${value(step.value!)}`);
  }
  const update = UPDATE_ACTIONS.filter((a) => clauses[a].length > 0)
    .map((a) => `${a} ${clauses[a].join(', ')}`)
    .join(' ');
  const condition = spec.conditions.length ? spec.conditions.map((c) => p.condition(c)).join(' AND ') : undefined;
  for (const [alias, typed] of Object.entries(p.values)) values[alias] = toAttributeValue(typed);
  return { update, condition, names: p.names, values };
}

/** The UpdateItem input in DynamoDB's wire shape, as the app sends it: the item after the update comes back. */
export function toUpdateInput(spec: UpdateSpec): Record<string, unknown> {
  const e = updateExpressionsOf(spec);
  return {
    TableName: spec.tableName,
    Key: spec.key,
    UpdateExpression: e.update,
    ...(e.condition ? { ConditionExpression: e.condition } : {}),
    ExpressionAttributeNames: e.names,
    ...(Object.keys(e.values).length ? { ExpressionAttributeValues: e.values } : {}),
    ReturnValues: 'ALL_NEW',
  };
}
