/**
 * What only the embedded engine can tell: per-second capacity, partition heat, throttling
 * emulation, GSI backfill progress, how vector indexes are searched and TTL bookkeeping. DynamoDB itself exposes none of this
 * through its API (CloudWatch has minute-level metrics), so these channels exist for the local
 * connection only, and the UI shows them by the connection's capabilities.
 */
import type { DynamoEngine, RequestContext } from '../../engine/api.ts';
import type { AttributeValue } from '../../engine/types.ts';
import { APP_ERROR, type BackfillProgress, type CapacitySeries, type CapacitySnapshot, type PartiqlExplanation, type TtlInsight, type VectorSearchInsight } from '../contract.ts';
import { AppError } from './wireError.ts';

/** The engine methods these views rely on (engine/engine.ts's Engine has them all). */
export interface EngineInsights {
  capacitySeries(context: RequestContext, tableName: string, indexName?: string, seconds?: number): CapacitySeries;
  throttledSeries(context: RequestContext, tableName: string, seconds?: number): CapacitySeries;
  partitionHeat(context: RequestContext, tableName: string): number[];
  setThrottlingEmulation(context: RequestContext, tableName: string, enabled: boolean): Promise<void>;
  throttlingEmulation(context: RequestContext, tableName: string): boolean;
  backfillProgress(context: RequestContext, tableName: string): Record<string, BackfillProgress>;
  vectorSearchStatus(context: RequestContext, tableName: string): Record<string, VectorSearchInsight>;
  ttlStatus(): (TtlInsight & { accountId: string; region: string; tableName: string })[];
  sweepTtlNow(): Promise<number>;
  explainPartiql(context: RequestContext, statement: string, parameters: AttributeValue[]): PartiqlExplanation;
  /** Where a request lands (`--single-region` folds every region into one). */
  resolveContext?(context: RequestContext): RequestContext;
}

const METHODS = ['capacitySeries', 'throttledSeries', 'partitionHeat', 'setThrottlingEmulation', 'throttlingEmulation', 'backfillProgress', 'vectorSearchStatus', 'ttlStatus', 'sweepTtlNow', 'explainPartiql'] as const;

/** The engine's insight methods, when it has them (a stand-in engine in tests may not). */
export function insightsOf(engine: DynamoEngine): EngineInsights | undefined {
  const candidate = engine as unknown as Record<string, unknown>;
  return METHODS.every((m) => typeof candidate[m] === 'function') ? (engine as unknown as EngineInsights) : undefined;
}

export function notAvailable(what: string): AppError {
  return new AppError(APP_ERROR.unsupported, `${what} is measured by the local engine only; this connection does not offer it`);
}

/** One call gathers everything the capacity view draws, so a once-a-second refresh is one round trip. */
export async function capacitySnapshot(
  insights: EngineInsights,
  describe: () => Promise<Record<string, unknown>>,
  context: RequestContext,
  tableName: string,
  seconds: number,
): Promise<CapacitySnapshot> {
  const window = Math.min(300, Math.max(1, Math.round(Number.isFinite(seconds) ? seconds : 60)));
  const { Table } = (await describe()) as { Table: { GlobalSecondaryIndexes?: { IndexName: string }[]; LocalSecondaryIndexes?: { IndexName: string }[] } };
  const indexNames = [...(Table.GlobalSecondaryIndexes ?? []), ...(Table.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName);
  return {
    table: insights.capacitySeries(context, tableName, '', window),
    indexes: Object.fromEntries(indexNames.map((name) => [name, insights.capacitySeries(context, tableName, name, window)])),
    throttled: insights.throttledSeries(context, tableName, window),
    partitionHeat: insights.partitionHeat(context, tableName),
    throttlingEmulation: insights.throttlingEmulation(context, tableName),
  };
}

/** The TTL bookkeeping of one table, or null when its TTL is disabled. */
export function ttlInsight(insights: EngineInsights, context: RequestContext, tableName: string): TtlInsight | null {
  const where = insights.resolveContext ? insights.resolveContext(context) : context;
  const found = insights
    .ttlStatus()
    .find((s) => s.tableName === tableName && s.accountId === where.accountId && s.region === where.region);
  if (!found) return null;
  return {
    attributeName: found.attributeName,
    status: found.status,
    itemsWithTtl: found.itemsWithTtl,
    dueNow: found.dueNow,
    ...(found.nextExpiry !== undefined ? { nextExpiry: found.nextExpiry } : {}),
  };
}
