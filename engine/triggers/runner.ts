/**
 * One trigger at run time: reads its table's stream through the Streams API (DescribeTable,
 * DescribeStream, GetShardIterator, GetRecords: the engine's own, or a remote endpoint's through
 * the same calls), shard by shard with parents before children, and delivers the records to the
 * handler in order as Lambda's event source mapping does:
 *
 * - records are filtered first (FilterCriteria; a dropped record counts as processed), then
 *   gathered into batches of up to BatchSize (and 6 MB), waiting up to
 *   MaximumBatchingWindowInSeconds for a batch to fill;
 * - a failing batch is retried, in place, so later records wait (order per shard is kept):
 *   with BisectBatchOnFunctionError it is split in two and each half tried on its own (a split
 *   does not count as a retry, as in Lambda); with ReportBatchItemFailures the handler's
 *   `batchItemFailures` make the retry start at the lowest failed sequence number;
 * - after MaximumRetryAttempts retries, or once records are older than MaximumRecordAgeInSeconds,
 *   the records go to the trigger's failed-records list (the on-failure destination) and the
 *   shard moves on. With the defaults (-1) a failing batch is retried until it succeeds.
 *
 * Delivery is at least once: the position is kept in memory, past the last record resolved.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventSourceMappingSettings, TriggerDefinition } from './definition.ts';
import { compileFilterCriteria } from './filter.ts';
import { hostFor, lambdaEnvironment, type HandlerError, type HandlerHost, type LambdaContextFields } from './handlerHost.ts';

export type SourceOperation = 'DescribeTable' | 'DescribeStream' | 'GetShardIterator' | 'GetRecords';

/** Where a trigger's stream is read from: DynamoDB's DescribeTable and the Streams API, as wire JSON. */
export interface StreamSource {
  call(operation: SourceOperation, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** One record as Lambda hands it to a DynamoDB-stream handler. */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
  userIdentity?: { type: string; principalId: string };
}

export type InvocationOutcome = 'success' | 'partial' | 'error' | 'timeout';

export interface InvocationRecord {
  requestId: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Milliseconds the handler ran. */
  durationMs: number;
  /** Milliseconds a fresh worker spent loading the handler module first (Lambda's Init Duration). */
  initDurationMs?: number;
  batchSize: number;
  shardId: string;
  /** Retries of these records before this invocation (0: the first attempt). */
  retries: number;
  outcome: InvocationOutcome;
  error?: HandlerError;
  /** Sequence numbers the handler reported failed (ReportBatchItemFailures). */
  batchItemFailures?: string[];
  /** A re-drive of a failed batch from the failed-records list. */
  redrive?: boolean;
  logs: string[];
  event: { Records: LambdaStreamRecord[] };
}

/** A batch that ran out of retries or age: Lambda's on-failure record, with the records themselves. */
export interface FailedBatch {
  id: string;
  failedAt: number;
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
  retries: number;
  error?: HandlerError;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  records: LambdaStreamRecord[];
  /** Re-drives tried so far (a successful one removes the batch from the list). */
  redrives: number;
}

export type TriggerStatus = 'polling' | 'paused' | 'waiting' | 'error';

export interface TriggerRuntime {
  status: TriggerStatus;
  /** Why the trigger waits or failed, in plain words. */
  message?: string;
  streamArn?: string;
  /** Epoch milliseconds of the last complete poll of the stream (positions are set from the first one on). */
  lastPolledAt?: number;
  /** Age of the newest record of the last batch when it was handed over; 0 once caught up. */
  iteratorAgeMs: number;
  recordsDelivered: number;
  invocations: number;
  errors: number;
  failedBatches: number;
}

export interface RunnerOptions {
  /** Milliseconds between polls of the stream (default 250). */
  pollIntervalMs?: number;
  /** Milliseconds before retrying a failed batch (default 200). */
  retryDelayMs?: number;
  /** Invocations kept for inspection, newest first (default 100). */
  maxInvocations?: number;
  /** Bytes of events the kept invocations may hold together (default 32 MB); older ones go first. */
  maxInvocationBytes?: number;
  /** Failed batches kept (default 1,000); older ones are dropped and counted. */
  maxFailedBatches?: number;
  /** Extra environment for handlers (e.g. the local endpoint for their own SDK calls), read when a handler starts. */
  environment?: () => Record<string, string>;
}

/** Lambda's invocation payload limit. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;

interface ShardCursor {
  shardId: string;
  parentId?: string;
  /** Where reading starts when there is no record read yet. */
  start: 'TRIM_HORIZON' | 'LATEST';
  iterator?: string;
  /** Sequence number of the last record read from the stream (buffered or not). */
  readSeq?: string;
  /** Read, matched by the filter, not yet resolved (delivered or sent to the failed list). */
  pending: LambdaStreamRecord[];
  pendingBytes: number[];
  bufferedSince?: number;
  /** The shard is closed and read to its end. */
  ended: boolean;
}

