import { useCallback, useEffect, useState } from 'react';
import type { TtlInsight } from '../../../electron/contract.ts';
import { call, dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';

interface TtlDescription {
  TimeToLiveStatus: 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';
  AttributeName?: string;
}

const countFormat = new Intl.NumberFormat();

function relative(epochSeconds: number): string {
  const seconds = Math.round(epochSeconds - Date.now() / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 90 ? [abs, 'second'] : abs < 5400 ? [Math.round(abs / 60), 'minute'] : abs < 129600 ? [Math.round(abs / 3600), 'hour'] : [Math.round(abs / 86400), 'day'];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(seconds < 0 ? -value : value, unit as Intl.RelativeTimeFormatUnit);
}

/**
 * Time to Live: DescribeTimeToLive / UpdateTimeToLive on any connection; the items due now, the
 * next expiry and "Sweep now" where the connection's engine keeps that bookkeeping (`ttlSweep`).
 */
export function TtlView({ table }: { table: TableRef }) {
  const canSweep = table.connection.capabilities.ttlSweep;
  const [ttl, setTtl] = useState<TtlDescription | null>(null);
  const [insight, setInsight] = useState<TtlInsight | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attribute, setAttribute] = useState('expiresAt');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const target = { connectionId: table.connection.id, tableName: table.tableName, ...(table.namespace ? { namespace: table.namespace } : {}) };

  const read = useCallback(async () => {
    const { TimeToLiveDescription } = await dynamo<{ TimeToLiveDescription: TtlDescription }>(
      table.connection.id,
      'DescribeTimeToLive',
      { TableName: table.tableName },
      table.namespace,
    );
    setTtl(TimeToLiveDescription);
    if (TimeToLiveDescription.AttributeName) setAttribute(TimeToLiveDescription.AttributeName);
    setInsight(canSweep ? await call('insights/ttl', target) : null);
    // The target object is rebuilt per render from `table`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, canSweep]);

  // Status and counts every 2 seconds while visible: items expire on their own.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        await read();
        if (!stopped) setError(null);
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = setTimeout(() => void tick(), 2000);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [read, version]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setVersion((v) => v + 1);
    }
  };

  const update = (enabled: boolean) =>
    act(async () => {
      await dynamo(table.connection.id, 'UpdateTimeToLive', { TableName: table.tableName, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute.trim() } }, table.namespace);
      setNotice(enabled ? `TTL enabled on ${attribute.trim()}` : 'TTL disabled');
    });

  const sweep = () =>
    act(async () => {
      const { deleted } = await call('insights/sweepTtl', { connectionId: table.connection.id });
      setNotice(`Swept ${countFormat.format(deleted)} expired ${deleted === 1 ? 'item' : 'items'}`);
    });

  if (!ttl && !error) {
    return (
      <div className="empty-state">
        <Spinner label="Loading TTL settings" />
      </div>
    );
  }
  const status = ttl?.TimeToLiveStatus ?? 'DISABLED';
  const on = status === 'ENABLED' || status === 'ENABLING';

  return (
    <div className="ttl-view">
      <section className="view-section" aria-label="Time to Live settings">
        <h2>
          Time to Live <span className={`badge ${status === 'ENABLED' ? 'ok' : status === 'DISABLED' ? 'off' : 'busy'}`}>{status}</span>
        </h2>
        <p>
          Items whose TTL attribute holds a Number of epoch seconds in the past are deleted in the background. Until then they stay readable; their deletion appears
          in the stream as a REMOVE by the service.
        </p>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void update(!on);
          }}
        >
          <label className="field">
            <span className="field-label">TTL attribute</span>
            <input aria-label="TTL attribute" value={attribute} onChange={(e) => setAttribute(e.target.value)} disabled={on || busy} spellCheck={false} />
          </label>
          <button type="submit" className={`button ${on ? 'danger-text' : 'primary'}`} disabled={busy || !attribute.trim() || status === 'DISABLING'}>
            {on ? 'Disable TTL' : 'Enable TTL'}
          </button>
          {busy ? <Spinner label="Updating" /> : null}
        </form>
        {notice ? (
          <div className="info-notice" role="status" style={{ margin: '10px 0 0' }}>
            {notice}
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
              <Icon name="close" size={12} />
            </button>
          </div>
        ) : null}
        <ErrorNotice error={error} />
      </section>

      {canSweep ? (
        on ? (
          <section className="view-section" aria-label="Expiry">
            <h2>
              Expiry
              <span className="toolbar-spacer" />
              <button type="button" className="button" disabled={busy} onClick={() => void sweep()}>
                <Icon name="trash" size={13} /> Sweep now
              </button>
            </h2>
            <dl className="facts">
              <div>
                <dt>Items with a TTL</dt>
                <dd>{insight ? countFormat.format(insight.itemsWithTtl) : '—'}</dd>
              </div>
              <div>
                <dt>Due now</dt>
                <dd data-testid="ttl-due-now">{insight ? countFormat.format(insight.dueNow) : '—'}</dd>
              </div>
              <div>
                <dt>Next expiry</dt>
                <dd>{insight?.nextExpiry ? `${new Date(insight.nextExpiry * 1000).toLocaleString()} (${relative(insight.nextExpiry)})` : 'None ahead'}</dd>
              </div>
            </dl>
            <p>The local engine sweeps every few seconds; Sweep now deletes every expired item at once (in every TTL-enabled table of this engine).</p>
          </section>
        ) : null
      ) : (
        <div className="capability-note">
          <Icon name="alert" size={15} />
          <span>
            This connection does not report items due for expiry or sweep on demand: DynamoDB deletes expired items on its own schedule, typically within a few days
            of expiry. Filter on the TTL attribute to hide items that have expired but are not yet deleted.
          </span>
        </div>
      )}
    </div>
  );
}
