/** The bench's table: each figure beside dynalite's, its ratio, its target and whether it was met. */

export type Target =
  | { kind: 'getItem'; ceilingShare: number; dynaliteTimes: number }
  | { kind: 'dynaliteTimes'; value: number }
  | { kind: 'atLeast'; value: number }
  | { kind: 'below'; value: number }
  | { kind: 'slowdownAtMost'; value: number; reference: number; /** What the reference is, e.g. "off". */ than: string };

export interface Row {
  name: string;
  unit: string;
  lens?: number;
  dynalite?: number;
  /** The bare node:http figure this row is read against. */
  ceiling?: number;
  target?: Target;
  /** Non-200 answers during the case: a case with errors is not a measurement. */
  errors?: number;
  lowerIsBetter?: boolean;
  note?: string;
}

function formatNumber(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ms' || unit === 'MB') return `${value.toFixed(value < 10 ? 2 : 0)} ${unit}`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

function ratioText(row: Row): string {
  const parts: string[] = [];
  if (row.ceiling !== undefined && row.lens !== undefined) parts.push(`${((row.lens / row.ceiling) * 100).toFixed(0)}% of ceiling`);
  if (row.dynalite !== undefined && row.lens !== undefined && row.dynalite > 0) {
    // Latencies and times read as ours over dynalite's (below 1 is better); rates as ours over dynalite's (above 1 is better).
    parts.push(row.lowerIsBetter ? `${(row.lens / row.dynalite).toFixed(2)}× dynalite's` : `${(row.lens / row.dynalite).toFixed(2)}× dynalite`);
  }
  if (row.note) parts.push(row.note);
  return parts.join('; ') || '—';
}

function targetText(target: Target | undefined, unit: string): string {
  if (!target) return '—';
  switch (target.kind) {
    case 'getItem':
      return `≥ ${target.ceilingShare * 100}% of ceiling and ≥ ${target.dynaliteTimes}× dynalite`;
    case 'dynaliteTimes':
      return `≥ ${target.value}× dynalite`;
    case 'atLeast':
      return `≥ ${formatNumber(target.value, unit)}`;
    case 'below':
      return `< ${formatNumber(target.value, unit)}`;
    case 'slowdownAtMost':
      return `≤ ${target.value * 100}% slower than ${target.than}`;
  }
}

function verdict(row: Row): string {
  if ((row.errors ?? 0) > 0) return `MISS (${row.errors} errors)`;
  const target = row.target;
  if (!target) return '—';
  const lens = row.lens;
  if (lens === undefined) return 'not measured';
  let met: boolean;
  switch (target.kind) {
    case 'getItem':
      if (row.ceiling === undefined || row.dynalite === undefined) return 'not measured';
      met = lens >= target.ceilingShare * row.ceiling && lens >= target.dynaliteTimes * row.dynalite;
      break;
    case 'dynaliteTimes':
      if (row.dynalite === undefined) return 'not measured';
      met = lens >= target.value * row.dynalite;
      break;
    case 'atLeast':
      met = lens >= target.value;
      break;
    case 'below':
      met = lens < target.value;
      break;
    case 'slowdownAtMost':
      met = lens >= (1 - target.value) * target.reference;
      break;
  }
  return met ? 'PASS' : 'MISS';
}

interface Cells {
  name: string;
  lens: string;
  dynalite: string;
  ratio: string;
  target: string;
  met: string;
}

function cells(row: Row): Cells {
  return {
    name: row.name,
    lens: row.lens === undefined && row.ceiling !== undefined && row.dynalite === undefined ? formatNumber(row.ceiling, row.unit) : formatNumber(row.lens, row.unit),
    dynalite: formatNumber(row.dynalite, row.unit),
    ratio: row.lens !== undefined ? ratioText(row) : row.ceiling !== undefined && row.dynalite === undefined ? '(ceiling)' : '—',
    target: targetText(row.target, row.unit),
    met: verdict(row),
  };
}

const HEADINGS: Cells = { name: 'Case', lens: 'Dynamo Lens', dynalite: 'dynalite', ratio: 'Ratio', target: 'Target', met: 'Met?' };
const COLUMNS = Object.keys(HEADINGS) as (keyof Cells)[];

export function renderText(rows: Row[]): string {
  const table = [HEADINGS, ...rows.map(cells)];
  const widths = COLUMNS.map((column) => Math.max(...table.map((r) => r[column].length)));
  const line = (r: Cells) => COLUMNS.map((column, i) => r[column].padEnd(widths[i])).join('  ').trimEnd();
  return [line(HEADINGS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((row) => line(cells(row)))].join('\n');
}

export function renderMarkdown(rows: Row[], method: string): string {
  const line = (r: Cells) => `| ${COLUMNS.map((column) => r[column].replace(/\|/g, '\\|')).join(' | ')} |`;
  return [`Method: ${method}`, '', line(HEADINGS), `|${COLUMNS.map(() => ' --- ').join('|')}|`, ...rows.map((row) => line(cells(row)))].join('\n');
}
