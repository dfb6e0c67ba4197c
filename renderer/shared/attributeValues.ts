/**
 * DynamoDB attribute values as the UI handles them: previews for grid cells, ordering for client
 * sorting, validation of hand-written DynamoDB JSON, and conversion to and from plain JSON. Plain
 * JSON is read and written with lossless-json, so numbers keep their digits: a DynamoDB number has
 * up to 38 of them, far more than a double's 15–17.
 */
import { isLosslessNumber, LosslessNumber, parse as parseLosslessly, stringify as stringifyLosslessly } from 'lossless-json';
import type { AttributeType, AttributeValue, Item } from '../../electron/contract.ts';
import { checkNumber, decomposeDecimal, NUMBER_SYNTAX } from './dynamoNumbers.ts';

export type { AttributeType, AttributeValue, Item };

export function typeOf(value: AttributeValue | undefined): AttributeType | undefined {
  if (!value) return undefined;
  for (const key in value) return key as AttributeType;
  return undefined;
}

/** One line of text for a grid cell; collections show their size and the start of their contents. */
export function preview(value: AttributeValue | undefined, budget = 80): string {
  if (!value) return '';
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  if ('BOOL' in value) return String(value.BOOL);
  if ('NULL' in value) return 'null';
  if ('SS' in value) return `{${clip(value.SS.map((s) => JSON.stringify(s)).join(', '), budget)}}`;
  if ('NS' in value) return `{${clip(value.NS.join(', '), budget)}}`;
  if ('BS' in value) return `{${clip(value.BS.join(', '), budget)}}`;
  if ('L' in value) return `[${clip(value.L.map((v) => preview(v, 20)).join(', '), budget)}]`;
  if ('M' in value) {
    return `{${clip(
      Object.entries(value.M)
        .map(([k, v]) => `${k}: ${preview(v, 20)}`)
        .join(', '),
      budget,
    )}}`;
  }
  return '';
}

/** Element count for sets, lists and maps (shown as a badge). */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  return undefined;
}

function clip(text: string, budget: number): string {
  return text.length > budget ? text.slice(0, budget - 1) + '…' : text;
}

const TYPE_RANK: Record<AttributeType, number> = { N: 0, S: 1, B: 2, BOOL: 3, NULL: 4, SS: 5, NS: 6, BS: 7, L: 8, M: 9 };

/** Ascending order for client-side sorting: numbers numerically, then strings, then the rest by preview. */
export function compareValues(a: AttributeValue | undefined, b: AttributeValue | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0;
  const ta = typeOf(a)!;
  const tb = typeOf(b)!;
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('S' in a && 'S' in b) return a.S < b.S ? -1 : a.S > b.S ? 1 : 0;
  if ('BOOL' in a && 'BOOL' in b) return Number(a.BOOL) - Number(b.BOOL);
  const pa = preview(a, 200);
  const pb = preview(b, 200);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/**
 * DynamoDB numbers carry up to 38 digits, beyond a double's precision; compare as doubles first and
 * fall back to exact decimal-string comparison when they tie.
 */
function compareNumbers(a: string, b: string): number {
  const da = Number(a);
  const db = Number(b);
  if (da !== db) return da < db ? -1 : 1;
  return a === b ? 0 : exactDecimalCompare(a, b);
}

function exactDecimalCompare(a: string, b: string): number {
  const x = decomposeDecimal(a);
  const y = decomposeDecimal(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  const magnitude = x.exponent !== y.exponent ? (x.exponent < y.exponent ? -1 : 1) : x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return magnitude * x.sign;
}

/**
 * Parses JSON keeping every number's exact text (as a LosslessNumber) instead of rounding it to a
 * double, so 38-digit DynamoDB numbers survive; a key given twice is an error, not silently the last.
 */
export function parseJson(text: string): unknown {
  try {
    return parseLosslessly(text);
  } catch (error) {
    // The parser recurses: absurd nesting runs out of stack rather than into a syntax error.
    if (error instanceof RangeError) throw new Error('the JSON is nested too deeply to read');
    throw error;
  }
}

/** JSON text for data holding LosslessNumbers, each written with its exact digits. */
export function stringifyJson(value: unknown, space?: number): string {
  return stringifyLosslessly(value, null, space) ?? 'null';
}

/** Is this item expressible as plain JSON without losing types (no sets, no binary)? */
export function isPlainJsonSafe(item: Item): boolean {
  const check = (v: AttributeValue): boolean => {
    if ('SS' in v || 'NS' in v || 'BS' in v || 'B' in v) return false;
    if ('L' in v) return v.L.every(check);
    if ('M' in v) return Object.values(v.M).every(check);
    return true;
  };
  return Object.values(item).every(check);
}

/**
 * A value as plain JSON data, numbers as LosslessNumbers written as DynamoDB stores them, so
 * `stringifyJson` shows every digit. Sets and binary have no plain JSON form: check
 * `isPlainJsonSafe` first.
 */
export function toPlain(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return new LosslessNumber(storedNumber(value.N, 'N'));
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(toPlain);
  if ('M' in value) return itemToPlain(value.M);
  throw new Error(`${typeOf(value)} values have no plain JSON form`);
}

export function itemToPlain(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)]));
}

