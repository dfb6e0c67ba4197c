/**
 * The engine's public surface, shared by the HTTP endpoint, the Electron main process and the
 * headless bridge. Everything that crosses it is plain JSON in DynamoDB's wire shapes.
 */
import type { RequestInput } from './types.ts';

/** Where a request lands: DynamoDB namespaces tables by account and region. */
export interface RequestContext {
  region: string;
  accountId: string;
}

export interface EngineOptions {
  /** Directory of the LMDB store. Ignored with inMemory. */
  dataDir?: string;
  /** Keep everything in memory (an ordered B-tree) instead of LMDB. */
  inMemory?: boolean;
  /** Milliseconds a table stays CREATING/UPDATING/DELETING before the change completes (0 by default). */
  transitionDelayMs?: number;
  /** Every region shares one namespace. */
  singleRegion?: boolean;
  /** The local account id used in ARNs (default 000000000000). */
  accountId?: string;
  /** Milliseconds between background ticks: TTL sweep, stream trimming and shard roll-over (default 5000; 0 turns them off). */
  ttlSweepIntervalMs?: number;
  /** Hours stream records are kept (default 24, as DynamoDB). */
  streamRetentionHours?: number;
  /** Age in milliseconds at which a stream shard is closed and a child opened (default 4 hours). */
  shardRolloverMs?: number;
  /** How long a TransactWriteItems ClientRequestToken is honoured (default 10 minutes, as DynamoDB). */
  clientRequestTokenWindowMs?: number;
  /** Entries a vector index holds before it is clustered for approximate search (default 20,000; tests lower it). */
  vectorClusteringMinimum?: number;
  /** Milliseconds in one day of a point-in-time recovery period (default a day; tests shorten it to see history pruned). */
  recoveryPeriodDayMs?: number;
  /**
   * Where ExportTableToPointInTime writes and ImportTable reads "S3": bucket B, key K is the file
   * <exportRoot>/B/K. Default: `s3` in the data directory, or `dynamo-lens-s3` in the OS's
   * temporary directory in memory.
   */
  exportRoot?: string;
}

/** A namespace that holds tables, as shown by `serve` and the UI sidebar. */
export interface NamespaceSummary {
  accountId: string;
  region: string;
  tableCount: number;
}

/** Where an engine keeps its data and how big it is (for status lines and the UI). */
export type StorageStatus =
  | { kind: 'memory'; entries: number; valueBytes: number }
  | {
      kind: 'lmdb';
      dataDir: string;
      /** Size of data.mdb on disk. */
      fileBytes: number;
      pageSize: number;
      /** Pages of the file in use so far (the file never shrinks). */
      usedPages: number;
      /** Pages holding live data now. */
      livePages: number;
      /** Pages freed by deletes and rewrites, reused before the file grows. */
      freePages: number;
      /** Address space reserved for mapping the file (not memory in use). */
      mapBytes: number;
    };

export interface DynamoEngine {
  /**
   * Runs one DynamoDB operation (e.g. "PutItem") with its JSON input. Resolves with the output
   * DynamoDB would send; rejects with a DynamoDbError carrying DynamoDB's type and message.
   */
  handle(operation: string, input: RequestInput, context: RequestContext, rawResponses?: boolean): Promise<Record<string, unknown>>;
  /** Namespaces that currently hold at least one table. */
  namespaces(): NamespaceSummary[];
  /** Where the data lives and how big it is (engines that are not ours may not say). */
  storageStatus?(): StorageStatus;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/**
 * How a vector index is searched: exactly (no clusters) or over `clusters` clusters, and a
 * clustering under way in the background (sampling its vectors, training centroids, or moving
 * its entries to them).
 */
export interface VectorSearchStatus {
  clusters: number;
  clustering?: { phase: 'sampling' | 'training' | 'moving'; moved: number; entries: number };
}
