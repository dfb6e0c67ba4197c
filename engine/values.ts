/**
 * Attribute values: validation with DynamoDB's messages, number normalisation, comparison,
 * equality and size. Numbers are decimal strings handled with decimal.js, never JS floats:
 * DynamoDB keeps 38 significant digits and magnitudes from 1E-130 to 9.99..E+125.
 */
import { Decimal } from 'decimal.js';
import type { AttributeType, AttributeValue, Item } from './types.ts';
import { setOwn } from './ownKeys.ts';

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
  // Whitespace around the digits is refused, not trimmed: ' 1' and '1 ' "cannot be converted"
  // (scylladb test/alternator/test_number.py test_invalid_numbers, run against DynamoDB).
  if (!NUMBER_SYNTAX.test(text) || text.length > 1000) {
    return { error: 'The parameter cannot be converted to a numeric value: ' + text };
  }
  // DynamoDB reads the written exponent in full before its range checks (real DynamoDB,
  // eu-west-2, 2026-10, paritysuite dynamodb-conformance tier3/limits/numberExponent):
  //   1e2147483648, 1e99999999999 -> overflow;  1e-99999999999 -> underflow
  //   1e9223372036854775808 (past a 64-bit integer) -> cannot be converted
  //   0e126 -> overflow, 0e-131 -> underflow, 0e125 -> 0 (zero is checked by its written exponent)
  const e = text.search(EXPONENT_MARK);
  const writtenExponent = e < 0 ? 0n : BigInt(text.slice(e + 1));
  if (writtenExponent > INT64_MAX || writtenExponent < INT64_MIN) return { error: 'The parameter cannot be converted to a numeric value: ' + text };
  // Beyond decimal.js's exponent range the value would become Infinity or 0: only its sign matters.
  if (writtenExponent > HUGE_EXPONENT) return { error: OVERFLOW };
  if (writtenExponent < -HUGE_EXPONENT) return { error: UNDERFLOW };
  const dec = new Dec(text);
  if (dec.isZero()) {
    if (writtenExponent > 125n) return { error: OVERFLOW };
    if (writtenExponent < -130n) return { error: UNDERFLOW };
  }
  return checkNumberRange(dec);
}

const EXPONENT_MARK = /[eE]/;
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const HUGE_EXPONENT = 1_000_000_000_000n;

function checkNumberRange(dec: Decimal): { value: string } | { error: string } {
  if (dec.isZero()) return { value: '0' };
  const exponent = dec.e; // position of the most significant digit
  if (exponent > 125) return { error: OVERFLOW };
  if (exponent < -130) return { error: UNDERFLOW };
  if (dec.sd(false) > 38) return { error: 'Attempting to store more than 38 significant digits in a Number' };
  return { value: dec.toFixed() };
}

/** a + b or a - b on DynamoDB numbers; returns the DynamoDB error message on overflow. */
/** Canonical integers small enough that their sum is exact in a double (counters, the common case). */
const SMALL_INTEGER = /^-?(?:0|[1-9]\d{0,14})$/;

