import type { DeleteItemsResult } from '../contract.ts';
import { batchWrite, type BatchWriteOptions } from './batchWrite.ts';

export interface DeleteItemsOptions extends Omit<BatchWriteOptions, 'requests' | 'isolateFailures' | 'keyNames'> {
  keys: Record<string, unknown>[];
}

/** Deletes items by key through the shared BatchWriteItem runner; any failure ends the run. */
export async function deleteItems({ keys, ...options }: DeleteItemsOptions): Promise<DeleteItemsResult> {
  const result = await batchWrite({ ...options, requests: keys.map((Key) => ({ DeleteRequest: { Key } })), keyNames: [] });
  return { deleted: result.written, cancelled: result.cancelled };
}
