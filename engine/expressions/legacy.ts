/**
 * Legacy (pre-expression) request parameters, compiled to the same forms as expressions:
 *   Expected + ConditionalOperator     -> condition
 *   AttributeUpdates                   -> update
 *   QueryFilter / ScanFilter + ConditionalOperator -> filter
 *   KeyConditions                      -> keyCondition (resolve with resolveKeyCondition)
 *   AttributesToGet                    -> projection
 *
 * Validation texts and order follow dynalite (validations/index.js validateAttributeConditions and
 * validateConditions, validations/updateItem.js, query.js, scan.js). Legacy attribute names are
 * plain top-level names: `a.b` names the attribute "a.b", not a nested path.
 */
import { validationError } from '../errors.ts';
import type { AttributeValue } from '../types.ts';
import { compareValues, typeOf, validateAttributeValue } from '../values.ts';
import type { Condition, Operand, Update, UpdateAction } from './ast.ts';
import { compileExpressions, type CompiledExpressions, type CompileOptions } from './index.ts';

interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
  Value?: AttributeValue;
  Exists?: boolean;
}

interface LegacyUpdate {
  Action?: string;
  Value?: AttributeValue;
}

const INVALID = 'One or more parameter values were invalid: ';

function checkValue(value: AttributeValue): void {
  const message = validateAttributeValue(value as Record<string, unknown>);
  if (message) throw validationError(message);
}

/** Expected: dynalite validateAttributeConditions. */
function checkExpected(expected: Record<string, LegacyCondition>): void {
  for (const [key, condition] of Object.entries(expected)) {
    if ('AttributeValueList' in condition && 'Value' in condition) {
      throw validationError(INVALID + 'Value and AttributeValueList cannot be used together for Attribute: ' + key);
    }
    if ('ComparisonOperator' in condition) {
      const op = condition.ComparisonOperator!;
      if ('Exists' in condition) {
        throw validationError(INVALID + 'Exists and ComparisonOperator cannot be used together for Attribute: ' + key);
      }
      if (op !== 'NULL' && op !== 'NOT_NULL' && !('AttributeValueList' in condition) && !('Value' in condition)) {
        throw validationError(INVALID + 'Value or AttributeValueList must be used with ComparisonOperator: ' + op + ' for Attribute: ' + key);
      }
      const count = condition.AttributeValueList ? condition.AttributeValueList.length : condition.Value ? 1 : 0;
      if (!validCount(op, count)) {
        throw validationError(INVALID + 'Invalid number of argument(s) for the ' + op + ' ComparisonOperator');
      }
      const list = condition.AttributeValueList;
      if (list && list.length > 0) {
        list.forEach(checkValue);
        const type = typeOf(list[0]);
        if (list.some((v) => typeOf(v) !== type)) {
          throw validationError(INVALID + 'AttributeValues inside AttributeValueList must be of same type');
        }
        if (op === 'BETWEEN' && (compareValues(list[0], list[1]) ?? 0) > 0) {
          throw validationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
        }
      }
      if (condition.Value) checkValue(condition.Value);
    } else if ('AttributeValueList' in condition) {
      throw validationError(INVALID + 'AttributeValueList can only be used with a ComparisonOperator for Attribute: ' + key);
    } else {
      const exists = condition.Exists == null || condition.Exists;
      if (exists && condition.Value == null) {
        throw validationError(
          INVALID + 'Value must be provided when Exists is ' + (condition.Exists == null ? 'null' : condition.Exists) + ' for Attribute: ' + key,
        );
      }
      if (!exists && condition.Value != null) {
        throw validationError(INVALID + 'Value cannot be used when Exists is false for Attribute: ' + key);
      }
      if (condition.Value != null) checkValue(condition.Value);
    }
  }
}

function validCount(op: string, count: number): boolean {
  switch (op) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count > 0;
    case 'BETWEEN':
      return count === 2;
    case 'EQ':
    case 'NE':
    case 'LE':
    case 'LT':
    case 'GE':
    case 'GT':
    case 'CONTAINS':
    case 'NOT_CONTAINS':
    case 'BEGINS_WITH':
      return count === 1;
    default:
      return false;
  }
}

