import type { ImportItemsResult } from '../contract.ts';
import { batchWrite, type BatchWriteOptions } from './batchWrite.ts';

export interface ImportItemsOptions extends Omit<BatchWriteOptions, 'requests' | 'isolateFailures'> {
  items: Record<string, unknown>[];
}

/**
 * Puts one batch of an import through the shared BatchWriteItem runner. An item DynamoDB refuses
 * (too large, a bad attribute value) is reported with DynamoDB's message and the rest
 * carry on; a failure every item would share (no such table, lost connection) ends the run.
 */
export async function importItems({ items, ...options }: ImportItemsOptions): Promise<ImportItemsResult> {
  return batchWrite({ ...options, requests: items.map((Item) => ({ PutRequest: { Item } })), isolateFailures: true });
}
