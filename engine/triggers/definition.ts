/**
 * What a trigger is: a table's stream bound to a handler, with Lambda's event source mapping
 * settings under Lambda's own names and limits (see the Lambda developer guide's "Lambda
 * parameters for Amazon DynamoDB event source mappings"), plus the function's Timeout and
 * MemorySize. Plain JSON throughout: definitions are saved as they are.
 */
import { randomUUID } from 'node:crypto';
import { compileFilterCriteria, invalidParameter, type FilterCriteria } from './filter.ts';

/** A JS/TS module exporting a handler (run in a worker thread), or a command line fed the event on stdin. */
export type TriggerHandler =
  | { kind: 'module'; path: string; /** Export to call (default "handler"). */ exportName?: string }
  | { kind: 'command'; command: string; /** Working directory (default: the current one). */ cwd?: string };

export interface EventSourceMappingSettings {
  /** Records per invocation, 1..10,000 (default 100). */
  BatchSize: number;
  /** Seconds to gather records before invoking with less than a full batch, 0..300 (default 0). */
  MaximumBatchingWindowInSeconds: number;
  StartingPosition: 'TRIM_HORIZON' | 'LATEST';
  FilterCriteria?: FilterCriteria;
  /** Retries of a failing batch, -1 (until the records expire) or 0..10,000 (default -1). */
  MaximumRetryAttempts: number;
  /** Records older than this go to the failed-records list instead, -1 (never) or 60..604,800 (default -1). */
  MaximumRecordAgeInSeconds: number;
  BisectBatchOnFunctionError: boolean;
  /** ["ReportBatchItemFailures"] turns on partial batch responses. */
  FunctionResponseTypes: 'ReportBatchItemFailures'[];
  /** Seconds an invocation may run, 1..900 (Lambda's default 3). */
  Timeout: number;
  /** The handler's memory in MB, 128..10,240 (Lambda's default 128); a worker's heap limit. */
  MemorySize: number;
}

export interface TriggerDefinition {
  id: string;
  /** The Lambda function name the handler sees in its context. */
  functionName: string;
  tableName: string;
  /** The table's namespace (the local engine's account and region). */
  namespace: { accountId: string; region: string };
  /** Where the table lives when it is not the local engine (a remote connection's id); opaque here. */
  connectionId?: string;
  handler: TriggerHandler;
  settings: EventSourceMappingSettings;
  /** false: paused (Lambda's Enabled). */
  enabled: boolean;
}

export const DEFAULT_SETTINGS: EventSourceMappingSettings = {
  BatchSize: 100,
  MaximumBatchingWindowInSeconds: 0,
  StartingPosition: 'TRIM_HORIZON',
  MaximumRetryAttempts: -1,
  MaximumRecordAgeInSeconds: -1,
  BisectBatchOnFunctionError: false,
  FunctionResponseTypes: [],
  Timeout: 3,
  MemorySize: 128,
};

/** The input of `put`: everything but the id is optional except the table and the handler. */
export interface TriggerInput {
  id?: string;
  functionName?: string;
  tableName: string;
  namespace?: { accountId: string; region: string };
  connectionId?: string;
  handler: TriggerHandler;
  settings?: Partial<EventSourceMappingSettings>;
  enabled?: boolean;
}

