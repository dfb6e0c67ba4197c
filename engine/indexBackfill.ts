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

/**
 * The table as it is now, if it still has the index this backfill was started for. An index deleted
 * and created again under the same name is another index (another uid), with its own backfill.
 */
function currentTable(ctx: OperationContext, tableUid: number, indexUid: number) {
  const handle = ctx.db.tables().find((t) => t.record.uid === tableUid);
  return handle?.record.indexes.some((i) => i.uid === indexUid) ? handle : undefined;
}

async function backfill(ctx: OperationContext, record: TableRecord, indexName: string): Promise<void> {
  const indexUid = record.indexes.find((i) => i.IndexName === indexName)!.uid;
  const progressKey = `${record.uid}/${indexName}`;
  const progress = { scanned: 0, done: false };
  backfillProgress.set(progressKey, progress);
  // Deleting the index while it backfills (as DynamoDB allows) cancels this backfill: its progress goes with it.
  const cancel = () => {
    if (backfillProgress.get(progressKey) === progress) backfillProgress.delete(progressKey);
  };
  let cursor: Buffer | undefined;
  for (;;) {
    if (!currentTable(ctx, record.uid, indexUid)) return cancel();
    const chunk = await ctx.db.store.write((w) => {
      // Checked again inside the write: a deletion may have committed while this write waited its turn.
      const handle = currentTable(ctx, record.uid, indexUid);
      if (!handle) return { cancelled: true, count: 0, finished: true };
      let count = 0;
      for (const { key, value } of ctx.db.store.range(cursor ?? handle.itemPrefix, prefixEnd(handle.itemPrefix))) {
        if (count === ITEMS_PER_CHUNK) {
          cursor = key;
          return { cancelled: false, count, finished: false };
        }
        ctx.db.stageIndexEntry(w, handle, indexName, decodeItemValue(value));
        count++;
      }
      return { cancelled: false, count, finished: true };
    });
    if (chunk.cancelled) return cancel();
    progress.scanned += chunk.count;
    if (chunk.finished) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const current = currentTable(ctx, record.uid, indexUid);
  if (!current) return cancel();
  const updated: TableRecord = structuredClone(current.record);
  const index = updated.indexes.find((i) => i.uid === indexUid)!;
  index.IndexStatus = 'ACTIVE';
  delete index.Backfilling;
  await ctx.db.saveTable(updated);
  progress.done = true;
}

indexLifecycle.onCreate = (ctx, record, indexName) => {
  ctx.later(ctx.settings.transitionDelayMs, () => backfill(ctx, record, indexName));
};
