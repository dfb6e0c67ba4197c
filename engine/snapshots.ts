/**
 * Whole-engine state for test suites: snapshots of an in-memory engine taken and restored in
 * O(1) (a copy-on-write clone of the store's B-tree), and emptying every table while keeping
 * the definitions. After either, the caches kept beside the store (the catalog and statistics,
 * the streams' state) are read again, so the engine answers exactly as the restored store says.
 */
import { prefixEnd } from './storage/keyCodec.ts';
import { MemoryStore, type MemorySnapshot } from './storage/memoryStore.ts';
import { ITEM_COLLECTIONS, ITEMS, INDEX_ENTRIES, POINT_IN_TIME_LOG, STATS, VECTOR_CLUSTER_MODELS, VECTOR_CLUSTERED_ENTRIES, VECTOR_ENTRIES } from './database.ts';
import type { Engine } from './engine.ts';
import { STREAM_RECORDS } from './streams/layout.ts';

export interface EngineSnapshot {
  readonly store: MemorySnapshot;
}

function memoryStoreOf(engine: Engine): MemoryStore {
  if (!(engine.store instanceof MemoryStore)) throw new Error('Snapshots need the in-memory store (start without a data directory)');
  return engine.store;
}

function reloadCaches(engine: Engine): void {
  engine.db.reload();
  engine.background.streams.reload();
  engine.db.resumeVectorClustering();
}

/** A consistent copy of every table, item, index and stream record, taken in O(1). */
export function takeSnapshot(engine: Engine): EngineSnapshot {
  return { store: memoryStoreOf(engine).snapshot() };
}

/** Puts the engine back to `snapshot`; the snapshot can be restored again later. */
export function restoreSnapshot(engine: Engine, snapshot: EngineSnapshot): void {
  memoryStoreOf(engine).restore(snapshot.store);
  reloadCaches(engine);
}

export function releaseSnapshot(engine: Engine, snapshot: EngineSnapshot): void {
  memoryStoreOf(engine).releaseSnapshot(snapshot.store);
}

/**
 * Deletes every item, index and vector index entry, stream record and point-in-time history, keeping tables, their
 * indexes and settings (streams stay enabled, TTL and point-in-time recovery stay on; recovery's
 * history starts again now, as the deletions are not logged). Works on either store; one atomic write.
 */
export async function emptyAllTables(engine: Engine): Promise<void> {
  const store = engine.store;
  const emptied = [STATS, ITEMS, INDEX_ENTRIES, VECTOR_ENTRIES, VECTOR_CLUSTERED_ENTRIES, VECTOR_CLUSTER_MODELS, ITEM_COLLECTIONS, STREAM_RECORDS, POINT_IN_TIME_LOG].map((tag) => Buffer.from([tag]));
  const now = Date.now();
  await store.write((w) => {
    for (const start of emptied) for (const { key } of store.range(start, prefixEnd(start), false, true, true)) w.remove(key);
    for (const { record } of engine.db.tables()) {
      if (record.pointInTimeRecovery) engine.db.stageTable(w, { ...record, pointInTimeRecovery: { ...record.pointInTimeRecovery, enabledAt: now } });
    }
  });
  reloadCaches(engine);
}