export function addNumbers(a: string, b: string, subtract = false): { value: string } | { error: string } {
  if (SMALL_INTEGER.test(a) && SMALL_INTEGER.test(b)) {
    const sum = subtract ? Number(a) - Number(b) : Number(a) + Number(b);
    // Both below 1e15 in magnitude: the result is an exact integer; "-0" cannot arise from integers.
    return { value: String(sum) };
  }
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

export const NESTING_LIMIT = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/**
 * Validates a wire AttributeValue (already checked for JSON types) and normalises its numbers in
 * place. Returns DynamoDB's message for the first problem, or undefined.
 */
export function validateAttributeValue(value: Record<string, unknown>, depth = 0): string | undefined {
  let typeCount = 0;
  for (const _ in value) typeCount++;
  if (typeCount === 0) return 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
  // DynamoDB nests documents 32 levels deep, the attribute itself being level 1 (depth 0 here): a
  // value at depth 32 is refused, with this text (real DynamoDB, eu-west-2, 2026-06).
  if (depth >= 32) return NESTING_LIMIT;
  for (const type in value) {
    const member = value[type] as never;
    switch (type) {
      case 'N': {
        // Plain integers (nearly every number) are already normal: no allocation on this path.
        if (PLAIN_INTEGER.test(member) && member !== '-0') break;
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
        if (hasDuplicates(set)) {
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
        if (hasDuplicates(normalised)) return 'Input collection contains duplicates';
        value.NS = normalised;
        break;
      }
      case 'BS': {
        const set = member as string[];
        if (set.length === 0) return 'One or more parameter values were invalid: Binary sets should not be empty';
        if (hasDuplicates(set)) {
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
  if (typeCount > 1) {
    return 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
  }
  return undefined;
}

/** Small sets (the usual) are compared pairwise, without building a Set. */
function hasDuplicates(values: string[]): boolean {
  if (values.length > 16) return new Set(values).size !== values.length;
  for (let i = 1; i < values.length; i++) for (let j = 0; j < i; j++) if (values[i] === values[j]) return true;
  return false;
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
 * Size of a (normalised) number as DynamoDB meters it, measured to the byte at the 400 KB gate
 * (real DynamoDB, eu-west-2, 2026-08, paritysuite dynamodb-conformance tier3/limits/numberByteSize):
 *   1 + ceil(integer significant digits / 2) + ceil(fraction significant digits / 2) + 1 if negative
 * with leading and trailing zeros trimmed. The halves are counted apart, either side of the point:
 * 123456 costs 4, 3.14159 costs 5, 1E125 (stored as 126 digits) costs 2, -1 costs 3. The developer
 * guide's "one byte per two significant digits plus one" rounds down and misses the split.
 * Zero, which has no significant digit, costs 1 byte, and so does "-0" (zero is never negative).
 */
export function numberSize(n: string): number {
  const negative = n.charCodeAt(0) === 45; // '-'
  let start = negative ? 1 : 0;
  const point = n.indexOf('.', start);
  const intEnd = point < 0 ? n.length : point;
  while (start < intEnd && n.charCodeAt(start) === 48) start++;
  let intDigits = intEnd - start;
  let fracDigits = 0;
  if (point < 0) {
    let end = intEnd;
    while (end > start && n.charCodeAt(end - 1) === 48) end--;
    intDigits = end - start;
  } else {
    let fracStart = point + 1;
    let end = n.length;
    while (end > fracStart && n.charCodeAt(end - 1) === 48) end--;
    // Zeros right after the point are significant only after a non-zero integer part.
    if (intDigits === 0) while (fracStart < end && n.charCodeAt(fracStart) === 48) fracStart++;
    fracDigits = end - fracStart;
  }
  if (intDigits === 0 && fracDigits === 0) return 1;
  return 1 + Math.ceil(intDigits / 2) + Math.ceil(fracDigits / 2) + (negative ? 1 : 0);
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

/**
 * A deep copy of an attribute value. Much cheaper than structuredClone for these small JSON trees
 * (strings are immutable and shared); map keys go through setOwn, since "__proto__" is a legal name.
 */
export function cloneAttributeValue(value: AttributeValue): AttributeValue {
  if ('L' in value) return { L: value.L.map(cloneAttributeValue) };
  if ('M' in value) {
    const map: Record<string, AttributeValue> = {};
    for (const key in value.M) setOwn(map, key, cloneAttributeValue(value.M[key]));
    return { M: map };
  }
  if ('SS' in value) return { SS: value.SS.slice() };
  if ('NS' in value) return { NS: value.NS.slice() };
  if ('BS' in value) return { BS: value.BS.slice() };
  return { ...value };
}

/** Item size: the sum of attribute name lengths (UTF-8) and value sizes. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + attributeValueSize(item[name]);
  return size;
}

export const MAX_ITEM_SIZE = 400 * 1024;
