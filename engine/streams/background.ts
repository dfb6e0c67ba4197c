/**
 * Installs DynamoDB Streams and the TTL sweeper on an engine's database and runs their periodic
 * work: one tick every `ttlSweepIntervalMs` sweeps expired items (bounded), then follows the
 * table catalog, rolls over old shards and trims records past retention. Ticks are scheduled
 * through the engine's `later`, so Engine.close() cancels the next one and waits for a running one.
 */
import type { EngineOptions } from '../api.ts';
import type { Database } from '../database.ts';
import { TtlSweeper } from '../ttl/sweeper.ts';
import { installStreams, type StreamsService } from './service.ts';

export interface BackgroundWork {
  streams: StreamsService;
  ttl: TtlSweeper;
}

export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 5000;
export const DEFAULT_STREAM_RETENTION_HOURS = 24;
export const DEFAULT_SHARD_ROLLOVER_MS = 4 * 60 * 60 * 1000;

export function startBackgroundWork(
  db: Database,
  options: EngineOptions,
  transitionDelayMs: () => number,
  later: (ms: number, fn: () => Promise<void>) => void,
): BackgroundWork {
  const streams = installStreams(db, {
    retentionMs: (options.streamRetentionHours ?? DEFAULT_STREAM_RETENTION_HOURS) * 60 * 60 * 1000,
    shardRolloverMs: options.shardRolloverMs ?? DEFAULT_SHARD_ROLLOVER_MS,
  });
  const ttl = new TtlSweeper(db, transitionDelayMs);
  const interval = options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS;
  const tick = async (): Promise<void> => {
    try {
      await ttl.sweep();
      await streams.maintain();
    } finally {
      later(interval, tick);
    }
  };
  if (interval > 0) later(interval, tick);
  return { streams, ttl };
}
