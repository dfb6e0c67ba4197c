/**
 * `dynamo-lens serve`: the headless backend. Starts the engine and its DynamoDB endpoint on
 * 127.0.0.1 (and, with --ui, the browser UI over a token-guarded local bridge), prints where
 * things are, and shuts down cleanly on Ctrl-C or SIGTERM: in-flight writes finish, LMDB closes.
 */
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_REGION } from '../engine/api.ts';
import { defaultDataDir, openEngine, type Engine } from '../engine/engine.ts';
import { startEndpoint, type Endpoint } from '../engine/server.ts';
import type { StorageStatus } from '../engine/storage/kv.ts';
import packageJson from '../package.json' with { type: 'json' };
import type { EndpointInfo } from './publicTypes.ts';
import { LOCAL_CREDENTIALS } from './testApi.ts';
import { loadTablesAndSeed } from './tableDefinitions.ts';

const COMMANDS = `Usage: dynamo-lens <command> [options]

Commands:
  serve               Run the local DynamoDB endpoint (and, with --ui, the UI in a browser)
  snapshot            Copy a data directory's store, list, restore or delete copies
  --version           Print the version
  --help              Show this help

`;
import type { TriggerManager } from '../engine/triggers/manager.ts';
import { startServeTriggers } from './backend/triggerStore.ts';

const USAGE = `Usage: dynamo-lens serve [options]

Options:
  --port <n>          Endpoint port (default 8000; 0 picks a free port, printed as DYNAMO_LENS_PORT=<n>)
  --host <addr>       Address to bind (default 127.0.0.1)
  --data-dir <dir>    LMDB data directory (default ${defaultDataDir()})
  --in-memory         Keep all data in memory (nothing is written to disk)
  --single-region     Every region shares one namespace of tables
  --export-root <dir> The directory S3 buckets map to for ExportTableToPointInTime and ImportTable:
                      bucket B, key K is <dir>/B/K (default: s3/ in the data directory, or
                      dynamo-lens-s3 in the temporary directory with --in-memory)
  --delay-ms <n>      Milliseconds tables stay CREATING/DELETING (default 0)
  --tables <file>     Create tables from CreateTable JSON, a CloudFormation/SAM template or a
                      serverless.yml (repeatable)
  --seed <file>       Put items from {"Table": [items]} or BatchWriteItem JSON, or Table=<file>
                      for a list of items or one per line; DynamoDB or plain JSON (repeatable)
  --region <name>     Region of the --tables/--seed tables and of --print-endpoint-json (default ${DEFAULT_REGION})
  --ui                Also serve the UI in a browser over a local bridge
  --ui-port <n>       Port of the UI bridge (default: a free port)
  --print-endpoint-json
                      Print one JSON line {endpoint, port, region, credentials, uiUrl} on stdout
                      once ready; the other messages go to stderr
  --trigger <table>=<path-or-command>
                      Run a handler on the table's stream records as Lambda would: a JS/TS
                      module exporting handler(event, context), or a command line that reads
                      the event as JSON on stdin (repeatable)
  --triggers <file>   Triggers from a JSON file, which is rewritten when they change
  -h, --help          Show this help
`;

/**
 * The key that encrypts the browser UI's saved connection keys: one per user, beside the default
 * data directory and never inside a data directory, so a copied data directory carries no way to
 * read the keys saved in it.
 */
export function secretsKeyFile(): string {
  return join(dirname(defaultDataDir()), 'secrets.key');
}

export interface ServeOptions {
  port: number;
  host: string;
  dataDir?: string;
  inMemory: boolean;
  singleRegion: boolean;
  /** `--export-root`: where S3 buckets live (EngineOptions.exportRoot). */
  exportRoot?: string;
  delayMs: number;
  ui: boolean;
  uiPort: number;
  printEndpointJson: boolean;
  tables: string[];
  seed: string[];
  region: string;
  /** `--trigger <table>=<path-or-command>`, as given. */
  triggers?: string[];
  triggersFile?: string;
}

