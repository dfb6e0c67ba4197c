/**
 * DynamoDB attribute values as the UI handles them: previews for grid cells, ordering for client
 * sorting, validation of hand-written DynamoDB JSON, and conversion to and from plain JSON.
 */
import type { AttributeType, AttributeValue, Item } from '../../electron/contract.ts';

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
  const x = normaliseDecimal(a);
  const y = normaliseDecimal(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  const magnitude = x.exponent !== y.exponent ? (x.exponent < y.exponent ? -1 : 1) : x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return magnitude * x.sign;
}

/** A decimal string as sign × 0.digits × 10^exponent, with no leading or trailing zeros in digits. */
function normaliseDecimal(text: string): { sign: -1 | 0 | 1; digits: string; exponent: number } {
  const t = text.trim();
  const negative = t.startsWith('-');
  const [mantissa = '0', power = '0'] = t.replace(/^[+-]/, '').toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const all = whole + fraction;
  const significant = all.replace(/^0+/, '');
  if (!/[1-9]/.test(significant)) return { sign: 0, digits: '', exponent: 0 };
  const leadingZeros = all.length - significant.length;
  return { sign: negative ? -1 : 1, digits: significant.replace(/0+$/, ''), exponent: whole.length + Number(power) - leadingZeros };
}

/** Is this item expressible as plain JSON without losing types (no sets, no binary, no digits beyond a double)? */
export function isPlainJsonSafe(item: Item): boolean {
  const check = (v: AttributeValue): boolean => {
    if ('SS' in v || 'NS' in v || 'BS' in v || 'B' in v) return false;
    if ('L' in v) return v.L.every(check);
    if ('M' in v) return Object.values(v.M).every(check);
    if ('N' in v) return String(Number(v.N)) === v.N.replace(/^\+/, '');
    return true;
  };
  return Object.values(item).every(check);
}

export function toPlain(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(toPlain);
  if ('M' in value) return itemToPlain(value.M);
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS.map(Number);
  if ('BS' in value) return value.BS;
  if ('B' in value) return value.B;
  return null;
}

export function itemToPlain(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)]));
}

export function fromPlain(value: unknown, path: string): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path}: numbers must be finite`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map((v, i) => fromPlain(v, `${path}[${i}]`)) };
  if (typeof value === 'object') return { M: plainToItem(value as Record<string, unknown>, path) };
  throw new Error(`${path}: unsupported value`);
}

export function plainToItem(object: Record<string, unknown>, path = ''): Item {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fromPlain(v, path ? `${path}.${k}` : k)]));
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks hand-written DynamoDB JSON; throws an Error naming the first bad path. */
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
      if (typeof inner !== 'string' || !NUMBER_PATTERN.test(inner)) throw new Error(`${path}: N must be a number written as a string, e.g. {"N": "42"}`);
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
      if (type === 'NS' && !(inner as string[]).every((n) => NUMBER_PATTERN.test(n))) throw new Error(`${path}: NS must list numbers written as strings`);
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
