/** DescribeTable's response shape, built from a table's record and live statistics. */
import type { TableHandle } from '../database.ts';
import type { OperationContext } from './context.ts';

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
  return out;
}
