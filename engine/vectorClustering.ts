/**
 * Clusters a vector index in the background, off the request path: reads a sample of its vectors
 * in chunks, trains centroids (k-means, in slices of a few milliseconds), installs them as the
 * index's newest layout in one small write, then moves the existing entries over in writes of
 * MOVE_BATCH entries. Requests run between every step, so a large index is clustered without
 * stalling the server; searches meanwhile read every layout that holds entries. Writes made
 * meanwhile file their entries under the newest layout themselves.
 *
 * Each step is durable on its own: after a restart, Database.reload sees the layouts and the job
 * resumes the move. A job stops at the next step when the engine closes, or when its index is
 * deleted, emptied or restored from a snapshot.
 */
import type { ClusteringProgress, Database, TableHandle, VectorLayouts, VectorSpace } from './database.ts';
import { prefixEnd } from './storage/keyCodec.ts';
import { trainClusters, trainingSampleSize, VectorSample, type VectorClusters } from './vectorClusters.ts';

/** Entries read per sampling chunk (one synchronous read between pauses). */
const SAMPLE_CHUNK = 2_000;
/**
 * Work per move write, in multiply-adds: an entry moved costs a dot product with every centroid
 * (counted as Dimensions + 16, for the per-centroid overhead), so a write moves about 30 entries of
 * an index of 100,000 x 768 (285 clusters), a few milliseconds of work; and at most MAX_MOVE_BATCH,
 * since each entry also costs a decode and two key writes (1 dimension would otherwise move
 * tens of thousands in one write).
 */
const MULTIPLY_ADDS_PER_MOVE = 8_000_000;
const MAX_MOVE_BATCH = 256;

/** Lets queued requests and I/O run before the next step. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Clusters one vector index as `layouts` (what Database.scheduleVectorClustering saw) lays it out;
 * does nothing once they are no longer the index's (a reload, restore, reset or deletion since).
 */
export async function clusterVectorIndex(db: Database, tableUid: number, indexUid: number, layouts: VectorLayouts, stopped: () => boolean): Promise<void> {
  const progress = layouts.job;
  if (!progress) return;
  // The table and index as they are now, while this job is still wanted.
  const live = (): { table: TableHandle; index: VectorSpace } | undefined => {
    if (stopped() || !db.isCurrentVectorLayouts(indexUid, layouts)) return undefined;
    const table = db.tables().find((t) => t.record.uid === tableUid);
    const index = table?.vectorIndexes.find((i) => i.record.uid === indexUid);
    return table && table.record.TableStatus !== 'DELETING' && index && index.record.IndexStatus === 'ACTIVE' ? { table, index } : undefined;
  };
  let completed = false;
  try {
    const started = live();
    if (!started || !db.vectorClusteringDue(started.index)) return;
    if (!layouts.draining) {
      const trained = await train(db, started.index, layouts, progress, live);
      if (!trained) return;
      const installed = await db.store.write((w) => {
        const now = live();
        // Only one clustering moves entries at a time.
        if (!now || layouts.draining) return false;
        db.stageVectorClusters(w, now.index, layouts, trained);
        return true;
      });
      if (!installed) return;
    }
    progress.phase = 'moving';
    const perEntry = layouts.newest!.clusters.centroids.length * (started.index.record.Dimensions + 16);
    const batch = Math.max(1, Math.min(MAX_MOVE_BATCH, Math.floor(MULTIPLY_ADDS_PER_MOVE / perEntry)));
    for (;;) {
      await pause();
      const step = await db.store.write((w) => {
        const now = live();
        return now ? db.stageVectorMove(w, now.table, now.index, layouts, batch) : undefined;
      });
      if (!step) return;
      progress.moved += step.moved;
      if (step.done) {
        completed = true;
        return;
      }
    }
  } finally {
    if (db.isCurrentVectorLayouts(indexUid, layouts)) {
      layouts.job = undefined;
      // Writes made while this job ran may have grown the index past its next clustering. (Only
      // after a clustering completed: a job that found nothing to do must not schedule itself again.)
      const now = completed ? live() : undefined;
      if (now) db.scheduleVectorClustering(now.table, now.index);
    }
  }
}

/** Samples the index's vectors (from every layout holding entries) and trains centroids on them. */
async function train(
  db: Database,
  index: VectorSpace,
  layouts: VectorLayouts,
  progress: ClusteringProgress,
  live: () => unknown,
): Promise<VectorClusters | undefined> {
  const { Dimensions: dimensions, DistanceFunction: fn } = index.record;
  const sample = new VectorSample(trainingSampleSize(db.tableStats(index.record.uid).itemCount));
  for (const source of [index.prefix, ...layouts.clustered.map((l) => l.prefix)]) {
    const end = prefixEnd(source);
    let from = source;
    for (;;) {
      let read = 0;
      let last: Buffer | undefined;
      for (const { key, value } of db.store.range(from, end, false, true, true)) {
        sample.offer(() => {
          const vector = new Float32Array(dimensions);
          new Uint8Array(vector.buffer).set(value.subarray(0, dimensions * 4));
          return vector;
        });
        last = key;
        if (++read === SAMPLE_CHUNK) break;
      }
      if (read < SAMPLE_CHUNK) break;
      // The next chunk starts just past the last key read.
      from = Buffer.concat([last!, Buffer.from([0])]);
      await pause();
      if (!live()) return undefined;
    }
  }
  if (sample.vectors.length === 0) return undefined;
  progress.phase = 'training';
  const training = trainClusters(fn, sample.vectors, sample.offered);
  for (;;) {
    const step = training.next();
    if (step.done) return step.value;
    await pause();
    if (!live()) return undefined;
  }
}
