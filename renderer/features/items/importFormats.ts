/**
 * Reading an import file: which format it is, and turning its records into DynamoDB items checked
 * against the table's key. Pure code (no DOM), so it runs in tests and, record by record, on the
 * UI thread without holding it: `ImportReader.read` does a bounded amount of work per call.
 */
import { parseJson, plainToItem, validateItem, type Item } from '../../shared/attributeValues.ts';

export type ImportFormat = 'plain-array' | 'dynamodb-array' | 'plain-lines' | 'dynamodb-lines' | 's3-export';

export const IMPORT_FORMATS: readonly { id: ImportFormat; label: string }[] = [
  { id: 'plain-array', label: 'JSON array of plain items' },
  { id: 'dynamodb-array', label: 'JSON array in DynamoDB JSON (what Export writes)' },
  { id: 'plain-lines', label: 'JSON Lines of plain items' },
  { id: 'dynamodb-lines', label: 'JSON Lines in DynamoDB JSON' },
  { id: 's3-export', label: 'DynamoDB Export to S3 (one {"Item": …} per line)' },
];

/**
 * What Export writes: a JSON array of items in DynamoDB JSON, one item per line, so the file is
 * both plain JSON for any tool and easy to read line by line (and back in, as 'dynamodb-array').
 */
export function exportText(items: readonly Item[]): string {
  return items.length ? `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]\n` : '[]\n';
}

/** Key attribute names and their declared types (S, N or B). */
export type KeyTypes = Record<string, 'S' | 'N' | 'B'>;

export interface ImportProblem {
  /** Where the record sits: "line 7" for JSON Lines, "item 3 (line 12)" for arrays; 1-based. */
  where: string;
  reason: string;
}

const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
const SAMPLE_SIZE = 20;
/** Problems kept word for word; the rest are only counted. */
const MAX_PROBLEMS_KEPT = 50;

/**
 * Guesses the format from the first records. A leading `[` means an array, a leading `{` means
 * one record per line. Records whose every attribute is a one-key object named after a DynamoDB
 * type ({"S": "x"}) read as DynamoDB JSON; lines of `{"Item": {...}}` are an Export to S3.
 * Returns null when the text starts with neither (the user then picks).
 */
export function detectFormat(text: string): ImportFormat | null {
  const start = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const first = text[start];
  if (first === '[') {
    const splitter = new ArraySplitter(text);
    const sample: unknown[] = [];
    while (sample.length < SAMPLE_SIZE) {
      const record = splitter.next();
      if (!record || 'error' in record) break;
      sample.push(tryParse(record.text));
    }
    return looksTyped(sample) ? 'dynamodb-array' : 'plain-array';
  }
  if (first === '{') {
    const lines = new LineSplitter(text);
    const sample: unknown[] = [];
    while (sample.length < SAMPLE_SIZE) {
      const record = lines.next();
      if (!record || 'error' in record) break;
      sample.push(tryParse(record.text));
    }
    const isS3 = (value: unknown) => isObject(value) && Object.keys(value).length === 1 && isObject(value.Item);
    if (sample.length > 0 && isS3(sample[0])) return 's3-export';
    return looksTyped(sample) ? 'dynamodb-lines' : 'plain-lines';
  }
  return null;
}

function looksTyped(sample: unknown[]): boolean {
  const objects = sample.filter(isObject).filter((o) => Object.keys(o).length > 0);
  if (objects.length === 0) return false;
  const typed = objects.filter((o) => Object.values(o).every((v) => isObject(v) && Object.keys(v).length === 1 && TYPE_KEYS.has(Object.keys(v)[0]!)));
  return typed.length * 2 >= objects.length;
}

/**
 * Reads records from the text in the chosen format, a bounded number per `read` call, keeping the
 * valid items and the first problems (with every problem counted).
 */
export class ImportReader {
  readonly items: Item[] = [];
  /** Where each kept item came from ("line 7"), for reporting items DynamoDB refuses later. */
  readonly sources: string[] = [];
  readonly problems: ImportProblem[] = [];
  problemCount = 0;
  records = 0;
  done = false;
  private readonly splitter: Splitter;

  constructor(
    private readonly text: string,
    private readonly format: ImportFormat,
    private readonly keyTypes: KeyTypes,
  ) {
    this.splitter = format.endsWith('-array') ? new ArraySplitter(text) : new LineSplitter(text);
  }

  /** Share of the text read so far, 0..1. */
  get progress(): number {
    return this.text.length ? this.splitter.position / this.text.length : 1;
  }

  /** Reads up to `maxRecords` more records; returns true once the text is exhausted. */
  read(maxRecords: number): boolean {
    for (let n = 0; n < maxRecords && !this.done; n++) {
      const record = this.splitter.next();
      if (!record) {
        this.done = true;
        break;
      }
      if ('error' in record) {
        // The text's structure is broken (an array never closed): nothing after it can be trusted.
        this.problem(record.where, record.error);
        this.done = true;
        break;
      }
      this.records++;
      try {
        this.items.push(toItem(parseRecord(record.text), this.format, this.keyTypes));
        this.sources.push(record.where);
      } catch (error) {
        this.problem(record.where, (error as Error).message);
      }
    }
    return this.done;
  }

  private problem(where: string, reason: string) {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS_KEPT) this.problems.push({ where, reason });
  }
}

