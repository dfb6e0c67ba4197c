import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DynamoEngine, RequestContext } from '../../engine/api.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../../engine/api.ts';
import {
  APP_ERROR,
  type ConnectionInfo,
  type ConnectionTestRequest,
  type ConnectionTestResult,
  type Namespace,
  type NamespaceSummary,
  type NewRemoteConnection,
  type RemoteConnectionUpdate,
  type StreamsOperation,
} from '../contract.ts';
import { insightsOf, notAvailable, type EngineInsights } from './insights.ts';
import { RemoteDynamo, type RemoteTarget } from './remoteDynamo.ts';
import { RemoteStreams } from './remoteStreams.ts';
import type { Credentials, SecretStore } from './secrets.ts';
import { writeJsonAtomically } from './settingsStore.ts';
import { AppError } from './wireError.ts';

export const LOCAL_CONNECTION_ID = 'local';

/** A remote connection as saved to disk: everything except its secret. */
interface SavedRemote {
  id: string;
  name: string;
  region: string;
  endpointUrl?: string;
  profile?: string;
}

/**
 * Knows every connection and routes a DynamoDB call to it: the built-in engine through
 * engine.handle in the chosen namespace, a remote one through the AWS SDK.
 */
export class ConnectionManager {
  private readonly remotes = new Map<string, SavedRemote>();
  private readonly clients = new Map<string, RemoteDynamo>();
  private readonly streamClients = new Map<string, RemoteStreams>();
  localEndpointUrl: string | undefined;

  private constructor(
    private readonly engine: DynamoEngine,
    private readonly secrets: SecretStore,
    private readonly file: string | undefined,
  ) {}

  static async open(options: { engine: DynamoEngine; secrets: SecretStore; file?: string; localEndpointUrl?: string }) {
    const manager = new ConnectionManager(options.engine, options.secrets, options.file);
    manager.localEndpointUrl = options.localEndpointUrl;
    if (options.file) {
      try {
        const saved = JSON.parse(await readFile(options.file, 'utf8')) as SavedRemote[];
        for (const remote of saved) if (remote?.id && remote.name && remote.region) manager.remotes.set(remote.id, remote);
      } catch {
        // No saved connections yet.
      }
    }
    return manager;
  }

  list(): ConnectionInfo[] {
    // Measurements only the embedded engine takes; a remote service offers none of them.
    const measured = insightsOf(this.engine) !== undefined;
    const local: ConnectionInfo = {
      id: LOCAL_CONNECTION_ID,
      name: 'Local engine',
      kind: 'local',
      builtIn: true,
      region: DEFAULT_REGION,
      ...(this.localEndpointUrl ? { endpointUrl: this.localEndpointUrl } : {}),
      hasCredentials: false,
      capabilities: {
        namespaces: true,
        deleteTable: true,
        capacityMetrics: measured,
        throttlingEmulation: measured,
        ttlSweep: measured,
        backfillProgress: measured,
        vectorSearchStatus: measured,
        streamTriggers: true,
        partiqlExplain: measured,
      },
    };
    const remotes = [...this.remotes.values()].map(
      (r): ConnectionInfo => ({
        id: r.id,
        name: r.name,
        kind: 'remote',
        builtIn: false,
        region: r.region,
        ...(r.endpointUrl ? { endpointUrl: r.endpointUrl } : {}),
        ...(r.profile ? { profile: r.profile } : {}),
        hasCredentials: this.secrets.get(r.id) !== undefined,
        capabilities: {
          namespaces: false,
          deleteTable: true,
          capacityMetrics: false,
          throttlingEmulation: false,
          ttlSweep: false,
          backfillProgress: false,
          vectorSearchStatus: false,
          // Read through the connection's Streams endpoint, with the handler run here.
          streamTriggers: true,
          partiqlExplain: false,
        },
      }),
    );
    return [local, ...remotes];
  }

  async add(input: NewRemoteConnection): Promise<ConnectionInfo> {
    const { remote, credentials } = checkRemote(input, randomUUID());
    if (credentials) await this.secrets.set(remote.id, credentials);
    this.remotes.set(remote.id, remote);
    await this.save();
    return this.list().find((c) => c.id === remote.id)!;
  }

