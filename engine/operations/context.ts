/**
 * What every operation receives: the database, the request's namespace, and engine settings.
 */
import type { RequestContext } from '../api.ts';
import type { Database, TableHandle } from '../database.ts';
import { resourceNotFound, tableNotFound } from '../errors.ts';

export interface EngineSettings {
  transitionDelayMs: number;
  singleRegion: boolean;
  /** Milliseconds in one day of a point-in-time recovery period (a real day unless a test shortens it). */
  recoveryPeriodDayMs: number;
  /** The directory S3 buckets map to (EngineOptions.exportRoot). */
  exportRoot: string;
}

export interface OperationContext {
  db: Database;
  request: RequestContext;
  settings: EngineSettings;
  /** The caller (the HTTP endpoint) accepts pre-serialised bodies under RAW_RESPONSE. */
  rawResponses?: boolean;
  /** Runs `fn` after `ms` milliseconds (0: on the next turn), tracked so close() can wait for it. */
  later(ms: number, fn: () => Promise<void> | void): void;
}

export type Operation = (input: Record<string, unknown>, ctx: OperationContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** The table named in a request, or DynamoDB's ResourceNotFoundException. */
export function requireTable(ctx: OperationContext, name: string): TableHandle {
  const table = ctx.db.table(ctx.request.accountId, ctx.request.region, name);
  if (!table) throw tableNotFound(name);
  return table;
}

/** Item operations on a table that is not ACTIVE-or-UPDATING fail as DynamoDB fails them. */
export function requireReadyTable(ctx: OperationContext, name: string): TableHandle {
  const table = ctx.db.table(ctx.request.accountId, ctx.request.region, name);
  if (!table || table.record.TableStatus === 'CREATING' || table.record.TableStatus === 'DELETING') {
    throw resourceNotFound();
  }
  return table;
}

/**
 * The table a control-plane TableName names: "You can also provide the Amazon Resource Name (ARN)
 * of the table in this parameter." An ARN of another account or region names no table here.
 * `name` is what the caller's not-found message shows.
 */
export function tableByNameOrArn(ctx: OperationContext, nameOrArn: string): { table: TableHandle | undefined; name: string } {
  const arn = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(nameOrArn);
  if (!arn) return { table: ctx.db.table(ctx.request.accountId, ctx.request.region, nameOrArn), name: nameOrArn };
  const [, region, accountId, name] = arn;
  const here = region === ctx.request.region && accountId === ctx.request.accountId;
  return { table: here ? ctx.db.table(accountId, region, name) : undefined, name };
}
