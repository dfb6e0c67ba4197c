import { join } from 'node:path';
import type { DynamoEngine } from '../../engine/api.ts';
import type { AttributeValue } from '../../engine/types.ts';
import {
  APP_ERROR,
  CHANNEL_NAMES,
  type AppInfo,
  type ChannelName,
  type DeleteItemsRequest,
  type DeleteItemsResult,
  type Envelope,
  type EventName,
  type ImportItemsRequest,
  type ImportItemsResult,
  type Namespace,
  type Events,
  type RequestOf,
  type ResponseOf,
  type StreamsOperation,
  type TableTarget,
} from '../contract.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../../engine/api.ts';
import { TriggerManager } from '../../engine/triggers/manager.ts';
import { ConnectionManager, LOCAL_CONNECTION_ID } from './connections.ts';
import { deleteItems } from './deleteItems.ts';
import { ExportFiles } from './exportFiles.ts';
import { RequestHistory } from './history.ts';
import { SavedOperations } from './savedOperations.ts';
import { commitModel, ModelStore, planCommit, reverseEngineerTable, runAccessPatterns, type Call } from './models.ts';
import { importItems } from './importItems.ts';
import { capacitySnapshot, ttlInsight } from './insights.ts';
import { MemorySecretStore, type SecretStore } from './secrets.ts';
import { SettingsStore } from './settingsStore.ts';
import { loadTriggerFile, saveTriggerFile } from './triggerStore.ts';
import { AppError, toWireError } from './wireError.ts';

export interface BackendOptions {
  engine: DynamoEngine;
  /** The local engine's DynamoDB HTTP endpoint, shown to the user for SDKs and CLIs. */
  endpointUrl?: string;
  /** Where settings and saved connections live; without it nothing is written to disk. */
  stateDir?: string;
  /** Defaults to memory-only secrets; Electron main passes one backed by safeStorage. */
  secrets?: SecretStore;
  shell?: AppInfo['shell'];
  version?: string;
  /** Native file dialogs; Electron main supplies them, the browser bridge has none. */
  dialogs?: FileDialogs;
  /** Why the engine is not on the store the user asked for (e.g. its data directory is taken). */
  storageProblem?: string;
  /**
   * The stream triggers to manage (`serve` passes those of its flags and triggers file). Without
   * it the backend keeps its own, saved as triggers.json in stateDir.
   */
  triggers?: TriggerManager;
}

export interface FileDialogs {
  /** Asks where to save an export; null when the user cancels. */
  chooseSavePath(suggestedName: string): Promise<string | null>;
}

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/**
 * Everything the UI can ask for, independent of transport: Electron IPC and the WebSocket bridge
 * both hand requests to `dispatch` and forward what `subscribe` pushes. It never throws; failures
 * come back as `{ ok: false, error: { code, message } }`.
 */
export interface Backend {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  /** For transports: checks the channel against the allow-list before invoking. */
  dispatch(channel: string, request: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: EventListener): () => void;
  /** Pushes an event to every subscriber (main uses it for native menu commands). */
  emit: EventListener;
  /** Main calls this when it starts, stops or fails to start the local HTTP endpoint. */
  setLocalEndpoint(url: string | undefined, note?: string): void;
  /** Closes remote clients and cancels running tasks. The engine belongs to the caller. */
  close(): Promise<void>;
}