  /** Replaces a saved connection's settings; its keys stay unless new ones are given or they are cleared. */
  async update(input: RemoteConnectionUpdate): Promise<ConnectionInfo> {
    const id = requireText(input?.id, 'id');
    if (id === LOCAL_CONNECTION_ID) throw new AppError(APP_ERROR.badRequest, 'The local engine connection cannot be edited');
    if (!this.remotes.has(id)) throw unknownConnection(id);
    const { remote, credentials } = checkRemote(input, id);
    if (credentials) await this.secrets.set(id, credentials);
    else if (input.clearCredentials) await this.secrets.delete(id);
    this.remotes.set(id, remote);
    this.closeClients(id);
    await this.save();
    return this.list().find((c) => c.id === id)!;
  }

  /**
   * One ListTables (Limit 1, a single attempt, at most 5 seconds) against a saved connection or a
   * form not yet saved. A form for a saved connection without keys of its own uses the saved keys.
   */
  async test(request: ConnectionTestRequest): Promise<ConnectionTestResult> {
    const started = performance.now();
    const id = optionalText(request?.id);
    let remote: SavedRemote;
    let keys: Credentials | undefined;
    if (request?.connection) {
      const checked = checkRemote(request.connection, id ?? 'unsaved');
      remote = checked.remote;
      keys = checked.credentials ?? (id ? this.secrets.get(id) : undefined);
    } else if (id === LOCAL_CONNECTION_ID) {
      await this.engine.handle('ListTables', { Limit: 1 }, this.localContext(undefined));
      return { latencyMs: performance.now() - started };
    } else {
      const saved = id ? this.remotes.get(id) : undefined;
      if (!saved) throw unknownConnection(String(id));
      remote = saved;
      keys = this.secrets.get(saved.id);
    }
    const client = new RemoteDynamo({ ...targetOf(remote), ...(keys ? { credentials: keys } : {}), maxAttempts: 1 });
    try {
      await client.call('ListTables', { Limit: 1 }, AbortSignal.timeout(TEST_TIMEOUT_MS));
    } catch (error) {
      if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
        throw new AppError(APP_ERROR.unreachable, `No answer from ${remote.endpointUrl ?? `DynamoDB in ${remote.region}`} within ${TEST_TIMEOUT_MS / 1000} seconds`);
      }
      throw error;
    } finally {
      client.close();
    }
    return { latencyMs: performance.now() - started };
  }

  async remove(id: string): Promise<void> {
    if (id === LOCAL_CONNECTION_ID) throw new AppError(APP_ERROR.badRequest, 'The local engine connection cannot be removed');
    if (!this.remotes.delete(id)) throw unknownConnection(id);
    this.closeClients(id);
    await this.secrets.delete(id);
    await this.save();
  }

  async call(
    connectionId: string,
    operation: string,
    input: Record<string, unknown>,
    namespace?: Namespace,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    if (connectionId === LOCAL_CONNECTION_ID) {
      return this.engine.handle(operation, input, {
        region: namespace?.region || DEFAULT_REGION,
        accountId: namespace?.accountId || DEFAULT_ACCOUNT_ID,
      });
    }
    return this.remoteClient(connectionId).call(operation, input, signal);
  }

  /** One DynamoDB Streams operation: the engine's own streams locally, the streams endpoint remotely. */
  async callStreams(connectionId: string, operation: StreamsOperation, input: Record<string, unknown>, namespace?: Namespace): Promise<Record<string, unknown>> {
    if (connectionId === LOCAL_CONNECTION_ID) return this.engine.handle(`DynamoDBStreams.${operation}`, input, this.localContext(namespace));
    const remote = this.remotes.get(connectionId);
    if (!remote) throw unknownConnection(connectionId);
    let client = this.streamClients.get(connectionId);
    if (!client) {
      const credentials = this.secrets.get(connectionId);
      client = new RemoteStreams({ ...targetOf(remote), ...(credentials ? { credentials } : {}) });
      this.streamClients.set(connectionId, client);
    }
    return client.call(operation, input);
  }

  /**
   * The engine's own measurements and the namespace to read them in; refused (Unsupported) for a
   * connection without them, so a renderer that ignores capabilities still gets a clear answer.
   */
  insights(connectionId: string, namespace: Namespace | undefined, what: string): { insights: EngineInsights; context: RequestContext } {
    if (connectionId !== LOCAL_CONNECTION_ID) {
      if (!this.remotes.has(connectionId)) throw unknownConnection(connectionId);
      throw notAvailable(what);
    }
    const insights = insightsOf(this.engine);
    if (!insights) throw notAvailable(what);
    return { insights, context: this.localContext(namespace) };
  }

  private localContext(namespace: Namespace | undefined): RequestContext {
    return { region: namespace?.region || DEFAULT_REGION, accountId: namespace?.accountId || DEFAULT_ACCOUNT_ID };
  }

  namespaces(connectionId: string): NamespaceSummary[] {
    if (connectionId === LOCAL_CONNECTION_ID) {
      const found = this.engine.namespaces();
      // The default namespace is always offered, so a fresh engine has somewhere to create tables.
      const hasDefault = found.some((n) => n.region === DEFAULT_REGION && n.accountId === DEFAULT_ACCOUNT_ID);
      const all = hasDefault ? found : [{ accountId: DEFAULT_ACCOUNT_ID, region: DEFAULT_REGION, tableCount: 0 }, ...found];
      return all
        .map((n) => ({ accountId: n.accountId, region: n.region, tableCount: n.tableCount }))
        .sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
    }
    const remote = this.remotes.get(connectionId);
    if (!remote) throw unknownConnection(connectionId);
    // A remote connection addresses one region with whatever account its credentials belong to.
    return [{ accountId: '', region: remote.region, tableCount: -1 }];
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    for (const client of this.streamClients.values()) client.close();
    this.streamClients.clear();
  }

  /** Drops a connection's SDK clients, so the next call uses its current settings. */
  private closeClients(id: string): void {
    this.clients.get(id)?.close();
    this.clients.delete(id);
    this.streamClients.get(id)?.close();
    this.streamClients.delete(id);
  }

  private remoteClient(id: string): RemoteDynamo {
    const remote = this.remotes.get(id);
    if (!remote) throw unknownConnection(id);
    let client = this.clients.get(id);
    if (!client) {
      const credentials = this.secrets.get(id);
      client = new RemoteDynamo({ ...targetOf(remote), ...(credentials ? { credentials } : {}) });
      this.clients.set(id, client);
    }
    return client;
  }

  private async save(): Promise<void> {
    if (this.file) await writeJsonAtomically(this.file, [...this.remotes.values()]);
  }
}

