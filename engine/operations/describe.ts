/** DescribeTable's response shape, built from a table's record and live statistics. */
import type { TableHandle } from '../database.ts';
import type { IndexRecord, TableRecord, WarmThroughputDefinition } from '../tableModel.ts';
import type { OperationContext } from './context.ts';

/**
 * Warm throughput, as DescribeTable reports it for a table and each GSI. An on-demand table or
 * GSI starts ready for 12,000 reads and 4,000 writes a second; a provisioned one for its
 * provisioned capacity. Requests raise it and nothing lowers it: the record keeps the highest
 * value reached, and the floor of the current mode applies on top.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput.html; real
 * DynamoDB's figures (12000/4000 after a switch to on-demand, a provisioned table's small warm
 * values) from ack-api-quirks DDB-TABLE-059 and DDB-TABLE-066 (2026-10-08).
 */
const ON_DEMAND_WARM: WarmThroughputDefinition = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 };

function warmAbove(floor: WarmThroughputDefinition, reached: WarmThroughputDefinition | undefined): WarmThroughputDefinition {
  return {
    ReadUnitsPerSecond: Math.max(floor.ReadUnitsPerSecond, reached?.ReadUnitsPerSecond ?? 0),
    WriteUnitsPerSecond: Math.max(floor.WriteUnitsPerSecond, reached?.WriteUnitsPerSecond ?? 0),
  };
}

function warmFloor(billing: TableRecord['BillingMode'], provisioned: TableRecord['ProvisionedThroughput'] | undefined): WarmThroughputDefinition {
  if (billing === 'PAY_PER_REQUEST') return ON_DEMAND_WARM;
  return { ReadUnitsPerSecond: provisioned?.ReadCapacityUnits ?? 1, WriteUnitsPerSecond: provisioned?.WriteCapacityUnits ?? 1 };
}

export function tableWarmThroughput(record: TableRecord): WarmThroughputDefinition {
  return warmAbove(warmFloor(record.BillingMode, record.ProvisionedThroughput), record.WarmThroughput);
}

export function indexWarmThroughput(record: TableRecord, index: IndexRecord): WarmThroughputDefinition {
  return warmAbove(warmFloor(record.BillingMode, index.ProvisionedThroughput), index.WarmThroughput);
}

function throughputDescription(
  t: { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined,
  record: { LastIncreaseDateTime?: number; LastDecreaseDateTime?: number; NumberOfDecreasesToday?: number },
): Record<string, unknown> {
  return {
    ...(record.LastIncreaseDateTime ? { LastIncreaseDateTime: record.LastIncreaseDateTime } : {}),
    ...(record.LastDecreaseDateTime ? { LastDecreaseDateTime: record.LastDecreaseDateTime } : {}),
    NumberOfDecreasesToday: record.NumberOfDecreasesToday ?? 0,
    ReadCapacityUnits: t?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: t?.WriteCapacityUnits ?? 0,
  };
}

export function describeTable(ctx: OperationContext, table: TableHandle): Record<string, unknown> {
  const r = table.record;
  const stats = ctx.db.tableStats(r.uid);
  const out: Record<string, unknown> = {
    AttributeDefinitions: r.AttributeDefinitions,
    TableName: r.TableName,
    KeySchema: r.KeySchema,
    TableStatus: r.TableStatus,
    CreationDateTime: r.CreationDateTime,
    ProvisionedThroughput: throughputDescription(r.ProvisionedThroughput, r),
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: r.TableArn,
    TableId: r.TableId,
  };
  if (r.OnDemandThroughput && Object.keys(r.OnDemandThroughput).length > 0) out.OnDemandThroughput = r.OnDemandThroughput;
  if (r.RestoreSummary) out.RestoreSummary = r.RestoreSummary;
  if (r.BillingMode === 'PAY_PER_REQUEST' || r.LastUpdateToPayPerRequestDateTime) {
    out.BillingModeSummary = {
      BillingMode: r.BillingMode,
      ...(r.LastUpdateToPayPerRequestDateTime ? { LastUpdateToPayPerRequestDateTime: r.LastUpdateToPayPerRequestDateTime } : {}),
    };
  }
  const lsis = table.indexes.filter((i) => i.record.kind === 'LSI');
  const gsis = table.indexes.filter((i) => i.record.kind === 'GSI');
  const indexStats = (i: (typeof table.indexes)[number]) => ctx.db.indexStats(i.record.uid);
  if (lsis.length > 0) {
    out.LocalSecondaryIndexes = lsis.map((i) => {
      const s = indexStats(i);
      return {
        IndexName: i.record.IndexName,
        KeySchema: i.record.KeySchema,
        Projection: i.record.Projection,
        IndexSizeBytes: s.sizeBytes,
        ItemCount: s.itemCount,
        IndexArn: `${r.TableArn}/index/${i.record.IndexName}`,
      };
    });
  }
  if (gsis.length > 0) {
    out.GlobalSecondaryIndexes = gsis.map((i) => {
      const s = indexStats(i);
      return {
        IndexName: i.record.IndexName,
        KeySchema: i.record.KeySchema,
        Projection: i.record.Projection,
        IndexStatus: i.record.IndexStatus,
        ...(i.record.Backfilling ? { Backfilling: true } : {}),
        ProvisionedThroughput: throughputDescription(i.record.ProvisionedThroughput, {}),
        IndexSizeBytes: s.sizeBytes,
        ItemCount: s.itemCount,
        IndexArn: `${r.TableArn}/index/${i.record.IndexName}`,
        WarmThroughput: { ...indexWarmThroughput(r, i.record), Status: i.record.IndexStatus === 'CREATING' ? 'CREATING' : 'ACTIVE' },
      };
    });
  }
  if (table.vectorIndexes.length > 0) {
    out.VectorIndexes = table.vectorIndexes.map(({ record: v }) => {
      const s = ctx.db.indexStats(v.uid);
      return {
        IndexName: v.IndexName,
        VectorAttribute: v.VectorAttribute,
        Dimensions: v.Dimensions,
        DistanceFunction: v.DistanceFunction,
        ...(v.SearchSchema ? { SearchSchema: v.SearchSchema } : {}),
        Projection: v.Projection,
        IndexStatus: v.IndexStatus,
        // Present only while CREATING: false before the backfill starts, then true (ExtendDB table.rs, measured 2026-08-06).
        ...(v.Backfilling !== undefined ? { Backfilling: v.Backfilling } : {}),
        IndexSizeBytes: s.sizeBytes,
        ItemCount: s.itemCount,
        IndexArn: `${r.TableArn}/index/${v.IndexName}`,
      };
    });
  }
  if (r.StreamSpecification) {
    if (r.StreamSpecification.StreamEnabled) out.StreamSpecification = r.StreamSpecification;
  }
  if (r.LatestStreamArn) {
    out.LatestStreamLabel = r.LatestStreamLabel;
    out.LatestStreamArn = r.LatestStreamArn;
  }
  if (r.SSEEnabled) out.SSEDescription = { Status: 'ENABLED', SSEType: r.SSEType, KMSMasterKeyArn: r.KMSMasterKeyArn };
  if (r.TableClass) out.TableClassSummary = { TableClass: r.TableClass };
  out.DeletionProtectionEnabled = r.DeletionProtectionEnabled;
  out.WarmThroughput = { ...tableWarmThroughput(r), Status: r.TableStatus === 'CREATING' ? 'CREATING' : 'ACTIVE' };
  return out;
}
