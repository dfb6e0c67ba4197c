/**
 * Snapshots of a durable data directory: consistent point-in-time copies of the LMDB store, kept
 * in the directory's `snapshots` folder (one folder each: data.mdb and snapshot.json), taken
 * while a server runs and restorable into a new directory or, with no server running, the same
 * one.
 *
 * While a process owns the directory, `create` asks it (through the directory's lock socket) to
 * copy its own store; otherwise this process takes the directory and copies it.
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { askOwnerForSnapshot, DataDirectoryInUseError, lockDataDir } from './dataDirLock.ts';

export interface SnapshotInfo {
  name: string;
  /** ISO time the copy was taken. */
  createdAt: string;
  /** Size of the copy's data file. */
  bytes: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DATA_FILE = 'data.mdb';
const META_FILE = 'snapshot.json';

export function snapshotsFolder(dataDir: string): string {
  return join(resolve(dataDir), 'snapshots');
}

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new Error(`Invalid snapshot name ${JSON.stringify(name)}: use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.`);
  }
}

/**
 * Writes snapshot `name` of the store in `dataDir` through `copy` (which fills an empty folder
 * with a data.mdb): into a temporary folder first, so a failed copy leaves no half snapshot.
 */
export async function writeSnapshot(dataDir: string, name: string, copy: (into: string) => Promise<void>): Promise<SnapshotInfo> {
  checkName(name);
  const folder = join(snapshotsFolder(dataDir), name);
  if (existsSync(folder)) throw new Error(`A snapshot named ${name} already exists in ${snapshotsFolder(dataDir)}.`);
  const partial = `${folder}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    const createdAt = new Date().toISOString();
    await copy(partial);
    const { size } = await stat(join(partial, DATA_FILE));
    const info: SnapshotInfo = { name, createdAt, bytes: size };
    await writeFile(join(partial, META_FILE), JSON.stringify(info, null, 2));
    await rename(partial, folder);
    return info;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Takes snapshot `name` of `dataDir`, through the server that owns it or, with none, directly. */
export async function createSnapshot(dataDir: string, name: string): Promise<SnapshotInfo> {
  checkName(name);
  if (!(await askOwnerForSnapshot(resolve(dataDir), name))) {
    const { LmdbStore } = await import('./lmdbStore.ts');
    const store = await LmdbStore.open(dataDir);
    try {
      return await store.snapshot(name);
    } finally {
      await store.close();
    }
  }
  return readInfo(join(snapshotsFolder(dataDir), name));
}

async function readInfo(folder: string): Promise<SnapshotInfo> {
  return JSON.parse(await readFile(join(folder, META_FILE), 'utf8')) as SnapshotInfo;
}

export async function listSnapshots(dataDir: string): Promise<SnapshotInfo[]> {
  const folder = snapshotsFolder(dataDir);
  if (!existsSync(folder)) return [];
  const infos: SnapshotInfo[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isDirectory() && NAME.test(entry.name) && existsSync(join(folder, entry.name, META_FILE))) infos.push(await readInfo(join(folder, entry.name)));
  }
  return infos.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function deleteSnapshot(dataDir: string, name: string): Promise<void> {
  checkName(name);
  const folder = join(snapshotsFolder(dataDir), name);
  if (!existsSync(folder)) throw new Error(`No snapshot named ${name} in ${snapshotsFolder(dataDir)}.`);
  await rm(folder, { recursive: true });
}

/**
 * Restores snapshot `name` of `dataDir` into `target` (by default `dataDir` itself, which no
 * process may own meanwhile). A new target must not hold a store yet.
 */
export async function restoreSnapshot(dataDir: string, name: string, target = dataDir): Promise<string> {
  checkName(name);
  const source = join(snapshotsFolder(dataDir), name, DATA_FILE);
  if (!existsSync(source)) throw new Error(`No snapshot named ${name} in ${snapshotsFolder(dataDir)}.`);
  const into = resolve(target);
  const same = into === resolve(dataDir);
  if (!same && existsSync(join(into, DATA_FILE))) {
    throw new Error(`${into} already holds a Dynamo Lens store: restore into a new directory, or into ${resolve(dataDir)} itself.`);
  }
  await mkdir(into, { recursive: true });
  let lock;
  try {
    lock = await lockDataDir(into);
  } catch (error) {
    if (error instanceof DataDirectoryInUseError) {
      throw new Error(`${error.message} Stop it before restoring into this directory, or restore into a new one with --to <directory>.`);
    }
    throw error;
  }
  try {
    // Copied beside the live file, then renamed over it: the directory never holds half a store.
    const staging = join(into, `${DATA_FILE}.restoring`);
    await copyFile(source, staging);
    await rename(staging, join(into, DATA_FILE));
    // The old store's reader table goes too; the next process to open the store makes a new one.
    await rm(join(into, 'lock.mdb'), { force: true });
    return into;
  } finally {
    await lock.release();
  }
}
