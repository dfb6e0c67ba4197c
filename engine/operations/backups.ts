/**
 * On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup and
 * RestoreTableFromBackup. A backup is a real, consistent copy of the table's items kept in the
 * store beside the tables (so it is durable on LMDB and survives the table's deletion, as on
 * AWS), taken inside one exclusive write: no write is half in it.
 *
 *   0x30 backup uid          -> BackupRecord JSON
 *   0x31 backup uid key...   -> the item, stored as the table stores it
 *
 * A restore creates the target table through CreateTable (so overrides are validated as
 * CreateTable validates them) and writes the items through the normal item path, so indexes and
 * statistics are built as for any write. As on AWS, stream settings, TTL, tags and auto scaling
 * are not restored. Both run to the end before answering (the service answers at once and works
 * in the background); DescribeTable then carries the RestoreSummary. RestoreTableToPointInTime
 * (pointInTime.ts) restores through the same helpers.
 */
import { randomBytes } from 'node:crypto';
import { decodeItemValue, type TableHandle } from '../database.ts';
import { DynamoDbError, validationError } from '../errors.ts';
import { prefixEnd } from '../storage/keyCodec.ts';
import { keyShapeOf, type TableRecord } from '../tableModel.ts';
import type { Item } from '../types.ts';
import { OPTIONAL_TABLE_NAME, TABLE_NAME, validateRequest, type Member } from '../validation/schema.ts';
import { requireTable, type OperationContext } from './context.ts';
import { describeTable } from './describe.ts';
import { keyOf } from './keys.ts';
import { CREATE_TABLE, createTable } from './tables.ts';

const BACKUPS = 0x30;
const BACKUP_ITEMS = 0x31;
/** Items copied into a restored table per write, so a large restore never holds one huge write. */
const RESTORE_BATCH = 1000;

interface BackupRecord {
  uid: number;
  accountId: string;
  region: string;
  BackupArn: string;
  BackupName: string;
  /** Epoch seconds. */
  BackupCreationDateTime: number;
  BackupSizeBytes: number;
  ItemCount: number;
  /** The table as it was defined when the backup was taken. */
  table: TableRecord;
}

const BACKUP_ARN: Member = { type: 'String', notNull: true, minLength: 37, maxLength: 1024 };
const BACKUP_NAME: Member = { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', minLength: 3, maxLength: 255 };

function recordKey(uid: number): Buffer {
  const key = Buffer.alloc(5);
  key[0] = BACKUPS;
  key.writeUInt32BE(uid, 1);
  return key;
}

function itemsPrefix(uid: number): Buffer {
  const key = recordKey(uid);
  key[0] = BACKUP_ITEMS;
  return key;
}

function backupNotFound(): DynamoDbError {
  return new DynamoDbError('BackupNotFoundException', 'Backup not found for the given BackupARN.');
}

function allBackups(ctx: OperationContext): BackupRecord[] {
  const out: BackupRecord[] = [];
  for (const { value } of ctx.db.store.range(Buffer.from([BACKUPS]), Buffer.from([BACKUPS + 1]))) {
    const record = JSON.parse(value.toString('utf8')) as BackupRecord;
    if (record.accountId === ctx.request.accountId && record.region === ctx.request.region) out.push(record);
  }
  return out.sort((a, b) => a.BackupCreationDateTime - b.BackupCreationDateTime || a.uid - b.uid);
}

function findBackup(ctx: OperationContext, arn: string): BackupRecord {
  const found = allBackups(ctx).find((b) => b.BackupArn === arn);
  if (!found) throw backupNotFound();
  return found;
}

function details(backup: BackupRecord, status: 'AVAILABLE' | 'DELETED' = 'AVAILABLE'): Record<string, unknown> {
  return {
    BackupArn: backup.BackupArn,
    BackupName: backup.BackupName,
    BackupSizeBytes: backup.BackupSizeBytes,
    BackupStatus: status,
    BackupType: 'USER',
    BackupCreationDateTime: backup.BackupCreationDateTime,
  };
}

function description(backup: BackupRecord, status?: 'AVAILABLE' | 'DELETED'): Record<string, unknown> {
  const t = backup.table;
  const index = (kind: 'GSI' | 'LSI') =>
    t.indexes
      .filter((i) => i.kind === kind)
      .map((i) => ({
        IndexName: i.IndexName,
        KeySchema: i.KeySchema,
        Projection: i.Projection,
        ...(kind === 'GSI' && i.ProvisionedThroughput ? { ProvisionedThroughput: i.ProvisionedThroughput } : {}),
      }));
  const gsis = index('GSI');
  const lsis = index('LSI');
  return {
    BackupDetails: details(backup, status),
    SourceTableDetails: {
      TableName: t.TableName,
      TableId: t.TableId,
      TableArn: t.TableArn,
      TableSizeBytes: backup.BackupSizeBytes,
      KeySchema: t.KeySchema,
      TableCreationDateTime: t.CreationDateTime,
      ProvisionedThroughput: { ReadCapacityUnits: t.ProvisionedThroughput.ReadCapacityUnits, WriteCapacityUnits: t.ProvisionedThroughput.WriteCapacityUnits },
      ItemCount: backup.ItemCount,
      BillingMode: t.BillingMode,
    },
    SourceTableFeatureDetails: {
      ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
      ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
      ...(t.StreamSpecification ? { StreamDescription: t.StreamSpecification } : {}),
      ...(t.TimeToLive ? { TimeToLiveDescription: { AttributeName: t.TimeToLive.AttributeName, TimeToLiveStatus: t.TimeToLive.Status } } : {}),
    },
  };
}

export async function createBackup(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, { TableName: TABLE_NAME, BackupName: BACKUP_NAME });
  const table = requireTable(ctx, data.TableName as string);
  if (table.record.TableStatus !== 'ACTIVE') {
    throw new DynamoDbError('TableInUseException', `Table is not in ACTIVE state: ${table.record.TableName}`);
  }
  const uid = ctx.db.allocateUid();
  const created = Date.now();
  // Real ARNs: table/<name>/backup/<13-digit ms>-<8 hex>.
  const arn = `${table.record.TableArn}/backup/${String(created).padStart(17, '0')}-${randomBytes(4).toString('hex')}`;
  const backup = await ctx.db.store.write((w) => {
    const stats = ctx.db.tableStats(table.record.uid);
    const record: BackupRecord = {
      uid,
      accountId: ctx.request.accountId,
      region: ctx.request.region,
      BackupArn: arn,
      BackupName: data.BackupName as string,
      BackupCreationDateTime: created / 1000,
      BackupSizeBytes: stats.sizeBytes,
      ItemCount: stats.itemCount,
      table: table.record,
    };
    const into = itemsPrefix(uid);
    const prefix = table.itemPrefix;
    for (const { key, value } of ctx.db.store.range(prefix, prefixEnd(prefix))) w.put(Buffer.concat([into, key.subarray(prefix.length)]), value);
    w.put(recordKey(uid), Buffer.from(JSON.stringify(record)));
    // The uid counter moves with the backup, as it does with a table.
    ctx.db.stageTable(w, table.record);
    return record;
  });
  return { BackupDetails: details(backup) };
}

