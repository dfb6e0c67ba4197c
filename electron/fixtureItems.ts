/**
 * Items from fixture files, read without losing a digit: plain JSON numbers are kept as their
 * source text (lossless-json) and become DynamoDB numbers as written, and CSV files (papaparse)
 * become items with a type per column.
 *
 * CSV: the first row names the attributes. A cell is typed by what it holds: a number written
 * in canonical form (no leading zeros, so "0150" stays a string) is N, true/false is BOOL, a
 * JSON list or object is L or M, anything else is S, and an empty cell leaves the attribute out.
 * A header can fix a column's type instead: "zip:S", "price:N", "active:BOOL", "tags:SS",
 * "scores:NS", "doc:M", "list:L", "gone:NULL".
 */
import { isLosslessNumber, parse as parseJsonLossless } from 'lossless-json';
import Papa from 'papaparse';

type Json = Record<string, unknown>;
type AttributeValue = Record<string, unknown>;

/** JSON.parse, but every number is kept as the text it was written with (a LosslessNumber). */
export function parseJsonKeepingNumbers(text: string): unknown {
  return parseJsonLossless(text);
}

const numberText = (value: unknown): string | undefined => (isLosslessNumber(value) ? value.value : undefined);

/** A plain JSON value (as parseJsonKeepingNumbers reads it) in DynamoDB JSON. */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number') return { N: String(value) };
  const digits = numberText(value);
  if (digits !== undefined) return { N: digits };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') return { M: toItem(value as Json) };
  throw new Error(`cannot store ${typeof value} in DynamoDB`);
}

/** A plain JSON object as a DynamoDB item. */
export function toItem(plain: Json): Json {
  return Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, toAttributeValue(value)]));
}

const COLUMN_TYPES = new Set(['S', 'N', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS']);
const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function cellValue(cell: string, type: string | undefined, where: string): AttributeValue | undefined {
  if (cell === '' && type !== 'S' && type !== 'NULL') return undefined;
  const json = () => {
    try {
      return parseJsonKeepingNumbers(cell);
    } catch {
      throw new Error(`${where}: ${JSON.stringify(cell)} is not JSON`);
    }
  };
  switch (type) {
    case 'S':
      return { S: cell };
    case 'N':
      return { N: cell };
    case 'BOOL':
      if (cell !== 'true' && cell !== 'false') throw new Error(`${where}: ${JSON.stringify(cell)} is not true or false`);
      return { BOOL: cell === 'true' };
    case 'NULL':
      return { NULL: true };
    case 'SS':
    case 'NS': {
      const list = json();
      if (!Array.isArray(list)) throw new Error(`${where}: a ${type} cell is a JSON list`);
      return { [type]: list.map((member) => (type === 'SS' ? String(member) : (numberText(member) ?? String(member)))) };
    }
    case 'L':
    case 'M':
      return toAttributeValue(json());
    default:
      if (CANONICAL_NUMBER.test(cell)) return { N: cell };
      if (cell === 'true' || cell === 'false') return { BOOL: cell === 'true' };
      if (cell.startsWith('[') || cell.startsWith('{')) {
        try {
          return toAttributeValue(parseJsonKeepingNumbers(cell));
        } catch {
          // Not JSON after all: a string that happens to start with a bracket.
        }
      }
      return { S: cell };
  }
}

/** Items from CSV text: a header row, then one item per row (see the module comment for types). */
export function csvItems(text: string): Json[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((error) => error.type !== 'Delimiter');
  if (fatal) throw new Error(`CSV row ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  const [header, ...rows] = parsed.data;
  if (!header) return [];
  const columns = header.map((title) => {
    const colon = title.lastIndexOf(':');
    const type = colon > 0 ? title.slice(colon + 1).trim().toUpperCase() : undefined;
    return type && COLUMN_TYPES.has(type) ? { name: title.slice(0, colon).trim(), type } : { name: title.trim(), type: undefined };
  });
  return rows.map((row, r) => {
    const item: Json = {};
    columns.forEach(({ name, type }, c) => {
      const value = cellValue(row[c] ?? '', type, `CSV row ${r + 2}, column ${name}`);
      if (value) item[name] = value;
    });
    return item;
  });
}
