/**
 * Reading an import file: which format it is, and turning its records into DynamoDB items checked
 * against the table's key. Pure code (no DOM), so it runs in tests. The file arrives in pieces
 * (`ImportReader.push`), each read as far as its last whole record, so a 1 GB file is never one
 * string: the caller streams it from disk, takes the items read so far, and moves on.
 */
import Papa from 'papaparse';
import { csvColumns, csvRowItem, type CsvColumn, type CsvColumnType } from '../../shared/csvCells.ts';
import { normalizeNumbers, parseJson, plainToItem, validateItem, type Item } from '../../shared/attributeValues.ts';

export type ImportFormat = 'plain-array' | 'dynamodb-array' | 'plain-lines' | 'dynamodb-lines' | 's3-export' | 'csv';

export const IMPORT_FORMATS: readonly { id: ImportFormat; label: string }[] = [
  { id: 'plain-array', label: 'JSON array of plain items' },
  { id: 'dynamodb-array', label: 'JSON array in DynamoDB JSON (what Export writes)' },
  { id: 'plain-lines', label: 'JSON Lines of plain items' },
  { id: 'dynamodb-lines', label: 'JSON Lines in DynamoDB JSON' },
  { id: 's3-export', label: 'DynamoDB Export to S3 (one {"Item": …} per line)' },
  { id: 'csv', label: 'CSV with a header row' },
];

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
 * The longest record waited for across pieces. A DynamoDB item is at most 400 KB; past this a
 * record is a broken file (an unclosed quote or bracket), reported instead of buffered forever.
 */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;
/** CSV text read before guessing its delimiter and line break. */
const CSV_GUESS_CHARS = 64 * 1024;

/**
 * Guesses the format from the start of the file. A leading `[` means an array, a leading `{` means
 * one record per line. Records whose every attribute is a one-key object named after a DynamoDB
 * type ({"S": "x"}) read as DynamoDB JSON; lines of `{"Item": {...}}` are an Export to S3. A file
 * named .csv or .tsv is CSV; otherwise null when the text starts with neither (the user then picks).
 */
