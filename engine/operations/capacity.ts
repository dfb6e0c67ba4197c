/**
 * Consumed capacity with DynamoDB's arithmetic: reads in 4 KB units (halved when eventually
 * consistent), writes in 1 KB units of the larger of the old and new item, each affected index
 * charged separately, transactional operations doubled.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
export function readUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / 4096));
  return consistent ? units : units / 2;
}

export function writeUnits(sizeBytes: number): number {
  return Math.max(1, Math.ceil(sizeBytes / 1024));
}

import type { CapacityCharge } from '../capacityTracker.ts';
import { itemStorageKey, type TableHandle } from '../database.ts';
import type { Item } from '../types.ts';
import { provisionedThroughputExceeded } from '../errors.ts';
import type { OperationContext } from './context.ts';

export type { CapacityCharge } from '../capacityTracker.ts';

/**
 * Refuses a request when throttling emulation is on and the table (or a GSI it writes) is out of
 * capacity; the refusal counts against `key` for Contributor Insights.
 */
export function admit(ctx: OperationContext, table: TableHandle, kind: 'read' | 'write', indexName?: string, key?: Item): void {
  const gsis = kind === 'write' ? table.indexes.filter((i) => i.record.kind === 'GSI').map((i) => i.record.IndexName) : indexName ? [indexName] : [];
  if (ctx.db.capacity.admits(table.record, kind, gsis)) return;
  if (key) countContributor(ctx, table, key, true, indexName);
  throw provisionedThroughputExceeded();
}

/**
 * Counts one access to `key` (or, `throttled`, one refused request) for Contributor Insights on
 * the table or on its GSI `indexName`, when insights are on there. A key without its sort key
 * (a Query's partition) counts for the partition-key views only.
 */
export function countContributor(ctx: OperationContext, table: TableHandle, key: Item, throttled: boolean, indexName?: string): void {
  const insights = table.record.contributorInsights;
  if (!insights) return;
  const index = indexName === undefined ? undefined : table.index(indexName);
  const setting = insights[index ? String(index.record.uid) : ''];
  if (!setting?.enabled || (!throttled && setting.mode === 'THROTTLED_KEYS')) return;
  const shape = index ? index.shape : table.shape;
  const partition = shape.hashKeys.map((name) => key[name]);
  const sort = shape.rangeKeys.map((name) => key[name]);
  const full = sort.length > 0 && sort.every((value) => value !== undefined) ? JSON.stringify([...partition, ...sort]) : undefined;
  ctx.db.capacity.countContributor(table.record.uid, indexName ?? '', JSON.stringify(partition), full, throttled);
}

/** The 4-byte partition hash of an item's key, for the hot-partition view. */
export function partitionHashOf(table: TableHandle, key: Item, storageKey = itemStorageKey(table, key)): Buffer {
  return storageKey.subarray(table.itemPrefix.length, table.itemPrefix.length + 4);
}

/** Records consumption for the charts, the hot-partition view and the token buckets. */
export function charge(ctx: OperationContext, table: TableHandle, kind: 'read' | 'write', units: CapacityCharge, partitionHash?: Buffer): void {
  ctx.db.capacity.record(table.record, kind, units, partitionHash);
}

/**
 * The ConsumedCapacity member for ReturnConsumedCapacity TOTAL or INDEXES (undefined for NONE).
 * Only the transactional operations split their units into ReadCapacityUnits or
 * WriteCapacityUnits beside CapacityUnits (`split`); every other operation reports the aggregate
 * alone, at the top, on Table and on each index (real DynamoDB, eu-west-2; paritysuite
 * dynamodb-conformance tier1/getItem/consumedCapacity and tier1/putItem/consumedCapacity).
 */
export function consumedCapacity(tableName: string, mode: unknown, charge: CapacityCharge, split?: 'read' | 'write'): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const gsiTotal = Object.values(charge.gsis ?? {}).reduce((a, b) => a + b, 0);
  const lsiTotal = Object.values(charge.lsis ?? {}).reduce((a, b) => a + b, 0);
  const units = (total: number) => (split === undefined ? { CapacityUnits: total } : { CapacityUnits: total, [split === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits']: total });
  const out: Record<string, unknown> = { TableName: tableName, ...units(charge.table + gsiTotal + lsiTotal) };
  if (mode === 'INDEXES') {
    out.Table = units(charge.table);
    const describe = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([name, total]) => [name, units(total)]));
    if (charge.gsis && Object.keys(charge.gsis).length > 0) out.GlobalSecondaryIndexes = describe(charge.gsis);
    if (charge.lsis && Object.keys(charge.lsis).length > 0) out.LocalSecondaryIndexes = describe(charge.lsis);
  }
  return out;
}

/**
 * Records the writes of a multi-item operation (batch, transaction) and returns its
 * ConsumedCapacity list: one entry per table, index units summed.
 */
export function chargeWrites(
  ctx: OperationContext,
  writes: { table: TableHandle; charge: CapacityCharge; key?: Item }[],
  mode: unknown,
  split?: 'write',
): Record<string, unknown>[] {
  const byTable = new Map<string, CapacityCharge>();
  for (const { table, charge: units, key } of writes) {
    charge(ctx, table, 'write', units, key ? partitionHashOf(table, key) : undefined);
    if (key) countContributor(ctx, table, key, false);
    const sum = byTable.get(table.record.TableName) ?? { table: 0 };
    sum.table += units.table;
    for (const kind of ['gsis', 'lsis'] as const) {
      const map = units[kind];
      if (!map) continue;
      const target = (sum[kind] ??= {});
      for (const [name, value] of Object.entries(map)) target[name] = (target[name] ?? 0) + value;
    }
    byTable.set(table.record.TableName, sum);
  }
  return [...byTable]
    .map(([name, sum]) => consumedCapacity(name, mode, sum, split))
    .filter((c): c is Record<string, unknown> => c !== undefined);
}
