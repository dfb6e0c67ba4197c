import { useRef, useState } from 'react';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';
import { EXPORT_FORMATS, ExportWriter, type ExportFormat } from './exportFormats.ts';
import { openExportSink, type ExportSink } from './exportSink.ts';
import type { ReadRequest } from './useItemPages.ts';
import './importExport.css';

const countFormat = new Intl.NumberFormat();

/** What to export: every item a read matches (paged with LastEvaluatedKey), or the selected rows. */
export type ExportSource = { kind: 'read'; request: ReadRequest; approximateTotal: number | undefined } | { kind: 'selection'; items: Item[] };

type Phase = { kind: 'options' } | { kind: 'running'; items: number; scanned: number; pages: number; startedAt: number; cancelling: boolean };

/**
 * Export items: pick the format (and for CSV, the grid's visible columns or every attribute), then
 * each page read is written out at once (a file chosen in the save dialog on the desktop, Blob
 * parts downloaded at the end in the browser), so an export of any size never sits in memory.
 * Cancel stops between pages and saves nothing.
 */
export function ExportItemsDialog({
  table,
  source,
  visibleColumns,
  onDone,
  onClose,
}: {
  table: TableRef;
  source: ExportSource;
  /** The grid's visible columns, in order, for a CSV of what the user sees. */
  visibleColumns: string[];
  /** The export finished or was cancelled; the text says what happened. */
  onDone(notice: string): void;
  onClose(): void;
}) {
  const [format, setFormat] = useState<ExportFormat>('dynamodb-array');
  const [csvColumns, setCsvColumns] = useState<'visible' | 'all'>('visible');
  const [phase, setPhase] = useState<Phase>({ kind: 'options' });
  const [error, setError] = useState<unknown>(null);
  const cancelled = useRef(false);
  const what = source.kind === 'selection' ? (source.items.length === 1 ? 'selected item' : 'selected items') : 'items';

  const start = async () => {
    const extension = EXPORT_FORMATS.find((f) => f.id === format)!.extension;
    const count = source.kind === 'selection' ? `${source.items.length}-items` : 'items';
    let sink: ExportSink | null = null;
    setError(null);
    try {
      sink = await openExportSink(`${table.tableName}-${count}.${extension}`, format === 'csv' ? 'text/csv' : 'application/json');
      if (!sink) return; // The save dialog was cancelled: stay on the options.
      const writer = new ExportWriter(format, format === 'csv' && csvColumns === 'visible' ? visibleColumns : undefined);
      const startedAt = performance.now();
      setPhase({ kind: 'running', items: 0, scanned: 0, pages: 0, startedAt, cancelling: false });
      if (source.kind === 'selection') {
        await sink.append(writer.page(source.items));
      } else {
        let scanned = 0;
        let pages = 0;
        let startKey: Item | undefined;
        do {
          const output = await dynamo<{ Items?: Item[]; LastEvaluatedKey?: Item; ScannedCount?: number }>(
            table.connection.id,
            source.request.operation,
            { ...source.request.input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) },
            table.namespace,
          );
          if (cancelled.current) {
            await sink.discard();
            onDone(`Export cancelled after ${countFormat.format(writer.itemCount)} items read; nothing was saved`);
            return;
          }
          await sink.append(writer.page(output.Items ?? []));
          scanned += output.ScannedCount ?? output.Items?.length ?? 0;
          pages++;
          startKey = output.LastEvaluatedKey;
          setPhase({ kind: 'running', items: writer.itemCount, scanned, pages, startedAt, cancelling: false });
        } while (startKey);
      }
      const { before, after } = writer.finish();
      const path = await sink.finish(before, after);
      const n = writer.itemCount;
      onDone(`Exported ${countFormat.format(n)} ${source.kind === 'selection' ? what : n === 1 ? 'item' : 'items'}${path ? ` to ${path}` : ''}`);
    } catch (err) {
      await sink?.discard().catch(() => undefined);
      setError(err);
      setPhase({ kind: 'options' });
    }
  };

  const cancel = () => {
    cancelled.current = true;
    setPhase((current) => (current.kind === 'running' ? { ...current, cancelling: true } : current));
  };

  if (phase.kind === 'options') {
    return (
      <Modal
        title={`Export items of ${table.tableName}`}
        onClose={onClose}
        footer={
          <>
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="button primary" onClick={() => void start()}>
              Export {source.kind === 'selection' ? `${source.items.length} ${what}` : `every item this ${source.request.operation} matches`}
            </button>
          </>
        }
      >
        <div className="export-options">
          <Field label="Format">
            <select aria-label="Export format" value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
              {EXPORT_FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </Field>
          {format === 'csv' ? (
            <div className="export-columns" role="radiogroup" aria-label="CSV columns">
              <label>
                <input type="radio" name="csv-columns" checked={csvColumns === 'visible'} onChange={() => setCsvColumns('visible')} /> The grid's visible columns ({visibleColumns.length})
              </label>
              <label>
                <input type="radio" name="csv-columns" checked={csvColumns === 'all'} onChange={() => setCsvColumns('all')} /> Every attribute
              </label>
            </div>
          ) : null}
        </div>
        <ErrorNotice error={error} />
      </Modal>
    );
  }

  const approximateTotal = source.kind === 'read' ? source.approximateTotal : source.items.length;
  const seconds = (performance.now() - phase.startedAt) / 1000;
  const determinate = approximateTotal !== undefined && approximateTotal >= phase.items;
  return (
    <Modal
      title={`Export items of ${table.tableName}`}
      onClose={cancel}
      footer={
        <button type="button" className="button" onClick={cancel} disabled={phase.cancelling}>
          Cancel
        </button>
      }
    >
      <div className="progress-block">
        {determinate && approximateTotal ? (
          <progress max={approximateTotal} value={phase.items} aria-label="Exporting items" />
        ) : (
          <progress aria-label="Exporting items" />
        )}
      </div>
      <p role="status" aria-label="Export progress">
        <strong>{countFormat.format(phase.items)}</strong> items read
        {approximateTotal ? ` of about ${countFormat.format(approximateTotal)}` : ''}
        {phase.scanned !== phase.items ? ` (${countFormat.format(phase.scanned)} scanned)` : ''}
        {source.kind === 'read' ? ` · ${countFormat.format(phase.pages)} ${phase.pages === 1 ? 'page' : 'pages'} by ${source.request.operation}` : ''}
        {seconds > 1 ? ` · ${countFormat.format(Math.round(phase.items / seconds))} items/s` : ''}
      </p>
      <ErrorNotice error={error} />
    </Modal>
  );
}
