/**
 * Attribute values: validation with DynamoDB's messages, number normalisation, comparison,
 * equality and size. Numbers are decimal strings handled with decimal.js, never JS floats:
 * DynamoDB keeps 38 significant digits and magnitudes from 1E-130 to 9.99..E+125.
 */
import { Decimal } from 'decimal.js';
import type { AttributeType, AttributeValue, Item } from './types.ts';

// Enough precision that adding two 38-digit numbers of very different magnitude is exact, so the
// 38-digit check below sees the true result (DynamoDB rejects, it does not round).
const Dec = Decimal.clone({ precision: 300, toExpNeg: -400, toExpPos: 400, minE: -9e15, maxE: 9e15 });

const PLAIN_INTEGER = /^-?(?:0|[1-9]\d{0,37})$/;
const NUMBER_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses and normalises a DynamoDB number, or returns the error message DynamoDB gives. */
export function normalizeNumber(text: string): { value: string } | { error: string } {
  if (text === '' || text == null) return { error: 'The parameter cannot be converted to a numeric value' };
  // Fast path: plain integers of up to 38 digits are already in normal form.
  if (PLAIN_INTEGER.test(text)) return { value: text === '-0' ? '0' : text };
  const trimmed = text.trim();
  if (!NUMBER_SYNTAX.test(trimmed) || trimmed.length > 1000) {
    return { error: 'The parameter cannot be converted to a numeric value: ' + text };
  }
  const dec = new Dec(trimmed);
  return checkNumberRange(dec);
}

function checkNumberRange(dec: Decimal): { value: string } | { error: string } {
  if (dec.isZero()) return { value: '0' };
  const exponent = dec.e; // position of the most significant digit
  if (exponent > 125) return { error: 'Number overflow. Attempting to store a number with magnitude larger than supported range' };
  if (exponent < -130) return { error: 'Number underflow. Attempting to store a number with magnitude smaller than supported range' };
  if (dec.sd(false) > 38) return { error: 'Attempting to store more than 38 significant digits in a Number' };
  return { value: dec.toFixed() };
}

/** a + b or a - b on DynamoDB numbers; returns the DynamoDB error message on overflow. */
export function addNumbers(a: string, b: string, subtract = false): { value: string } | { error: string } {
  const left = new Dec(a);
  const right = new Dec(b);
  return checkNumberRange(subtract ? left.minus(right) : left.plus(right));
}

export function compareNumbers(a: string, b: string): number {
  return new Dec(a).cmp(new Dec(b));
}

const TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new Error('empty attribute value');
}

export function isAttributeType(name: string): name is AttributeType {
  return (TYPES as readonly string[]).includes(name);
}

function describeCollection(values: unknown[]): string {
  return '[' + values.join(', ') + ']';
}

/**
 * Validates a wire AttributeValue (already checked for JSON types) and normalises its numbers in
 * place. Returns DynamoDB's message for the first problem, or undefined.
 */
