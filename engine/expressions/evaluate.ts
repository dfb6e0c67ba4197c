/**
 * Evaluating compiled conditions against an item. Comparisons between values of different types
 * are false, never errors; `<>` between different types is true; a missing attribute makes every
 * comparison false except `<>`.
 */
import { validationError } from '../errors.ts';
import type { AttributeValue, Item } from '../types.ts';
import { canonicalNumber, compareValues, isAttributeType, typeOf, valuesEqual } from '../values.ts';
import type { Condition, DocumentPath, Operand } from './ast.ts';

/** Follows a document path into an item; undefined when any step is missing or of the wrong type. */
export function resolvePath(item: Item, path: DocumentPath): AttributeValue | undefined {
  if (path.length === 0) return undefined;
  const head = path[0] as string;
  let current: AttributeValue | undefined = Object.hasOwn(item, head) ? item[head] : undefined;
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const step = path[i];
    if (typeof step === 'number') {
      current = 'L' in current && step < current.L.length ? current.L[step] : undefined;
    } else {
      current = 'M' in current && Object.hasOwn(current.M, step) ? current.M[step] : undefined;
    }
  }
  return current;
}

/**
 * size(): string length in UTF-16 code units (real DynamoDB: size of "é𝄞" is 3, not its 6 UTF-8
 * bytes; ExtendDB/extenddb#60, verified against AWS), binary length in bytes, element count of
 * sets, lists and maps. Numbers, booleans and nulls have no size.
 */
function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

export function resolveOperand(operand: Operand, item: Item): AttributeValue | undefined {
  switch (operand.kind) {
    case 'path':
      return resolvePath(item, operand.path);
    case 'value':
      return operand.value;
    case 'size': {
      const value = resolveOperand(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    default:
      // if_not_exists, list_append and arithmetic only occur in update expressions.
      throw new Error('update operand in a condition');
  }
}

const VALID_TYPES = '{ B,NULL,SS,BOOL,L,BS,N,NS,S,M }';

export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  return evaluate(condition, item ?? {});
}

function evaluate(condition: Condition, item: Item): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.condition, item);
    case 'compare': {
      const left = resolveOperand(condition.left, item);
      const right = resolveOperand(condition.right, item);
      if (condition.op === '<>') return left === undefined || right === undefined || !valuesEqual(left, right);
      if (left === undefined || right === undefined) return false;
      if (condition.op === '=') return valuesEqual(left, right);
      const order = compareValues(left, right);
      if (order === undefined) return false;
      switch (condition.op) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    }
    case 'between': {
      const value = resolveOperand(condition.operand, item);
      const low = resolveOperand(condition.low, item);
      const high = resolveOperand(condition.high, item);
      if (value === undefined || low === undefined || high === undefined) return false;
      const fromLow = compareValues(value, low);
      const toHigh = compareValues(value, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    case 'in': {
      const value = resolveOperand(condition.operand, item);
      if (value === undefined) return false;
      return condition.list.some((member) => {
        const candidate = resolveOperand(member, item);
        return candidate !== undefined && valuesEqual(value, candidate);
      });
    }
    case 'attribute_exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return resolvePath(item, condition.path) === undefined;
    case 'attribute_type': {
      const type = resolveOperand(condition.type, item);
      if (type === undefined || !('S' in type)) return false;
      if (!isAttributeType(type.S)) {
        throw validationError(
          `Invalid ${condition.expression}: Invalid attribute type name found; type: ${type.S}, valid types: ${VALID_TYPES}`,
        );
      }
      const value = resolvePath(item, condition.path);
      return value !== undefined && typeOf(value) === type.S;
    }
    case 'begins_with': {
      const value = resolveOperand(condition.operand, item);
      const prefix = resolveOperand(condition.prefix, item);
      if (value === undefined || prefix === undefined) return false;
      if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
      if ('B' in value && 'B' in prefix) {
        const bytes = Buffer.from(value.B, 'base64');
        const start = Buffer.from(prefix.B, 'base64');
        return bytes.length >= start.length && bytes.subarray(0, start.length).equals(start);
      }
      return false;
    }
    case 'contains': {
      const value = resolveOperand(condition.operand, item);
      const member = resolveOperand(condition.member, item);
      if (value === undefined || member === undefined) return false;
      return contains(value, member);
    }
  }
}

/** contains(): a substring of a string (or bytes of a binary), a member of a set, an element of a list. */
function contains(value: AttributeValue, member: AttributeValue): boolean {
  if ('S' in value) return 'S' in member && value.S.includes(member.S);
  if ('B' in value) return 'B' in member && Buffer.from(value.B, 'base64').includes(Buffer.from(member.B, 'base64'));
  if ('SS' in value) return 'S' in member && value.SS.includes(member.S);
  if ('NS' in value) {
    if (!('N' in member)) return false;
    const wanted = canonicalNumber(member.N);
    return value.NS.some((n) => canonicalNumber(n) === wanted);
  }
  if ('BS' in value) {
    if (!('B' in member)) return false;
    const wanted = Buffer.from(member.B, 'base64');
    return value.BS.some((b) => Buffer.from(b, 'base64').equals(wanted));
  }
  if ('L' in value) return value.L.some((element) => valuesEqual(element, member));
  return false;
}
