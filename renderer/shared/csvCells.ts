/**
 * How a CSV cell becomes a DynamoDB attribute value and back: one set of rules for `serve --seed`
 * fixtures (electron/fixtureItems.ts) and the UI's CSV import and export (renderer/features/items).
 *
 * This folder holds code both sides may import: pure TypeScript with no Node, DOM, engine,
 * Electron or React imports (only small pure libraries), because the renderer must not import
 * electron/ code and fixtures must not import the UI.
 *
 * Reading: the first row names the attributes. A cell is typed by what it holds: a number written
 * in canonical form (no leading zeros, so "0150" stays a string) is N, true/false is BOOL, a JSON
 * list or object is L or M, anything else is S, and an empty cell leaves the attribute out. A
 * header can fix a column's type instead: "zip:S", "price:N", "active:BOOL", "tags:SS",
 * "scores:NS", "doc:M", "list:L", "gone:NULL", "blob:B", "blobs:BS".
 *
 * Writing is the inverse: scalars as their text, sets and nested values as JSON, and a typed
 * header ("zip:S") wherever the cell text alone would read back as another type.
 */
import { isLosslessNumber, LosslessNumber, parse as parseJsonLossless, stringify as stringifyLossless } from 'lossless-json';

type Json = Record<string, unknown>;
/** An attribute value in DynamoDB JSON ({"S": "x"}); loosely typed, as both sides check items later. */
export type CellValue = Record<string, unknown>;

export const CSV_COLUMN_TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS'] as const;
export type CsvColumnType = (typeof CSV_COLUMN_TYPES)[number];

export interface CsvColumn {
  name: string;
  /** Fixed by the header suffix (or chosen in the UI); undefined means typed per cell. */
  type?: CsvColumnType;
}

const COLUMN_TYPES = new Set<string>(CSV_COLUMN_TYPES);
const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** JSON.parse, but every number is kept as the text it was written with (a LosslessNumber). */
export function parseJsonKeepingNumbers(text: string): unknown {
  return parseJsonLossless(text);
}

const numberText = (value: unknown): string | undefined => (isLosslessNumber(value) ? value.value : undefined);

