/**
 * Contributor Insights: UpdateContributorInsights, DescribeContributorInsights and
 * ListContributorInsights, per table and per GSI.
 *
 * On AWS, turning insights on creates CloudWatch Contributor Insights rules that report the most
 * accessed and most throttled keys; the DynamoDB API only manages them and names them. Locally
 * there is no CloudWatch: while insights are on, the engine counts accesses and throttled
 * requests per key (operations/capacity.ts, countContributor) and Engine.keyContributors reports
 * the most counted keys; the API answers as the service does. The behaviour below is the
 * service's as ack-api-quirks' DynamoDB findings record it (DDB-TABLE-089..097, 112, 116, 161,
 * 337..344, probed live in 2026-10):
 *
 * - ENABLE answers ENABLING and DISABLE DISABLING (settled after the engine's transition delay);
 *   either on a settled state that already matches is a no-op answering the settled status.
 *   ENABLE with another mode (an omitted mode is ACCESSED_AND_THROTTLED_KEYS) re-enters ENABLING
 *   and keeps the rules' timestamp; enabling after a disable makes new rules.
 * - Rules: DynamoDBContributorInsights-{PKC,SKC,PKT,SKT}-<table>[-<index>]-<ms>: the partition
 *   key (PK) and whole key (SK, only with a sort key), most accessed (C) and most throttled (T);
 *   THROTTLED_KEYS keeps the T rules only.
 * - Describe of a never-configured table or GSI has only its names and DISABLED; once configured
 *   it carries LastUpdateDateTime and the mode, and the rule list unless DISABLED.
 * - List leaves DISABLED entries out, lists the table before its GSIs and pages with NextToken.
 * - A missing table, an unknown index or an LSI is ResourceNotFoundException; changing insights
 *   on a table or GSI that is not ACTIVE is a ValidationException.
 */
import { resourceNotFound, tableNotFound, validationError } from '../errors.ts';
import type { TableHandle } from '../database.ts';
import type { ContributorInsightsMode, ContributorInsightsSetting, TableRecord } from '../tableModel.ts';
import { INDEX_NAME, OPTIONAL_TABLE_NAME, TABLE_NAME_OR_ARN, validateRequest } from '../validation/schema.ts';
import { tableByNameOrArn, type OperationContext } from './context.ts';

const MODES = ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS'] as const;
const DEFAULT_MODE: ContributorInsightsMode = 'ACCESSED_AND_THROTTLED_KEYS';

type Status = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';

/** The table or GSI a request names. */
interface Scope {
  table: TableHandle;
  index?: TableHandle['indexes'][number];
  /** The key of its setting in TableRecord.contributorInsights. */
  key: string;
}

function scopeOf(ctx: OperationContext, tableName: string, indexName: string | undefined): Scope {
  const { table, name } = tableByNameOrArn(ctx, tableName);
  if (!table) throw tableNotFound(name);
  if (indexName === undefined) return { table, key: '' };
  const index = table.index(indexName);
  if (!index || index.record.kind !== 'GSI') {
    throw resourceNotFound(`Requested resource not found: Index: ${indexName} not found for table: ${table.record.TableName}`);
  }
  return { table, index, key: String(index.record.uid) };
}

function statusOf(setting: ContributorInsightsSetting | undefined, ctx: OperationContext, now = Date.now()): Status {
  if (!setting) return 'DISABLED';
  const settled = now >= setting.changedAt + ctx.settings.transitionDelayMs;
  if (setting.enabled) return settled ? 'ENABLED' : 'ENABLING';
  return settled ? 'DISABLED' : 'DISABLING';
}

function ruleNames(scope: Scope, setting: ContributorInsightsSetting): string[] {
  const resource = scope.index ? `${scope.table.record.TableName}-${scope.index.record.IndexName}` : scope.table.record.TableName;
  const hasSortKey = (scope.index ?? scope.table).shape.rangeKeys.length > 0;
  const kinds = [...(setting.mode === DEFAULT_MODE ? ['PKC', ...(hasSortKey ? ['SKC'] : [])] : []), 'PKT', ...(hasSortKey ? ['SKT'] : [])];
  return kinds.map((kind) => `DynamoDBContributorInsights-${kind}-${resource}-${setting.rulesCreatedAt}`);
}

function names(scope: Scope): Record<string, unknown> {
  return { TableName: scope.table.record.TableName, ...(scope.index ? { IndexName: scope.index.record.IndexName } : {}) };
}

