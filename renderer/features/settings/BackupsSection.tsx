import { useEffect, useState, type FormEvent } from 'react';
import { useSectionAction } from './useSectionAction.ts';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import { ErrorNotice, formatBytes } from '../../shared/ui.tsx';

interface BackupSummary {
  BackupArn: string;
  BackupName: string;
  BackupStatus: string;
  BackupCreationDateTime: number;
  BackupSizeBytes?: number;
}

/**
 * On-demand backups of the table: create one, restore one into a new table, delete one. Plain
 * DynamoDB calls (CreateBackup, ListBackups, RestoreTableFromBackup, DeleteBackup), so it works
 * on any connection that offers backups.
 */
export function BackupsSection({ table, onRestored }: { table: TableRef; onRestored(tableName: string): void }) {
  const [backups, setBackups] = useState<BackupSummary[] | null>(null);
  const [name, setName] = useState(`${table.tableName}-backup`);
  const [targets, setTargets] = useState<Record<string, string>>({});
  const { version, busy, error, setError, notice, act } = useSectionAction();
  const call = <T,>(operation: string, input: Record<string, unknown>) => dynamo<T>(table.connection.id, operation, input, table.namespace);

  useEffect(() => {
    let stopped = false;
    call<{ BackupSummaries?: BackupSummary[] }>('ListBackups', { TableName: table.tableName }).then(
      ({ BackupSummaries }) => !stopped && setBackups(BackupSummaries ?? []),
      (err: unknown) => !stopped && setError(err),
    );
    return () => {
      stopped = true;
    };
    // `call` is rebuilt per render from `table`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, version]);

  const create = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await call('CreateBackup', { TableName: table.tableName, BackupName: name.trim() });
      return `Backup ${name.trim()} created.`;
    });
  };
  const restore = (backup: BackupSummary) => {
    const target = (targets[backup.BackupArn] ?? `${table.tableName}-restored`).trim();
    void act(async () => {
      await call('RestoreTableFromBackup', { BackupArn: backup.BackupArn, TargetTableName: target });
      onRestored(target);
      return `Restored ${backup.BackupName} into the new table ${target}.`;
    });
  };
  const remove = (backup: BackupSummary) =>
    void act(async () => {
      await call('DeleteBackup', { BackupArn: backup.BackupArn });
      return `Backup ${backup.BackupName} deleted.`;
    });

  return (
    <section className="view-section settings-section" aria-label="Backups">
      <h2>Backups</h2>
      <p>A backup is a consistent copy of the table's items and indexes. Restore it into a new table; the backup stays after this table is deleted.</p>
      <form className="settings-form row" onSubmit={create}>
        <label className="inline-field">
          Backup name
          <input value={name} spellCheck={false} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="button primary" disabled={busy || !name.trim()}>
          Create backup
        </button>
      </form>
      {backups && backups.length > 0 ? (
        <table className="data-table backups-table">
          <thead>
            <tr>
              <th>Backup</th>
              <th>Created</th>
              <th>Size</th>
              <th>Restore into a new table</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {backups.map((backup) => (
              <tr key={backup.BackupArn}>
                <td>{backup.BackupName}</td>
                <td>{new Date(backup.BackupCreationDateTime * 1000).toLocaleString()}</td>
                <td>{backup.BackupSizeBytes === undefined ? '—' : formatBytes(backup.BackupSizeBytes)}</td>
                <td>
                  <input
                    aria-label={`New table for ${backup.BackupName}`}
                    value={targets[backup.BackupArn] ?? `${table.tableName}-restored`}
                    spellCheck={false}
                    onChange={(e) => setTargets((t) => ({ ...t, [backup.BackupArn]: e.target.value }))}
                  />{' '}
                  <button type="button" className="button small" disabled={busy} onClick={() => restore(backup)}>
                    Restore
                  </button>
                </td>
                <td>
                  <button type="button" className="button small danger" disabled={busy} onClick={() => remove(backup)} aria-label={`Delete backup ${backup.BackupName}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : backups ? (
        <p className="muted">No backups of this table yet.</p>
      ) : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </section>
  );
}
