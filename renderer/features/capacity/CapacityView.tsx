import { useEffect, useState } from 'react';
import type { CapacitySnapshot } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import { openSetting } from '../../app/navigation.ts';
import type { TableRef } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import { useTableDescription } from '../../shared/useTableDescription.ts';
import { isProvisioned } from '../indexes/indexInput.ts';
import type { IndexDescription, TableDescription } from '../items/tableSchema.ts';
import { CapacityChart, HeatChart } from './charts.tsx';

interface ThroughputIndex extends IndexDescription {
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
}
interface ThroughputTable extends TableDescription {
  GlobalSecondaryIndexes?: ThroughputIndex[];
}

const WINDOWS = [60, 300] as const;

/**
 * Consumed capacity per second for the table and each index, partition heat and the throttling
 * switch: measurements the local engine takes itself (capability `capacityMetrics`). Refreshed
 * once a second while the page is visible.
 */
export function CapacityView({ table }: { table: TableRef }) {
  const { capacityMetrics, throttlingEmulation } = table.connection.capabilities;
  const { description } = useTableDescription<ThroughputTable>(table);
  const [seconds, setSeconds] = useState<(typeof WINDOWS)[number]>(60);
  const [snapshot, setSnapshot] = useState<CapacitySnapshot | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [switching, setSwitching] = useState(false);
  const target = { connectionId: table.connection.id, tableName: table.tableName, ...(table.namespace ? { namespace: table.namespace } : {}) };

  useEffect(() => {
    if (!capacityMetrics) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const next = await call('insights/capacity', { ...target, seconds });
          if (stopped) return;
          setSnapshot(next);
          setError(null);
        } catch (err) {
          if (!stopped) setError(err);
        }
      }
      if (!stopped) timer = setTimeout(() => void tick(), 1000);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // target is derived from table.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, seconds, capacityMetrics]);

  if (!capacityMetrics) {
    return (
      <div className="capability-note">
        <Icon name="alert" size={15} />
        <span>
          Per-second capacity, partition heat and throttling emulation are measured by the local engine, and this connection does not offer them. For tables in AWS,
          CloudWatch has <code>ConsumedReadCapacityUnits</code>, <code>ConsumedWriteCapacityUnits</code> and <code>ThrottledRequests</code> per minute, and
          CloudWatch Contributor Insights shows the most accessed keys.
        </span>
      </div>
    );
  }
  if (error && !snapshot) return <ErrorNotice error={error} />;
  if (!snapshot || !description) {
    return (
      <div className="empty-state">
        <Spinner label="Loading capacity" />
      </div>
    );
  }

  const provisioned = isProvisioned(description);
  const limitsOf = (p: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined) =>
    provisioned && p?.ReadCapacityUnits ? { read: p.ReadCapacityUnits, write: p.WriteCapacityUnits ?? 0 } : undefined;
  const tableLimits = limitsOf(description.ProvisionedThroughput);

  const toggleThrottling = async (enabled: boolean) => {
    setSwitching(true);
    try {
      const { enabled: now } = await call('insights/throttling', { ...target, enabled });
      setSnapshot((s) => (s ? { ...s, throttlingEmulation: now } : s));
    } catch (err) {
      setError(err);
    } finally {
      setSwitching(false);
    }
  };

  return (
    <div className="capacity-view">
      <section className="view-section" aria-label="Consumed capacity">
        <h2>
          Consumed capacity per second
          <span className="legend read">read units</span>
          <span className="legend write">write units</span>
          <span className="toolbar-spacer" />
          <div className="segmented" role="radiogroup" aria-label="Time window">
            {WINDOWS.map((w) => (
              <button key={w} type="button" role="radio" aria-checked={seconds === w} className={seconds === w ? 'on' : ''} onClick={() => setSeconds(w)}>
                {w === 60 ? '1 min' : '5 min'}
              </button>
            ))}
          </div>
        </h2>
        <div className="chart-grid">
          <div className="chart-card">
            <h3>
              Table {tableLimits ? <span className="type-tag">provisioned {tableLimits.read} RCU / {tableLimits.write} WCU</span> : <span className="type-tag">on-demand</span>}
            </h3>
            <CapacityChart series={snapshot.table} seconds={seconds} label={`Table ${table.tableName}`} {...(tableLimits ? { limits: tableLimits } : {})} />
          </div>
          {throttlingEmulation ? (
            <div className="chart-card">
              <h3>
                Throttled requests <span className="type-tag" title="Refused with ProvisionedThroughputExceededException">refused per second</span>
              </h3>
              <CapacityChart series={snapshot.throttled} seconds={seconds} label={`Throttled requests of ${table.tableName}`} units={{ read: 'throttled reads', write: 'throttled writes' }} />
            </div>
          ) : null}
          {Object.entries(snapshot.indexes).map(([name, series]) => {
            const limits = limitsOf(description.GlobalSecondaryIndexes?.find((i) => i.IndexName === name)?.ProvisionedThroughput);
            return (
              <div className="chart-card" key={name}>
                <h3>
                  Index {name}
                  {limits ? <span className="type-tag">provisioned {limits.read} RCU / {limits.write} WCU</span> : null}
                </h3>
                <CapacityChart series={series} seconds={seconds} label={`Index ${name}`} {...(limits ? { limits } : {})} />
              </div>
            );
          })}
        </div>
        <ErrorNotice error={error} />
      </section>

      <section className="view-section" aria-label="Partition heat">
        <h2>Partition heat</h2>
        <p>Units charged per range of the partition-key hash (16 equal ranges) since the engine started, for requests that address one partition. One bar far above the rest means a hot partition key.</p>
        <div style={{ maxWidth: 620 }}>
          <HeatChart values={snapshot.partitionHeat} />
        </div>
      </section>

      {throttlingEmulation ? (
        <section className="view-section" aria-label="Throttling emulation">
          <h2>Throttling emulation</h2>
          {provisioned ? (
            <>
              <label className="switch">
                <input
                  type="checkbox"
                  role="switch"
                  aria-label="Emulate throttling"
                  checked={snapshot.throttlingEmulation}
                  disabled={switching}
                  onChange={(e) => void toggleThrottling(e.target.checked)}
                />
                <span>
                  Emulate throttling <span className={`badge ${snapshot.throttlingEmulation ? 'ok' : 'off'}`}>{snapshot.throttlingEmulation ? 'ON' : 'OFF'}</span>
                </span>
              </label>
              <p>
                With emulation on, the engine meters this table like DynamoDB meters a provisioned table: a token bucket per second of provisioned units, with up to
                five minutes of unused capacity kept as burst. Requests beyond it fail with <code>ProvisionedThroughputExceededException</code>, so you can test your
                retries and back-off before they meet real traffic.
              </p>
            </>
          ) : (
            <p>
              This table uses on-demand capacity, which DynamoDB does not throttle at these rates.{' '}
              <button type="button" className="link-button" onClick={() => openSetting('capacity')}>
                Switch it to provisioned capacity
              </button>{' '}
              to emulate throttling.
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}
