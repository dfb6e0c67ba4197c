import { useEffect, useRef, useState } from 'react';
import { CSV_COLUMN_TYPES, type CsvColumnType } from '../../shared/csvCells.ts';
import type { ItemWriteFailure } from '../../../electron/contract.ts';
import { api, call } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { readTextPieces } from '../../shared/fileText.ts';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';
import { detectFormat, IMPORT_FORMATS, ImportReader, type CsvColumnChoice, type CsvTypeChoices, type ImportFormat, type ImportProblem, type KeyTypes } from './importFormats.ts';
import './importExport.css';

const countFormat = new Intl.NumberFormat();
/**
 * Items sent to the backend per `items/import` call; the backend writes them 25 at a time with
 * several BatchWriteItem calls in flight, so a call must hold many chunks to keep them all busy.
 */
const ITEMS_PER_CALL = 4000;
/** The start of the file read to guess its format. */
const SAMPLE_BYTES = 256 * 1024;
const PROBLEMS_SHOWN = 5;
const ITEMS_PREVIEWED = 3;

type Phase =
  | { kind: 'pick' }
  | { kind: 'checking'; progress: number }
  | { kind: 'ready' }
  | { kind: 'importing'; written: number; total: number; startedAt: number; now: number; cancelling: boolean }
  | { kind: 'done'; written: number; total: number; failed: (ItemWriteFailure & { where: string })[]; cancelled: boolean; seconds: number };

/** What the check pass found: counts, the first problems and items, and CSV's columns. */
interface CheckResult {
  valid: number;
  problems: ImportProblem[];
  problemCount: number;
  preview: Item[];
  csvColumns?: readonly CsvColumnChoice[];
}

interface ChosenFile {
  file: File;
  detected: ImportFormat | null;
}

/**
 * Import items from a file: pick it, see the detected format (and change it; for CSV, each column's
 * type), see how many items are valid and the first problems, then write the valid ones with
 * progress and Cancel. The file is never read whole: the check and the import each stream it from
 * disk a piece at a time, and the import sends batches to the backend as they fill, waiting for
 * each (BatchWriteItem in chunks of 25 with retries, so local and remote connections behave alike).
 */
