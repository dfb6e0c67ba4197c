import type { ItemWriteFailure } from '../contract.ts';
import { AppError, toWireError } from './wireError.ts';

/** BatchWriteItem's limit on requests per call. */
const BATCH_SIZE = 25;
const MAX_UNPROCESSED_RETRIES = 8;

/** One request of BatchWriteItem, in DynamoDB's wire shape. */
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchWriteOptions {
  call: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  tableName: string;
  requests: WriteRequest[];
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
 * Runs writes with BatchWriteItem in chunks of 25, retrying unprocessed requests with backoff.
 * A service without BatchWriteItem (an engine still growing it answers UnknownOperationException)
 * gets one PutItem or DeleteItem call per request instead. Cancellation is checked between calls:
 * the chunk in flight finishes and the result says how many were written.
 */
export async function batchWrite({ call, tableName, requests, signal, onProgress, isolateFailures = false }: BatchWriteOptions): Promise<BatchWriteResult> {
  let written = 0;
  const failed: ItemWriteFailure[] = [];
  let batchSupported = true;
  onProgress(0, requests.length);
  for (let start = 0; start < requests.length; start += BATCH_SIZE) {
    if (signal.aborted) return { written, failed, cancelled: true };
    const chunk = requests.slice(start, start + BATCH_SIZE);
    if (batchSupported) {
      try {
        await batchOnce(call, tableName, chunk);
        written += chunk.length;
        onProgress(written, requests.length);
        continue;
      } catch (error) {
        if (isUnknownOperation(error)) batchSupported = false;
        else if (!(isolateFailures && isPerRequestError(error))) throw error;
      }
    }
    for (const [offset, request] of chunk.entries()) {
      if (signal.aborted) return { written, failed, cancelled: true };
      try {
        await writeOne(call, tableName, request);
        written += 1;
      } catch (error) {
        if (!(isolateFailures && isPerRequestError(error))) throw error;
        failed.push({ index: start + offset, ...toWireError(error) });
      }
      onProgress(written, requests.length);
    }
  }
  return { written, failed, cancelled: false };
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
