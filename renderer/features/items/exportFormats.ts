/**
 * Writing exported items a page at a time: each format is text before the items (known only at
 * the end for CSV, whose header names every column seen), the pages, and text after them, so the
 * caller can stream pages to a file or Blob parts and never hold the whole export.
 */
import { stringify as stringifyLossless } from 'lossless-json';
import Papa from 'papaparse';
import { cellTypeGuessedRight, csvCellText, csvColumnTypeFor, csvHeaderTitle, toPlainJson } from '../../shared/csvCells.ts';
import type { Item } from '../../shared/attributeValues.ts';

export type ExportFormat = 'dynamodb-array' | 'dynamodb-lines' | 'plain-array' | 'csv';

export const EXPORT_FORMATS: readonly { id: ExportFormat; label: string; extension: string }[] = [
  { id: 'dynamodb-array', label: 'DynamoDB JSON (a JSON array, one item per line)', extension: 'json' },
  { id: 'dynamodb-lines', label: 'DynamoDB JSON Lines', extension: 'jsonl' },
  { id: 'plain-array', label: 'Plain JSON (sets become lists, binary base64 text)', extension: 'json' },
  { id: 'csv', label: 'CSV (nested values as JSON)', extension: 'csv' },
];

interface CsvColumnStats {
  types: Set<string>;
  guessedRight: boolean;
  present: number;
}

export class ExportWriter {
  private count = 0;
  private readonly columns: string[];
  private readonly columnIndex = new Map<string, number>();
  private readonly stats: CsvColumnStats[] = [];

  /** For CSV, `columns` fixes the columns written (the grid's visible ones); without it every attribute seen is one. */
  constructor(
    readonly format: ExportFormat,
    private readonly fixedColumns?: readonly string[],
  ) {
    this.columns = [];
    for (const name of fixedColumns ?? []) this.column(name);
  }

  get itemCount(): number {
    return this.count;
  }

  /** The text for the next page of items. */
  page(items: readonly Item[]): string {
    let text = '';
    for (const item of items) {
      switch (this.format) {
        case 'dynamodb-array':
          text += `${this.count ? ',\n' : ''}${JSON.stringify(item)}`;
          break;
        case 'plain-array':
          text += `${this.count ? ',\n' : ''}${stringifyLossless(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlainJson(v)])))}`;
          break;
        case 'dynamodb-lines':
          text += `${JSON.stringify(item)}\n`;
          break;
        case 'csv':
          text += this.csvRow(item);
          break;
      }
      this.count++;
    }
    return text;
  }

  /** What goes before and after the pages, once every item has been written. */
  finish(): { before: string; after: string } {
    switch (this.format) {
      case 'dynamodb-array':
      case 'plain-array':
        return this.count ? { before: '[\n', after: '\n]\n' } : { before: '[]\n', after: '' };
      case 'dynamodb-lines':
        return { before: '', after: '' };
      case 'csv': {
        const titles = this.columns.map((name, i) => {
          const { types, guessedRight, present } = this.stats[i]!;
          return csvHeaderTitle({ name, type: csvColumnTypeFor(types, guessedRight, present === this.count) });
        });
        return { before: `${Papa.unparse([titles], { newline: '\n' })}\n`, after: '' };
      }
    }
  }

  private column(name: string): number {
    let index = this.columnIndex.get(name);
    if (index === undefined) {
      index = this.columns.length;
      this.columns.push(name);
      this.columnIndex.set(name, index);
      this.stats.push({ types: new Set(), guessedRight: true, present: 0 });
    }
    return index;
  }

  private csvRow(item: Item): string {
    const cells: string[] = new Array<string>(this.columns.length).fill('');
    for (const [name, value] of Object.entries(item)) {
      if (this.fixedColumns && !this.columnIndex.has(name)) continue;
      const index = this.column(name);
      const stats = this.stats[index]!;
      stats.types.add(Object.keys(value)[0]!);
      stats.present++;
      if (stats.guessedRight && !cellTypeGuessedRight(value)) stats.guessedRight = false;
      cells[index] = csvCellText(value);
    }
    // Rows written before a column first appeared are shorter; a missing cell reads as absent.
    while (cells.length > 1 && cells.at(-1) === '') cells.pop();
    return `${Papa.unparse([cells], { newline: '\n' })}\n`;
  }
}

/** A whole export as one text (small exports and tests). */
export function exportText(items: readonly Item[], format: ExportFormat = 'dynamodb-array', columns?: readonly string[]): string {
  const writer = new ExportWriter(format, columns);
  const body = writer.page(items);
  const { before, after } = writer.finish();
  return before + body + after;
}
