import { join } from 'node:path';
import type { DynamoEngine } from '../../engine/api.ts';
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
  type Events,
  type RequestOf,
  type ResponseOf,
  type StreamsOperation,
  type TableTarget,
} from '../contract.ts';
import { ConnectionManager } from './connections.ts';
import { deleteItems } from './deleteItems.ts';
import { importItems } from './importItems.ts';
import { capacitySnapshot, ttlInsight } from './insights.ts';
import { MemorySecretStore, type SecretStore } from './secrets.ts';
import { SettingsStore } from './settingsStore.ts';
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
}

export interface FileDialogs {
  save(suggestedName: string, content: string): Promise<{ path: string } | null>;
  open(title: string): Promise<{ name: string; content: string } | null>;
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

  // createBackend stays synchronous for its callers; state files load in the background and
  // every request waits for them.
  const ready = (async () => {
    const settings = await SettingsStore.open(options.stateDir && join(options.stateDir, 'settings.json'));
    const connections = await ConnectionManager.open({
      engine: options.engine,
      secrets: options.secrets ?? new MemorySecretStore(),
      ...(options.stateDir ? { file: join(options.stateDir, 'connections.json') } : {}),
      ...(localEndpointUrl ? { localEndpointUrl } : {}),
    });
    return { settings, connections };
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
      return connections.call(connectionId, operation, request.input, request.namespace);
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
    'files/save': async (request) => {
      if (!options.dialogs) throw unsupported();
      if (typeof request?.content !== 'string') throw new AppError(APP_ERROR.badRequest, 'content must be text');
      return options.dialogs.save(requireString(request.suggestedName, 'suggestedName'), request.content);
    },
    'files/open': async (request) => {
      if (!options.dialogs) throw unsupported();
      return options.dialogs.open(typeof request?.title === 'string' ? request.title : 'Open');
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
    'insights/ttl': async (request) => {
      const { connections } = await ready;
      const target = requireTarget(request);
      const { insights, context } = connections.insights(target.connectionId, target.namespace, 'TTL bookkeeping');
      return ttlInsight(insights, context, target.tableName);
    },
    'insights/sweepTtl': async (request) => {
      const { connections } = await ready;
      const { insights } = connections.insights(requireString(request?.connectionId, 'connectionId'), undefined, 'Sweeping expired items on demand');
      return { deleted: await insights.sweepTtlNow() };
    },
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
      void ready.then(({ connections }) => {
        connections.localEndpointUrl = url;
        emit('connections/changed', connections.list());
      });
    },
    async close() {
      for (const controller of runningTasks.values()) controller.abort();
      (await ready).connections.close();
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