export function ImportItemsDialog({
  table,
  keyTypes: initialKeyTypes,
  onClose,
}: {
  table: TableRef;
  keyTypes: KeyTypes;
  /** Says how many items were written, so the view can reload when there are some. */
  onClose(written: number): void;
}) {
  // The key is fixed for the dialog's life: a re-read table description must not restart the check.
  const [keyTypes] = useState(initialKeyTypes);
  const writtenTotal = useRef(0);
  const close = () => onClose(writtenTotal.current);
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [format, setFormat] = useState<ImportFormat>('plain-array');
  const [csvTypes, setCsvTypes] = useState<CsvTypeChoices>({});
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'pick' });
  const [error, setError] = useState<unknown>(null);
  const [taskId] = useState(() => `import-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const cancelRequested = useRef(false);
  const writtenBefore = useRef(0);

  // Progress comes after every chunk of 25, hundreds a second: draw it once a frame, not per event,
  // so rendering does not compete with the import for the CPU.
  useEffect(() => {
    let latest: number | undefined;
    let frame: number | undefined;
    const draw = () => {
      frame = undefined;
      const written = latest;
      if (written === undefined) return;
      setPhase((current) => (current.kind === 'importing' ? { ...current, written, now: performance.now() } : current));
    };
    const unsubscribe = api.on('task/progress', (p) => {
      if (p.taskId !== taskId) return;
      latest = writtenBefore.current + p.done;
      frame ??= requestAnimationFrame(draw);
    });
    return () => {
      unsubscribe();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [taskId]);

  // Check the whole file whenever it, the format or a CSV column's type changes, streaming it.
  useEffect(() => {
    if (!chosen) return;
    let stale = false;
    setCheck(null);
    setPhase({ kind: 'checking', progress: 0 });
    void (async () => {
      const reader = new ImportReader(format, keyTypes, csvTypes);
      const preview: Item[] = [];
      const size = chosen.file.size || 1;
      try {
        for await (const piece of readTextPieces(chosen.file)) {
          if (stale) return;
          reader.push(piece.text);
          keepPreview(preview, reader.take().items);
          setPhase({ kind: 'checking', progress: piece.bytesRead / size });
        }
        reader.end();
        keepPreview(preview, reader.take().items);
      } catch (err) {
        if (!stale) setError(err);
        return;
      }
      if (stale) return;
      setCheck({ valid: reader.validCount, problems: reader.problems, problemCount: reader.problemCount, preview, ...(reader.csvColumns ? { csvColumns: reader.csvColumns } : {}) });
      setPhase({ kind: 'ready' });
    })();
    return () => void (stale = true);
  }, [chosen, format, keyTypes, csvTypes]);

  const load = async (file: File) => {
    setError(null);
    try {
      const detected = detectFormat(await file.slice(0, SAMPLE_BYTES).text(), file.name);
      setFormat(detected ?? 'plain-array');
      setCsvTypes({});
      setChosen({ file, detected });
    } catch (err) {
      setError(err);
    }
  };

  const run = async () => {
    if (!chosen || !check) return;
    const total = check.valid;
    const startedAt = performance.now();
    const failed: (ItemWriteFailure & { where: string })[] = [];
    let written = 0;
    let cancelled = false;
    cancelRequested.current = false;
    writtenBefore.current = 0;
    setError(null);
    setPhase({ kind: 'importing', written: 0, total, startedAt, now: startedAt, cancelling: false });
    const reader = new ImportReader(format, keyTypes, csvTypes);
    let pending: Item[] = [];
    let pendingSources: string[] = [];
    /** The call in flight: one at a time keeps the file's order, and the next batch is read meanwhile. */
    let inFlight: Promise<void> | undefined;
    const sendBatch = async (items: Item[], sources: string[]) => {
      writtenBefore.current = written;
      const result = await call('items/import', {
        connectionId: table.connection.id,
        ...(table.namespace ? { namespace: table.namespace } : {}),
        tableName: table.tableName,
        items,
        taskId,
      });
      written += result.written;
      writtenTotal.current += result.written;
      for (const failure of result.failed) failed.push({ ...failure, where: sources[failure.index] ?? `item ${failure.index + 1}` });
      if (result.cancelled) cancelled = true;
    };
    /**
     * Sends the pending items (all, or only whole batches). Waits for the call before, not for its
     * own: the file is read at most one batch ahead of what is written, so memory stays bounded.
     */
    const send = async (all: boolean) => {
      while (pending.length >= (all ? 1 : ITEMS_PER_CALL) && !cancelled) {
        await inFlight;
        if (cancelRequested.current) cancelled = true;
        if (cancelled) return;
        const items = pending.slice(0, ITEMS_PER_CALL);
        const sources = pendingSources.slice(0, ITEMS_PER_CALL);
        pending = pending.slice(ITEMS_PER_CALL);
        pendingSources = pendingSources.slice(ITEMS_PER_CALL);
        inFlight = sendBatch(items, sources);
        // Its failure is taken where it is awaited; until then it must not count as unhandled.
        inFlight.catch(() => undefined);
      }
    };
    const takeFromReader = () => {
      const taken = reader.take();
      pending = pending.concat(taken.items);
      pendingSources = pendingSources.concat(taken.sources);
    };
    try {
      for await (const piece of readTextPieces(chosen.file)) {
        reader.push(piece.text);
        takeFromReader();
        await send(false);
        if (cancelled || cancelRequested.current) break;
      }
      if (!cancelled && !cancelRequested.current) {
        reader.end();
        takeFromReader();
        await send(true);
      }
      await inFlight;
      if (cancelRequested.current) cancelled = true;
    } catch (err) {
      setError(err);
      cancelled = true;
      // A file that failed to read while a call was in flight: count what that call wrote.
      await inFlight?.catch(() => undefined);
    }
    setPhase({ kind: 'done', written, total, failed, cancelled, seconds: (performance.now() - startedAt) / 1000 });
  };

  const cancel = () => {
    cancelRequested.current = true;
    setPhase((current) => (current.kind === 'importing' ? { ...current, cancelling: true } : current));
    void call('tasks/cancel', { taskId });
  };

  const importing = phase.kind === 'importing';
  const validCount = check?.valid ?? 0;
  const footer =
    // Keyed apart: when the import ends under a click meant for Cancel, the click must not land on
    // the same button become Close, which would dismiss the summary unread.
    phase.kind === 'importing' ? (
      <button key="cancel" type="button" className="button" onClick={cancel} disabled={phase.cancelling}>
        {phase.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    ) : phase.kind === 'done' ? (
      <button key="close" type="button" className="button primary" autoFocus onClick={close}>
        Close
      </button>
    ) : (
      <>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button primary" disabled={phase.kind !== 'ready' || validCount === 0} onClick={() => void run()}>
          Import {countFormat.format(validCount)} {validCount === 1 ? 'item' : 'items'}
        </button>
      </>
    );

  return (
    <Modal title={`Import items into ${table.tableName}`} onClose={importing ? cancel : close} footer={footer} wide className="import-dialog">
      {phase.kind !== 'importing' && phase.kind !== 'done' ? (
        <div className="import-source">
          {/* In the desktop app too: Electron shows its native dialog for a file input, and a File streams from disk. */}
          <Field label="File">
            <input
              type="file"
              aria-label="File to import"
              accept=".json,.jsonl,.ndjson,.csv,.tsv,application/json,text/csv,text/plain"
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void load(file);
              }}
            />
          </Field>
          {chosen ? (
            <Field label="Format" hint={chosen.detected ? 'Detected from the first records; change it if it is wrong.' : 'Not recognised: pick the format.'}>
              <select aria-label="Format" value={format} onChange={(event) => setFormat(event.target.value as ImportFormat)}>
                {IMPORT_FORMATS.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                    {f.id === chosen.detected ? ' (detected)' : ''}
                  </option>
                ))}
              </select>
            </Field>
          ) : (
            <p className="import-hint">
              A JSON array or JSON Lines of items, in plain JSON or DynamoDB JSON, a DynamoDB Export to S3 file, a CSV file with a header row, or a file
              written by Export. Each item
              must carry the key {Object.entries(keyTypes).map(([name, type], i) => (
                <span key={name}>
                  {i ? ' and ' : ''}
                  <code>{name}</code> ({type})
                </span>
              ))}
              .
            </p>
          )}
        </div>
      ) : null}

      {phase.kind === 'checking' ? (
        <div className="progress-block">
          <progress max={1} value={phase.progress} aria-label="Checking items" />
          <span>Checking {chosen?.file.name}…</span>
        </div>
      ) : null}

      {phase.kind === 'ready' && check?.csvColumns ? (
        <CsvColumnTypes columns={check.csvColumns} choices={csvTypes} onChange={(index, type) => setCsvTypes((current) => ({ ...current, [index]: type }))} />
      ) : null}
      {phase.kind === 'ready' && check ? <CheckSummary check={check} fileName={chosen?.file.name ?? ''} /> : null}

      {phase.kind === 'importing' ? (
        <div className="import-progress">
          <div className="progress-block">
            <progress max={phase.total} value={phase.written} aria-label="Importing items" />
          </div>
          <p role="status" aria-label="Import progress">
            <strong>{countFormat.format(phase.written)}</strong> of {countFormat.format(phase.total)} written
            {' · '}
            {countFormat.format(rate(phase.written, phase.now - phase.startedAt))} items/s
            {phase.cancelling ? ' · stopping after the batch in flight…' : ''}
          </p>
        </div>
      ) : null}

      {phase.kind === 'done' ? <ImportSummary phase={phase} skipped={check?.problemCount ?? 0} /> : null}
      <ErrorNotice error={error} />
    </Modal>
  );
}

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

/** Keeps the first items read, for the preview; the rest of the check's items are dropped as read. */
function keepPreview(preview: Item[], items: Item[]) {
  for (const item of items) {
    if (preview.length >= ITEMS_PREVIEWED) return;
    preview.push(item);
  }
}

const TYPE_LABELS: Record<CsvColumnType, string> = {
  S: 'String (S)',
  N: 'Number (N)',
  B: 'Binary, base64 (B)',
  BOOL: 'Boolean (BOOL)',
  NULL: 'Null (NULL)',
  L: 'List, JSON (L)',
  M: 'Map, JSON (M)',
  SS: 'String set, JSON list (SS)',
  NS: 'Number set, JSON list (NS)',
  BS: 'Binary set, JSON list (BS)',
};

/** Each CSV column's type: typed per cell by default (or as its header says), or one type for all its cells. */
function CsvColumnTypes({
  columns,
  choices,
  onChange,
}: {
  columns: readonly CsvColumnChoice[];
  choices: CsvTypeChoices;
  onChange(index: number, type: CsvColumnType | 'auto'): void;
}) {
  return (
    <fieldset className="csv-columns" aria-label="Column types">
      <legend>Column types</legend>
      {columns.map((column, index) => (
        <label key={index} className="csv-column">
          <span>{column.name}</span>
          <select aria-label={`Type of column ${column.name}`} value={choices[index] ?? column.headerType ?? 'auto'} onChange={(event) => onChange(index, event.target.value as CsvColumnType | 'auto')}>
            <option value="auto">Guess per cell</option>
            {CSV_COLUMN_TYPES.map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

function CheckSummary({ check, fileName }: { check: CheckResult; fileName: string }) {
  const { valid, problemCount, problems, preview } = check;
  return (
    <div className="import-check" role="region" aria-label="Check results">
      <p>
        <strong>{countFormat.format(valid)}</strong> valid {valid === 1 ? 'item' : 'items'} in {fileName}
        {problemCount ? (
          <>
            {' · '}
            <span className="import-bad">
              {countFormat.format(problemCount)} {problemCount === 1 ? 'problem' : 'problems'} (skipped)
            </span>
          </>
        ) : null}
      </p>
      {problemCount ? <ProblemList problems={problems.map((p) => `${p.where}: ${p.reason}`)} total={problemCount} /> : null}
      {valid ? <ItemPreview items={preview} /> : null}
    </div>
  );
}

/** The first items exactly as they will be written: DynamoDB JSON, numbers as the strings stored. */
function ItemPreview({ items }: { items: Item[] }) {
  return (
    <figure className="import-preview" aria-label="Preview">
      <figcaption>
        {items.length === 1 ? 'The first item, as it will be written' : `The first ${items.length} items, as they will be written`} (DynamoDB JSON)
      </figcaption>
      <ol>
        {items.map((item, i) => (
          <li key={i}>
            <code>{JSON.stringify(item)}</code>
          </li>
        ))}
      </ol>
    </figure>
  );
}

function ProblemList({ problems, total }: { problems: string[]; total: number }) {
  return (
    <ul className="import-problems" aria-label="Problems">
      {problems.slice(0, PROBLEMS_SHOWN).map((text, i) => (
        <li key={i}>{text}</li>
      ))}
      {total > PROBLEMS_SHOWN ? <li className="import-more">and {countFormat.format(total - PROBLEMS_SHOWN)} more</li> : null}
    </ul>
  );
}

function ImportSummary({ phase, skipped }: { phase: Extract<Phase, { kind: 'done' }>; skipped: number }) {
  const { written, total, failed, cancelled, seconds } = phase;
  return (
    <div className="import-summary" role="region" aria-label="Import summary">
      <p className="import-headline">
        {cancelled ? 'Stopped: ' : 'Done: '}
        <strong>{countFormat.format(written)}</strong> of {countFormat.format(total)} items written
        {seconds > 0 ? ` in ${seconds.toFixed(1)} s` : ''}.
      </p>
      <dl className="import-counts">
        <div>
          <dt>Written</dt>
          <dd>{countFormat.format(written)}</dd>
        </div>
        <div>
          <dt>Skipped (invalid)</dt>
          <dd>{countFormat.format(skipped)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{countFormat.format(failed.length)}</dd>
        </div>
        {cancelled ? (
          <div>
            <dt>Not sent</dt>
            <dd>{countFormat.format(total - written - failed.length)}</dd>
          </div>
        ) : null}
      </dl>
      {failed.length ? <ProblemList problems={failed.map((f) => `${f.where}: ${f.code}: ${f.message}`)} total={failed.length} /> : null}
    </div>
  );
}
