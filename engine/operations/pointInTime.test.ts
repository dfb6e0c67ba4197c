/**
 * Point-in-time recovery through the AWS SDK: the table as it was at a moment since recovery was
 * turned on, restored into a new table with its index; the window and its errors; history kept
 * across a restart on LMDB and pruned past the recovery period.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { emptyAllTables } from '../snapshots.ts';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-lens-pitr-'));
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

async function enable(h: Harness, days?: number) {
  return h.client.send(
    new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: days } }),
  );
}

/** Every item of a table, by pk, as `total` (or the whole item as JSON when it has more). */
async function contents(h: Harness, table: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await h.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) out.set(item.pk.S!, JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** A moment strictly between the writes before and after it (the log keeps milliseconds). */
async function moment(): Promise<Date> {
  await sleep(5);
  const at = new Date();
  await sleep(5);
  return at;
}

/** Changes after the moment: an update, a delete, a new item, and one item changed twice. */
async function laterChanges(h: Harness): Promise<void> {
  await h.client.send(new UpdateItemCommand({ TableName: 'Orders', Key: { pk: { S: 'order-1' } }, UpdateExpression: 'SET #t = :t, customer = :c', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':t': { N: '999' }, ':c': { S: 'c-moved' } } }));
  await h.client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: { S: 'order-2' } } }));
  await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'late' }, customer: { S: 'c1' } } }));
  await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'order-3' }, customer: { S: 'c3' }, total: { N: '-1' } } }));
  await h.client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: { S: 'order-3' } } }));
}

