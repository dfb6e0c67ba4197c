/**
 * The package's entry for test suites: `startDynamoLens()` runs the engine and its endpoint in
 * the calling process (in memory, on a free port, in tens of milliseconds) with O(1) snapshots;
 * `connectDynamoLens()` drives one started elsewhere (a globalSetup) from test workers, through
 * the endpoint's control path. Types: ./publicTypes.ts, shipped as dist/index.d.ts.
 */
import { createRequire } from 'node:module';
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DEFAULT_REGION } from '../engine/api.ts';
import { openEngine } from '../engine/engine.ts';
import { CONTROL_PATH, startEndpoint, type ControlHandler } from '../engine/server.ts';
import { emptyAllTables, releaseSnapshot, restoreSnapshot, takeSnapshot, type EngineSnapshot } from '../engine/snapshots.ts';
import { loadTablesAndSeed } from './tableDefinitions.ts';
import type { ConnectDynamoLens, DynamoLens, DynamoLensControl, EndpointInfo, StartDynamoLens } from './publicTypes.ts';

export type * from './publicTypes.ts';

export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local' });

/**
 * The AWS SDK takes a few hundred milliseconds to load: only a caller of client() pays for it,
 * so start-up stays fast for suites that bring their own client.
 */
function newClient(info: EndpointInfo, config: DynamoDBClientConfig = {}): DynamoDBClient {
  const sdk = createRequire(import.meta.url)('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  // A copy: the SDK marks the credentials object it is given (a $source field).
  return new sdk.DynamoDBClient({ endpoint: info.endpoint, region: info.region, credentials: { ...info.credentials }, ...config });
}

function snapshotName(input: Record<string, unknown>): string {
  const name = input.name;
  if (typeof name !== 'string' || name.length === 0) throw new Error('A snapshot needs a name (a non-empty string)');
  return name;
}

export const startDynamoLens: StartDynamoLens = async (options = {}) => {
  const engine = await openEngine({
    inMemory: options.dataDir === undefined,
    dataDir: options.dataDir,
    singleRegion: options.singleRegion,
  });
  const snapshots = new Map<string, EngineSnapshot>();
  const control: ControlHandler = async (action, input) => {
    switch (action) {
      case 'reset':
        await emptyAllTables(engine);
        return {};
      case 'snapshot': {
        const name = snapshotName(input);
        const previous = snapshots.get(name);
        snapshots.set(name, takeSnapshot(engine));
        if (previous) releaseSnapshot(engine, previous);
        return {};
      }
      case 'restore': {
        const name = snapshotName(input);
        const snapshot = snapshots.get(name);
        if (!snapshot) throw new Error(`No snapshot named ${JSON.stringify(name)}`);
        restoreSnapshot(engine, snapshot);
        return {};
      }
      case 'delete-snapshot': {
        const name = snapshotName(input);
        const snapshot = snapshots.get(name);
        if (!snapshot) throw new Error(`No snapshot named ${JSON.stringify(name)}`);
        snapshots.delete(name);
        releaseSnapshot(engine, snapshot);
        return {};
      }
      default:
        throw new Error(`Unknown control action ${JSON.stringify(action)}`);
    }
  };
  let endpoint;
  try {
    await loadTablesAndSeed(engine, options);
    endpoint = await startEndpoint({ engine, port: options.port ?? 0, host: options.host ?? '127.0.0.1', control });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const info: EndpointInfo = { endpoint: endpoint.url, port: endpoint.port, region: options.region ?? DEFAULT_REGION, credentials: { ...LOCAL_CREDENTIALS } };
  const lens: DynamoLens = {
    ...info,
    client: (config) => newClient(info, config),
    reset: async () => void (await control('reset', {})),
    snapshot: async (name) => void (await control('snapshot', { name })),
    restore: async (name) => void (await control('restore', { name })),
    deleteSnapshot: async (name) => void (await control('delete-snapshot', { name })),
    async close() {
      await endpoint.close();
      await engine.close();
    },
  };
  return lens;
};

export const connectDynamoLens: ConnectDynamoLens = (endpoint = process.env.DYNAMO_LENS_ENDPOINT, options = {}) => {
  if (!endpoint) throw new Error('connectDynamoLens: pass the endpoint URL or set DYNAMO_LENS_ENDPOINT');
  const url = new URL(endpoint);
  const info: EndpointInfo = { endpoint: url.origin, port: Number(url.port), region: options.region ?? DEFAULT_REGION, credentials: { ...LOCAL_CREDENTIALS } };
  const call = async (action: string, input: Record<string, unknown> = {}): Promise<void> => {
    const response = await fetch(`${url.origin}${CONTROL_PATH}${action}`, { method: 'POST', body: JSON.stringify(input) });
    if (!response.ok) throw new Error(`dynamo-lens ${action}: ${((await response.json()) as { message: string }).message}`);
  };
  const control: DynamoLensControl = {
    ...info,
    client: (config) => newClient(info, config),
    reset: () => call('reset'),
    snapshot: (name) => call('snapshot', { name }),
    restore: (name) => call('restore', { name }),
    deleteSnapshot: (name) => call('delete-snapshot', { name }),
  };
  return control;
};