const VALUE_TYPES: Record<string, string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  NE: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  LE: ['S', 'N', 'B'],
  LT: ['S', 'N', 'B'],
  GE: ['S', 'N', 'B'],
  GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'],
  NOT_CONTAINS: ['S', 'N', 'B'],
  BEGINS_WITH: ['S', 'B'],
  IN: ['S', 'N', 'B'],
  BETWEEN: ['S', 'N', 'B'],
};

/** QueryFilter, ScanFilter and KeyConditions: dynalite validateConditions. */
function checkConditions(conditions: Record<string, LegacyCondition>): void {
  for (const condition of Object.values(conditions)) {
    const op = condition.ComparisonOperator ?? '';
    const list = condition.AttributeValueList ?? [];
    list.forEach(checkValue);
    if (!validCount(op, list.length)) {
      throw validationError(INVALID + 'Invalid number of argument(s) for the ' + op + ' ComparisonOperator');
    }
    if (list.length > 0) {
      const type = typeOf(list[0]);
      if (list.some((v) => typeOf(v) !== type)) {
        throw validationError(INVALID + 'AttributeValues inside AttributeValueList must be of same type');
      }
    }
    const allowed = VALUE_TYPES[op];
    if (allowed) {
      for (const value of list) {
        const type = typeOf(value);
        if (!allowed.includes(type)) {
          throw validationError(INVALID + 'ComparisonOperator ' + op + ' is not valid for ' + type + ' AttributeValue type');
        }
      }
    }
    if (op === 'BETWEEN' && (compareValues(list[0], list[1]) ?? 0) > 0) {
      throw validationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
    }
  }
}

/** One legacy condition on one attribute, as a compiled condition. */
function toCondition(name: string, condition: LegacyCondition): Condition {
  const path = [name];
  const attribute: Operand = { kind: 'path', path };
  const values: Operand[] = (condition.AttributeValueList ?? (condition.Value ? [condition.Value] : [])).map((value) => ({ kind: 'value', value }));
  const op = condition.ComparisonOperator ?? (condition.Exists === false ? 'NULL' : 'EQ');
  switch (op) {
    case 'EQ':
      return { kind: 'compare', op: '=', left: attribute, right: values[0] };
    case 'NE':
      return { kind: 'compare', op: '<>', left: attribute, right: values[0] };
    case 'LE':
      return { kind: 'compare', op: '<=', left: attribute, right: values[0] };
    case 'LT':
      return { kind: 'compare', op: '<', left: attribute, right: values[0] };
    case 'GE':
      return { kind: 'compare', op: '>=', left: attribute, right: values[0] };
    case 'GT':
      return { kind: 'compare', op: '>', left: attribute, right: values[0] };
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path };
    case 'NULL':
      return { kind: 'attribute_not_exists', path };
    case 'CONTAINS':
      return { kind: 'contains', operand: attribute, member: values[0] };
    case 'NOT_CONTAINS':
      return { kind: 'not', condition: { kind: 'contains', operand: attribute, member: values[0] } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', operand: attribute, prefix: values[0] };
    case 'IN':
      return { kind: 'in', operand: attribute, list: values };
    default: // BETWEEN
      return { kind: 'between', operand: attribute, low: values[0], high: values[1] };
  }
}

function combine(conditions: Record<string, LegacyCondition>, operator: unknown): Condition | undefined {
  const parts = Object.entries(conditions).map(([name, condition]) => toCondition(name, condition));
  if (parts.length === 0) return undefined;
  const kind = operator === 'OR' ? 'or' : 'and';
  return parts.reduce((left, right) => ({ kind, left, right }));
}

