import type { ImportItemsResult } from '../contract.ts';
import { batchWrite, type BatchWriteOptions } from './batchWrite.ts';

export interface ImportItemsOptions extends Omit<BatchWriteOptions, 'requests' | 'isolateFailures' | 'keyNames'> {
  items: Record<string, unknown>[];
}

/**
 * Puts one batch of an import through the shared BatchWriteItem runner. An item DynamoDB refuses
 * (too large, a bad attribute value) is reported with DynamoDB's message and the rest
 * carry on; a failure every item would share (no such table, lost connection) ends the run.
 * The table's key, read first, keeps two items with one key written in the file's order.
 */
export async function importItems({ items, ...options }: ImportItemsOptions): Promise<ImportItemsResult> {
  const described = await options.call('DescribeTable', { TableName: options.tableName });
  const keySchema = (described.Table as { KeySchema?: { AttributeName: string }[] } | undefined)?.KeySchema ?? [];
  return batchWrite({
    ...options,
    requests: items.map((Item) => ({ PutRequest: { Item } })),
    keyNames: keySchema.map((element) => element.AttributeName),
    isolateFailures: true,
  });
}