export function parseServeArgs(argv: string[]): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'single-region': { type: 'boolean' },
      'export-root': { type: 'string' },
      'delay-ms': { type: 'string' },
      ui: { type: 'boolean' },
      'ui-port': { type: 'string' },
      'print-endpoint-json': { type: 'boolean' },
      tables: { type: 'string', multiple: true },
      seed: { type: 'string', multiple: true },
      region: { type: 'string' },
      trigger: { type: 'string', multiple: true },
      triggers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = Number(values.port ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);
  if (values['in-memory'] && values['data-dir']) throw new Error('Choose either --data-dir or --in-memory, not both');
  return {
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: values['data-dir'],
    inMemory: values['in-memory'] ?? false,
    singleRegion: values['single-region'] ?? false,
    ...(values['export-root'] ? { exportRoot: values['export-root'] } : {}),
    delayMs: Number(values['delay-ms'] ?? 0),
    ui: values.ui ?? false,
    uiPort: Number(values['ui-port'] ?? 0),
    printEndpointJson: values['print-endpoint-json'] ?? false,
    tables: values.tables ?? [],
    seed: values.seed ?? [],
    region: values.region ?? DEFAULT_REGION,
    triggers: values.trigger ?? [],
    ...(values.triggers ? { triggersFile: values.triggers } : {}),
  };
}

export interface RunningServer {
  engine: Engine;
  endpoint: Endpoint;
  uiUrl?: string;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions, log: (line: string) => void = (l) => console.log(l)): Promise<RunningServer> {
  const dataDir = options.inMemory ? undefined : (options.dataDir ?? defaultDataDir());
  const engine = await openEngine({
    inMemory: options.inMemory,
    dataDir,
    singleRegion: options.singleRegion,
    transitionDelayMs: options.delayMs,
    exportRoot: options.exportRoot,
  });
  let endpoint: Endpoint;
  try {
    await loadTablesAndSeed(engine, options);
    endpoint = await startEndpoint({ engine, port: options.port, host: options.host });
  } catch (error) {
    // The port is taken (or not ours): close the storage, whose background work would keep the
    // process alive, and let the caller report the error.
    await engine.close();
    throw error;
  }
  engine.describeOwner({ endpoint: endpoint.url });
  let triggers: TriggerManager | undefined;
  if (options.triggers?.length || options.triggersFile) {
    try {
      triggers = await startServeTriggers({ engine, endpointUrl: endpoint.url, flags: options.triggers ?? [], file: options.triggersFile });
    } catch (error) {
      await endpoint.close();
      await engine.close();
      throw error;
    }
  }
  log(`Dynamo Lens endpoint: ${endpoint.url}`);
  // For scripts and test fixtures that start with --port 0: one line to grep (or to append to $GITHUB_ENV).
  log(`DYNAMO_LENS_PORT=${endpoint.port}`);
  log(`Storage: ${describeStorage(engine.storageStatus())}`);
  log(`S3 for exports and imports: bucket B, key K is ${join(engine.settings.exportRoot, 'B', 'K')}`);
  const namespaces = engine.namespaces();
  log(
    options.singleRegion
      ? 'Namespaces: every region shares one set of tables (--single-region)'
      : `Namespaces: tables are kept per region, taken from each request's credentials (default ${DEFAULT_REGION})` +
          (namespaces.length > 0 ? `; tables now in: ${namespaces.map((n) => `${n.region} (${n.tableCount})`).join(', ')}` : ''),
  );
  let closeUi: (() => Promise<void>) | undefined;
  let uiUrl: string | undefined;
  if (options.ui) {
    const { createBackend } = await import('./backend/backend.ts');
    const { startUiServer } = await import('./backend/uiServer.ts');
    const { EncryptedFileSecretStore, keyFileCipher } = await import('./backend/secrets.ts');
    // The UI's settings, saved operations, triggers and connections live with the data they
    // belong to (an in-memory server keeps them for the session only); connection keys are saved
    // encrypted, never in plain text.
    const stateDir = dataDir && join(dataDir, 'app-state');
    const backend = createBackend({
      engine,
      endpointUrl: endpoint.url,
      ...(stateDir ? { stateDir, secrets: await EncryptedFileSecretStore.open(join(stateDir, 'secrets.json'), keyFileCipher(secretsKeyFile())) } : {}),
      ...(triggers ? { triggers } : {}),
    });
    const ui = await startUiServer({ backend, port: options.uiPort, host: '127.0.0.1' });
    closeUi = () => ui.close();
    uiUrl = ui.url;
    log('Open the UI at:');
    log(ui.url);
  }
  for (const { definition } of triggers?.list() ?? []) {
    const handler = definition.handler.kind === 'module' ? definition.handler.path : definition.handler.command;
    log(`Trigger: ${definition.tableName} (${definition.namespace.region}) -> ${handler}`);
  }
  return {
    engine,
    endpoint,
    uiUrl,
    async close() {
      await closeUi?.();
      await triggers?.close();
      await endpoint.close();
      await engine.close();
    },
  };
}