type Handlers = { [C in ChannelName]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export function createBackend(options: BackendOptions): Backend {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  };
  const runningTasks = new Map<string, AbortController>();
  const exportFiles = new ExportFiles();
  const history = new RequestHistory();
  let localEndpointUrl = options.endpointUrl;
  let localEndpointNote: string | undefined;

  /** Runs one cancellable task under the caller's id, so `tasks/cancel` can reach it. */
  const runTask = async <T>(taskId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    runningTasks.set(taskId, controller);
    try {
      return await work(controller.signal);
    } finally {
      if (runningTasks.get(taskId) === controller) runningTasks.delete(taskId);
    }
  };

  const triggersFile = options.stateDir && join(options.stateDir, 'triggers.json');
  // createBackend stays synchronous for its callers; state files load in the background and
  // every request waits for them.
  const ready = (async () => {
    const settings = await SettingsStore.open(options.stateDir && join(options.stateDir, 'settings.json'));
    const saved = await SavedOperations.open(options.stateDir && join(options.stateDir, 'saved-operations.json'));
    const models = await ModelStore.open(options.stateDir && join(options.stateDir, 'models.json'));
    const connections = await ConnectionManager.open({
      engine: options.engine,
      secrets: options.secrets ?? new MemorySecretStore(),
      ...(options.stateDir ? { file: join(options.stateDir, 'connections.json') } : {}),
      ...(localEndpointUrl ? { localEndpointUrl } : {}),
    });
    const triggers =
      options.triggers ??
      new TriggerManager({
        engine: options.engine,
        ...(localEndpointUrl ? { localEndpointUrl } : {}),
        ...(triggersFile ? { definitions: await loadTriggerFile(triggersFile).catch(() => []), persist: (definitions) => saveTriggerFile(triggersFile, definitions) } : {}),
      });
    // Triggers on a remote connection read its stream through the same calls the Streams view makes.
    triggers.setRemoteSource((connectionId) => ({
      call: (operation, input) =>
        operation === 'DescribeTable' ? connections.call(connectionId, operation, input) : connections.callStreams(connectionId, operation, input),
    }));
    return { settings, connections, triggers, saved, models };
  })();

  const handlers: Handlers = {
    'app/info': async () => ({
      version: options.version ?? '0.0.0',
      shell: options.shell ?? 'browser',
      ...(localEndpointUrl ? { localEndpointUrl } : {}),
      ...(localEndpointNote ? { localEndpointNote } : {}),
      ...storageInfo(options),
    }),
    'connections/list': async () => (await ready).connections.list(),
    'connections/add': async (request) => {
      const { connections } = await ready;
      const added = await connections.add(request);
      emit('connections/changed', connections.list());
      return added;
    },
    'connections/update': async (request) => {
      const { connections } = await ready;
      const updated = await connections.update(request);
      emit('connections/changed', connections.list());
      return updated;
    },
    'connections/test': async (request) => (await ready).connections.test(request),
    'connections/remove': async (request) => {
      const { connections } = await ready;
      await connections.remove(requireString(request?.id, 'id'));
      emit('connections/changed', connections.list());
      return null;
    },
    dynamo: async (request) => {
      const { connections } = await ready;
      const connectionId = requireString(request?.connectionId, 'connectionId');
      const operation = requireString(request.operation, 'operation');
      if (!/^[A-Z][A-Za-z]{2,40}$/.test(operation)) throw new AppError(APP_ERROR.badRequest, `"${operation}" is not an operation name`);
      if (request.input === null || typeof request.input !== 'object' || Array.isArray(request.input)) {
        throw new AppError(APP_ERROR.badRequest, 'input must be an object');
      }
      if (!RequestHistory.records(operation)) return connections.call(connectionId, operation, request.input, request.namespace);
      const startedAt = Date.now();
      const started = performance.now();
      const call = { connectionId, namespace: request.namespace, operation, input: request.input, startedAt };
      try {
        const output = await connections.call(connectionId, operation, request.input, request.namespace);
        history.record({ ...call, durationMs: performance.now() - started }, { output });
        return output;
      } catch (error) {
        history.record({ ...call, durationMs: performance.now() - started }, { error: toWireError(error) });
        throw error;
      }
    },
    namespaces: async (request) => (await ready).connections.namespaces(requireString(request?.connectionId, 'connectionId')),
    'settings/get': async () => (await ready).settings.get(),
    'settings/set': async (request) => {
      const updated = await (await ready).settings.set(request);
      emit('settings/changed', updated);
      return updated;
    },
    'items/delete': async (request: DeleteItemsRequest): Promise<DeleteItemsResult> => {
      const { connections } = await ready;
      const taskId = requireString(request?.taskId, 'taskId');
      const tableName = requireString(request.tableName, 'tableName');
      if (!Array.isArray(request.keys)) throw new AppError(APP_ERROR.badRequest, 'keys must be a list');
      return runTask(taskId, (signal) =>
        deleteItems({
          call: (operation, input) => connections.call(request.connectionId, operation, input, request.namespace),
          tableName,
          keys: request.keys,
          signal,
          onProgress: (done, total) => emit('task/progress', { taskId, done, total }),
        }),
      );
    },
    'items/import': async (request: ImportItemsRequest): Promise<ImportItemsResult> => {
      const { connections } = await ready;
      const taskId = requireString(request?.taskId, 'taskId');
      const tableName = requireString(request.tableName, 'tableName');
      if (!Array.isArray(request.items) || !request.items.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) {
        throw new AppError(APP_ERROR.badRequest, 'items must be a list of items in DynamoDB JSON');
      }
      return runTask(taskId, (signal) =>
        importItems({
          call: (operation, input) => connections.call(request.connectionId, operation, input, request.namespace),
          tableName,
          items: request.items,
          signal,
          onProgress: (done, total) => emit('task/progress', { taskId, done, total }),
        }),
      );
    },
    'tasks/cancel': async (request) => {
      runningTasks.get(requireString(request?.taskId, 'taskId'))?.abort();
      return null;
    },
    'files/create': async (request) => {
      if (!options.dialogs) throw unsupported();
      const path = await options.dialogs.chooseSavePath(requireString(request?.suggestedName, 'suggestedName'));
      return path ? { fileId: await exportFiles.create(path), path } : null;
    },
    'files/append': async (request) => {
      if (typeof request?.text !== 'string') throw new AppError(APP_ERROR.badRequest, 'text must be text');
      await exportFiles.append(requireString(request.fileId, 'fileId'), request.text);
      return null;
    },
    'files/finish': async (request) => {
      if (typeof request?.before !== 'string' || typeof request.after !== 'string') throw new AppError(APP_ERROR.badRequest, 'before and after must be text');
      return { path: await exportFiles.finish(requireString(request.fileId, 'fileId'), request.before, request.after) };
    },
    'files/discard': async (request) => {
      await exportFiles.discard(requireString(request?.fileId, 'fileId'));
      return null;
    },
    streams: async (request) => {
      const { connections } = await ready;
      const connectionId = requireString(request?.connectionId, 'connectionId');
      const operation = requireString(request.operation, 'operation');
      if (!STREAMS_OPERATIONS.has(operation)) throw new AppError(APP_ERROR.badRequest, `"${operation}" is not a DynamoDB Streams operation`);
      if (request.input === null || typeof request.input !== 'object' || Array.isArray(request.input)) {
        throw new AppError(APP_ERROR.badRequest, 'input must be an object');
      }
      return connections.callStreams(connectionId, operation as StreamsOperation, request.input, request.namespace);
    },
    'insights/capacity': async (request) => {
      const { connections } = await ready;
      const target = requireTarget(request);
      const { insights, context } = connections.insights(target.connectionId, target.namespace, 'Per-second capacity');
      const describe = () => connections.call(target.connectionId, 'DescribeTable', { TableName: target.tableName }, target.namespace);
      return capacitySnapshot(insights, describe, context, target.tableName, Number(request.seconds));
    },
    'insights/throttling': async (request) => {
      const { connections } = await ready;
      const target = requireTarget(request);
      if (typeof request.enabled !== 'boolean') throw new AppError(APP_ERROR.badRequest, 'enabled must be true or false');
      const { insights, context } = connections.insights(target.connectionId, target.namespace, 'Throttling emulation');
      await insights.setThrottlingEmulation(context, target.tableName, request.enabled);
      return { enabled: insights.throttlingEmulation(context, target.tableName) };
    },
    'insights/backfill': async (request) => {
      const { connections } = await ready;
      const target = requireTarget(request);
      const { insights, context } = connections.insights(target.connectionId, target.namespace, 'Backfill progress');
      return insights.backfillProgress(context, target.tableName);
    },
    'insights/vectorSearch': async (request) => {
      const { connections } = await ready;
      const target = requireTarget(request);
      const { insights, context } = connections.insights(target.connectionId, target.namespace, 'Vector search status');
      return insights.vectorSearchStatus(context, target.tableName);
    },
    'insights/ttl': async (request) => {
      const { connections } = await ready;
      const target = requireTarget(request);
      const { insights, context } = connections.insights(target.connectionId, target.namespace, 'TTL bookkeeping');
      return ttlInsight(insights, context, target.tableName);
    },
    'history/list': async (request) => history.list(typeof request?.search === 'string' ? request.search : ''),
    'history/clear': async () => {
      history.clear();
      return null;
    },
    'saved/list': async (request) => (await ready).saved.list(typeof request?.connectionId === 'string' ? request.connectionId : undefined),
    'saved/save': async (request) => {
      const saved = await (await ready).saved.save(request);
      emit('saved/changed', null);
      return saved;
    },
    'saved/delete': async (request) => {
      await (await ready).saved.delete(requireString(request?.id, 'id'));
      emit('saved/changed', null);
      return null;
    },
    'models/list': async () => (await ready).models.list(),
    'models/save': async (request) => {
      const saved = await (await ready).models.save(request);
      emit('models/changed', null);
      return saved;
    },
    'models/delete': async (request) => {
      await (await ready).models.delete(requireString(request?.id, 'id'));
      emit('models/changed', null);
      return null;
    },
    'models/plan': async (request) => {
      const { models } = await ready;
      const model = models.get(requireString(request?.modelId, 'modelId')).model;
      return planCommit(await modelCall(request), model);
    },
    'models/commit': async (request) => {
      const { models } = await ready;
      const taskId = requireString(request?.taskId, 'taskId');
      const model = models.get(requireString(request.modelId, 'modelId')).model;
      const confirmTables = request.confirmTables ?? [];
      if (!Array.isArray(confirmTables) || !confirmTables.every((name) => typeof name === 'string')) throw new AppError(APP_ERROR.badRequest, 'confirmTables must be a list of table names');
      const sampleData = request.sampleData;
      if (sampleData !== undefined && !Number.isSafeInteger(sampleData?.seed)) throw new AppError(APP_ERROR.badRequest, 'sampleData.seed must be a whole number');
      const call = await modelCall(request);
      return runTask(taskId, (signal) =>
        commitModel({ call, model, ...(sampleData ? { sampleData } : {}), confirmTables, signal, onProgress: (done, total) => emit('task/progress', { taskId, done, total }) }),
      );
    },
    'models/run': async (request) => {
      const { models } = await ready;
      const modelId = requireString(request?.modelId, 'modelId');
      const seed = request.seed ?? 1;
      if (!Number.isSafeInteger(seed)) throw new AppError(APP_ERROR.badRequest, 'seed must be a whole number');
      const run = await runAccessPatterns(await modelCall(request), models.get(modelId).model, { connectionId: request.connectionId, ...(request.namespace ? { namespace: request.namespace } : {}) }, seed);
      await models.recordRun(modelId, run);
      emit('models/changed', null);
      return run;
    },
    'models/reverse': async (request) => {
      const target = requireTarget(request);
      const sampleSize = request.sampleSize ?? 500;
      if (!Number.isInteger(sampleSize) || sampleSize < 1 || sampleSize > 10_000) throw new AppError(APP_ERROR.badRequest, 'sampleSize must be a whole number from 1 to 10,000');
      return reverseEngineerTable(await modelCall(target), target.tableName, sampleSize);
    },
    'insights/sweepTtl': async (request) => {
      const { connections } = await ready;
      const { insights } = connections.insights(requireString(request?.connectionId, 'connectionId'), undefined, 'Sweeping expired items on demand');
      return { deleted: await insights.sweepTtlNow() };
    },
    'partiql/explain': async (request) => {
      const { connections } = await ready;
      const connectionId = requireString(request?.connectionId, 'connectionId');
      const statement = requireString(request.statement, 'statement');
      const parameters = request.parameters ?? [];
      if (!Array.isArray(parameters)) throw new AppError(APP_ERROR.badRequest, 'parameters must be a list');
      const { insights, context } = connections.insights(connectionId, request.namespace, 'Explaining a PartiQL statement');
      return insights.explainPartiql(context, statement, parameters as AttributeValue[]);
    },
    'triggers/list': async (request) => {
      const { triggers, connections } = await ready;
      const connectionId = requireString(request?.connectionId, 'connectionId');
      connections.namespaces(connectionId); // an unknown connection is refused
      const local = connectionId === LOCAL_CONNECTION_ID;
      const region = request.namespace?.region || DEFAULT_REGION;
      const accountId = request.namespace?.accountId || DEFAULT_ACCOUNT_ID;
      return triggers.list().filter(({ definition: d }) => {
        if (local ? d.connectionId !== undefined : d.connectionId !== connectionId) return false;
        if (local && (d.namespace.region !== region || d.namespace.accountId !== accountId)) return false;
        return request.tableName === undefined || d.tableName === request.tableName;
      });
    },
    'triggers/put': async (request) => {
      const { triggers, connections } = await ready;
      const target = requireTarget(request);
      const connection = connections.list().find((c) => c.id === target.connectionId);
      if (!connection) throw new AppError(APP_ERROR.unknownConnection, `No connection with id "${target.connectionId}"`);
      const local = target.connectionId === LOCAL_CONNECTION_ID;
      return triggers.put({
        ...(request.id ? { id: request.id } : {}),
        ...(request.functionName ? { functionName: request.functionName } : {}),
        tableName: target.tableName,
        namespace: local
          ? { accountId: target.namespace?.accountId || DEFAULT_ACCOUNT_ID, region: target.namespace?.region || DEFAULT_REGION }
          : { accountId: '', region: connection.region },
        ...(local ? {} : { connectionId: target.connectionId }),
        handler: request.handler,
        ...(request.settings ? { settings: request.settings } : {}),
        ...(request.enabled !== undefined ? { enabled: request.enabled } : {}),
      });
    },
    'triggers/delete': async (request) => {
      await (await ready).triggers.delete(requireString(request?.id, 'id'));
      return null;
    },
    'triggers/setEnabled': async (request) => {
      if (typeof request?.enabled !== 'boolean') throw new AppError(APP_ERROR.badRequest, 'enabled must be true or false');
      return (await ready).triggers.setEnabled(requireString(request.id, 'id'), request.enabled);
    },
    'triggers/invocations': async (request) => (await ready).triggers.invocations(requireString(request?.id, 'id')),
    'triggers/failed': async (request) => (await ready).triggers.failedBatches(requireString(request?.id, 'id')),
    'triggers/redrive': async (request) => {
      const batchId = request?.batchId === undefined ? undefined : requireString(request.batchId, 'batchId');
      return (await ready).triggers.redrive(requireString(request?.id, 'id'), batchId);
    },
  };

  /** DynamoDB calls on the connection (and namespace) a modeler request names. */
  const modelCall = async (request: { connectionId?: unknown; namespace?: Namespace } | null | undefined): Promise<Call> => {
    const { connections } = await ready;
    const connectionId = requireString(request?.connectionId, 'connectionId');
    connections.namespaces(connectionId); // an unknown connection is refused before anything runs
    return (operation, input) => connections.call(connectionId, operation, input, request?.namespace);
  };

  const allowed = new Set<string>(CHANNEL_NAMES);

  const backend: Backend = {
    emit,
    async invoke(channel, request) {
      try {
        const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
        return { ok: true, value: (await handler(request)) as ResponseOf<typeof channel> };
      } catch (error) {
        return { ok: false, error: toWireError(error) };
      }
    },
    async dispatch(channel, request) {
      if (!allowed.has(channel)) {
        return { ok: false, error: { code: APP_ERROR.unknownChannel, message: `Unknown channel "${channel}"` } };
      }
      return backend.invoke(channel as ChannelName, request as never);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setLocalEndpoint(url, note) {
      localEndpointUrl = url;
      localEndpointNote = note;
      void ready.then(({ connections, triggers }) => {
        connections.localEndpointUrl = url;
        triggers.setLocalEndpointUrl(url);
        emit('connections/changed', connections.list());
      });
    },
    async close() {
      for (const controller of runningTasks.values()) controller.abort();
      await exportFiles.close();
      const { connections, triggers } = await ready;
      connections.close();
      // Triggers handed in by the caller are the caller's to close.
      if (!options.triggers) await triggers.close();
      listeners.clear();
    },
  };
  return backend;
}

function storageInfo({ engine, storageProblem }: BackendOptions): Pick<AppInfo, 'storage'> {
  const status = engine.storageStatus?.();
  if (!status) return {};
  return { storage: { ...status, ...(storageProblem ? { problem: storageProblem } : {}) } };
}

const STREAMS_OPERATIONS = new Set<string>(['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'] satisfies StreamsOperation[]);

function requireTarget(request: TableTarget | null | undefined): TableTarget {
  const connectionId = requireString(request?.connectionId, 'connectionId');
  const tableName = requireString(request?.tableName, 'tableName');
  return { connectionId, tableName, ...(request?.namespace ? { namespace: request.namespace } : {}) };
}

function unsupported(): AppError {
  return new AppError(APP_ERROR.unsupported, 'Native file dialogs are only available in the desktop app');
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value) throw new AppError(APP_ERROR.badRequest, `${field} must be a non-empty string`);
  return value;
}
