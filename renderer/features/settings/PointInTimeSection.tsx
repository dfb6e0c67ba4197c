import { useEffect, useState, type FormEvent } from 'react';
import { useSectionAction } from './useSectionAction.ts';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import { ErrorNotice } from '../../shared/ui.tsx';

interface RecoveryDescription {
  PointInTimeRecoveryStatus: 'ENABLED' | 'DISABLED';
  RecoveryPeriodInDays?: number;
  /** Epoch seconds. */
  EarliestRestorableDateTime?: number;
  LatestRestorableDateTime?: number;
}

/** A moment as the value of a local `datetime-local` input, to the second. */
function toLocalInput(epochSeconds: number): string {
  const date = new Date(Math.floor(epochSeconds) * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * Point-in-time recovery: turn it on or off (with its recovery period) and restore the table as
 * it was at a chosen second into a new table. Plain DynamoDB calls (DescribeContinuousBackups,
 * UpdateContinuousBackups, RestoreTableToPointInTime), so it works on any connection that offers
 * them.
 */
export function PointInTimeSection({ table, onRestored }: { table: TableRef; onRestored(tableName: string): void }) {
  const [recovery, setRecovery] = useState<RecoveryDescription | null>(null);
  const [days, setDays] = useState('35');
  const [moment, setMoment] = useState('');
  const [target, setTarget] = useState(`${table.tableName}-as-of`);
  const { version, busy, error, setError, notice, act } = useSectionAction();
  const call = <T,>(operation: string, input: Record<string, unknown>) => dynamo<T>(table.connection.id, operation, input, table.namespace);

  useEffect(() => {
    let stopped = false;
    call<{ ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: RecoveryDescription } }>('DescribeContinuousBackups', { TableName: table.tableName }).then(
      ({ ContinuousBackupsDescription }) => {
        if (stopped) return;
        const described = ContinuousBackupsDescription?.PointInTimeRecoveryDescription ?? { PointInTimeRecoveryStatus: 'DISABLED' };
        setRecovery(described);
        if (described.RecoveryPeriodInDays) setDays(String(described.RecoveryPeriodInDays));
        if (described.LatestRestorableDateTime) setMoment(toLocalInput(described.LatestRestorableDateTime));
      },
      (err: unknown) => !stopped && setError(err),
    );
    return () => {
      stopped = true;
    };
    // `call` is rebuilt per render from `table`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, version]);

  const enabled = recovery?.PointInTimeRecoveryStatus === 'ENABLED';
  const switchRecovery = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const specification = enabled ? { PointInTimeRecoveryEnabled: false } : { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: Number(days) };
      await call('UpdateContinuousBackups', { TableName: table.tableName, PointInTimeRecoverySpecification: specification });
      return enabled ? 'Point-in-time recovery is off; its history is gone.' : `Point-in-time recovery is on, keeping ${days} days.`;
    });
  };
  const restore = (event: FormEvent) => {
    event.preventDefault();
    const at = new Date(moment).getTime() / 1000;
    const name = target.trim();
    void act(async () => {
      await call('RestoreTableToPointInTime', { SourceTableName: table.tableName, TargetTableName: name, RestoreDateTime: at });
      onRestored(name);
      return `Restored ${table.tableName} as it was at ${new Date(at * 1000).toLocaleString()} into the new table ${name}.`;
    });
  };

  return (
    <section className="view-section settings-section" aria-label="Point-in-time recovery">
      <h2>Point-in-time recovery</h2>
      <p>While it is on, the table can be restored into a new table as it was at any second of its recovery period. On the local engine its history starts when it is turned on.</p>
      {recovery ? (
        <form className="settings-form row" onSubmit={switchRecovery}>
          {enabled ? (
            <span>
              On, keeping {recovery.RecoveryPeriodInDays} days: restorable from {new Date((recovery.EarliestRestorableDateTime ?? 0) * 1000).toLocaleString()}.
            </span>
          ) : (
            <label className="inline-field">
              Recovery period (days)
              <input type="number" min={1} max={35} value={days} onChange={(e) => setDays(e.target.value)} />
            </label>
          )}
          <button type="submit" className={enabled ? 'button' : 'button primary'} disabled={busy || (!enabled && !(Number(days) >= 1 && Number(days) <= 35))}>
            {enabled ? 'Turn off point-in-time recovery' : 'Turn on point-in-time recovery'}
          </button>
        </form>
      ) : null}
      {enabled ? (
        <form className="settings-form row" onSubmit={restore}>
          <label className="inline-field">
            Restore the table as it was at
            <input type="datetime-local" step={1} value={moment} onChange={(e) => setMoment(e.target.value)} />
          </label>
          <label className="inline-field">
            into the new table
            <input value={target} spellCheck={false} onChange={(e) => setTarget(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={busy || !moment || !target.trim()}>
            Restore to point in time
          </button>
        </form>
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
