import type { ItemWriteFailure } from '../contract.ts';
import { AppError, toWireError } from './wireError.ts';

/** BatchWriteItem's limit on requests per call. */
const BATCH_SIZE = 25;
const MAX_UNPROCESSED_RETRIES = 8;
/**
 * BatchWriteItem calls kept in flight. One call at a time waits for each durable commit in turn
 * (about 2,500 items/s on LMDB with its sync per commit); calls in flight together share a commit,
 * as the engine batches concurrent writers, and a remote service serves them in parallel.
 */
const CALLS_IN_FLIGHT = 32;

/** One request of BatchWriteItem, in DynamoDB's wire shape. */
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchWriteOptions {
  call: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  tableName: string;
  requests: WriteRequest[];
  /**
   * The table's key attribute names. Chunks run in parallel, so two writes to one key could land
   * in either order; a chunk holding a key an earlier chunk in flight also writes waits for that
   * chunk, so the last request for a key wins, as when they ran one after another. Delete requests
   * carry their key whole and need no names.
   */
  keyNames: readonly string[];
  signal: AbortSignal;
  /** Called before the first chunk and after each one with requests written so far. */
  onProgress: (done: number, total: number) => void;
  /**
   * When true, a chunk DynamoDB refuses as a whole for something one request did (a malformed or
   * oversized item, two writes to one key) is replayed one request at a time, and the requests
   * that still fail are reported in `failed` instead of ending the run. Without it any error
   * ends the run, as bulk delete has always done.
   */
  isolateFailures?: boolean;
}

export interface BatchWriteResult {
  written: number;
  /** Requests that failed on their own, by index into `requests`, with DynamoDB's words. */
  failed: ItemWriteFailure[];
  cancelled: boolean;
}

/**
 * Runs writes with BatchWriteItem in chunks of 25, several chunks in flight, retrying unprocessed
 * requests with backoff. A service without BatchWriteItem (an engine still growing it answers
 * UnknownOperationException) gets one PutItem or DeleteItem call per request instead.
 * Cancellation and a failure that ends the run stop new chunks from starting; the chunks in
 * flight finish, so the result says truly how many were written.
 */
export async function batchWrite({ call, tableName, requests, keyNames, signal, onProgress, isolateFailures = false }: BatchWriteOptions): Promise<BatchWriteResult> {
  let written = 0;
  const failed: ItemWriteFailure[] = [];
  let batchSupported = true;
  let fatal: { error: unknown } | undefined;
  let cancelled = false;
  /** The chunk in flight that last took each key, settled when that chunk is done. */
  const keyHolders = new Map<string, Promise<void>>();
  let nextStart = 0;

  const writeChunk = async (start: number, chunk: WriteRequest[]) => {
    if (batchSupported) {
      try {
        await batchOnce(call, tableName, chunk);
        written += chunk.length;
        onProgress(written, requests.length);
        return;
      } catch (error) {
        if (isUnknownOperation(error)) batchSupported = false;
        else if (!(isolateFailures && isPerRequestError(error))) throw error;
      }
    }
    for (const [offset, request] of chunk.entries()) {
      if (signal.aborted) return void (cancelled = true);
      try {
        await writeOne(call, tableName, request);
        written += 1;
      } catch (error) {
        if (!(isolateFailures && isPerRequestError(error))) throw error;
        failed.push({ index: start + offset, ...toWireError(error) });
      }
      onProgress(written, requests.length);
    }
  };

  /** Takes chunks in order until none are left, the run is cancelled or a chunk failed for good. */
  const worker = async () => {
    while (nextStart < requests.length && !fatal) {
      if (signal.aborted) return void (cancelled = true);
      const start = nextStart;
      nextStart += BATCH_SIZE;
      const chunk = requests.slice(start, start + BATCH_SIZE);
      // Claimed synchronously, in chunk order, so a later chunk always sees an earlier one's keys.
      const keys = chunk.map((request) => requestKey(request, keyNames));
      const earlier = new Set(keys.flatMap((key) => keyHolders.get(key) ?? []));
      let release!: () => void;
      const done = new Promise<void>((resolve) => (release = resolve));
      for (const key of keys) keyHolders.set(key, done);
      try {
        await Promise.all(earlier);
        if (fatal) return;
        await writeChunk(start, chunk);
      } catch (error) {
        fatal ??= { error };
      } finally {
        release();
        for (const key of keys) if (keyHolders.get(key) === done) keyHolders.delete(key);
      }
    }
  };

  onProgress(0, requests.length);
  await Promise.all(Array.from({ length: Math.min(CALLS_IN_FLIGHT, Math.ceil(requests.length / BATCH_SIZE)) }, worker));
  if (fatal) throw fatal.error;
  failed.sort((a, b) => a.index - b.index);
  return { written, failed, cancelled };
}

/** The request's key as text: its key attributes' values, in key order. */
function requestKey(request: WriteRequest, keyNames: readonly string[]): string {
  if ('DeleteRequest' in request) {
    const key = request.DeleteRequest.Key;
    return JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]));
  }
  const item = request.PutRequest.Item;
  return JSON.stringify([...keyNames].sort().map((name) => [name, item[name]]));
}

async function batchOnce(call: BatchWriteOptions['call'], tableName: string, chunk: WriteRequest[]): Promise<void> {
  let pending: unknown[] = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_UNPROCESSED_RETRIES) {
      throw new AppError('ProvisionedThroughputExceededException', `${pending.length} writes stayed unprocessed after ${MAX_UNPROCESSED_RETRIES} retries`);
    }
    if (attempt > 0) {
      // Unprocessed requests are throttled ones: back off before asking again (25 ms doubling,
      // capped). A cancel does not stop this: the chunk in flight is finished, so counts stay true.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    }
    const output = await call('BatchWriteItem', { RequestItems: { [tableName]: pending } });
    const unprocessed = output.UnprocessedItems as Record<string, unknown[]> | undefined;
    pending = unprocessed?.[tableName] ?? [];
  }
}

function writeOne(call: BatchWriteOptions['call'], tableName: string, request: WriteRequest): Promise<unknown> {
  return 'PutRequest' in request
    ? call('PutItem', { TableName: tableName, Item: request.PutRequest.Item })
    : call('DeleteItem', { TableName: tableName, Key: request.DeleteRequest.Key });
}

function errorCode(error: unknown): string {
  return toWireError(error).code;
}

function isUnknownOperation(error: unknown): boolean {
  return errorCode(error) === 'UnknownOperationException';
}

/**
 * Errors one bad request causes for its whole BatchWriteItem call. Anything else (a missing table,
 * lost network, throttling that outlived the retries) would fail every request the same way.
 */
function isPerRequestError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ValidationException' || code === 'ItemCollectionSizeLimitExceededException' || code === 'ConditionalCheckFailedException';
}