describe('point-in-time recovery', () => {
  test('restores the table as it was at a moment, with its index; the latest time restores the table as it is', async () => {
    const h = await startHarness();
    try {
      await createOrders(h, 1200);
      const off = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }));
      assert.deepEqual(off.ContinuousBackupsDescription, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
      const unavailable = await errorOf(() => h.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'Copy', UseLatestRestorableTime: true })));
      assert.equal(unavailable.name, 'PointInTimeRecoveryUnavailableException');
      assert.equal(unavailable.message, "Point in time recovery is not enabled for table 'Orders'");

      const before = Date.now();
      const enabled = await enable(h, 7);
      const description = enabled.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
      assert.equal(description?.PointInTimeRecoveryStatus, 'ENABLED');
      assert.equal(description?.RecoveryPeriodInDays, 7);
      const earliest = description!.EarliestRestorableDateTime!.getTime();
      assert.ok(earliest >= before && earliest <= Date.now(), 'history starts when recovery is turned on');

      const at = await moment();
      const asAt = await contents(h, 'Orders');
      await laterChanges(h);
      const now = await contents(h, 'Orders');

      const restored = await h.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'OrdersThen', RestoreDateTime: at }));
      const sourceArn = (await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table!.TableArn!;
      assert.equal(restored.TableDescription?.RestoreSummary?.SourceTableArn, sourceArn);
      assert.equal(restored.TableDescription?.RestoreSummary?.RestoreDateTime?.getTime(), at.getTime());
      assert.equal(restored.TableDescription?.RestoreSummary?.SourceBackupArn, undefined);
      assert.deepEqual(await contents(h, 'OrdersThen'), asAt);
      const { Table } = await h.client.send(new DescribeTableCommand({ TableName: 'OrdersThen' }));
      assert.equal(Table?.ItemCount, 1200);
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 1200);
      const c1 = await h.client.send(
        new QueryCommand({ TableName: 'OrdersThen', IndexName: 'byCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } }, Select: 'COUNT' }),
      );
      assert.equal(c1.Count, 120, 'order-1 is back under c1 and "late" is not there');
      const restoredPitr = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'OrdersThen' }));
      assert.equal(restoredPitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED', 'recovery settings are not restored');

      await h.client.send(new RestoreTableToPointInTimeCommand({ SourceTableArn: sourceArn, TargetTableName: 'OrdersNow', UseLatestRestorableTime: true }));
      assert.deepEqual(await contents(h, 'OrdersNow'), now);
    } finally {
      await h.close();
    }
  });

  test('refuses what the service refuses, in its words', async () => {
    const h = await startHarness();
    try {
      await createOrders(h, 3);
      const tooLong = await errorOf(() => enable(h, 36));
      assert.equal(tooLong.name, 'ValidationException');
      assert.equal(
        tooLong.message,
        "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35",
      );
      const disablingWithPeriod = await errorOf(() =>
        h.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 7 } })),
      );
      assert.equal(disablingWithPeriod.name, 'ValidationException');
      assert.equal(disablingWithPeriod.message, 'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.');
      const missing = await errorOf(() => h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Nope' })));
      assert.equal(missing.name, 'TableNotFoundException');
      assert.equal(missing.message, 'Table not found: Nope');
      const missingUpdate = await errorOf(() =>
        h.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Nope', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })),
      );
      assert.equal(missingUpdate.name, 'TableNotFoundException');

      const defaults = await enable(h);
      assert.equal(defaults.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 35);
      const earliest = defaults.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime?.getTime();
      await sleep(5);
      const shortened = await enable(h, 3);
      assert.equal(shortened.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 3);
      assert.equal(shortened.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime?.getTime(), earliest, 'enabling again keeps the history');
      assert.equal((await enable(h)).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 35, 'the period defaults to 35 days whenever it is not given');
      const restore = (input: Partial<ConstructorParameters<typeof RestoreTableToPointInTimeCommand>[0]>) =>
        errorOf(() => h.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'Copy', ...input })));
      const noSource = await restore({ SourceTableName: undefined, UseLatestRestorableTime: true });
      assert.equal(noSource.name, 'ValidationException');
      const noTime = await restore({});
      assert.equal(noTime.name, 'ValidationException');
      const both = await restore({ UseLatestRestorableTime: true, RestoreDateTime: new Date() });
      assert.equal(both.name, 'ValidationException');
      const goneSource = await restore({ SourceTableName: 'Nope', UseLatestRestorableTime: true });
      assert.equal(goneSource.name, 'TableNotFoundException');
      const taken = await restore({ TargetTableName: 'Orders', UseLatestRestorableTime: true });
      assert.equal(taken.name, 'TableAlreadyExistsException');
      assert.equal(taken.message, 'Table already exists: Orders');
      const tooEarly = await restore({ RestoreDateTime: new Date(Date.now() - 60_000) });
      assert.equal(tooEarly.name, 'InvalidRestoreTimeException');
      const future = await restore({ RestoreDateTime: new Date(Date.now() + 60_000) });
      assert.equal(future.name, 'InvalidRestoreTimeException');

      const disabled = await h.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
      assert.deepEqual(disabled.ContinuousBackupsDescription?.PointInTimeRecoveryDescription, { PointInTimeRecoveryStatus: 'DISABLED' });
    } finally {
      await h.close();
    }
  });

  test('history on LMDB survives a restart', async () => {
    const dataDir = join(scratch, 'durable');
    const first = await startHarness({ store: 'lmdb', dataDir });
    let at: Date;
    let asAt: Map<string, string>;
    let earliest: number;
    try {
      await createOrders(first, 40);
      earliest = (await enable(first, 1)).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.EarliestRestorableDateTime!.getTime();
      await first.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'order-0' }, customer: { S: 'c0' }, total: { N: '1000' } } }));
      at = await moment();
      asAt = await contents(first, 'Orders');
      await laterChanges(first);
    } finally {
      await first.close();
    }
    const second = await startHarness({ store: 'lmdb', dataDir });
    try {
      const described = await second.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }));
      assert.equal(described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime?.getTime(), earliest);
      await laterChanges(second);
      await second.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'OrdersThen', RestoreDateTime: at }));
      assert.deepEqual(await contents(second, 'OrdersThen'), asAt);
    } finally {
      await second.close();
    }
  });

  test('emptying every table (the test API\'s reset) starts the history again', async () => {
    const h = await startHarness();
    try {
      await createOrders(h, 30);
      await enable(h, 1);
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'logged' }, customer: { S: 'c' } } }));
      const before = new Date();
      await sleep(5);
      await emptyAllTables(h.engine);
      const description = (await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
      assert.equal(description?.PointInTimeRecoveryStatus, 'ENABLED');
      assert.ok(description!.EarliestRestorableDateTime!.getTime() > before.getTime(), 'no moment before the unlogged deletions is offered');
      assert.equal([...h.engine.store.range(Buffer.from([0x32]), Buffer.from([0x33]))].length, 0);
      const tooEarly = await errorOf(() => h.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'Copy', RestoreDateTime: before })));
      assert.equal(tooEarly.name, 'InvalidRestoreTimeException');
    } finally {
      await h.close();
    }
  });

  test('history older than the recovery period is pruned as writes go on, and dropped when recovery is turned off', async () => {
    // One "day" of a second, so a one-day period passes within the test, and the ten first writes
    // (which must not expire while they are made) have room on a loaded machine: 200 ms had not.
    const h = await startHarness({ recoveryPeriodDayMs: 1000 });
    const logEntries = () => [...h.engine.store.range(Buffer.from([0x32]), Buffer.from([0x33]))].length;
    try {
      await createOrders(h, 0);
      await enable(h, 1);
      for (let i = 0; i < 10; i++) await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: `old-${i}` }, customer: { S: 'c' } } }));
      assert.equal(logEntries(), 10);
      const old = new Date();
      await sleep(1100);
      for (let i = 0; i < 3; i++) await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: `new-${i}` }, customer: { S: 'c' } } }));
      assert.equal(logEntries(), 3, 'each write removed up to four expired entries');
      const description = (await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
      assert.ok(description!.EarliestRestorableDateTime!.getTime() > old.getTime(), 'the window moved past the pruned history');
      const expired = await errorOf(() => h.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'Copy', RestoreDateTime: old })));
      assert.equal(expired.name, 'InvalidRestoreTimeException');
      await h.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
      assert.equal(logEntries(), 0);
      await enable(h, 1);
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'again' }, customer: { S: 'c' } } }));
      assert.equal(logEntries(), 1);
      await h.client.send(new DeleteTableCommand({ TableName: 'Orders' }));
      assert.equal(logEntries(), 0, 'the history goes with its table');
    } finally {
      await h.close();
    }
  });
});
