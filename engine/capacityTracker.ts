/**
 * Capacity bookkeeping: per-second consumption per table and index (for the UI's charts), per
 * partition-hash range (for a hot-partition view), and optional throttling emulation for
 * provisioned tables with DynamoDB's token-bucket model: capacity refills at the provisioned rate
 * and unused capacity accrues up to 300 seconds' worth (the burst allowance).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
 */
import type { TableRecord } from './tableModel.ts';

const SERIES_SECONDS = 300;
const BURST_SECONDS = 300;
/** Partition-hash ranges tracked for the hot-partition view (the top bits of the 32-bit hash). */
export const PARTITION_BUCKETS = 16;

export type CapacityKind = 'read' | 'write';

/** Units consumed in each of the last SERIES_SECONDS seconds, as a ring. */
class SecondSeries {
  private readonly units = new Float64Array(SERIES_SECONDS);
  private readonly stamps = new Float64Array(SERIES_SECONDS);

  add(second: number, amount: number): void {
    const slot = second % SERIES_SECONDS;
    if (this.stamps[slot] !== second) {
      this.stamps[slot] = second;
      this.units[slot] = 0;
    }
    this.units[slot] += amount;
  }

  /** [epochSecond, units] for the last `seconds` seconds, oldest first, zeros included. */
  window(now: number, seconds: number): [number, number][] {
    const out: [number, number][] = [];
    for (let s = now - Math.min(seconds, SERIES_SECONDS) + 1; s <= now; s++) {
      const slot = s % SERIES_SECONDS;
      out.push([s, this.stamps[slot] === s ? this.units[slot] : 0]);
    }
    return out;
  }
}

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private rate: number,
    now: number,
  ) {
    this.tokens = rate * BURST_SECONDS;
    this.last = now;
  }

  setRate(rate: number): void {
    this.rate = rate;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.rate * BURST_SECONDS, this.tokens + elapsed * this.rate);
    this.last = now;
  }

  /** True when capacity remains; consumption itself may take the balance below zero, as DynamoDB's does. */
  hasCapacity(now: number): boolean {
    this.refill(now);
    return this.tokens > 0;
  }

  consume(units: number, now: number): void {
    this.refill(now);
    this.tokens -= units;
  }
}

/** Distinct keys counted per table or index and kind before the least counted are dropped. */
const MAX_COUNTED_KEYS = 10_000;

/** How often each key was seen: a bounded map that keeps the most counted keys. */
class KeyCounts {
  private readonly counts = new Map<string, number>();

  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    if (this.counts.size > MAX_COUNTED_KEYS) {
      // Keep the more counted half: the keys at the top stay, one-off keys come and go.
      const kept = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_COUNTED_KEYS / 2);
      this.counts.clear();
      for (const [key, count] of kept) this.counts.set(key, count);
    }
  }

  top(n: number): { key: string; count: number }[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([key, count]) => ({ key, count }));
  }
}

/** Contributor Insights' four views of one table or GSI (its rules PKC, SKC, PKT and SKT). */
interface KeyContributors {
  accessedPartitionKeys: KeyCounts;
  accessedKeys: KeyCounts;
  throttledPartitionKeys: KeyCounts;
  throttledKeys: KeyCounts;
}

/** The most counted keys of each view, as JSON arrays of the key's attribute values. */
export interface KeyContributorsReport {
  mostAccessedPartitionKeys: { key: string; count: number }[];
  mostAccessedKeys: { key: string; count: number }[];
  mostThrottledPartitionKeys: { key: string; count: number }[];
  mostThrottledKeys: { key: string; count: number }[];
}

interface TableCapacity {
  series: Map<string, { read: SecondSeries; write: SecondSeries }>;
  /** Requests refused by throttling emulation, per second (CloudWatch's ReadThrottleEvents/WriteThrottleEvents). */
  throttled: { read: SecondSeries; write: SecondSeries };
  partitions: Float64Array;
  buckets: Map<string, TokenBucket>;
  /** Per-key counts by scope ('' or a GSI's name), while Contributor Insights is on for it. */
  contributors: Map<string, KeyContributors>;
}

export interface CapacityCharge {
  table: number;
  gsis?: Record<string, number>;
  lsis?: Record<string, number>;
}

export class CapacityTracker {
  private readonly tables = new Map<number, TableCapacity>();

  private entry(uid: number): TableCapacity {
    let entry = this.tables.get(uid);
    if (!entry) {
      entry = { series: new Map(), throttled: { read: new SecondSeries(), write: new SecondSeries() }, partitions: new Float64Array(PARTITION_BUCKETS), buckets: new Map(), contributors: new Map() };
      this.tables.set(uid, entry);
    }
    return entry;
  }

  private seriesFor(entry: TableCapacity, scope: string) {
    let s = entry.series.get(scope);
    if (!s) {
      s = { read: new SecondSeries(), write: new SecondSeries() };
      entry.series.set(scope, s);
    }
    return s;
  }