const TEST_TIMEOUT_MS = 5000;

function targetOf(remote: SavedRemote): RemoteTarget {
  return {
    region: remote.region,
    ...(remote.endpointUrl ? { endpointUrl: remote.endpointUrl } : {}),
    ...(remote.profile ? { profile: remote.profile } : {}),
  };
}

/** Checks a connection form; its keys, when given, come back apart from what is saved to disk. */
function checkRemote(input: NewRemoteConnection, id: string): { remote: SavedRemote; credentials: Credentials | undefined } {
  const name = requireText(input?.name, 'name');
  const region = requireText(input?.region, 'region');
  if (!/^[a-z0-9-]+$/.test(region)) throw new AppError(APP_ERROR.badRequest, `"${region}" is not a region name (e.g. eu-west-1)`);
  const endpointUrl = optionalText(input.endpointUrl);
  if (endpointUrl) {
    let url: URL;
    try {
      url = new URL(endpointUrl);
    } catch {
      throw new AppError(APP_ERROR.badRequest, `"${endpointUrl}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AppError(APP_ERROR.badRequest, 'The endpoint URL must start with http:// or https://');
    }
  }
  const accessKeyId = optionalText(input.accessKeyId);
  const secretAccessKey = optionalText(input.secretAccessKey);
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new AppError(APP_ERROR.badRequest, 'Give both the access key id and the secret access key, or neither');
  }
  const profile = optionalText(input.profile);
  const sessionToken = optionalText(input.sessionToken);
  return {
    remote: { id, name, region, ...(endpointUrl ? { endpointUrl } : {}), ...(profile ? { profile } : {}) },
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined,
  };
}

function unknownConnection(id: string): AppError {
  return new AppError(APP_ERROR.unknownConnection, `No connection with id "${id}"`);
}

function requireText(value: unknown, field: string): string {
  const text = optionalText(value);
  if (!text) throw new AppError(APP_ERROR.badRequest, `The connection needs a ${field}`);
  return text;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
