/**
 * Trigger definitions on disk and on the command line.
 *
 * A triggers file is JSON: `{ "triggers": [ ... ] }` (or just the list). Each entry is a full
 * definition as the app saves it, or the short form people write by hand:
 *
 *   { "table": "Orders", "handler": "./handlers/orders.mjs", "settings": { "BatchSize": 10 } }
 *   { "table": "Orders", "handler": "python3 handlers/orders.py" }
 *
 * A handler that is a path to a .js/.mjs/.cjs/.ts/.mts/.cts file is a module; anything else is a
 * command line. Relative paths (and commands) are taken from the file's directory.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DynamoEngine } from '../../engine/api.ts';
import { TriggerManager } from '../../engine/triggers/manager.ts';
import { MODULE_EXTENSIONS, type TriggerDefinition, type TriggerHandler, type TriggerInput } from '../../engine/triggers/definition.ts';
import { writeJsonAtomically } from './settingsStore.ts';

/** `path-or-command` as a handler: a module when it names one JS/TS file, a command line otherwise. */
export function handlerFromText(text: string, baseDir: string): TriggerHandler {
  const value = text.trim();
  if (MODULE_EXTENSIONS.test(value) && !/\s/.test(value)) return { kind: 'module', path: isAbsolute(value) ? value : resolve(baseDir, value) };
  return { kind: 'command', command: value, cwd: baseDir };
}

/**
 * `--trigger <table>=<path-or-command>`. Its id follows from the text, so the same flag on the next
 * start names the same trigger (and replaces it in a triggers file instead of adding a twin).
 */
export function triggerFromFlag(spec: string, baseDir = process.cwd()): TriggerInput {
  const at = spec.indexOf('=');
  const tableName = at > 0 ? spec.slice(0, at).trim() : '';
  const handlerText = at > 0 ? spec.slice(at + 1).trim() : '';
  if (!tableName || !handlerText) throw new Error(`--trigger takes <table>=<path-or-command>, not "${spec}"`);
  const id = `cli-${createHash('sha256').update(spec).digest('hex').slice(0, 12)}`;
  return { id, tableName, handler: handlerFromText(handlerText, baseDir) };
}

/** The definitions in a triggers file; none when the file does not exist yet. */
export async function loadTriggerFile(file: string): Promise<TriggerInput[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { triggers?: unknown } | null)?.triggers;
  if (!Array.isArray(list)) throw new Error(`${file} must hold a list of triggers, or { "triggers": [...] }`);
  const baseDir = dirname(resolve(file));
  return list.map((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const tableName = (e.tableName ?? e.table) as string;
    if (typeof tableName !== 'string') throw new Error(`${file}: trigger ${i + 1} names no table`);
    let handler = e.handler as TriggerHandler | string | undefined;
    if (typeof handler === 'string') handler = handlerFromText(handler, baseDir);
    else if (handler?.kind === 'module' && !isAbsolute(handler.path)) handler = { ...handler, path: resolve(baseDir, handler.path) };
    return { ...(e as Partial<TriggerInput>), tableName, handler: handler as TriggerHandler };
  });
}

export async function saveTriggerFile(file: string, definitions: TriggerDefinition[]): Promise<void> {
  await writeJsonAtomically(file, { triggers: definitions });
}

/**
 * The triggers `serve` runs: those of the triggers file plus those of `--trigger` flags. The file
 * is rewritten when triggers change (from the UI), with every trigger but the flags' (those belong
 * to the command line that gave them). Without a file nothing is saved.
 */
export async function startServeTriggers(options: {
  engine: DynamoEngine;
  endpointUrl: string;
  flags: string[];
  file?: string;
}): Promise<TriggerManager> {
  const fromFile = options.file ? await loadTriggerFile(options.file) : [];
  const fromFlags = options.flags.map((flag) => triggerFromFlag(flag));
  const flagIds = new Set(fromFlags.map((t) => t.id));
  const file = options.file;
  return new TriggerManager({
    engine: options.engine,
    localEndpointUrl: options.endpointUrl,
    definitions: [...fromFile, ...fromFlags],
    ...(file ? { persist: (definitions: TriggerDefinition[]) => saveTriggerFile(file, definitions.filter((d) => !flagIds.has(d.id))) } : {}),
  });
}
