/**
 * Backfills a GSI added by UpdateTable: walks the table's items in small chunks, each chunk one
 * write transaction (so it sees every committed change and interleaves with other requests
 * rather than stalling them), then marks the index ACTIVE. Writes made meanwhile maintain the new
 * index themselves, since the write path updates every index that is not being deleted.
 */
import { decodeItemValue } from './database.ts';
import type { OperationContext } from './operations/context.ts';
import { indexLifecycle } from './operations/tables.ts';
import { prefixEnd } from './storage/keyCodec.ts';
import type { TableRecord } from './tableModel.ts';

const ITEMS_PER_CHUNK = 500;

/** Progress of running backfills, by table uid and index name (for the UI). */
export const backfillProgress = new Map<string, { scanned: number; done: boolean }>();

async function backfill(ctx: OperationContext, record: TableRecord, indexName: string): Promise<void> {
  const progressKey = `${record.uid}/${indexName}`;
  const progress = { scanned: 0, done: false };
  backfillProgress.set(progressKey, progress);
  let cursor: Buffer | undefined;
  for (;;) {
    const handle = ctx.db.tables().find((t) => t.record.uid === record.uid);
    if (!handle || !handle.index(indexName)) return; // table or index deleted meanwhile
    const end = prefixEnd(handle.itemPrefix);
    const finished = await ctx.db.store.write((w) => {
      let count = 0;
      for (const { key, value } of ctx.db.store.range(cursor ?? handle.itemPrefix, end)) {
        if (count === ITEMS_PER_CHUNK) {
          cursor = key;
          return false;
        }
        ctx.db.stageIndexEntry(w, handle, indexName, decodeItemValue(value));
        count++;
      }
      progress.scanned += count;
      return true;
    });
    if (!finished) progress.scanned += ITEMS_PER_CHUNK;
    if (finished) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const current = ctx.db.tables().find((t) => t.record.uid === record.uid);
  if (!current) return;
  const updated: TableRecord = structuredClone(current.record);
  const index = updated.indexes.find((i) => i.IndexName === indexName);
  if (!index) return;
  index.IndexStatus = 'ACTIVE';
  delete index.Backfilling;
  await ctx.db.saveTable(updated);
  progress.done = true;
}

indexLifecycle.onCreate = (ctx, record, indexName) => {
  ctx.later(ctx.settings.transitionDelayMs, () => backfill(ctx, record, indexName));
};
