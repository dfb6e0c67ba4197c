/** Every operation the endpoint serves, keyed by its X-Amz-Target operation name. */
import type { Operation } from './context.ts';
import {
  createTable,
  deleteTable,
  describeEndpoints,
  describeLimits,
  describeTableOperation,
  listTables,
  listTagsOfResource,
  tagResource,
  untagResource,
  updateTable,
} from './tables.ts';
import { deleteItem, getItem, putItem, updateItem } from './items.ts';
import { query, scan } from './read.ts';
import { batchGetItem, batchWriteItem } from './batch.ts';
import { transactGetItems, transactWriteItems } from './transactions.ts';
import { streamOperations } from '../streams/operations.ts';
import { ttlOperations } from '../ttl/operations.ts';
import { partiqlOperations } from '../partiql/operations.ts';
import { resourcePolicyOperations } from './resourcePolicies.ts';
import { cloudOnlyOperations } from './cloudOnly.ts';
import { backupOperations } from './backups.ts';
import { pointInTimeOperations } from './pointInTime.ts';
import { contributorInsightsOperations } from './contributorInsights.ts';
import { exportOperations } from './exports.ts';
import { importOperations } from './imports.ts';
import { vectorOperations } from './searchVectors.ts';

export const operations: Record<string, Operation> = {
  CreateTable: createTable,
  DescribeTable: describeTableOperation,
  ListTables: listTables,
  UpdateTable: updateTable,
  DeleteTable: deleteTable,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  DescribeLimits: describeLimits,
  DescribeEndpoints: describeEndpoints,
  PutItem: putItem,
  GetItem: getItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  TransactWriteItems: transactWriteItems,
  TransactGetItems: transactGetItems,
  ...streamOperations,
  ...ttlOperations,
  ...partiqlOperations,
  ...resourcePolicyOperations,
  ...cloudOnlyOperations,
  ...backupOperations,
  ...pointInTimeOperations,
  ...contributorInsightsOperations,
  ...exportOperations,
  ...importOperations,
  ...vectorOperations,
};