export function describeBackup(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, { BackupArn: BACKUP_ARN });
  return { BackupDescription: description(findBackup(ctx, data.BackupArn as string)) };
}

export function listBackups(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, {
    TableName: OPTIONAL_TABLE_NAME,
    Limit: { type: 'Integer', min: 1, max: 100 },
    TimeRangeLowerBound: 'Double',
    TimeRangeUpperBound: 'Double',
    ExclusiveStartBackupArn: { type: 'String', minLength: 37, maxLength: 1024 },
    BackupType: { type: 'String', enum: ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] },
  });
  const lower = data.TimeRangeLowerBound as number | undefined;
  const upper = data.TimeRangeUpperBound as number | undefined;
  let backups = allBackups(ctx).filter(
    (b) =>
      (data.TableName === undefined || b.table.TableName === data.TableName) &&
      (lower === undefined || b.BackupCreationDateTime >= lower) &&
      (upper === undefined || b.BackupCreationDateTime <= upper) &&
      (data.BackupType === undefined || data.BackupType === 'ALL' || data.BackupType === 'USER'),
  );
  const start = data.ExclusiveStartBackupArn as string | undefined;
  if (start !== undefined) backups = backups.slice(backups.findIndex((b) => b.BackupArn === start) + 1);
  const limit = (data.Limit as number | undefined) ?? 100;
  const page = backups.slice(0, limit);
  return {
    BackupSummaries: page.map((b) => ({
      TableName: b.table.TableName,
      TableId: b.table.TableId,
      TableArn: b.table.TableArn,
      ...details(b),
    })),
    ...(backups.length > limit ? { LastEvaluatedBackupArn: page[page.length - 1].BackupArn } : {}),
  };
}

export async function deleteBackup(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, { BackupArn: BACKUP_ARN });
  const backup = findBackup(ctx, data.BackupArn as string);
  const prefix = itemsPrefix(backup.uid);
  await ctx.db.store.write((w) => {
    for (const { key } of ctx.db.store.range(prefix, prefixEnd(prefix))) w.remove(key);
    w.remove(recordKey(backup.uid));
  });
  return { BackupDescription: description(backup, 'DELETED') };
}

/**
 * What a restore may change about the table it recreates, on RestoreTableFromBackup and
 * RestoreTableToPointInTime alike (validated again by CreateTable when the table is created).
 */
export const RESTORE_OVERRIDES: Record<string, Member> = {
  BillingModeOverride: CREATE_TABLE.BillingMode,
  GlobalSecondaryIndexOverride: CREATE_TABLE.GlobalSecondaryIndexes,
  LocalSecondaryIndexOverride: CREATE_TABLE.LocalSecondaryIndexes,
  ProvisionedThroughputOverride: CREATE_TABLE.ProvisionedThroughput,
  OnDemandThroughputOverride: CREATE_TABLE.OnDemandThroughput,
  SSESpecificationOverride: CREATE_TABLE.SSESpecification,
};

