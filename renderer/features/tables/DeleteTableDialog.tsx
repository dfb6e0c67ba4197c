import { useState } from 'react';
import type { TableRef } from '../../app/selection.ts';
import { dynamo } from '../../app/client.ts';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';

/** Deleting a table cannot be undone, so the user types its name to confirm. */
export function DeleteTableDialog({ table, onClose, onDeleted }: { table: TableRef; onClose(): void; onDeleted(): void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const matches = typed === table.tableName;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      await dynamo(table.connection.id, 'DeleteTable', { TableName: table.tableName }, table.namespace);
      onDeleted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Delete table ${table.tableName}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="delete-table" className="button danger" disabled={!matches || busy}>
            {busy ? 'Deleting…' : 'Delete table'}
          </button>
        </>
      }
    >
      <form id="delete-table" onSubmit={submit}>
        <p>
          This deletes the table <strong>{table.tableName}</strong>, all of its items and its indexes. It cannot be undone.
        </p>
        <Field label={`Type ${table.tableName} to confirm`}>
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
      </form>
      <ErrorNotice error={error} />
    </Modal>
  );
}
