/**
 * A table's Time to Live setting and the status it shows. The setting lives in the table record
 * (TableRecord.TimeToLive) with the moment of its last change: ENABLING settles to ENABLED and
 * DISABLING to DISABLED once the engine's transition delay has passed (DynamoDB takes up to an
 * hour; locally the delay is the engine's `transitionDelayMs`, 0 by default).
 */
import type { TableRecord } from '../tableModel.ts';
import type { Item } from '../types.ts';

export type TtlStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';

export type TtlSetting = NonNullable<TableRecord['TimeToLive']> & {
  /** Epoch milliseconds of the UpdateTimeToLive that set this status. */
  changedAt?: number;
};

export interface EffectiveTtl {
  status: TtlStatus;
  attributeName?: string;
  /** True while an ENABLING/DISABLING change is still settling. */
  transitioning: boolean;
}

export function effectiveTtl(record: TableRecord, now: number, transitionDelayMs: number): EffectiveTtl {
  const ttl = record.TimeToLive as TtlSetting | undefined;
  if (!ttl || ttl.Status === 'DISABLED') return { status: 'DISABLED', transitioning: false };
  const settled = now >= (ttl.changedAt ?? 0) + transitionDelayMs;
  if (ttl.Status === 'ENABLING' || ttl.Status === 'ENABLED') {
    return settled || ttl.Status === 'ENABLED'
      ? { status: 'ENABLED', attributeName: ttl.AttributeName, transitioning: false }
      : { status: 'ENABLING', attributeName: ttl.AttributeName, transitioning: true };
  }
  return settled ? { status: 'DISABLED', transitioning: false } : { status: 'DISABLING', attributeName: ttl.AttributeName, transitioning: true };
}

/** Items whose expiry lies further back than this are ignored, as DynamoDB ignores them. */
export const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 60 * 60;

/** The item's expiry in epoch seconds, when its TTL attribute is a Number. */
export function expiryOf(item: Item, attributeName: string): number | undefined {
  const value = item[attributeName];
  if (!value || !('N' in value)) return undefined;
  const seconds = Number(value.N);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** True when the sweeper must delete the item: expired, but not more than five years ago. */
export function isExpired(expiry: number | undefined, nowSeconds: number): boolean {
  return expiry !== undefined && expiry <= nowSeconds && expiry >= nowSeconds - FIVE_YEARS_SECONDS;
}
