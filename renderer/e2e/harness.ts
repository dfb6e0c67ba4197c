/**
 * Starts the app the way `dynamo-lens serve --ui` does — real in-memory engine, backend, browser
 * bridge — and drives the built renderer in the system Chromium. Console messages and page errors
 * are logged (and page errors fail the run), as VS Code's playwrightElectron.ts does.
 */
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { DynamoEngine } from '../../engine/api.ts';
import { openEngine } from '../../engine/engine.ts';
import { createBackend, type Backend } from '../../electron/backend/backend.ts';
import { EncryptedFileSecretStore, keyFileCipher } from '../../electron/backend/secrets.ts';
import { startUiServer, type UiServer } from '../../electron/backend/uiServer.ts';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const RENDERER_DIR = join(import.meta.dirname, '..', '..', 'dist', 'renderer');
export const REGION = { region: 'us-east-1', accountId: '000000000000' };

export interface AppUnderTest {
  engine: DynamoEngine;
  backend: Backend;
  server: UiServer;
  browser: Browser;
  page: Page;
  pageErrors: Error[];
  screenshot(name: string): Promise<string>;
  /**
   * Stops the backend and its UI server and starts new ones on the same engine and state directory
   * (as restarting `serve --ui` does), then opens the new URL: what the browser mode remembers.
   */
  restartBackend(): Promise<void>;
  close(): Promise<void>;
}

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export async function startApp(
  options: {
    colorScheme?: 'light' | 'dark';
    quiet?: boolean;
    /** LMDB in this directory instead of memory, so a test can restart on the same data (and benches measure memory). */
    dataDir?: string;
    /** Keep connections, settings and saved operations here, keys encrypted, as `serve --ui` does. */
    stateDir?: string;
    /** Why the engine is not on the store asked for (the window's banner). */
    storageProblem?: string;
    transitionDelayMs?: number;
    /** Entries a vector index holds before the engine clusters it (lowered to see approximate search in a small table). */
    vectorClusteringMinimum?: number;
  } = {},
): Promise<AppUnderTest> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npx vite build --config renderer/vite.config.ts` first');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  // No background TTL sweeps: a test that shows an expired item as due must not race the sweeper;
  // the TTL view's "Sweep now" does the sweeping.
  const engine = await openEngine({
    ...(options.dataDir ? { dataDir: options.dataDir } : { inMemory: true }),
    ttlSweepIntervalMs: 0,
    ...(options.transitionDelayMs ? { transitionDelayMs: options.transitionDelayMs } : {}),
    ...(options.vectorClusteringMinimum ? { vectorClusteringMinimum: options.vectorClusteringMinimum } : {}),
  });
  const startBackend = async () => {
    const { stateDir } = options;
    const secrets = stateDir ? await EncryptedFileSecretStore.open(join(stateDir, 'secrets.json'), keyFileCipher(join(stateDir, 'secrets.key'))) : undefined;
    const backend = createBackend({
      engine,
      endpointUrl: 'http://127.0.0.1:8000',
      version: 'e2e',
      ...(stateDir ? { stateDir } : {}),
      ...(secrets ? { secrets } : {}),
      ...(options.storageProblem ? { storageProblem: options.storageProblem } : {}),
    });
    const server = await startUiServer({ backend, port: 0, host: '127.0.0.1', rendererDir: RENDERER_DIR });
    return { backend, server };
  };
  let { backend, server } = await startBackend();
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, colorScheme: options.colorScheme ?? 'light' });
  // tsx compiles test files with esbuild's keepNames, which wraps named functions in __name();
  // functions passed to page.evaluate carry those calls into the page, so define it there.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('console', (message) => {
    if (!options.quiet || message.type() === 'error') console.log(`[browser ${message.type()}] ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    console.log(`[page error] ${error.message}`);
    pageErrors.push(error);
  });
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
  return {
    engine,
    get backend() {
      return backend;
    },
    get server() {
      return server;
    },
    browser,
    page,
    pageErrors,
    async screenshot(name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async restartBackend() {
      await server.close();
      await backend.close();
      ({ backend, server } = await startBackend());
      await page.goto(server.url);
      await page.getByRole('navigation', { name: 'Connections and tables' }).waitFor();
    },
    async close() {
      await browser.close();
      await server.close();
      await backend.close();
      await engine.close();
    },
  };
}

/** Writes items straight into the engine, 25 per BatchWriteItem (PutItem if the engine lacks it). */
export async function seedItems(engine: DynamoEngine, tableName: string, items: Record<string, unknown>[], context = REGION): Promise<void> {
  let batch = true;
  for (let i = 0; i < items.length; i += 25) {
    const chunk = items.slice(i, i + 25);
    if (batch) {
      try {
        await engine.handle('BatchWriteItem', { RequestItems: { [tableName]: chunk.map((Item) => ({ PutRequest: { Item } })) } }, context);
        continue;
      } catch (error) {
        if ((error as { code?: string }).code !== 'UnknownOperationException') throw error;
        batch = false;
      }
    }
    for (const Item of chunk) await engine.handle('PutItem', { TableName: tableName, Item }, context);
  }
}

export async function createSimpleTable(engine: DynamoEngine, tableName: string, context = REGION): Promise<void> {
  await engine.handle(
    'CreateTable',
    {
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    context,
  );
}

/** An on-demand table keyed by the strings `pk` (partition) and `sk` (sort), the shape most tests read. */
export async function createKeyedTable(engine: DynamoEngine, tableName: string, context = REGION): Promise<void> {
  await engine.handle(
    'CreateTable',
    {
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    },
    context,
  );
}

/** Items with a mix of types, so the grid shows numbers, sets, maps, lists and binary. */
export function sampleItems(count: number, prefix = 'item'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    pk: { S: `${prefix}-${String(i).padStart(6, '0')}` },
    n: { N: String(i) },
    name: { S: `Name ${i}` },
    ...(i % 3 === 0 ? { tags: { SS: ['a', `t${i % 7}`] } } : {}),
    ...(i % 5 === 0 ? { meta: { M: { level: { N: String(i % 10) }, ok: { BOOL: i % 2 === 0 } } } } : {}),
    ...(i % 7 === 0 ? { list: { L: [{ S: 'x' }, { N: '1' }] } } : {}),
    ...(i % 11 === 0 ? { blob: { B: Buffer.from(`bytes-${i}`).toString('base64') } } : {}),
  }));
}

/**
 * An app a test closes and starts again on the same LMDB and state directories (in a temporary
 * folder), to check what survives a restart. `cleanup()` (in `after`) closes it, removes the
 * folder and fails on any page error seen by any of its runs.
 */
export function restartableApp(prefix: string) {
  let root: string | undefined;
  let app: AppUnderTest | undefined;
  const errors: string[] = [];
  const stop = async (): Promise<void> => {
    errors.push(...(app?.pageErrors.map((e) => e.message) ?? []));
    await app?.close();
    app = undefined;
  };
  return {
    async start(): Promise<AppUnderTest> {
      root ??= mkdtempSync(join(tmpdir(), prefix));
      app = await startApp({ quiet: true, dataDir: join(root, 'data'), stateDir: join(root, 'state') });
      return app;
    },
    stop,
    async cleanup(): Promise<void> {
      await stop();
      if (root) rmSync(root, { recursive: true, force: true });
      assert.deepEqual(errors, [], 'the page threw errors');
    },
  };
}