/** A plain JSON value (as parseJsonKeepingNumbers reads it) in DynamoDB JSON. */
export function toAttributeValue(value: unknown): CellValue {
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

/** The header row's columns: "name" or "name:TYPE" (a type this module knows, any case). */
export function csvColumns(header: readonly string[]): CsvColumn[] {
  return header.map((title) => {
    const colon = title.lastIndexOf(':');
    const type = colon > 0 ? title.slice(colon + 1).trim().toUpperCase() : undefined;
    return type && COLUMN_TYPES.has(type) ? { name: title.slice(0, colon).trim(), type: type as CsvColumnType } : { name: title.trim() };
  });
}

/**
 * One cell as an attribute value, or undefined when the cell leaves the attribute out. Throws an
 * Error saying why the cell does not fit its column's type (callers add where it is).
 */
export function csvCellValue(cell: string, type: CsvColumnType | undefined): CellValue | undefined {
  if (cell === '' && type !== 'S' && type !== 'NULL') return undefined;
  const json = () => {
    try {
      return parseJsonKeepingNumbers(cell);
    } catch {
      throw new Error(`${JSON.stringify(cell)} is not JSON`);
    }
  };
  switch (type) {
    case 'S':
      return { S: cell };
    case 'N':
      return { N: cell };
    case 'B':
      return { B: cell };
    case 'BOOL':
      if (cell !== 'true' && cell !== 'false') throw new Error(`${JSON.stringify(cell)} is not true or false`);
      return { BOOL: cell === 'true' };
    case 'NULL':
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      const list = json();
      if (!Array.isArray(list)) throw new Error(`a ${type} cell is a JSON list`);
      return { [type]: list.map((member) => (type === 'NS' ? (numberText(member) ?? String(member)) : String(member))) };
    }
    case 'L':
    case 'M': {
      const value = toAttributeValue(json());
      if (!(type in value)) throw new Error(`an ${type} cell is a JSON ${type === 'L' ? 'list' : 'object'}`);
      return value;
    }
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

/** One data row as an item; `where` prefixes a cell's error ("row 7"). */
export function csvRowItem(columns: readonly CsvColumn[], row: readonly string[], where: string): Json {
  const item: Json = {};
  columns.forEach(({ name, type }, c) => {
    let value: CellValue | undefined;
    try {
      value = csvCellValue(row[c] ?? '', type);
    } catch (error) {
      throw new Error(`${where}, column ${name}: ${(error as Error).message}`);
    }
    if (value) item[name] = value;
  });
  return item;
}

/** The header title for a column: its name, with ":TYPE" when the type is fixed. */
export function csvHeaderTitle(column: CsvColumn): string {
  return column.type ? `${column.name}:${column.type}` : column.name;
}

/** The cell text that reads back as `value` under its column's type (see `csvColumnTypeFor`). */
export function csvCellText(value: CellValue): string {
  const [type] = Object.keys(value);
  const inner = value[type!];
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      return inner as string;
    case 'BOOL':
      return String(inner);
    case 'NULL':
      return 'null';
    case 'SS':
    case 'BS':
      return JSON.stringify(inner);
    case 'NS':
      return `[${(inner as string[]).join(',')}]`;
    default:
      return stringifyLossless(toPlainJson(value)) ?? 'null';
  }
}

/**
 * Plain JSON for an attribute value, numbers as LosslessNumbers with every digit (write it with
 * lossless-json's stringify). Sets become JSON lists and binary its base64 text: plain JSON has no
 * way to say otherwise, so those read back as L and S.
 */
export function toPlainJson(value: CellValue): unknown {
  const [type] = Object.keys(value);
  const inner = value[type!];
  switch (type) {
    case 'N':
      return new LosslessNumber(inner as string);
    case 'NULL':
      return null;
    case 'NS':
      return (inner as string[]).map((n) => new LosslessNumber(n));
    case 'L':
      return (inner as CellValue[]).map(toPlainJson);
    case 'M':
      return Object.fromEntries(Object.entries(inner as Json).map(([k, v]) => [k, toPlainJson(v as CellValue)]));
    default:
      return inner;
  }
}

/**
 * The header type a column needs so that every cell written by `csvCellText` reads back as it was:
 * none when each cell's text alone says its type (a per-cell guess gets it right), else the one
 * type all its values share. A column mixing types whose texts would be misread (a string "42"
 * beside numbers) gets none and reads back by guess. A typed S, NULL or B column reads an empty
 * cell as a value, so it is typed only when every row has the attribute.
 */
export function csvColumnTypeFor(types: ReadonlySet<string>, guessedRight: boolean, presentInEveryRow: boolean): CsvColumnType | undefined {
  if (guessedRight || types.size !== 1) return undefined;
  const [type] = types as ReadonlySet<CsvColumnType>;
  if ((type === 'S' || type === 'NULL' || type === 'B') && !presentInEveryRow) return undefined;
  return type;
}

/** Would `csvCellValue(csvCellText(value), undefined)` give `value` back? */
export function cellTypeGuessedRight(value: CellValue): boolean {
  const [type] = Object.keys(value);
  switch (type) {
    case 'S': {
      const text = value.S as string;
      return text !== '' && csvCellValue(text, undefined)?.S === text;
    }
    case 'N':
      return CANONICAL_NUMBER.test(value.N as string);
    case 'BOOL':
      return true;
    case 'L':
    case 'M':
      return !containsPlainJsonLoss(value);
    default:
      return false;
  }
}

/** Sets, binary and lossy numbers inside a list or map do not survive plain JSON. */
function containsPlainJsonLoss(value: CellValue): boolean {
  const [type] = Object.keys(value);
  const inner = value[type!];
  if (type === 'SS' || type === 'NS' || type === 'BS' || type === 'B') return true;
  if (type === 'L') return (inner as CellValue[]).some(containsPlainJsonLoss);
  if (type === 'M') return Object.values(inner as Json).some((v) => containsPlainJsonLoss(v as CellValue));
  return false;
}