/** One line about where the data lives and how big it is. */
export function describeStorage(status: StorageStatus): string {
  if (status.kind === 'memory') return 'in memory (data is lost on exit)';
  const size = (bytes: number) => (bytes < 1024 ** 2 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);
  return (
    `LMDB at ${status.dataDir} (file ${size(status.fileBytes)}: ` +
    `${size(status.livePages * status.pageSize)} live, ${size(status.freePages * status.pageSize)} free for reuse)`
  );
}

const SNAPSHOT_USAGE = `Usage: dynamo-lens snapshot <action> [name] [options]

Actions:
  create <name>       A consistent copy of the store, taken while a server runs or not
  list                The snapshots of the data directory
  restore <name>      Restores a snapshot (into the data directory itself only while no server runs)
  delete <name>       Deletes a snapshot

Options:
  --data-dir <dir>    The data directory (default ${defaultDataDir()})
  --to <dir>          restore: into this new directory instead
  -h, --help          Show this help
`;

/** `dynamo-lens snapshot ...`: snapshots of a durable data directory. */
async function snapshotCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, name] = positionals;
  if (values.help || !action) {
    process.stdout.write(SNAPSHOT_USAGE);
    return;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const snapshots = await import('../engine/storage/dataDirSnapshots.ts');
  const requireName = (): string => {
    if (!name) throw new Error(`snapshot ${action} needs a snapshot name`);
    return name;
  };
  if (action === 'create') {
    const info = await snapshots.createSnapshot(dataDir, requireName());
    console.log(`Snapshot ${info.name} of ${dataDir} taken at ${info.createdAt} (${info.bytes} bytes).`);
  } else if (action === 'list') {
    const list = await snapshots.listSnapshots(dataDir);
    if (list.length === 0) console.log(`No snapshots in ${snapshots.snapshotsFolder(dataDir)}.`);
    for (const info of list) console.log(`${info.name}\t${info.createdAt}\t${info.bytes} bytes`);
  } else if (action === 'restore') {
    const into = await snapshots.restoreSnapshot(dataDir, requireName(), values.to);
    console.log(`Restored snapshot ${name} into ${into}.`);
  } else if (action === 'delete') {
    await snapshots.deleteSnapshot(dataDir, requireName());
    console.log(`Deleted snapshot ${name}.`);
  } else {
    throw new Error(`Unknown snapshot action ${JSON.stringify(action)}\n\n${SNAPSHOT_USAGE}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageJson.version}\n`);
    return;
  }
  if (command === 'snapshot') {
    try {
      await snapshotCommand(rest);
    } catch (error) {
      process.stderr.write(`dynamo-lens: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  if (command !== 'serve') {
    process.stdout.write(`dynamo-lens ${packageJson.version}: a local DynamoDB workbench\n\n${COMMANDS}${USAGE}`);
    process.exitCode = command === undefined || command === '--help' || command === '-h' ? 0 : 2;
    return;
  }
  let options: ServeOptions | 'help';
  try {
    options = parseServeArgs(rest);
  } catch (error) {
    process.stderr.write(`dynamo-lens: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  let running: RunningServer;
  try {
    // With --print-endpoint-json stdout carries only that line.
    running = await serve(options, options.printEndpointJson ? (line) => process.stderr.write(`${line}\n`) : undefined);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `dynamo-lens: port ${options.port} is already in use; pick another with --port\n`
        : `dynamo-lens: ${(error as Error).message}\n`,
    );
    process.exitCode = 1;
    return;
  }
  if (options.printEndpointJson) {
    const info: EndpointInfo = {
      endpoint: running.endpoint.url,
      port: running.endpoint.port,
      region: options.region,
      credentials: LOCAL_CREDENTIALS,
      ...(running.uiUrl ? { uiUrl: running.uiUrl } : {}),
    };
    process.stdout.write(`${JSON.stringify(info)}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received: finishing in-flight requests and closing storage...`);
    running.close().then(
      () => process.exit(0),
      (error) => {
        console.error('dynamo-lens: error while closing:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
