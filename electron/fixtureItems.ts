/**
 * Items from fixture files, read without losing a digit: plain JSON numbers are kept as their
 * source text (lossless-json) and become DynamoDB numbers as written, and CSV files (papaparse)
 * become items with a type per column.
 *
 * CSV cells are typed by the rules the UI's CSV import shares (renderer/shared/csvCells.ts): by what a
 * cell holds (canonical numbers are N, so "0150" stays a string; true/false is BOOL; a JSON list
 * or object is L or M; an empty cell leaves the attribute out) or by a header suffix ("zip:S").
 */
import Papa from 'papaparse';
import { csvColumns, csvRowItem, parseJsonKeepingNumbers, toItem } from '../renderer/shared/csvCells.ts';

export { parseJsonKeepingNumbers, toItem };

type Json = Record<string, unknown>;

/** Items from CSV text: a header row, then one item per row (see the module comment for types). */
export function csvItems(text: string): Json[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((error) => error.type !== 'Delimiter');
  if (fatal) throw new Error(`CSV row ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
  const [header, ...rows] = parsed.data;
  if (!header) return [];
  const columns = csvColumns(header);
  return rows.map((row, r) => csvRowItem(columns, row, `CSV row ${r + 2}`));
}
