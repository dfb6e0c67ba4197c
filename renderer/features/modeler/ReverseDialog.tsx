import { useState } from 'react';
import type { ConnectionInfo, ModelTable, Namespace } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import { useTableSchemas } from '../../shared/useTableSchemas.ts';
import { ErrorNotice, Field, Modal, Spinner } from '../../shared/ui.tsx';

/** Picks a table of the connection and guesses its model from its description and a sample of its items. */
export function ReverseDialog({ connection, namespace, onClose, onReversed }: { connection: ConnectionInfo; namespace: Namespace | undefined; onClose(): void; onReversed(table: ModelTable, itemsPerEntity: Record<string, number>): void }) {
  const { tableNames, error: listError } = useTableSchemas(connection, namespace, []);
  const [tableName, setTableName] = useState('');
  const [sampleSize, setSampleSize] = useState(500);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = tableName || tableNames?.[0] || '';

  const reverse = async () => {
    setBusy(true);
    setError(null);
    try {
      const { table, itemsPerEntity } = await call('models/reverse', { connectionId: connection.id, ...(namespace ? { namespace } : {}), tableName: chosen, sampleSize });
      onReversed(table, itemsPerEntity);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Model from an existing table"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={!chosen || busy} onClick={() => void reverse()}>
            {busy ? 'Reading…' : 'Reverse-engineer'}
          </button>
        </>
      }
    >
      <p className="view-note">Entities are guessed from the items' key prefixes (USER#…) or a type attribute, with their attribute types and key templates; you check them before saving.</p>
      {!tableNames && !listError ? <Spinner label="Listing tables" /> : null}
      {tableNames ? (
        <Field label="Table">
          <select aria-label="Table to reverse-engineer" value={chosen} onChange={(e) => setTableName(e.target.value)}>
            {tableNames.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </Field>
      ) : null}
      <Field label="Items to sample" hint="Read with Scan, from the start of the table">
        <input aria-label="Items to sample" type="number" min={1} max={10000} value={sampleSize} onChange={(e) => setSampleSize(Math.min(10_000, Math.max(1, Number.parseInt(e.target.value, 10) || 1)))} />
      </Field>
      {listError ? <ErrorNotice error={listError} /> : null}
      {error ? <ErrorNotice error={error} /> : null}
    </Modal>
  );
}