type BatchResult = { kind: 'success' } | { kind: 'partial'; firstFailed: number } | { kind: 'error'; error: HandlerError };

/** A record from GetRecords (engine or SDK shapes) as Lambda's event carries it. */
export function toLambdaRecord(record: Record<string, unknown>, streamArn: string): LambdaStreamRecord {
  const dynamodb = { ...(record.dynamodb as LambdaStreamRecord['dynamodb']) };
  const created = dynamodb.ApproximateCreationDateTime as unknown;
  // The SDK turns the epoch seconds into a Date; the event carries the number.
  if (created instanceof Date) dynamodb.ApproximateCreationDateTime = created.getTime() / 1000;
  else if (typeof created === 'string') dynamodb.ApproximateCreationDateTime = Number(created);
  const out: LambdaStreamRecord = {
    eventID: record.eventID as string,
    eventName: record.eventName as LambdaStreamRecord['eventName'],
    eventVersion: record.eventVersion as string,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion as string,
    dynamodb,
    eventSourceARN: streamArn,
  };
  // The Streams API spells the identity's members Type/PrincipalId; Lambda's event lower-cases them.
  const identity = record.userIdentity as { Type?: string; PrincipalId?: string } | undefined;
  if (identity) out.userIdentity = { type: identity.Type ?? '', principalId: identity.PrincipalId ?? '' };
  return out;
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; name?: unknown } | null;
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class TriggerRunner {
  readonly invocations: InvocationRecord[] = [];
  /** Event bytes of each kept invocation, in the same order. */
  private readonly invocationBytes: number[] = [];
  readonly failed: FailedBatch[] = [];
  readonly runtime: TriggerRuntime = { status: 'polling', iteratorAgeMs: 0, recordsDelivered: 0, invocations: 0, errors: 0, failedBatches: 0 };
  private host: HandlerHost | undefined;
  private filter: ((record: unknown) => boolean) | undefined;
  private cursors = new Map<string, ShardCursor>();
  /** StartingPosition applies to the stream the trigger first sees; later streams are read from their start. */
  private firstStream = true;
  /** Set when LATEST applies to the shards of the next DescribeStream. */
  private startLatest = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;
  /** Invocations of one trigger run one at a time (polling and re-drives alike). */
  private lock: Promise<unknown> = Promise.resolve();
  private readonly logStreamName: string;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly maxInvocations: number;
  private readonly maxFailedBatches: number;

  constructor(
    private definitionValue: TriggerDefinition,
    private readonly source: StreamSource,
    private readonly options: RunnerOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxInvocations = options.maxInvocations ?? 100;
    this.maxFailedBatches = options.maxFailedBatches ?? 1000;
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    this.logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
    this.filter = compileFilterCriteria(definitionValue.settings.FilterCriteria);
    if (definitionValue.enabled) this.schedule(0);
    else this.runtime.status = 'paused';
  }

  get definition(): TriggerDefinition {
    return this.definitionValue;
  }

  private get settings(): EventSourceMappingSettings {
    return this.definitionValue.settings;
  }

  private get stopped(): boolean {
    return this.closed || !this.definitionValue.enabled;
  }

  /**
   * Takes new settings, handler or enabled state, keeping the position in the stream (as
   * UpdateEventSourceMapping does). The handler restarts on its next invocation.
   */
  async update(definition: TriggerDefinition): Promise<void> {
    const wasEnabled = this.definitionValue.enabled;
    this.definitionValue = definition;
    this.filter = compileFilterCriteria(definition.settings.FilterCriteria);
    const host = this.host;
    this.host = undefined;
    await this.exclusive(async () => host?.close());
    if (!definition.enabled) {
      clearTimeout(this.timer);
      this.runtime.status = 'paused';
      this.runtime.message = undefined;
    } else if (!wasEnabled) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.polling) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.schedule(this.pollIntervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private setStatus(status: TriggerStatus, message?: string): void {
    this.runtime.status = status;
    this.runtime.message = message;
  }

  private async poll(): Promise<void> {
    try {
      const arn = await this.currentStream();
      if (!arn || this.stopped) return;
      const shards = await this.describeShards(arn);
      this.followShards(shards);
      for (const cursor of this.readyCursors()) {
        if (this.stopped) return;
        await this.drain(cursor);
      }
      if (!this.stopped) this.setStatus('polling');
      this.runtime.lastPolledAt = Date.now();
      if ([...this.cursors.values()].every((c) => c.pending.length === 0)) this.runtime.iteratorAgeMs = 0;
    } catch (error) {
      if (!this.stopped) this.setStatus('error', `${errorCode(error) ?? 'Error'}: ${(error as Error).message ?? error}`);
    }
  }

  /** The table's enabled stream; a new one (re-enabled) starts over from its beginning. */
  private async currentStream(): Promise<string | undefined> {
    const { tableName } = this.definitionValue;
    let table: { LatestStreamArn?: string; StreamSpecification?: { StreamEnabled?: boolean } };
    try {
      table = ((await this.source.call('DescribeTable', { TableName: tableName })) as { Table: typeof table }).Table;
    } catch (error) {
      if (errorCode(error) !== 'ResourceNotFoundException') throw error;
      this.setStatus('waiting', `Table ${tableName} does not exist (yet)`);
      return undefined;
    }
    if (!table.StreamSpecification?.StreamEnabled || !table.LatestStreamArn) {
      this.setStatus('waiting', `Table ${tableName} has no stream enabled; enable one (NEW_AND_OLD_IMAGES gives handlers both images)`);
      return undefined;
    }
    if (table.LatestStreamArn !== this.runtime.streamArn) {
      if (this.runtime.streamArn !== undefined) this.firstStream = false;
      this.runtime.streamArn = table.LatestStreamArn;
      this.cursors = new Map();
      this.startLatest = this.firstStream && this.settings.StartingPosition === 'LATEST';
    }
    return table.LatestStreamArn;
  }

  private async describeShards(arn: string): Promise<{ ShardId: string; ParentShardId?: string; SequenceNumberRange?: { EndingSequenceNumber?: string } }[]> {
    type Shard = { ShardId: string; ParentShardId?: string; SequenceNumberRange?: { EndingSequenceNumber?: string } };
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = (await this.source.call('DescribeStream', { StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) })) as {
        StreamDescription: { Shards?: Shard[]; LastEvaluatedShardId?: string };
      };
      shards.push(...(StreamDescription.Shards ?? []));
      start = StreamDescription.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private followShards(shards: Awaited<ReturnType<TriggerRunner['describeShards']>>): void {
    const latest = this.startLatest;
    this.startLatest = false;
    const listed = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      if (this.cursors.has(shard.ShardId)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      // LATEST: what was already written is skipped, closed shards included.
      this.cursors.set(shard.ShardId, {
        shardId: shard.ShardId,
        ...(shard.ParentShardId ? { parentId: shard.ParentShardId } : {}),
        start: latest ? 'LATEST' : 'TRIM_HORIZON',
        pending: [],
        pendingBytes: [],
        ended: latest && closed,
      });
    }
    // Shards trimmed away that we have finished with are forgotten.
    for (const [id, cursor] of this.cursors) if (!listed.has(id) && cursor.ended && cursor.pending.length === 0) this.cursors.delete(id);
  }

  /** Shards whose parent is done (or gone), in the order DescribeStream lists them. */
  private readyCursors(): ShardCursor[] {
    const done = (c: ShardCursor | undefined) => c === undefined || (c.ended && c.pending.length === 0);
    return [...this.cursors.values()].filter((c) => !done(c) && (c.parentId === undefined || done(this.cursors.get(c.parentId))));
  }

  private async iteratorFor(cursor: ShardCursor): Promise<string> {
    const input = cursor.readSeq
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: cursor.readSeq }
      : { ShardIteratorType: cursor.start };
    const out = (await this.source.call('GetShardIterator', { StreamArn: this.runtime.streamArn, ShardId: cursor.shardId, ...input })) as { ShardIterator: string };
    return out.ShardIterator;
  }

  /** Reads one page into the cursor's buffer; false when nothing more is there now. */
  private async readPage(cursor: ShardCursor, limit: number): Promise<boolean> {
    cursor.iterator ??= await this.iteratorFor(cursor);
    let page: { Records: Record<string, unknown>[]; NextShardIterator?: string };
    try {
      page = (await this.source.call('GetRecords', { ShardIterator: cursor.iterator, Limit: limit })) as typeof page;
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ExpiredIteratorException') {
        cursor.iterator = undefined;
        return true;
      }
      if (code === 'TrimmedDataAccessException') {
        // Retention removed records we had not read: carry on from the oldest still kept.
        cursor.iterator = undefined;
        cursor.readSeq = undefined;
        cursor.start = 'TRIM_HORIZON';
        return true;
      }
      throw error;
    }
    const arn = this.runtime.streamArn!;
    for (const raw of page.Records) {
      const record = toLambdaRecord(raw, arn);
      cursor.readSeq = record.dynamodb.SequenceNumber;
      if (this.filter && !this.filter(record)) continue;
      cursor.pending.push(record);
      cursor.pendingBytes.push(JSON.stringify(record).length);
      cursor.bufferedSince ??= Date.now();
    }
    cursor.iterator = page.NextShardIterator;
    if (!page.NextShardIterator) cursor.ended = true;
    return page.Records.length > 0 && !cursor.ended;
  }

  private async drain(cursor: ShardCursor): Promise<void> {
    const batchSize = this.settings.BatchSize;
    while (!this.stopped) {
      while (cursor.pending.length < batchSize && !cursor.ended && !this.stopped) {
        if (!(await this.readPage(cursor, Math.min(1000, batchSize - cursor.pending.length)))) break;
      }
      if (cursor.pending.length === 0 || this.stopped) return;
      const windowMs = this.settings.MaximumBatchingWindowInSeconds * 1000;
      if (cursor.pending.length < batchSize && !cursor.ended && Date.now() - (cursor.bufferedSince ?? 0) < windowMs) return;
      let count = 0;
      let bytes = 0;
      while (count < Math.min(batchSize, cursor.pending.length) && (count === 0 || bytes + cursor.pendingBytes[count] <= MAX_EVENT_BYTES)) {
        bytes += cursor.pendingBytes[count];
        count++;
      }
      await this.deliver(cursor, cursor.pending.slice(0, count));
      cursor.bufferedSince = cursor.pending.length > 0 ? Date.now() : undefined;
    }
  }

  /** Marks the first `count` pending records handled: the shard's position moves past them. */
  private resolve(cursor: ShardCursor, count: number): void {
    cursor.pending.splice(0, count);
    cursor.pendingBytes.splice(0, count);
  }

  private exhausted(retries: number): boolean {
    const max = this.settings.MaximumRetryAttempts;
    return max !== -1 && retries > max;
  }

  private async deliver(cursor: ShardCursor, batch: LambdaStreamRecord[]): Promise<void> {
    const work: { records: LambdaStreamRecord[]; retries: number }[] = [{ records: batch, retries: 0 }];
    while (work.length > 0 && !this.stopped) {
      const item = work[0];
      const maxAge = this.settings.MaximumRecordAgeInSeconds;
      if (maxAge !== -1) {
        const cutoff = Date.now() / 1000 - maxAge;
        const expired = item.records.findIndex((r) => r.dynamodb.ApproximateCreationDateTime >= cutoff);
        const count = expired === -1 ? item.records.length : expired;
        if (count > 0) {
          this.addFailed(cursor.shardId, item.records.slice(0, count), 'RecordAgeExceeded', item.retries);
          this.resolve(cursor, count);
          item.records = item.records.slice(count);
          if (item.records.length === 0) {
            work.shift();
            continue;
          }
        }
      }
      const result = await this.invoke(cursor.shardId, item.records, item.retries);
      if (this.closed) return;
      if (result.kind === 'success') {
        this.resolve(cursor, item.records.length);
        work.shift();
        continue;
      }
      if (result.kind === 'partial') {
        // Records before the lowest failed one are done; the retry starts at it.
        this.resolve(cursor, result.firstFailed);
        item.records = item.records.slice(result.firstFailed);
        item.retries++;
        if (this.exhausted(item.retries)) {
          this.addFailed(cursor.shardId, item.records, 'RetryAttemptsExhausted', item.retries - 1);
          this.resolve(cursor, item.records.length);
          work.shift();
        }
        continue;
      }
      if (this.settings.BisectBatchOnFunctionError && item.records.length > 1) {
        const half = Math.ceil(item.records.length / 2);
        work.splice(0, 1, { records: item.records.slice(0, half), retries: item.retries }, { records: item.records.slice(half), retries: item.retries });
        continue;
      }
      item.retries++;
      if (this.exhausted(item.retries)) {
        this.addFailed(cursor.shardId, item.records, 'RetryAttemptsExhausted', item.retries - 1, result.error);
        this.resolve(cursor, item.records.length);
        work.shift();
        continue;
      }
      await sleep(this.retryDelayMs);
    }
  }

  private addFailed(shardId: string, records: LambdaStreamRecord[], condition: FailedBatch['condition'], retries: number, error?: HandlerError): void {
    const first = records[0];
    const last = records[records.length - 1];
    const arrival = (r: LambdaStreamRecord) => new Date(r.dynamodb.ApproximateCreationDateTime * 1000).toISOString();
    this.failed.push({
      id: randomUUID(),
      failedAt: Date.now(),
      condition,
      retries,
      ...(error ? { error } : {}),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first.dynamodb.SequenceNumber,
        endSequenceNumber: last.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: this.runtime.streamArn ?? '',
      },
      records,
      redrives: 0,
    });
    if (this.failed.length > this.maxFailedBatches) this.failed.shift();
    this.runtime.failedBatches = this.failed.length;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private contextFields(requestId: string): LambdaContextFields {
    const { functionName, namespace, settings } = this.definitionValue;
    return {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${namespace.region}:${namespace.accountId}:function:${functionName}`,
      memoryLimitInMB: String(settings.MemorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: this.logStreamName,
    };
  }

  private hostNow(): HandlerHost {
    if (!this.host) {
      const { handler, settings, namespace } = this.definitionValue;
      // The same for every invocation of this host; the request id travels in the context.
      const environment = lambdaEnvironment(this.contextFields(''), namespace.region, this.options.environment?.() ?? {});
      this.host = hostFor(handler, settings.MemorySize, () => environment);
    }
    return this.host;
  }

  /** One invocation with these records; recorded in the invocation list. */
  private invoke(shardId: string, records: LambdaStreamRecord[], retries: number, redrive = false): Promise<BatchResult> {
    return this.exclusive(async () => {
      const requestId = randomUUID();
      const event = { Records: records };
      const startedAt = Date.now();
      const newest = records[records.length - 1].dynamodb.ApproximateCreationDateTime * 1000;
      if (!redrive) this.runtime.iteratorAgeMs = Math.max(0, startedAt - newest);
      const outcome = await this.hostNow().invoke(event, this.contextFields(requestId), this.settings.Timeout * 1000);
      let result: BatchResult;
      let failures: string[] | undefined;
      if (!outcome.ok) result = { kind: 'error', error: outcome.error };
      else if (this.settings.FunctionResponseTypes.includes('ReportBatchItemFailures')) {
        const parsed = parseBatchItemFailures(outcome.response, records);
        failures = parsed.failures;
        result = parsed.result;
      } else result = { kind: 'success' };
      const record: InvocationRecord = {
        requestId,
        startedAt,
        durationMs: Math.round(outcome.durationMs * 100) / 100,
        ...(outcome.initMs !== undefined ? { initDurationMs: Math.round(outcome.initMs * 100) / 100 } : {}),
        batchSize: records.length,
        shardId,
        retries,
        outcome: !outcome.ok ? (outcome.timedOut ? 'timeout' : 'error') : result.kind === 'success' ? 'success' : result.kind === 'partial' ? 'partial' : 'error',
        ...(result.kind === 'error' ? { error: result.error } : {}),
        ...(failures?.length ? { batchItemFailures: failures } : {}),
        ...(redrive ? { redrive: true } : {}),
        logs: outcome.logs,
        event,
      };
      this.keep(record);
      this.runtime.invocations++;
      if (record.outcome !== 'success') this.runtime.errors++;
      if (result.kind === 'success') this.runtime.recordsDelivered += records.length;
      else if (result.kind === 'partial') this.runtime.recordsDelivered += result.firstFailed;
      return result;
    });
  }

  /** Adds an invocation to the list, dropping the oldest beyond its count or byte budget (the newest always stays). */
  private keep(record: InvocationRecord): void {
    this.invocations.unshift(record);
    this.invocationBytes.unshift(record.event.Records.reduce((sum, r) => sum + r.dynamodb.SizeBytes + 400, 0));
    let bytes = this.invocationBytes.reduce((a, b) => a + b, 0);
    const budget = this.options.maxInvocationBytes ?? 32 * 1024 * 1024;
    while (this.invocations.length > 1 && (this.invocations.length > this.maxInvocations || bytes > budget)) {
      this.invocations.pop();
      bytes -= this.invocationBytes.pop()!;
    }
  }

  /**
   * Sends failed batches to the handler again (one, or all when no id is given), outside the
   * shard's order; a batch that succeeds leaves the list. Resolves with the batches still failing.
   */
  async redrive(id?: string): Promise<{ succeeded: number; stillFailing: number }> {
    const batches = this.failed.filter((b) => id === undefined || b.id === id);
    let succeeded = 0;
    for (const batch of batches) {
      const result = await this.invoke(batch.DDBStreamBatchInfo.shardId, batch.records, batch.retries, true);
      if (result.kind === 'success') {
        this.failed.splice(this.failed.indexOf(batch), 1);
        succeeded++;
      } else {
        batch.redrives++;
        if (result.kind === 'error') batch.error = result.error;
      }
    }
    this.runtime.failedBatches = this.failed.length;
    return { succeeded, stillFailing: batches.length - succeeded };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    // Ends an invocation in flight (a hanging handler) instead of waiting out its timeout.
    await this.host?.close();
    await this.polling;
    await this.lock;
    await this.host?.close();
  }
}

/**
 * A partial batch response: `{ batchItemFailures: [{ itemIdentifier: "<SequenceNumber>" }] }`.
 * None (or an empty list) is success; an identifier that is missing, empty or not in the batch
 * makes Lambda treat the whole batch as failed.
 */
function parseBatchItemFailures(response: unknown, records: LambdaStreamRecord[]): { result: BatchResult; failures?: string[] } {
  const list = (response as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) return { result: { kind: 'success' } };
  const invalid = (message: string): { result: BatchResult } => ({ result: { kind: 'error', error: { errorType: 'InvalidBatchItemFailures', errorMessage: message } } });
  if (!Array.isArray(list)) return invalid('batchItemFailures must be a list');
  const failures: string[] = [];
  let firstFailed = records.length;
  for (const entry of list) {
    const id = (entry as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === 'string' && id ? records.findIndex((r) => r.dynamodb.SequenceNumber === id) : -1;
    if (index < 0) return invalid(`itemIdentifier ${JSON.stringify(id ?? null)} is not the SequenceNumber of a record in the batch`);
    failures.push(id as string);
    firstFailed = Math.min(firstFailed, index);
  }
  return { result: { kind: 'partial', firstFailed }, failures };
}
