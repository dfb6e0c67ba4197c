import { useEffect, useRef, useState } from 'react';
import type { ItemWriteFailure } from '../../../electron/contract.ts';
import { api, call } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';
import { detectFormat, IMPORT_FORMATS, ImportReader, type ImportFormat, type KeyTypes } from './importFormats.ts';
import './importExport.css';

const countFormat = new Intl.NumberFormat();
/** Records checked per slice before yielding to the browser, so a 100,000-item file never freezes it. */
const RECORDS_PER_SLICE = 2000;
/** Items sent to the backend per `items/import` call; the backend writes them 25 at a time. */
const ITEMS_PER_CALL = 500;
const PROBLEMS_SHOWN = 5;
const ITEMS_PREVIEWED = 3;

type Phase =
  | { kind: 'pick' }
  | { kind: 'checking'; progress: number }
  | { kind: 'ready' }
  | { kind: 'importing'; written: number; total: number; startedAt: number; now: number; cancelling: boolean }
  | { kind: 'done'; written: number; total: number; failed: (ItemWriteFailure & { where: string })[]; cancelled: boolean; seconds: number };

interface LoadedFile {
  name: string;
  text: string;
  detected: ImportFormat | null;
}

/**
 * Import items from a file: pick it, see the detected format (and change it), see how many items
 * are valid and the first problems, then write the valid ones with progress and Cancel. Checking
 * runs in slices between frames; writing streams batches to the backend, which runs BatchWriteItem
 * in chunks of 25 with retries, so local and remote connections behave alike.
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
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [format, setFormat] = useState<ImportFormat>('plain-array');
  const [reader, setReader] = useState<ImportReader | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'pick' });
  const [error, setError] = useState<unknown>(null);
  const [taskId] = useState(() => `import-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const cancelRequested = useRef(false);
  const writtenBefore = useRef(0);

  useEffect(
    () =>
      api.on('task/progress', (p) => {
        if (p.taskId !== taskId) return;
        setPhase((current) =>
          current.kind === 'importing' ? { ...current, written: writtenBefore.current + p.done, now: performance.now() } : current,
        );
      }),
    [taskId],
  );

  // Check the file whenever it or the chosen format changes, a slice at a time.
  useEffect(() => {
    if (!file) return;
    let stale = false;
    const next = new ImportReader(file.text, format, keyTypes);
    setReader(null);
    setPhase({ kind: 'checking', progress: 0 });
    const step = () => {
      if (stale) return;
      if (next.read(RECORDS_PER_SLICE)) {
        setReader(next);
        setPhase({ kind: 'ready' });
      } else {
        setPhase({ kind: 'checking', progress: next.progress });
        setTimeout(step, 0);
      }
    };
    setTimeout(step, 0);
    return () => void (stale = true);
  }, [file, format, keyTypes]);

  const load = (name: string, text: string) => {
    const detected = detectFormat(text);
    setError(null);
    setFormat(detected ?? 'plain-array');
    setFile({ name, text, detected });
  };

  const chooseNative = async () => {
    try {
      const chosen = await call('files/open', { title: `Import items into ${table.tableName}` });
      if (chosen) load(chosen.name, chosen.content);
    } catch (err) {
      setError(err);
    }
  };

  const run = async () => {
    if (!reader) return;
    const items = reader.items;
    const total = items.length;
    const startedAt = performance.now();
    const failed: (ItemWriteFailure & { where: string })[] = [];
    let written = 0;
    let cancelled = false;
    cancelRequested.current = false;
    writtenBefore.current = 0;
    setError(null);
    setPhase({ kind: 'importing', written: 0, total, startedAt, now: startedAt, cancelling: false });
    try {
      for (let start = 0; start < total; start += ITEMS_PER_CALL) {
        if (cancelRequested.current) {
          cancelled = true;
          break;
        }
        writtenBefore.current = written;
        const result = await call('items/import', {
          connectionId: table.connection.id,
          ...(table.namespace ? { namespace: table.namespace } : {}),
          tableName: table.tableName,
          items: items.slice(start, start + ITEMS_PER_CALL),
          taskId,
        });
        written += result.written;
        writtenTotal.current += result.written;
        for (const failure of result.failed) failed.push({ ...failure, where: reader.sources[start + failure.index] ?? `item ${start + failure.index + 1}` });
        if (result.cancelled) {
          cancelled = true;
          break;
        }
      }
    } catch (err) {
      setError(err);
      cancelled = true;
    }
    setPhase({ kind: 'done', written, total, failed, cancelled, seconds: (performance.now() - startedAt) / 1000 });
  };

  const cancel = () => {
    cancelRequested.current = true;
    setPhase((current) => (current.kind === 'importing' ? { ...current, cancelling: true } : current));
    void call('tasks/cancel', { taskId });
  };

  const importing = phase.kind === 'importing';
  const validCount = reader?.items.length ?? 0;
  const footer =
    phase.kind === 'importing' ? (
      <button type="button" className="button" onClick={cancel} disabled={phase.cancelling}>
        {phase.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    ) : phase.kind === 'done' ? (
      <button type="button" className="button primary" autoFocus onClick={close}>
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
          {api.shell === 'electron' ? (
            <button type="button" className="button" onClick={() => void chooseNative()}>
              Choose file…
            </button>
          ) : (
            <Field label="File">
              <input
                type="file"
                aria-label="File to import"
                accept=".json,.jsonl,.ndjson,application/json,text/plain"
                onChange={(event) => {
                  const chosen = event.target.files?.[0];
                  if (chosen) void chosen.text().then((text) => load(chosen.name, text), setError);
                }}
              />
            </Field>
          )}
          {file ? (
            <Field label="Format" hint={file.detected ? 'Detected from the first records; change it if it is wrong.' : 'Not recognised: pick the format.'}>
              <select aria-label="Format" value={format} onChange={(event) => setFormat(event.target.value as ImportFormat)}>
                {IMPORT_FORMATS.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                    {f.id === file.detected ? ' (detected)' : ''}
                  </option>
                ))}
              </select>
            </Field>
          ) : (
            <p className="import-hint">
              A JSON array or JSON Lines of items, in plain JSON or DynamoDB JSON, a DynamoDB Export to S3 file, or a file written by Export. Each item
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
          <span>Checking {file?.name}…</span>
        </div>
      ) : null}

      {phase.kind === 'ready' && reader ? <CheckSummary reader={reader} fileName={file?.name ?? ''} /> : null}

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

      {phase.kind === 'done' ? <ImportSummary phase={phase} skipped={reader?.problemCount ?? 0} /> : null}
      <ErrorNotice error={error} />
    </Modal>
  );
}

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

function CheckSummary({ reader, fileName }: { reader: ImportReader; fileName: string }) {
  const valid = reader.items.length;
  return (
    <div className="import-check" role="region" aria-label="Check results">
      <p>
        <strong>{countFormat.format(valid)}</strong> valid {valid === 1 ? 'item' : 'items'} in {fileName}
        {reader.problemCount ? (
          <>
            {' · '}
            <span className="import-bad">
              {countFormat.format(reader.problemCount)} {reader.problemCount === 1 ? 'problem' : 'problems'} (skipped)
            </span>
          </>
        ) : null}
      </p>
      {reader.problemCount ? <ProblemList problems={reader.problems.map((p) => `${p.where}: ${p.reason}`)} total={reader.problemCount} /> : null}
      {valid ? <ItemPreview items={reader.items.slice(0, ITEMS_PREVIEWED)} /> : null}
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