/** AttributeUpdates: dynalite validations/updateItem.js, then the update itself. */
function toUpdate(updates: Record<string, LegacyUpdate>): Update {
  const actions: UpdateAction[] = [];
  for (const [name, update] of Object.entries(updates)) {
    const action = update.Action ?? 'PUT';
    const value = update.Value;
    if (value != null) checkValue(value);
    if (value == null && action !== 'DELETE') {
      throw validationError(INVALID + 'Only DELETE action is allowed when no attribute value is specified');
    }
    if (value != null && action === 'DELETE') {
      const type = typeOf(value);
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') {
        throw validationError(INVALID + 'DELETE action with value is not supported for the type ' + type);
      }
    }
    if (value != null && action === 'ADD') {
      const type = typeOf(value);
      if (type !== 'L' && type !== 'SS' && type !== 'NS' && type !== 'BS' && type !== 'N') {
        throw validationError(INVALID + 'ADD action is not supported for the type ' + type);
      }
    }
    const path = [name];
    if (action === 'PUT') {
      actions.push({ action: 'SET', path, value: { kind: 'value', value: value! } });
    } else if (action === 'DELETE') {
      actions.push(value == null ? { action: 'REMOVE', path } : { action: 'DELETE', path, value });
    } else if (typeOf(value!) === 'L') {
      // ADD of a list appends to the list, creating it when missing.
      actions.push({
        action: 'SET',
        path,
        value: {
          kind: 'list_append',
          first: { kind: 'if_not_exists', path, fallback: { kind: 'value', value: { L: [] } } },
          second: { kind: 'value', value: value! },
        },
      });
    } else {
      actions.push({ action: 'ADD', path, value: value! });
    }
  }
  return { actions, legacy: true };
}

const NON_INDEXABLE = new Set(['NE', 'NULL', 'NOT_NULL', 'CONTAINS', 'NOT_CONTAINS', 'IN']);

function isObject(value: unknown): value is Record<string, never> {
  return value !== null && typeof value === 'object';
}

/**
 * Compiles the legacy parameters of a request (the whole request body) into the same form as
 * compileExpressions. Expression parameters in the same request (only KeyConditions may be mixed
 * with them; check that first with checkExpressionParams) are compiled too and merged in.
 */
export function compileLegacy(input: Record<string, unknown>, options: CompileOptions = {}): CompiledExpressions {
  const compiled: CompiledExpressions = {};
  if (isObject(input.AttributeUpdates)) {
    compiled.update = toUpdate(input.AttributeUpdates as Record<string, LegacyUpdate>);
  }
  if (isObject(input.Expected)) {
    const expected = input.Expected as Record<string, LegacyCondition>;
    checkExpected(expected);
    compiled.condition = combine(expected, input.ConditionalOperator);
  }
  for (const name of ['QueryFilter', 'ScanFilter'] as const) {
    if (isObject(input[name])) {
      const filter = input[name] as Record<string, LegacyCondition>;
      checkConditions(filter);
      compiled.filter = combine(filter, input.ConditionalOperator);
    }
  }
  if (Array.isArray(input.AttributesToGet)) {
    const names = input.AttributesToGet as string[];
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw validationError(INVALID + 'Duplicate value in attribute name: ' + name);
      seen.add(name);
    }
    compiled.projection = names.map((name) => [name]);
  }
  if (isObject(input.KeyConditions)) {
    const conditions = input.KeyConditions as Record<string, LegacyCondition>;
    checkConditions(conditions);
    const count = Object.keys(conditions).length;
    if (count !== 1 && count !== 2) throw validationError('Conditions can be of length 1 or 2 only');
    for (const condition of Object.values(conditions)) {
      if (NON_INDEXABLE.has(condition.ComparisonOperator ?? '')) {
        throw validationError('Attempted conditional constraint is not an indexable operation');
      }
    }
    compiled.keyCondition = combine(conditions, 'AND');
  }

  const expressionKeys = ['UpdateExpression', 'ConditionExpression', 'ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
  if (expressionKeys.some((k) => input[k] != null) || input.ExpressionAttributeNames != null || input.ExpressionAttributeValues != null) {
    const fromExpressions = compileExpressions(input, options);
    for (const [key, value] of Object.entries(fromExpressions)) {
      if (value !== undefined) (compiled as Record<string, unknown>)[key] = value;
    }
  }
  return compiled;
}