export function refuseExistingTarget(ctx: OperationContext, target: string): void {
  if (ctx.db.table(ctx.request.accountId, ctx.request.region, target)) {
    throw new DynamoDbError('TableAlreadyExistsException', `Table already exists: ${target}`);
  }
}

/**
 * Creates `target` through CreateTable with `source`'s keys and indexes, changed by the
 * request's overrides (RESTORE_OVERRIDES). As on AWS, stream settings, TTL, tags and auto
 * scaling are not carried over.
 */
export async function createRestoredTable(ctx: OperationContext, source: TableRecord, target: string, overrides: Record<string, unknown>): Promise<TableHandle> {
  const billing = (overrides.BillingModeOverride as string | undefined) ?? source.BillingMode;
  const provisioned = billing === 'PROVISIONED';
  const tableThroughput = (overrides.ProvisionedThroughputOverride as TableRecord['ProvisionedThroughput'] | undefined) ?? source.ProvisionedThroughput;
  // An on-demand source's indexes have no capacity of their own: a provisioned restore gives them the table's.
  const gsiThroughput = (own: TableRecord['ProvisionedThroughput'] | undefined) => (own && own.ReadCapacityUnits > 0 ? own : tableThroughput);
  const indexes = (kind: 'GSI' | 'LSI') =>
    source.indexes
      .filter((i) => i.kind === kind)
      .map((i) => ({
        IndexName: i.IndexName,
        KeySchema: i.KeySchema,
        Projection: i.Projection,
        ...(kind === 'GSI' && provisioned ? { ProvisionedThroughput: gsiThroughput(i.ProvisionedThroughput) } : {}),
      }));
  const gsis = (overrides.GlobalSecondaryIndexOverride as unknown[] | undefined) ?? indexes('GSI');
  const lsis = (overrides.LocalSecondaryIndexOverride as unknown[] | undefined) ?? indexes('LSI');
  const createInput: Record<string, unknown> = {
    TableName: target,
    AttributeDefinitions: source.AttributeDefinitions.filter((d) =>
      [...source.KeySchema, ...source.indexes.flatMap((i) => i.KeySchema)].some((k) => k.AttributeName === d.AttributeName),
    ),
    KeySchema: source.KeySchema,
    BillingMode: billing,
    ...(provisioned ? { ProvisionedThroughput: tableThroughput } : {}),
    ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
    ...(overrides.SSESpecificationOverride ? { SSESpecification: overrides.SSESpecificationOverride } : {}),
    ...(overrides.OnDemandThroughputOverride ? { OnDemandThroughput: overrides.OnDemandThroughputOverride } : {}),
  };
  if (!provisioned && overrides.ProvisionedThroughputOverride) {
    throw validationError('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  await createTable(createInput, ctx);
  return requireTable(ctx, target);
}

/** Records where a restored table came from (DescribeTable's RestoreSummary) and answers with its description. */
export async function finishRestore(ctx: OperationContext, target: string, summary: NonNullable<TableRecord['RestoreSummary']>): Promise<Record<string, unknown>> {
  const handle = await ctx.db.saveTable({ ...requireTable(ctx, target).record, RestoreSummary: summary });
  return { TableDescription: describeTable(ctx, handle) };
}

export async function restoreTableFromBackup(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, { TargetTableName: TABLE_NAME, BackupArn: BACKUP_ARN, ...RESTORE_OVERRIDES });
  const backup = findBackup(ctx, data.BackupArn as string);
  const target = data.TargetTableName as string;
  refuseExistingTarget(ctx, target);
  const restored = await createRestoredTable(ctx, backup.table, target, data);
  await copyItems(ctx, itemsPrefix(backup.uid), restored);
  return finishRestore(ctx, target, { SourceBackupArn: backup.BackupArn, SourceTableArn: backup.table.TableArn, RestoreDateTime: Date.now() / 1000, RestoreInProgress: false });
}

/**
 * Writes the items stored under `prefix` (a backup's, or a live table's) into `table` through the
 * item path, a batch per write, so indexes and statistics are built as for any write. Each batch
 * is read first and the range resumed after its last key: an iteration never spans a write (the
 * in-memory store iterates its live tree).
 */
export async function copyItems(ctx: OperationContext, prefix: Buffer, table: TableHandle): Promise<void> {
  const end = prefixEnd(prefix);
  const shape = keyShapeOf(table.record.KeySchema, table.record.AttributeDefinitions);
  let from = prefix;
  for (;;) {
    const batch: Item[] = [];
    let last: Buffer | undefined;
    for (const { key, value } of ctx.db.store.range(from, end)) {
      batch.push(decodeItemValue(value));
      last = key;
      if (batch.length === RESTORE_BATCH) break;
    }
    if (batch.length === 0) return;
    await ctx.db.store.write((w) => {
      for (const item of batch) ctx.db.stageItemChange(w, table, keyOf(item, shape), item);
    });
    if (batch.length < RESTORE_BATCH) return;
    from = Buffer.concat([last!, Buffer.from([0])]);
  }
}

export const backupOperations = {
  CreateBackup: createBackup,
  DescribeBackup: describeBackup,
  ListBackups: listBackups,
  DeleteBackup: deleteBackup,
  RestoreTableFromBackup: restoreTableFromBackup,
};