/** Reads the whole text at once (tests, small files). */
export function readAll(text: string, format: ImportFormat, keyTypes: KeyTypes): ImportReader {
  const reader = new ImportReader(text, format, keyTypes);
  while (!reader.read(10_000));
  return reader;
}

/**
 * Turns one record, as read by `parseJson` (numbers as LosslessNumbers), into an item of the
 * table, or throws an Error saying why it cannot be.
 */
export function toItem(value: unknown, format: ImportFormat, keyTypes: KeyTypes): Item {
  let item: unknown = value;
  if (format === 's3-export') {
    if (!isObject(value) || !isObject(value.Item)) throw new Error('expected {"Item": {...}} as written by DynamoDB Export to S3');
    item = value.Item;
  }
  if (!isObject(item)) throw new Error(`expected an object of attributes, found ${describe(item)}`);
  if (format.startsWith('plain')) {
    item = plainToItem(item);
  }
  validateItem(item);
  checkKey(item, keyTypes);
  return item;
}

const TYPE_NAMES: Record<string, string> = { S: 'a string (S)', N: 'a number (N)', B: 'binary (B)' };

/** DynamoDB's rules for key attributes: present, of the declared type, and not empty. */
function checkKey(item: Item, keyTypes: KeyTypes): void {
  for (const [name, type] of Object.entries(keyTypes)) {
    const value = item[name];
    if (!value) throw new Error(`key attribute "${name}" is missing`);
    if (!(type in value)) {
      const found = Object.keys(value)[0] ?? '';
      throw new Error(`key attribute "${name}" must be ${TYPE_NAMES[type]}, found ${TYPE_NAMES[found] ?? found}`);
    }
    if ((type === 'S' || type === 'B') && (value as Record<string, string>)[type] === '') {
      throw new Error(`key attribute "${name}" must not be empty`);
    }
  }
}

/** Parses one record keeping every number's digits (plain JSON numbers would otherwise become doubles). */
function parseRecord(text: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses a record to see its shape only (format detection), so doubles do no harm here. */
function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : typeof value;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

type SplitRecord = { text: string; where: string } | { error: string; where: string };

interface Splitter {
  readonly position: number;
  next(): SplitRecord | undefined;
}

/** One record per non-blank line (JSON Lines, Export to S3). */
class LineSplitter implements Splitter {
  position = 0;
  private line = 0;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.position = 1;
  }

  next(): SplitRecord | undefined {
    while (this.position < this.text.length) {
      const end = this.text.indexOf('\n', this.position);
      const stop = end === -1 ? this.text.length : end;
      const line = this.text.slice(this.position, stop).trim();
      this.position = Math.min(stop + 1, this.text.length);
      this.line++;
      if (line) return { text: line, where: `line ${this.line}` };
    }
    this.position = this.text.length;
    return undefined;
  }
}

/**
 * The elements of a top-level JSON array, one at a time, without parsing the whole array: it
 * walks the text tracking nesting and strings to find where each element ends, so each element
 * is parsed (and can fail) on its own, and a huge file is never one JSON.parse call.
 *
 *   [ {"a": "]"} , {"b": [1, 2]} ]
 *     ^ element 1  ^ element 2      ("]" inside a string does not close anything)
 */
class ArraySplitter implements Splitter {
  position: number;
  private line = 1;
  private index = 0;
  private state: 'start' | 'element' | 'after' | 'end' = 'start';

  constructor(private readonly text: string) {
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  next(): SplitRecord | undefined {
    const text = this.text;
    if (this.state === 'end') return undefined;
    if (this.state === 'start') {
      this.skip();
      if (text[this.position] !== '[') return this.fail('the file does not start with [');
      this.position++;
      this.skip();
      if (text[this.position] === ']') return this.finish();
      this.state = 'element';
    } else if (this.state === 'after') {
      this.skip();
      const c = text[this.position];
      if (c === ']') return this.finish();
      if (c !== ',') return this.fail(this.position >= text.length ? 'the array is never closed with ]' : `expected , or ] after item ${this.index}`);
      this.position++;
      this.state = 'element';
    }
    this.skip();
    if (this.position >= text.length) return this.fail('the array is never closed with ]');
    const start = this.position;
    const line = this.line;
    let depth = 0;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        i++;
        while (i < text.length) {
          const s = text.charCodeAt(i);
          if (s === 92 /* \ */) i += 2;
          else if (s === 34) break;
          else {
            if (s === 10) this.line++;
            i++;
          }
        }
        continue;
      }
      if (c === 123 /* { */ || c === 91 /* [ */) depth++;
      else if (c === 125 /* } */ || c === 93 /* ] */) {
        if (depth === 0) break; // The array's own closing bracket, after a bare value.
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === 44 /* , */ && depth === 0) break;
      else if (c === 10) this.line++;
    }
    this.position = i;
    this.index++;
    this.state = 'after';
    if (depth > 0) return this.fail(`item ${this.index} is never closed`);
    return { text: text.slice(start, i), where: `item ${this.index} (line ${line})` };
  }

  private skip() {
    const text = this.text;
    while (this.position < text.length) {
      const c = text.charCodeAt(this.position);
      if (!isSpace(c)) break;
      if (c === 10) this.line++;
      this.position++;
    }
  }

  private finish(): undefined {
    this.state = 'end';
    this.position = this.text.length;
    return undefined;
  }

  private fail(error: string): SplitRecord {
    const where = `line ${this.line}`;
    this.state = 'end';
    this.position = this.text.length;
    return { error, where };
  }
}