/** Plain JSON data as read by `parseJson` (numbers as LosslessNumbers) to an attribute value. */
export function fromPlain(value: unknown, path: string): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (isLosslessNumber(value)) return { N: storedNumber(value.value, path) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((v, i) => fromPlain(v, `${path}[${i}]`)) };
  if (typeof value === 'object') return { M: plainToItem(value as Record<string, unknown>, path) };
  throw new Error(`${path}: unsupported value`);
}

export function plainToItem(object: Record<string, unknown>, path = ''): Item {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fromPlain(v, path ? `${path}.${k}` : k)]));
}

/** The number as DynamoDB will store it, or an Error with DynamoDB's refusal, prefixed by where it is. */
function storedNumber(text: string, path: string): string {
  const checked = checkNumber(text);
  if ('error' in checked) throw new Error(`${path}: ${checked.error}`);
  return checked.value;
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks hand-written DynamoDB JSON, numbers by DynamoDB's rules; throws an Error naming the first bad path. */
export function validateAttributeValue(value: unknown, path: string): asserts value is AttributeValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${path}: expected an attribute value like {"S": "text"} or {"N": "1"}`);
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new Error(`${path}: an attribute value has exactly one type key (S, N, B, BOOL, NULL, M, L, SS, NS, BS), found ${keys.length ? keys.join(', ') : 'none'}`);
  const [type] = keys as [string];
  const inner = (value as Record<string, unknown>)[type];
  const isStringArray = Array.isArray(inner) && inner.every((v) => typeof v === 'string');
  switch (type) {
    case 'S':
      if (typeof inner !== 'string') throw new Error(`${path}: S must be a string`);
      return;
    case 'N':
      if (typeof inner !== 'string' || !NUMBER_SYNTAX.test(inner)) throw new Error(`${path}: N must be a number written as a string, e.g. {"N": "42"}`);
      storedNumber(inner, path);
      return;
    case 'B':
      if (typeof inner !== 'string' || !BASE64_PATTERN.test(inner)) throw new Error(`${path}: B must be base64 text`);
      return;
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new Error(`${path}: BOOL must be true or false`);
      return;
    case 'NULL':
      if (inner !== true) throw new Error(`${path}: NULL must be true`);
      return;
    case 'SS':
    case 'NS':
    case 'BS':
      if (!isStringArray || (inner as string[]).length === 0) throw new Error(`${path}: ${type} must be a non-empty list of strings`);
      if (new Set(inner as string[]).size !== (inner as string[]).length) throw new Error(`${path}: ${type} must not contain duplicates`);
      if (type === 'NS') {
        if (!(inner as string[]).every((n) => NUMBER_SYNTAX.test(n))) throw new Error(`${path}: NS must list numbers written as strings`);
        for (const n of inner as string[]) storedNumber(n, path);
      }
      return;
    case 'L':
      if (!Array.isArray(inner)) throw new Error(`${path}: L must be a list`);
      inner.forEach((v, i) => validateAttributeValue(v, `${path}[${i}]`));
      return;
    case 'M':
      if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) throw new Error(`${path}: M must be an object`);
      for (const [k, v] of Object.entries(inner)) validateAttributeValue(v, `${path}.${k}`);
      return;
    default:
      throw new Error(`${path}: "${type}" is not a DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS)`);
  }
}

export function validateItem(value: unknown): asserts value is Item {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('The item must be a JSON object of attributes');
  for (const [name, attribute] of Object.entries(value)) validateAttributeValue(attribute, name);
}
