/**
 * The TTL sweeper: deletes items whose TTL attribute (a Number of epoch seconds) lies in the
 * past, as DynamoDB's background process does. Expired items stay readable until swept.
 *
 * Each call examines a bounded number of items and remembers where it stopped per table, so a
 * large table is swept over several ticks without holding up requests. Deletions go through
 * Database.stageItemChange with byTtl set, so indexes and statistics stay right and the stream
 * records a service-attributed REMOVE.
 */
import { decodeItemValue, type Database, type TableHandle } from '../database.ts';
import { prefixEnd } from '../storage/keyCodec.ts';
import { extractKey } from '../tableModel.ts';
import type { Item } from '../types.ts';
import { effectiveTtl, expiryOf, isExpired } from './settings.ts';

export interface SweeperOptions {
  /** Items examined per sweep call at most, across all tables. */
  scanBudget?: number;
  /** Items deleted per write transaction. */
  deleteBatch?: number;
}

/** What the UI shows per TTL-enabled table. */
export interface TtlTableStatus {
  accountId: string;
  region: string;
  tableName: string;
  attributeName: string;
  status: string;
  /** Items carrying a Number in the TTL attribute. */
  itemsWithTtl: number;
  /** Items already expired and waiting for the sweeper. */
  dueNow: number;
  /** Epoch seconds of the earliest expiry still ahead, if any. */
  nextExpiry?: number;
}

export class TtlSweeper {
  /** Per table uid: the storage key the last sweep stopped after. */
  private readonly cursors = new Map<number, Buffer>();
  /** The table the next pass starts with, so a budget spent on early tables never starves later ones. */
  private resumeUid: number | undefined;
  private readonly scanBudget: number;
  private readonly deleteBatch: number;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly transitionDelayMs: () => number,
    options: SweeperOptions = {},
  ) {
    this.scanBudget = options.scanBudget ?? 5000;
    this.deleteBatch = options.deleteBatch ?? 100;
  }

  private ttlTables(now: number): { table: TableHandle; attributeName: string }[] {
    const out: { table: TableHandle; attributeName: string }[] = [];
    for (const table of this.db.tables()) {
      if (table.record.TableStatus === 'CREATING' || table.record.TableStatus === 'DELETING') continue;
      const ttl = effectiveTtl(table.record, now, this.transitionDelayMs());
      if (ttl.status === 'ENABLED' && ttl.attributeName) out.push({ table, attributeName: ttl.attributeName });
    }
    return out;
  }

  /**
   * One bounded pass: examines up to the scan budget, resuming each table where the previous
   * pass stopped, and deletes what has expired. Resolves with the number of items deleted.
   * Overlapping calls share one pass.
   */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= this.sweepOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(now: number): Promise<number> {
    const nowSeconds = now / 1000;
    let budget = this.scanBudget;
    let deleted = 0;
    const tables = this.ttlTables(now);
    const startAt = Math.max(0, tables.findIndex((t) => t.table.record.uid === this.resumeUid));
    this.resumeUid = undefined;
    for (const { table, attributeName } of [...tables.slice(startAt), ...tables.slice(0, startAt)]) {
      if (budget <= 0) {
        this.resumeUid = table.record.uid;
        break;
      }
      const needle = Buffer.from(JSON.stringify(attributeName) + ':{"N":');
      const cursor = this.cursors.get(table.record.uid);
      const start = cursor ? Buffer.concat([cursor, Buffer.from([0])]) : table.itemPrefix;
      const end = prefixEnd(table.itemPrefix);
      const expired: Item[] = [];
      let last: Buffer | undefined;
      let finished = true;
      for (const { key, value } of this.db.store.range(start, end)) {
        if (budget <= 0) {
          finished = false;
          break;
        }
        budget--;
        last = key;
        // Cheap byte search first: most items of most tables carry no expiry at all.
        if (!value.includes(needle, 4)) continue;
        const item = decodeItemValue(value);
        if (isExpired(expiryOf(item, attributeName), nowSeconds)) expired.push(item);
      }
      if (finished) this.cursors.delete(table.record.uid);
      else {
        if (last) this.cursors.set(table.record.uid, last);
        this.resumeUid = table.record.uid;
      }
      deleted += await this.deleteExpired(table, attributeName, expired, nowSeconds);
    }
    return deleted;
  }

  private async deleteExpired(seen: TableHandle, attributeName: string, items: Item[], nowSeconds: number): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < items.length; i += this.deleteBatch) {
      const batch = items.slice(i, i + this.deleteBatch);
      deleted += await this.db.store.write((w) => {
        // The table may have been replaced (deleted, recreated) since the scan.
        const table = this.db.table(seen.record.accountId, seen.record.region, seen.record.TableName);
        if (!table || table.record.uid !== seen.record.uid) return 0;
        let count = 0;
        for (const item of batch) {
          const key = extractKey(item, table.shape);
          if (!key) continue;
          // Re-read inside the write: a newer write may have extended or removed the expiry.
          const raw = this.db.readForWrite(w, table, key);
          if (!raw) continue;
          if (!isExpired(expiryOf(decodeItemValue(raw), attributeName), nowSeconds)) continue;
          this.db.stageItemChange(w, table, key, undefined, { oldRaw: raw, byTtl: true });
          count++;
        }
        return count;
      });
    }
    return deleted;
  }

  /** Sweeps until every TTL-enabled table has been examined to its end once. */
  async sweepNow(now = Date.now()): Promise<number> {
    await this.running;
    this.cursors.clear();
    this.resumeUid = undefined;
    let deleted = 0;
    do {
      deleted += await this.sweep(now);
    } while (this.resumeUid !== undefined);
    return deleted;
  }

  /** Per TTL-enabled table: how many items are due now and when the next one expires. */
  status(now = Date.now()): TtlTableStatus[] {
    const nowSeconds = now / 1000;
    const out: TtlTableStatus[] = [];
    for (const table of this.db.tables()) {
      const ttl = effectiveTtl(table.record, now, this.transitionDelayMs());
      if (ttl.status === 'DISABLED' || !ttl.attributeName) continue;
      const entry: TtlTableStatus = {
        accountId: table.record.accountId,
        region: table.record.region,
        tableName: table.record.TableName,
        attributeName: ttl.attributeName,
        status: ttl.status,
        itemsWithTtl: 0,
        dueNow: 0,
      };
      const needle = Buffer.from(JSON.stringify(ttl.attributeName) + ':{"N":');
      for (const { value } of this.db.store.range(table.itemPrefix, prefixEnd(table.itemPrefix))) {
        if (!value.includes(needle, 4)) continue;
        const expiry = expiryOf(decodeItemValue(value), ttl.attributeName);
        if (expiry === undefined) continue;
        entry.itemsWithTtl++;
        if (isExpired(expiry, nowSeconds)) entry.dueNow++;
        else if (expiry > nowSeconds && (entry.nextExpiry === undefined || expiry < entry.nextExpiry)) entry.nextExpiry = expiry;
      }
      out.push(entry);
    }
    return out;
  }
}
