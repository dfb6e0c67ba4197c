/**
 * On-demand backups through the AWS SDK: a consistent copy, restorable into a new table with its
 * indexes, kept after the table is deleted and across a restart on LMDB.
 */
import {
  BatchWriteItemCommand,
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListBackupsCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-lens-backups-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function createOrders(h: Harness, items: number): Promise<void> {
  await h.client.send(
    new CreateTableCommand({
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'customer', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byCustomer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < items; i += 25) {
    const requests = Array.from({ length: Math.min(25, items - i) }, (_, j) => ({
      PutRequest: { Item: { pk: { S: `order-${i + j}` }, customer: { S: `c${(i + j) % 10}` }, total: { N: String(i + j) } } },
    }));
    await h.client.send(new BatchWriteItemCommand({ RequestItems: { Orders: requests } }));
  }
}

describe('backups', () => {
  test('a backup is the table as it was; restored into a new table with its index; kept after the table is deleted', async () => {
    const h = await startHarness();
    try {
      await createOrders(h, 2500);
      const { BackupDetails } = await h.client.send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'before-change' }));
      assert.equal(BackupDetails?.BackupStatus, 'AVAILABLE');
      assert.match(BackupDetails?.BackupArn ?? '', /^arn:aws:dynamodb:us-east-1:\d{12}:table\/Orders\/backup\/\d{17}-[0-9a-f]{8}$/);
      const arn = BackupDetails!.BackupArn!;
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'order-1' }, customer: { S: 'c1' }, total: { N: '999' } } }));
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'late' }, customer: { S: 'c1' } } }));

      const described = await h.client.send(new DescribeBackupCommand({ BackupArn: arn }));
      assert.equal(described.BackupDescription?.SourceTableDetails?.ItemCount, 2500);
      assert.equal(described.BackupDescription?.SourceTableFeatureDetails?.GlobalSecondaryIndexes?.[0]?.IndexName, 'byCustomer');
      const listed = await h.client.send(new ListBackupsCommand({ TableName: 'Orders' }));
      assert.deepEqual(listed.BackupSummaries?.map((b) => [b.BackupName, b.BackupStatus]), [['before-change', 'AVAILABLE']]);

      await h.client.send(new DeleteTableCommand({ TableName: 'Orders' }));
      const restore = await h.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'OrdersRestored', BackupArn: arn }));
      assert.equal(restore.TableDescription?.RestoreSummary?.SourceBackupArn, arn);
      const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'OrdersRestored' }));
      assert.equal(Table?.ItemCount, 2500);
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 2500);
      const one = await h.client.send(new GetItemCommand({ TableName: 'OrdersRestored', Key: { pk: { S: 'order-1' } }, ConsistentRead: true }));
      assert.equal(one.Item?.total?.N, '1', 'the restored item is the one backed up, not the later write');
      const late = await h.client.send(new GetItemCommand({ TableName: 'OrdersRestored', Key: { pk: { S: 'late' } }, ConsistentRead: true }));
      assert.equal(late.Item, undefined);
      const byCustomer = await h.client.send(
        new QueryCommand({ TableName: 'OrdersRestored', IndexName: 'byCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c3' } }, Select: 'COUNT' }),
      );
      assert.equal(byCustomer.Count, 250);

      const taken = await errorOf(() => h.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'OrdersRestored', BackupArn: arn })));
      assert.equal(taken.name, 'TableAlreadyExistsException');
      const deleted = await h.client.send(new DeleteBackupCommand({ BackupArn: arn }));
      assert.equal(deleted.BackupDescription?.BackupDetails?.BackupStatus, 'DELETED');
      const gone = await errorOf(() => h.client.send(new DescribeBackupCommand({ BackupArn: arn })));
      assert.equal(gone.name, 'BackupNotFoundException');
    } finally {
      await h.close();
    }
  });

  test('a backup on LMDB survives a restart and restores with a billing override', async () => {
    const dataDir = join(scratch, 'durable');
    const first = await startHarness({ store: 'lmdb', dataDir });
    let arn: string;
    try {
      await createOrders(first, 60);
      arn = (await first.client.send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'nightly' }))).BackupDetails!.BackupArn!;
    } finally {
      await first.close();
    }
    const second = await startHarness({ store: 'lmdb', dataDir });
    try {
      await second.client.send(
        new RestoreTableFromBackupCommand({
          TargetTableName: 'OrdersProvisioned',
          BackupArn: arn,
          BillingModeOverride: 'PROVISIONED',
          ProvisionedThroughputOverride: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      );
      const { Table } = await second.client.send(new DescribeTableCommand({ TableName: 'OrdersProvisioned' }));
      assert.equal(Table?.ItemCount, 60);
      assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 5);
    } finally {
      await second.close();
    }
  });
});
