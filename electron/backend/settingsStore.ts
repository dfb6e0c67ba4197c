import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, APP_ERROR, MAX_OPEN_TABS, type OpenTab, type Settings } from '../contract.ts';
import { AppError } from './wireError.ts';

/** Settings kept as JSON in the user-data directory, or only in memory when no file is given. */
export class SettingsStore {
  private current: Settings = structuredClone(DEFAULT_SETTINGS);

  private constructor(private readonly file: string | undefined) {}

  static async open(file?: string): Promise<SettingsStore> {
    const store = new SettingsStore(file);
    if (file) {
      try {
        const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
        // A hand-edited or older file keeps whatever still validates; the rest falls back to defaults.
        store.current = mergeSettings(store.current, saved, { lenient: true });
      } catch {
        // Missing or unreadable file: start from defaults.
      }
    }
    return store;
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  async set(patch: unknown): Promise<Settings> {
    this.current = mergeSettings(this.current, patch, { lenient: false });
    if (this.file) await writeJsonAtomically(this.file, this.current);
    return this.get();
  }
}

/** Applies a partial update, rejecting (or, leniently, skipping) values of the wrong shape. */
export function mergeSettings(base: Settings, patch: unknown, { lenient }: { lenient: boolean }): Settings {
  const next = structuredClone(base);
  if (patch === null || typeof patch !== 'object') {
    if (lenient) return next;
    throw new AppError(APP_ERROR.badRequest, 'Settings must be an object');
  }
  const reject = (message: string) => {
    if (!lenient) throw new AppError(APP_ERROR.badRequest, message);
  };
  const p = patch as Record<string, unknown>;
  if ('theme' in p) {
    if (p.theme === 'system' || p.theme === 'light' || p.theme === 'dark') next.theme = p.theme;
    else reject('theme must be "system", "light" or "dark"');
  }
  if ('pageSize' in p) {
    if (Number.isInteger(p.pageSize) && (p.pageSize as number) >= 1 && (p.pageSize as number) <= 1000) {
      next.pageSize = p.pageSize as number;
    } else reject('pageSize must be an integer from 1 to 1000');
  }
  if ('localEndpoint' in p) {
    const e = p.localEndpoint as Record<string, unknown> | null;
    if (e && typeof e === 'object') {
      if ('enabled' in e) {
        if (typeof e.enabled === 'boolean') next.localEndpoint.enabled = e.enabled;
        else reject('localEndpoint.enabled must be true or false');
      }
      if ('port' in e) {
        if (Number.isInteger(e.port) && (e.port as number) >= 1 && (e.port as number) <= 65535) {
          next.localEndpoint.port = e.port as number;
        } else reject('localEndpoint.port must be a port number from 1 to 65535');
      }
    } else reject('localEndpoint must be an object');
  }
  if ('openTabs' in p) {
    const tabs = Array.isArray(p.openTabs) && p.openTabs.length <= MAX_OPEN_TABS ? p.openTabs.map(openTabOf) : undefined;
    if (tabs && tabs.every((t) => t !== undefined)) next.openTabs = tabs as OpenTab[];
    else reject(`openTabs must be a list of at most ${MAX_OPEN_TABS} tabs, each a table (with its tableName), "transactions", "partiql" or "modeler" on a connectionId`);
  }
  if ('activeTab' in p) {
    if (Number.isInteger(p.activeTab) && (p.activeTab as number) >= 0 && (p.activeTab as number) < MAX_OPEN_TABS) next.activeTab = p.activeTab as number;
    else reject(`activeTab must be an integer from 0 to ${MAX_OPEN_TABS - 1}`);
  }
  if ('splitTabs' in p) {
    const pair = p.splitTabs;
    if (pair === null) next.splitTabs = null;
    else if (Array.isArray(pair) && pair.length === 2 && pair.every((i) => Number.isInteger(i) && i >= 0 && i < MAX_OPEN_TABS) && pair[0] !== pair[1]) next.splitTabs = [pair[0], pair[1]];
    else reject(`splitTabs must be two different tab positions from 0 to ${MAX_OPEN_TABS - 1}`);
  }
  return next;
}

/** A tab as stored, keeping only the fields a tab has; undefined when it is not one. */
function openTabOf(value: unknown): OpenTab | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { kind, connectionId, namespace, tableName, instance } = value as Record<string, unknown>;
  if ((kind !== 'table' && kind !== 'transactions' && kind !== 'partiql' && kind !== 'modeler') || typeof connectionId !== 'string') return undefined;
  if (kind === 'table' ? typeof tableName !== 'string' : tableName !== undefined || instance !== undefined) return undefined;
  if (instance !== undefined && !(Number.isInteger(instance) && (instance as number) >= 2 && (instance as number) <= MAX_OPEN_TABS)) return undefined;
  const tab: OpenTab = { kind, connectionId };
  if (namespace !== undefined) {
    const { accountId, region } = (namespace ?? {}) as Record<string, unknown>;
    if (typeof accountId !== 'string' || typeof region !== 'string') return undefined;
    tab.namespace = { accountId, region };
  }
  if (kind === 'table') tab.tableName = tableName as string;
  if (instance !== undefined) tab.instance = instance as number;
  return tab;
}

/** Writes through a temporary file so a crash never leaves half a JSON document behind. */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  await rename(temporary, file);
}