export function validateAttributeValue(value: Record<string, unknown>, depth = 0): string | undefined {
  const types = Object.keys(value);
  if (types.length === 0) return 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
  // Deeper nesting than DynamoDB's 32 levels is refused before recursing further.
  if (depth > 32) return 'Nesting Levels have exceeded supported limits';
  for (const type of types) {
    const member = value[type] as never;
    switch (type) {
      case 'N': {
        const result = normalizeNumber(member);
        if ('error' in result) return result.error;
        value.N = result.value;
        break;
      }
      case 'NULL':
        if (!member) return 'One or more parameter values were invalid: Null attribute value types must have the value of true';
        break;
      case 'SS': {
        const set = member as string[];
        if (set.length === 0) return 'One or more parameter values were invalid: An string set  may not be empty';
        if (new Set(set).size !== set.length) {
          return 'One or more parameter values were invalid: Input collection ' + describeCollection(set) + ' contains duplicates.';
        }
        break;
      }
      case 'NS': {
        const set = member as string[];
        if (set.length === 0) return 'One or more parameter values were invalid: An number set  may not be empty';
        const normalised: string[] = [];
        for (const n of set) {
          const result = normalizeNumber(n);
          if ('error' in result) return result.error;
          normalised.push(result.value);
        }
        if (new Set(normalised).size !== normalised.length) return 'Input collection contains duplicates';
        value.NS = normalised;
        break;
      }
      case 'BS': {
        const set = member as string[];
        if (set.length === 0) return 'One or more parameter values were invalid: Binary sets should not be empty';
        if (new Set(set).size !== set.length) {
          return 'One or more parameter values were invalid: Input collection ' + describeCollection(set) + 'of type BS contains duplicates.';
        }
        break;
      }
      case 'M': {
        const map = member as Record<string, Record<string, unknown>>;
        for (const key in map) {
          const msg = validateAttributeValue(map[key], depth + 1);
          if (msg) return msg;
        }
        break;
      }
      case 'L': {
        for (const element of member as Record<string, unknown>[]) {
          const msg = validateAttributeValue(element, depth + 1);
          if (msg) return msg;
        }
        break;
      }
    }
  }
  if (types.length > 1) {
    return 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
  }
  return undefined;
}

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** Compares two strings by their UTF-8 bytes, as DynamoDB orders S values. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Fast path: for strings without surrogates/non-ASCII, UTF-16 code unit order equals UTF-8 byte order.
  return compareBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Orders two scalar values of the same type (S, N or B) as DynamoDB does; undefined when the
 * values are not of one comparable type (DynamoDB then treats a comparison as false).
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBytes(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  return undefined;
}

/** Deep equality with DynamoDB's semantics: numbers by value, sets regardless of order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const left = (a as Record<string, unknown>)[type];
  const right = (b as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
    case 'BOOL':
    case 'NULL':
      return left === right;
    case 'B':
      return Buffer.from(left as string, 'base64').equals(Buffer.from(right as string, 'base64'));
    case 'N':
      return compareNumbers(left as string, right as string) === 0;
    case 'SS':
    case 'BS': {
      const l = left as string[];
      const r = right as string[];
      if (l.length !== r.length) return false;
      const members = new Set(type === 'BS' ? l.map(canonicalBase64) : l);
      return r.every((m) => members.has(type === 'BS' ? canonicalBase64(m) : m));
    }
    case 'NS': {
      const l = left as string[];
      const r = right as string[];
      if (l.length !== r.length) return false;
      const members = new Set(l.map(canonicalNumber));
      return r.every((m) => members.has(canonicalNumber(m)));
    }
    case 'L': {
      const l = left as AttributeValue[];
      const r = right as AttributeValue[];
      return l.length === r.length && l.every((v, i) => valuesEqual(v, r[i]));
    }
    case 'M': {
      const l = left as Record<string, AttributeValue>;
      const r = right as Record<string, AttributeValue>;
      const keys = Object.keys(l);
      if (keys.length !== Object.keys(r).length) return false;
      return keys.every((k) => k in r && valuesEqual(l[k], r[k]));
    }
  }
}

function canonicalBase64(b: string): string {
  return Buffer.from(b, 'base64').toString('base64');
}

export function canonicalNumber(n: string): string {
  const result = normalizeNumber(n);
  return 'value' in result ? result.value : n;
}

/**
 * Size of a number as DynamoDB meters it: about one byte per two significant digits plus one.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Bytes an attribute value occupies, by DynamoDB's item-size rules. */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64ByteLength(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + base64ByteLength(b), 0);
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0);
  // M
  const map = (value as { M: Record<string, AttributeValue> }).M;
  let size = 3;
  for (const key in map) size += 1 + Buffer.byteLength(key, 'utf8') + attributeValueSize(map[key]);
  return size;
}

export function base64ByteLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length * 3) / 4 - padding;
}

/** Item size: the sum of attribute name lengths (UTF-8) and value sizes. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + attributeValueSize(item[name]);
  return size;
}

export const MAX_ITEM_SIZE = 400 * 1024;
