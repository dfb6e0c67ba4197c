import { useEffect, useState } from 'react';
import type { TableRef } from '../../app/selection.ts';
import { api, call } from '../../app/client.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { ErrorNotice, Modal } from '../../shared/ui.tsx';

/**
 * Confirms and runs deleting the selected items. The backend batches them (BatchWriteItem, or one
 * DeleteItem each where a service lacks it) and reports progress, which shows here with Cancel.
 */
export function DeleteItemsDialog({
  table,
  keys,
  onClose,
  onDeleted,
}: {
  table: TableRef;
  keys: Item[];
  onClose(): void;
  onDeleted(deletedKeys: Item[]): void;
}) {
  const [taskId] = useState(() => `delete-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const count = keys.length;
  const noun = count === 1 ? 'item' : 'items';

  useEffect(
    () =>
      api.on('task/progress', (p) => {
        if (p.taskId === taskId) setProgress({ done: p.done, total: p.total });
      }),
    [taskId],
  );

  const run = async () => {
    setError(null);
    setProgress({ done: 0, total: count });
    try {
      const result = await call('items/delete', {
        connectionId: table.connection.id,
        ...(table.namespace ? { namespace: table.namespace } : {}),
        tableName: table.tableName,
        keys,
        taskId,
      });
      // Deletes run in order, so the first `deleted` keys are the ones gone.
      onDeleted(keys.slice(0, result.deleted));
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  };

  const running = progress !== null && !error;
  return (
    <Modal
      title={`Delete ${count} ${noun}?`}
      onClose={running ? () => void call('tasks/cancel', { taskId }) : onClose}
      footer={
        running ? (
          <button type="button" className="button" onClick={() => void call('tasks/cancel', { taskId })}>
            Cancel
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose}>
              Keep {count === 1 ? 'it' : 'them'}
            </button>
            <button type="button" className="button danger" autoFocus onClick={() => void run()}>
              Delete {count} {noun}
            </button>
          </>
        )
      }
    >
      <p>
        This permanently deletes <strong>{count}</strong> {noun} from <strong>{table.tableName}</strong>.
      </p>
      {running ? (
        <div className="progress-block">
          <progress max={progress.total} value={progress.done} aria-label="Deleting items" />
          <span>
            {progress.done} of {progress.total} deleted
          </span>
        </div>
      ) : null}
      <ErrorNotice error={error} />
    </Modal>
  );
}
