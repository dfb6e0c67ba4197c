import { isDynamoDbError } from '../../engine/errors.ts';
import type { DeleteItemsResult } from '../contract.ts';
import { AppError } from './wireError.ts';

/** BatchWriteItem's limit on requests per call. */
const BATCH_SIZE = 25;
const MAX_UNPROCESSED_RETRIES = 8;

export interface DeleteItemsOptions {
  call: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  tableName: string;
  keys: Record<string, unknown>[];
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

/**
 * Deletes items by key with BatchWriteItem in chunks of 25, retrying unprocessed requests with
 * backoff. A service without BatchWriteItem (an engine still growing it answers
 * UnknownOperationException) gets one DeleteItem call per key instead. Stops between calls when
 * cancelled and reports how many were deleted.
 */
export async function deleteItems({ call, tableName, keys, signal, onProgress }: DeleteItemsOptions): Promise<DeleteItemsResult> {
  let deleted = 0;
  let batchSupported = true;
  onProgress(0, keys.length);
  for (let start = 0; start < keys.length; start += BATCH_SIZE) {
    if (signal.aborted) return { deleted, cancelled: true };
    const chunk = keys.slice(start, start + BATCH_SIZE);
    if (batchSupported) {
      try {
        await batchDelete(call, tableName, chunk, signal);
        deleted += chunk.length;
        onProgress(deleted, keys.length);
        continue;
      } catch (error) {
        if (!isUnknownOperation(error)) throw error;
        batchSupported = false;
      }
    }
    for (const key of chunk) {
      if (signal.aborted) return { deleted, cancelled: true };
      await call('DeleteItem', { TableName: tableName, Key: key });
      deleted += 1;
      onProgress(deleted, keys.length);
    }
  }
  return { deleted, cancelled: false };
}

async function batchDelete(
  call: DeleteItemsOptions['call'],
  tableName: string,
  keys: Record<string, unknown>[],
  signal: AbortSignal,
): Promise<void> {
  let requests: unknown[] = keys.map((Key) => ({ DeleteRequest: { Key } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > MAX_UNPROCESSED_RETRIES) {
      throw new AppError('ProvisionedThroughputExceededException', `${requests.length} deletes stayed unprocessed after ${MAX_UNPROCESSED_RETRIES} retries`);
    }
    if (attempt > 0) {
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    }
    const output = await call('BatchWriteItem', { RequestItems: { [tableName]: requests } });
    const unprocessed = output.UnprocessedItems as Record<string, unknown[]> | undefined;
    requests = unprocessed?.[tableName] ?? [];
  }
}

function isUnknownOperation(error: unknown): boolean {
  const code = isDynamoDbError(error) ? error.code : error instanceof Error ? error.name : '';
  return code === 'UnknownOperationException';
}