function describeScope(scope: Scope, ctx: OperationContext): Record<string, unknown> {
  const setting = scope.table.record.contributorInsights?.[scope.key];
  const status = statusOf(setting, ctx);
  if (!setting) return { ...names(scope), ContributorInsightsStatus: status };
  return {
    ...names(scope),
    ...(status !== 'DISABLED' ? { ContributorInsightsRuleList: ruleNames(scope, setting) } : {}),
    ContributorInsightsStatus: status,
    LastUpdateDateTime: setting.changedAt / 1000,
    ContributorInsightsMode: setting.mode,
  };
}

function requireActive(scope: Scope): void {
  const notActive = (what: string) =>
    validationError(`Table or Index is not in a valid state to update Key Access Insights: ${what} must be ACTIVE to enable ContributorInsights.`);
  if (scope.table.record.TableStatus === 'CREATING') throw notActive('TableStatus');
  if (scope.index?.record.IndexStatus === 'CREATING') throw notActive('IndexStatus');
}

export async function updateContributorInsights(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    TableName: TABLE_NAME_OR_ARN,
    IndexName: INDEX_NAME,
    ContributorInsightsAction: { type: 'String', notNull: true, enum: ['ENABLE', 'DISABLE'] },
    ContributorInsightsMode: { type: 'String', enum: MODES },
  });
  const scope = scopeOf(ctx, data.TableName as string, data.IndexName as string | undefined);
  requireActive(scope);
  const now = Date.now();
  const current = scope.table.record.contributorInsights?.[scope.key];
  const status = statusOf(current, ctx, now);
  const enable = data.ContributorInsightsAction === 'ENABLE';
  const mode = (data.ContributorInsightsMode as ContributorInsightsMode | undefined) ?? DEFAULT_MODE;
  const answer = (setting: ContributorInsightsSetting | undefined, shown: Status) => ({
    ...names(scope),
    ContributorInsightsStatus: shown,
    ...(setting ? { ContributorInsightsMode: setting.mode } : {}),
  });
  // Asking for what is already in place changes nothing (a disable echoes the mode in place).
  if (enable ? status === 'ENABLED' && current!.mode === mode : status === 'DISABLED') return answer(current, status);
  const next: ContributorInsightsSetting = enable
    ? { enabled: true, mode, changedAt: now, rulesCreatedAt: current?.enabled ? current.rulesCreatedAt : now }
    : { ...current!, enabled: false, changedAt: now };
  const record: TableRecord = { ...scope.table.record, contributorInsights: { ...scope.table.record.contributorInsights, [scope.key]: next } };
  await ctx.db.saveTable(record);
  return answer(next, enable ? 'ENABLING' : 'DISABLING');
}

export function describeContributorInsights(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, { TableName: TABLE_NAME_OR_ARN, IndexName: INDEX_NAME });
  return describeScope(scopeOf(ctx, data.TableName as string, data.IndexName as string | undefined), ctx);
}

export function listContributorInsights(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, {
    TableName: OPTIONAL_TABLE_NAME,
    NextToken: 'String',
    MaxResults: { type: 'Integer', max: 100 },
  });
  const tables =
    data.TableName !== undefined
      ? [scopeOf(ctx, data.TableName as string, undefined).table]
      : ctx.db
          .tables()
          .filter((t) => t.record.accountId === ctx.request.accountId && t.record.region === ctx.request.region)
          .sort((a, b) => (a.record.TableName < b.record.TableName ? -1 : 1));
  const summaries: Record<string, unknown>[] = [];
  for (const table of tables) {
    const scopes: Scope[] = [
      { table, key: '' },
      ...table.indexes.filter((i) => i.record.kind === 'GSI').map((index) => ({ table, index, key: String(index.record.uid) })),
    ];
    for (const scope of scopes) {
      const setting = table.record.contributorInsights?.[scope.key];
      const status = statusOf(setting, ctx);
      if (status !== 'DISABLED') summaries.push({ ...names(scope), ContributorInsightsStatus: status, ContributorInsightsMode: setting!.mode });
    }
  }
  const start = data.NextToken === undefined ? 0 : Number.parseInt(Buffer.from(data.NextToken as string, 'base64url').toString('utf8'), 10);
  if (!Number.isSafeInteger(start) || start < 0) throw validationError('Invalid NextToken');
  const limit = (data.MaxResults as number | undefined) ?? 100;
  const page = summaries.slice(start, start + limit);
  const next = start + limit;
  return {
    ContributorInsightsSummaries: page,
    ...(next < summaries.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
}

export const contributorInsightsOperations = {
  UpdateContributorInsights: updateContributorInsights,
  DescribeContributorInsights: describeContributorInsights,
  ListContributorInsights: listContributorInsights,
};
