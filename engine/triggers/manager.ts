/**
 * The triggers of one engine: create, change, pause, delete, and what each has done. Triggers on
 * the local engine read its streams through engine.handle; a trigger that names a connection id
 * reads through the source the caller supplies for it (the app's remote connections). Saving the
 * definitions is the caller's (a settings file, a config file); nothing here writes to disk.
 */
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type DynamoEngine } from '../api.ts';
import { DynamoDbError } from '../errors.ts';
import { normalizeDefinition, type TriggerDefinition, type TriggerInput } from './definition.ts';
import { TriggerRunner, type FailedBatch, type InvocationRecord, type RunnerOptions, type StreamSource, type TriggerRuntime } from './runner.ts';

export interface TriggerSummary {
  definition: TriggerDefinition;
  runtime: TriggerRuntime;
}

export interface TriggerManagerOptions extends RunnerOptions {
  engine: DynamoEngine;
  /** Definitions to start with (e.g. loaded from a file). */
  definitions?: TriggerInput[];
  /** Called with every definition after each change. */
  persist?(definitions: TriggerDefinition[]): Promise<void>;
  /**
   * The local engine's HTTP endpoint: handlers of local triggers get it as
   * AWS_ENDPOINT_URL_DYNAMODB, so their own SDK calls reach this engine.
   */
  localEndpointUrl?: string;
}

/** Where a trigger with a connection id reads its stream (the app's remote connections). */
export type RemoteSource = (connectionId: string) => StreamSource;

export function engineSource(engine: DynamoEngine, namespace: { accountId: string; region: string }): StreamSource {
  return { call: (operation, input) => engine.handle(operation === 'DescribeTable' ? operation : `DynamoDBStreams.${operation}`, input, namespace) };
}

function triggerNotFound(id: string): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', `Trigger ${id} does not exist.`, 404);
}

export class TriggerManager {
  private readonly runners = new Map<string, TriggerRunner>();
  private closed = false;
  private remoteSource: RemoteSource | undefined;

  constructor(private readonly options: TriggerManagerOptions) {
    for (const input of options.definitions ?? []) {
      const definition = normalizeDefinition(input, { accountId: DEFAULT_ACCOUNT_ID, region: DEFAULT_REGION });
      this.runners.get(definition.id)?.close();
      this.runners.set(definition.id, this.start(definition));
    }
  }

  /** Lets triggers on other connections read their streams (the app sets it once its connections are loaded). */
  setRemoteSource(source: RemoteSource): void {
    this.remoteSource = source;
  }

  private start(definition: TriggerDefinition): TriggerRunner {
    const { connectionId } = definition;
    const local = connectionId === undefined;
    // Resolved per call: a saved trigger on a remote connection may start before connections load.
    const source: StreamSource = local
      ? engineSource(this.options.engine, definition.namespace)
      : {
          call: (operation, input) => {
            if (!this.remoteSource) {
              return Promise.reject(new DynamoDbError('InvalidParameterValueException', `Connection ${connectionId} is not available to triggers here; only the local engine's streams are.`));
            }
            return this.remoteSource(connectionId).call(operation, input);
          },
        };
    // Read when a handler starts: the desktop app's endpoint may start (or move) after the triggers.
    const environment = () => {
      const endpoint = local && this.options.localEndpointUrl;
      return {
        ...this.options.environment?.(),
        ...(endpoint
          ? {
              AWS_ENDPOINT_URL_DYNAMODB: endpoint,
              // Any credentials do for the local engine; the SDK refuses to sign without some.
              ...(process.env.AWS_ACCESS_KEY_ID ? {} : { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }),
            }
          : {}),
      };
    };
    return new TriggerRunner(definition, source, { ...this.options, environment });
  }

  list(): TriggerSummary[] {
    return [...this.runners.values()].map((r) => ({ definition: r.definition, runtime: { ...r.runtime } }));
  }

  private runner(id: string): TriggerRunner {
    const runner = this.runners.get(id);
    if (!runner) throw triggerNotFound(id);
    return runner;
  }

  get(id: string): TriggerSummary {
    const runner = this.runner(id);
    return { definition: runner.definition, runtime: { ...runner.runtime } };
  }

  /** The endpoint handlers of local triggers are pointed at; taken by handlers started from now on (a paused and resumed trigger restarts its handler). */
  setLocalEndpointUrl(url: string | undefined): void {
    this.options.localEndpointUrl = url;
  }

  /** Creates a trigger, or replaces the one with the same id (keeping its place in the stream when its table stays). */
  async put(input: TriggerInput): Promise<TriggerSummary> {
    if (this.closed) throw new Error('The trigger manager is closed');
    const definition = normalizeDefinition(input, { accountId: DEFAULT_ACCOUNT_ID, region: DEFAULT_REGION });
    const existing = this.runners.get(definition.id);
    const sameStream =
      existing &&
      existing.definition.tableName === definition.tableName &&
      existing.definition.connectionId === definition.connectionId &&
      existing.definition.namespace.accountId === definition.namespace.accountId &&
      existing.definition.namespace.region === definition.namespace.region;
    if (existing && sameStream) await existing.update(definition);
    else {
      const runner = this.start(definition);
      this.runners.set(definition.id, runner);
      await existing?.close();
    }
    await this.save();
    return this.get(definition.id);
  }

  async delete(id: string): Promise<void> {
    const runner = this.runner(id);
    this.runners.delete(id);
    await runner.close();
    await this.save();
  }

  async setEnabled(id: string, enabled: boolean): Promise<TriggerSummary> {
    const runner = this.runner(id);
    await runner.update({ ...runner.definition, enabled });
    await this.save();
    return this.get(id);
  }

  invocations(id: string): InvocationRecord[] {
    return [...this.runner(id).invocations];
  }

  failedBatches(id: string): FailedBatch[] {
    return [...this.runner(id).failed];
  }

  /** Re-drives one failed batch (or all of the trigger's, without a batch id). */
  redrive(id: string, batchId?: string): Promise<{ succeeded: number; stillFailing: number }> {
    const runner = this.runner(id);
    if (batchId !== undefined && !runner.failed.some((b) => b.id === batchId)) throw new DynamoDbError('ResourceNotFoundException', `Failed batch ${batchId} does not exist.`, 404);
    return runner.redrive(batchId);
  }

  private async save(): Promise<void> {
    await this.options.persist?.([...this.runners.values()].map((r) => r.definition));
  }

  async close(): Promise<void> {
    this.closed = true;
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((r) => r.close()));
  }
}
