/**
 * Backfills a GSI or vector index added by UpdateTable: walks the table's items in small chunks, each chunk one
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

type IndexKind = 'secondary' | 'vector';

function indexesOf(record: TableRecord, kind: IndexKind): { uid: number; IndexName: string; IndexStatus: string; Backfilling?: boolean }[] {
  return kind === 'vector' ? (record.vectorIndexes ?? []) : record.indexes;
}

/**
 * The table as it is now, if it still has the index this backfill was started for. An index deleted
 * and created again under the same name is another index (another uid), with its own backfill.
 */
function currentTable(ctx: OperationContext, tableUid: number, indexUid: number, kind: IndexKind) {
  const handle = ctx.db.tables().find((t) => t.record.uid === tableUid);
  return handle && indexesOf(handle.record, kind).some((i) => i.uid === indexUid) ? handle : undefined;
}

/** Saves the table with the index's record changed by `change`. */
async function updateIndex(ctx: OperationContext, record: TableRecord, indexUid: number, kind: IndexKind, change: (index: ReturnType<typeof indexesOf>[number]) => void) {
  const updated: TableRecord = structuredClone(record);
  change(indexesOf(updated, kind).find((i) => i.uid === indexUid)!);
  await ctx.db.saveTable(updated);
}

async function backfill(ctx: OperationContext, record: TableRecord, indexName: string, kind: IndexKind): Promise<void> {
  const indexUid = indexesOf(record, kind).find((i) => i.IndexName === indexName)!.uid;
  const progressKey = `${record.uid}/${indexName}`;
  const progress = { scanned: 0, done: false };
  backfillProgress.set(progressKey, progress);
  // Deleting the index while it backfills (as DynamoDB allows) cancels this backfill: its progress goes with it.
  const cancel = () => {
    if (backfillProgress.get(progressKey) === progress) backfillProgress.delete(progressKey);
  };
  // A vector index reports Backfilling false while its resources are allocated, true once items flow in.
  if (kind === 'vector') {
    const started = currentTable(ctx, record.uid, indexUid, kind);
    if (!started) return cancel();
    await updateIndex(ctx, started.record, indexUid, kind, (index) => (index.Backfilling = true));
  }
  let cursor: Buffer | undefined;
  for (;;) {
    if (!currentTable(ctx, record.uid, indexUid, kind)) return cancel();
    const chunk = await ctx.db.store.write((w) => {
      // Checked again inside the write: a deletion may have committed while this write waited its turn.
      const handle = currentTable(ctx, record.uid, indexUid, kind);
      if (!handle) return { cancelled: true, count: 0, finished: true };
      let count = 0;
      for (const { key, value } of ctx.db.store.range(cursor ?? handle.itemPrefix, prefixEnd(handle.itemPrefix))) {
        if (count === ITEMS_PER_CHUNK) {
          cursor = key;
          return { cancelled: false, count, finished: false };
        }
        if (kind === 'vector') ctx.db.stageVectorEntry(w, handle, indexName, decodeItemValue(value));
        else ctx.db.stageIndexEntry(w, handle, indexName, decodeItemValue(value));
        count++;
      }
      return { cancelled: false, count, finished: true };
    });
    if (chunk.cancelled) return cancel();
    progress.scanned += chunk.count;
    if (chunk.finished) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const current = currentTable(ctx, record.uid, indexUid, kind);
  if (!current) return cancel();
  await updateIndex(ctx, current.record, indexUid, kind, (index) => {
    index.IndexStatus = 'ACTIVE';
    delete index.Backfilling;
  });
  progress.done = true;
  // A vector index backfilled with many items may be due its clustering (it waits for ACTIVE).
  if (kind === 'vector') {
    const table = currentTable(ctx, record.uid, indexUid, kind);
    const index = table?.vectorIndexes.find((i) => i.record.uid === indexUid);
    if (table && index) ctx.db.scheduleVectorClustering(table, index);
  }
}

indexLifecycle.onCreate = (ctx, record, indexName, kind) => {
  ctx.later(ctx.settings.transitionDelayMs, () => backfill(ctx, record, indexName, kind));
};