  /** Records consumption (always), for charts and the hot-partition view. */
  record(table: TableRecord, kind: CapacityKind, charge: CapacityCharge, partitionHash?: Buffer, now = Date.now()): void {
    const entry = this.entry(table.uid);
    const second = Math.floor(now / 1000);
    this.seriesFor(entry, '')[kind].add(second, charge.table);
    if (charge.gsis) for (const name in charge.gsis) this.seriesFor(entry, name)[kind].add(second, charge.gsis[name]);
    if (charge.lsis) for (const name in charge.lsis) this.seriesFor(entry, name)[kind].add(second, charge.lsis[name]);
    if (partitionHash) entry.partitions[partitionHash[0] >> 4] += charge.table;
    if (table.throttlingEmulation && table.BillingMode === 'PROVISIONED') {
      this.bucket(entry, table, '', kind, now).consume(charge.table, now);
      for (const [name, units] of Object.entries(charge.gsis ?? {})) this.bucket(entry, table, name, kind, now).consume(units, now);
    }
  }

  private bucket(entry: TableCapacity, table: TableRecord, scope: string, kind: CapacityKind, now: number): TokenBucket {
    const key = `${scope}/${kind}`;
    const throughput = scope === '' ? table.ProvisionedThroughput : table.indexes.find((i) => i.IndexName === scope)?.ProvisionedThroughput;
    const rate = (kind === 'read' ? throughput?.ReadCapacityUnits : throughput?.WriteCapacityUnits) ?? 0;
    let bucket = entry.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate, now);
      entry.buckets.set(key, bucket);
    } else {
      bucket.setRate(rate);
    }
    return bucket;
  }

  /**
   * With throttling emulation on for a provisioned table: false when the table (or one of the
   * named GSIs, for writes that touch them) has no capacity left. Each refusal is counted as one
   * throttled request of that second.
   */
  admits(table: TableRecord, kind: CapacityKind, gsiNames: string[] = [], now = Date.now()): boolean {
    if (!table.throttlingEmulation || table.BillingMode !== 'PROVISIONED') return true;
    const entry = this.entry(table.uid);
    const admitted = this.bucket(entry, table, '', kind, now).hasCapacity(now) && gsiNames.every((name) => this.bucket(entry, table, name, kind, now).hasCapacity(now));
    if (!admitted) entry.throttled[kind].add(Math.floor(now / 1000), 1);
    return admitted;
  }

  /** Per-second consumption of a table (scope '') or one of its indexes. */
  series(uid: number, scope: string, seconds = 60, now = Date.now()): { read: [number, number][]; write: [number, number][] } {
    const entry = this.entry(uid);
    const s = this.seriesFor(entry, scope);
    const second = Math.floor(now / 1000);
    return { read: s.read.window(second, seconds), write: s.write.window(second, seconds) };
  }

  /** Throttled requests per second of a table, reads and writes apart. */
  throttledSeries(uid: number, seconds = 60, now = Date.now()): { read: [number, number][]; write: [number, number][] } {
    const { throttled } = this.entry(uid);
    const second = Math.floor(now / 1000);
    return { read: throttled.read.window(second, seconds), write: throttled.write.window(second, seconds) };
  }

  /** Units consumed per partition-hash range since start (index i covers hashes [i, i+1) * 2^28). */
  partitionHeat(uid: number): number[] {
    return [...this.entry(uid).partitions];
  }

  /**
   * Counts one access to a key (or one request refused by throttling) of a table (scope '') or
   * GSI: `partition` labels its partition key, `full` its whole key when it has a sort key.
   */
  countContributor(uid: number, scope: string, partition: string, full: string | undefined, throttled: boolean): void {
    const entry = this.entry(uid);
    let counts = entry.contributors.get(scope);
    if (!counts) {
      counts = { accessedPartitionKeys: new KeyCounts(), accessedKeys: new KeyCounts(), throttledPartitionKeys: new KeyCounts(), throttledKeys: new KeyCounts() };
      entry.contributors.set(scope, counts);
    }
    (throttled ? counts.throttledPartitionKeys : counts.accessedPartitionKeys).add(partition);
    if (full !== undefined) (throttled ? counts.throttledKeys : counts.accessedKeys).add(full);
  }

  /** The `top` most accessed and most throttled keys of a table (scope '') or GSI since start. */
  keyContributors(uid: number, scope: string, top = 10): KeyContributorsReport {
    const counts = this.entry(uid).contributors.get(scope);
    return {
      mostAccessedPartitionKeys: counts?.accessedPartitionKeys.top(top) ?? [],
      mostAccessedKeys: counts?.accessedKeys.top(top) ?? [],
      mostThrottledPartitionKeys: counts?.throttledPartitionKeys.top(top) ?? [],
      mostThrottledKeys: counts?.throttledKeys.top(top) ?? [],
    };
  }

  forget(uid: number): void {
    this.tables.delete(uid);
  }
}