function constraint(value: unknown, member: string, rule: string) {
  return invalidParameter(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`);
}

function integerIn(value: unknown, member: string, min: number, max: number, allowMinusOne = false): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw constraint(value, member, 'Member must be an integer');
  if (allowMinusOne && value === -1) return value;
  if (value < min) throw constraint(value, member, `Member must have value greater than or equal to ${allowMinusOne ? -1 : min}`);
  if (value > max) throw constraint(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

/** A function name as Lambda allows it: letters, digits, hyphens and underscores, 1..64. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks and completes a definition; throws InvalidParameterValueException in Lambda's words. */
export function normalizeDefinition(input: TriggerInput, defaultNamespace: { accountId: string; region: string }): TriggerDefinition {
  if (input === null || typeof input !== 'object') throw invalidParameter('A trigger must be an object.');
  if (typeof input.tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(input.tableName)) {
    throw constraint(input.tableName, 'tableName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255');
  }
  const handler = normalizeHandler(input.handler);
  const s = { ...DEFAULT_SETTINGS, ...(input.settings ?? {}) };
  const settings: EventSourceMappingSettings = {
    BatchSize: integerIn(s.BatchSize, 'batchSize', 1, 10_000),
    MaximumBatchingWindowInSeconds: integerIn(s.MaximumBatchingWindowInSeconds, 'maximumBatchingWindowInSeconds', 0, 300),
    StartingPosition: s.StartingPosition,
    MaximumRetryAttempts: integerIn(s.MaximumRetryAttempts, 'maximumRetryAttempts', 0, 10_000, true),
    MaximumRecordAgeInSeconds: integerIn(s.MaximumRecordAgeInSeconds, 'maximumRecordAgeInSeconds', 60, 604_800, true),
    BisectBatchOnFunctionError: s.BisectBatchOnFunctionError,
    FunctionResponseTypes: s.FunctionResponseTypes,
    Timeout: integerIn(s.Timeout, 'timeout', 1, 900),
    MemorySize: integerIn(s.MemorySize, 'memorySize', 128, 10_240),
  };
  if (settings.StartingPosition !== 'TRIM_HORIZON' && settings.StartingPosition !== 'LATEST') {
    throw constraint(settings.StartingPosition, 'startingPosition', 'Member must satisfy enum value set: [TRIM_HORIZON, LATEST]');
  }
  if (typeof settings.BisectBatchOnFunctionError !== 'boolean') throw constraint(settings.BisectBatchOnFunctionError, 'bisectBatchOnFunctionError', 'Member must be a boolean');
  if (!Array.isArray(settings.FunctionResponseTypes) || !settings.FunctionResponseTypes.every((t) => t === 'ReportBatchItemFailures')) {
    throw constraint(JSON.stringify(settings.FunctionResponseTypes), 'functionResponseTypes', 'Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]');
  }
  settings.FunctionResponseTypes = [...new Set(settings.FunctionResponseTypes)];
  if (s.FilterCriteria?.Filters?.length) {
    compileFilterCriteria(s.FilterCriteria);
    settings.FilterCriteria = { Filters: s.FilterCriteria.Filters.map((f) => ({ Pattern: f.Pattern })) };
  }
  const functionName = input.functionName ?? `${input.tableName.replace(/[^A-Za-z0-9_-]/g, '-')}-trigger`.slice(0, 64);
  if (!FUNCTION_NAME.test(functionName)) {
    throw constraint(functionName, 'functionName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}');
  }
  const namespace = input.namespace ?? defaultNamespace;
  if (typeof namespace?.accountId !== 'string' || typeof namespace.region !== 'string' || !namespace.region) {
    throw invalidParameter('namespace must name an accountId and a region.');
  }
  return {
    id: typeof input.id === 'string' && input.id ? input.id : randomUUID(),
    functionName,
    tableName: input.tableName,
    namespace: { accountId: namespace.accountId, region: namespace.region },
    ...(typeof input.connectionId === 'string' && input.connectionId ? { connectionId: input.connectionId } : {}),
    handler,
    settings,
    enabled: input.enabled ?? true,
  };
}

function normalizeHandler(handler: TriggerHandler | undefined): TriggerHandler {
  if (handler?.kind === 'module') {
    if (typeof handler.path !== 'string' || !handler.path.trim()) throw invalidParameter('A module handler needs the path of its file.');
    const exportName = handler.exportName?.trim() || undefined;
    if (exportName !== undefined && !/^[A-Za-z_$][\w$]*$/.test(exportName)) throw invalidParameter(`"${exportName}" is not an export name.`);
    return { kind: 'module', path: handler.path.trim(), ...(exportName ? { exportName } : {}) };
  }
  if (handler?.kind === 'command') {
    if (typeof handler.command !== 'string' || !handler.command.trim()) throw invalidParameter('A command handler needs a command line.');
    const cwd = typeof handler.cwd === 'string' && handler.cwd.trim() ? handler.cwd.trim() : undefined;
    return { kind: 'command', command: handler.command.trim(), ...(cwd ? { cwd } : {}) };
  }
  throw invalidParameter('handler must be { kind: "module", path } or { kind: "command", command }.');
}

/** JS and TS module files a module handler can be; anything else is run as a command line. */
export const MODULE_EXTENSIONS = /\.(?:m|c)?[jt]s$/;