export function detectFormat(text: string, fileName = ''): ImportFormat | null {
  if (/\.(csv|tsv)$/i.test(fileName)) return 'csv';
  const start = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const first = text[start];
  const sampleOf = (splitter: Splitter) => {
    splitter.push(text);
    const sample: unknown[] = [];
    while (sample.length < SAMPLE_SIZE) {
      const record = splitter.next(false);
      if (!record || record === MORE || !('text' in record)) break;
      sample.push(tryParse(record.text));
    }
    return sample;
  };
  if (first === '[') return looksTyped(sampleOf(new ArraySplitter())) ? 'dynamodb-array' : 'plain-array';
  if (first === '{') {
    const sample = sampleOf(new LineSplitter());
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

/** A CSV column as the preview shows it: its header name and type, and the type used. */
export interface CsvColumnChoice extends CsvColumn {
  /** The type from the header suffix, if any. */
  headerType?: CsvColumnType;
}

/** Per-column type choices by column index: a type, or 'auto' for typing each cell by its text. */
export type CsvTypeChoices = Record<number, CsvColumnType | 'auto'>;

/**
 * Reads records in the chosen format from text given in pieces, keeping the valid items until
 * they are taken and the first problems (with every problem counted). Each `push` reads as far as
 * the last whole record; `end` reads the rest.
 */
export class ImportReader {
  /** Items read and not yet taken. */
  items: Item[] = [];
  /** Where each item in `items` came from ("line 7"), for reporting items DynamoDB refuses later. */
  sources: string[] = [];
  readonly problems: ImportProblem[] = [];
  problemCount = 0;
  records = 0;
  /** Valid items read so far, taken or not. */
  validCount = 0;
  done = false;
  private readonly splitter: Splitter;

  constructor(
    private readonly format: ImportFormat,
    private readonly keyTypes: KeyTypes,
    csvTypes: CsvTypeChoices = {},
  ) {
    this.splitter = format === 'csv' ? new CsvSplitter(csvTypes) : format.endsWith('-array') ? new ArraySplitter() : new LineSplitter();
  }

  /** The CSV header's columns once the header row is read (CSV only). */
  get csvColumns(): readonly CsvColumnChoice[] | undefined {
    return this.splitter instanceof CsvSplitter ? this.splitter.columns : undefined;
  }

  /** Reads every whole record in the text so far plus `text`. */
  push(text: string): void {
    if (this.done) return;
    this.splitter.push(text);
    this.drain(false);
  }

  /** The text has all been pushed: reads what is left. */
  end(): void {
    if (this.done) return;
    this.drain(true);
    this.done = true;
  }

  /** Hands over the items read since the last take, with their sources. */
  take(): { items: Item[]; sources: string[] } {
    const taken = { items: this.items, sources: this.sources };
    this.items = [];
    this.sources = [];
    return taken;
  }

  private drain(final: boolean) {
    for (;;) {
      const record = this.splitter.next(final);
      if (!record || record === MORE) return;
      if ('error' in record) {
        // The text's structure is broken (an array never closed): nothing after it can be trusted.
        this.problem(record.where, record.error);
        this.done = true;
        return;
      }
      this.records++;
      try {
        this.items.push('cells' in record ? this.csvItem(record.cells, record.where) : toItem(parseRecord(record.text), this.format, this.keyTypes));
        this.sources.push(record.where);
        this.validCount++;
      } catch (error) {
        this.problem(record.where, (error as Error).message);
      }
    }
  }

  /** A CSV row typed into DynamoDB JSON by the shared cell rules, numbers as stored, key checked. */
  private csvItem(cells: string[], where: string): Item {
    const item = normalizeNumbers(csvRowItem((this.splitter as CsvSplitter).typedColumns, cells, where));
    checkKey(item, this.keyTypes);
    return item;
  }

  private problem(where: string, reason: string) {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS_KEPT) this.problems.push({ where, reason });
  }
}

/** Reads the whole text at once (tests, small files). */
export function readAll(text: string, format: ImportFormat, keyTypes: KeyTypes, csvTypes?: CsvTypeChoices): ImportReader {
  const reader = new ImportReader(format, keyTypes, csvTypes);
  reader.push(text);
  reader.end();
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

type SplitRecord = { text: string; where: string } | { cells: string[]; where: string } | { error: string; where: string };

/** `next` needs more text before it can tell where the next record ends. */
const MORE = 'more' as const;

interface Splitter {
  /** Appends text; what was already handed out is dropped. */
  push(text: string): void;
  /** The next whole record; MORE when the text so far ends inside one (unless `final`); undefined at the end. */
  next(final: boolean): SplitRecord | typeof MORE | undefined;
}

/** One record per non-blank line (JSON Lines, Export to S3). */
class LineSplitter implements Splitter {
  private text = '';
  private position = 0;
  private line = 0;
  private started = false;

  push(text: string) {
    this.text = this.text.slice(this.position) + text;
    this.position = 0;
    if (!this.started && this.text) {
      this.started = true;
      if (this.text.charCodeAt(0) === 0xfeff) this.position = 1;
    }
  }

  next(final: boolean): SplitRecord | typeof MORE | undefined {
    while (this.position < this.text.length) {
      const end = this.text.indexOf('\n', this.position);
      if (end === -1 && !final) {
        if (this.text.length - this.position > MAX_RECORD_CHARS) return this.tooLong();
        return MORE;
      }
      const stop = end === -1 ? this.text.length : end;
      const line = this.text.slice(this.position, stop).trim();
      this.position = Math.min(stop + 1, this.text.length);
      this.line++;
      if (line) return { text: line, where: `line ${this.line}` };
    }
    return final ? undefined : MORE;
  }

  private tooLong(): SplitRecord {
    this.position = this.text.length;
    return { error: `line ${this.line + 1} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB`, where: `line ${this.line + 1}` };
  }
}

/**
 * The elements of a top-level JSON array, one at a time, without parsing the whole array: it
 * walks the text tracking nesting and strings to find where each element ends, so each element
 * is parsed (and can fail) on its own, and a huge file is never one JSON.parse call. An element
 * cut by the end of a piece is walked again from its start once the next piece arrives.
 *
 *   [ {"a": "]"} , {"b": [1, 2]} ]
 *     ^ element 1  ^ element 2      ("]" inside a string does not close anything)
 */
class ArraySplitter implements Splitter {
  private text = '';
  private position = 0;
  private line = 1;
  private index = 0;
  private state: 'bom' | 'start' | 'element' | 'after' | 'end' = 'bom';

  push(text: string) {
    this.text = this.text.slice(this.position) + text;
    this.position = 0;
    if (this.state === 'bom' && this.text) {
      if (this.text.charCodeAt(0) === 0xfeff) this.position = 1;
      this.state = 'start';
    }
  }

  next(final: boolean): SplitRecord | typeof MORE | undefined {
    const text = this.text;
    if (this.state === 'end') return undefined;
    if (this.state === 'bom') return final ? this.fail('the file does not start with [') : MORE;
    if (this.state === 'start') {
      this.skip();
      if (this.position >= text.length) return final ? this.fail('the file does not start with [') : MORE;
      if (text[this.position] !== '[') return this.fail('the file does not start with [');
      this.position++;
      this.state = 'element';
      this.skip();
      if (this.position >= text.length && !final) return MORE;
      if (text[this.position] === ']') return this.finish();
    } else if (this.state === 'after') {
      this.skip();
      if (this.position >= text.length && !final) return MORE;
      const c = text[this.position];
      if (c === ']') return this.finish();
      if (c !== ',') return this.fail(this.position >= text.length ? 'the array is never closed with ]' : `expected , or ] after item ${this.index}`);
      this.position++;
      this.state = 'element';
    }
    this.skip();
    if (this.position >= text.length) return final ? this.fail('the array is never closed with ]') : MORE;
    const start = this.position;
    const startLine = this.line;
    let depth = 0;
    let i = start;
    let closed = false;
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
        if (depth === 0) {
          closed = true; // The array's own closing bracket, after a bare value.
          break;
        }
        depth--;
        if (depth === 0) {
          i++;
          closed = true;
          break;
        }
      } else if (c === 44 /* , */ && depth === 0) {
        closed = true;
        break;
      } else if (c === 10) this.line++;
    }
    if (!closed && !final) {
      // The element runs past this piece: walk it again when more text has come.
      this.line = startLine;
      if (text.length - start > MAX_RECORD_CHARS) return this.fail(`item ${this.index + 1} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB`);
      return MORE;
    }
    i = Math.min(i, text.length);
    this.position = i;
    this.index++;
    this.state = 'after';
    if (depth > 0) return this.fail(`item ${this.index} is never closed`);
    return { text: text.slice(start, i), where: `item ${this.index} (line ${startLine})` };
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

/**
 * CSV rows through papaparse's core parser, a piece at a time: each piece is parsed up to its last
 * whole row and the rest (a row cut in two, a quoted field spanning lines) waits for the next. The
 * delimiter and line break are guessed from the first piece; the first row is the header.
 */
class CsvSplitter implements Splitter {
  columns: CsvColumnChoice[] | undefined;
  typedColumns: CsvColumn[] = [];
  private parser: Papa.Parser | undefined;
  private text = '';
  /** Rows parsed and not yet handed out; a row whose quote never closes is its error instead. */
  private rows: (string[] | { error: string })[] = [];
  private rowNumber = 0;
  private started = false;

  constructor(private readonly choices: CsvTypeChoices) {}

  push(text: string) {
    this.text += text;
    if (!this.started && this.text) {
      this.started = true;
      if (this.text.charCodeAt(0) === 0xfeff) this.text = this.text.slice(1);
    }
  }

  next(final: boolean): SplitRecord | typeof MORE | undefined {
    for (;;) {
      const cells = this.rows.shift();
      if (cells) {
        this.rowNumber++;
        if ('error' in cells) return { error: cells.error, where: `row ${this.rowNumber}` };
        // Blank lines (every cell empty) are skipped, as in fixtures.
        if (cells.every((cell) => cell.trim() === '')) continue;
        if (!this.columns) {
          this.columns = csvColumns(cells).map((column) => ({ ...column, headerType: column.type }));
          this.typedColumns = this.columns.map((column, index) => {
            const choice = this.choices[index];
            return { name: column.name, type: choice === undefined ? column.type : choice === 'auto' ? undefined : choice };
          });
          continue;
        }
        return { cells, where: `row ${this.rowNumber}` };
      }
      if (!this.text) return final ? undefined : MORE;
      if (!this.parse(final)) return final ? undefined : MORE;
    }
  }

  /** Parses the buffered text up to its last whole row; false when no row is whole yet. */
  private parse(final: boolean): boolean {
    if (!this.parser) {
      // Guess from a fair sample: a few bytes could not tell a delimiter from text.
      if (this.text.length < CSV_GUESS_CHARS && !final) return false;
      const guess = Papa.parse<string[]>(this.text.slice(0, CSV_GUESS_CHARS), { preview: SAMPLE_SIZE });
      this.parser = new Papa.Parser({ delimiter: guess.meta.delimiter || ',', newline: (guess.meta.linebreak || '\n') as '\n' });
    }
    const result = this.parser.parse(this.text, 0, !final);
    const cursor = final ? this.text.length : result.meta.cursor;
    if (result.data.length === 0 && !final) {
      if (this.text.length > MAX_RECORD_CHARS) {
        this.rows.push({ error: `CSV: a row is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB (an unclosed quote?)` });
        this.text = '';
        return true;
      }
      return false;
    }
    const rows: (string[] | { error: string })[] = result.data as string[][];
    // A quote left open at the very end of the file swallows the rest into one field: that row is
    // reported, not read. Other complaints (a stray quote mid-field) still yield a row, checked as usual.
    for (const error of result.errors as Papa.ParseError[]) {
      if (error.code === 'MissingQuotes' && error.row !== undefined && rows[error.row]) rows[error.row] = { error: `CSV: ${error.message}` };
    }
    this.rows.push(...rows);
    this.text = this.text.slice(cursor);
    return true;
  }
}
