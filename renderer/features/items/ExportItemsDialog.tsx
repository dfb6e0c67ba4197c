import { useEffect, useRef, useState } from 'react';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { ErrorNotice, Modal } from '../../shared/ui.tsx';
import type { ReadRequest } from './useItemPages.ts';
import './importExport.css';

const countFormat = new Intl.NumberFormat();

/**
 * Export every item the current read matches (the whole table for a plain Scan), paging with
 * LastEvaluatedKey. Shows items read so far with Cancel, which stops between pages and writes
 * nothing; when the read ends, `onRead` gets the items to save.
 */
export function ExportItemsDialog({
  table,
  request,
  approximateTotal,
  onRead,
  onCancelled,
  onClose,
}: {
  table: TableRef;
  request: ReadRequest;
  /** DescribeTable's ItemCount (updated about every six hours in AWS): a hint, not a promise. */
  approximateTotal: number | undefined;
  onRead(items: Item[]): void;
  /** The user stopped the read; nothing is saved. Says how many items had been read. */
  onCancelled(itemsRead: number): void;
  onClose(): void;
}) {
  const [progress, setProgress] = useState({ items: 0, scanned: 0, pages: 0 });
  const [error, setError] = useState<unknown>(null);
  const [startedAt] = useState(() => performance.now());
  const cancelled = useRef(false);
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    let stale = false;
    void (async () => {
      const items: Item[] = [];
      let scanned = 0;
      let pages = 0;
      let startKey: Item | undefined;
      try {
        do {
          const output = await dynamo<{ Items?: Item[]; LastEvaluatedKey?: Item; ScannedCount?: number }>(
            table.connection.id,
            request.operation,
            { ...request.input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) },
            table.namespace,
          );
          if (stale || cancelled.current) return;
          for (const item of output.Items ?? []) items.push(item);
          scanned += output.ScannedCount ?? output.Items?.length ?? 0;
          pages++;
          startKey = output.LastEvaluatedKey;
          setProgress({ items: items.length, scanned, pages });
        } while (startKey);
        onRead(items);
      } catch (err) {
        if (!stale) setError(err);
      }
    })();
    return () => void (stale = true);
    // Runs once per dialog: the read is fixed when the dialog opens.
  }, []);

  const cancel = () => {
    cancelled.current = true;
    setCancelling(true);
    onCancelled(progress.items);
  };

  const seconds = (performance.now() - startedAt) / 1000;
  const determinate = approximateTotal !== undefined && approximateTotal >= progress.items && !error;
  return (
    <Modal
      title={`Export items of ${table.tableName}`}
      onClose={error ? onClose : cancel}
      footer={
        <button type="button" className="button" onClick={error ? onClose : cancel} disabled={cancelling}>
          {error ? 'Close' : 'Cancel'}
        </button>
      }
    >
      <div className="progress-block">
        {determinate && approximateTotal ? (
          <progress max={approximateTotal} value={progress.items} aria-label="Exporting items" />
        ) : (
          <progress aria-label="Exporting items" />
        )}
      </div>
      <p role="status" aria-label="Export progress">
        <strong>{countFormat.format(progress.items)}</strong> items read
        {approximateTotal ? ` of about ${countFormat.format(approximateTotal)}` : ''}
        {progress.scanned !== progress.items ? ` (${countFormat.format(progress.scanned)} scanned)` : ''}
        {' · '}
        {countFormat.format(progress.pages)} {progress.pages === 1 ? 'page' : 'pages'} by {request.operation}
        {seconds > 1 ? ` · ${countFormat.format(Math.round(progress.items / seconds))} items/s` : ''}
      </p>
      <ErrorNotice error={error} />
    </Modal>
  );
}
