/**
 * One process owns a data directory. The engine caches the catalog, the uid counter and the
 * table statistics in memory, so a second process writing the same LMDB files would hand out
 * the same table ids and corrupt both views of the data (LMDB itself is multi-process safe; our
 * caches are not).
 *
 * The lock is a local socket the owner listens on, named after the directory's real path:
 *   Linux    an abstract-namespace socket ("\0dynamo-lens-<hash>"), which has no file at all;
 *   Windows  a named pipe (\\.\pipe\dynamo-lens-<hash>);
 *   others   a socket file in the temp directory.
 * Binding is atomic (the second bind fails with EADDRINUSE) and the OS closes the socket when
 * the owner exits for any reason, kill -9 included, so a crash never leaves a stale lock behind.
 * Where the socket is a file (macOS), a file whose listener is gone is removed and bound again.
 * A process refused the lock connects to the socket to learn who holds it.
 */
import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the owner tells a process that was refused its directory. */
export interface DataDirOwner {
  pid: number;
  command: string;
  startedAt: string;
  /** Set once the owner's endpoint listens (serve, the desktop app). */
  endpoint?: string;
}

export class DataDirectoryInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner | undefined,
  ) {
    const who = owner
      ? `another Dynamo Lens process (pid ${owner.pid}${owner.endpoint ? `, endpoint ${owner.endpoint}` : ''}, started ${owner.startedAt}: ${owner.command})`
      : 'another Dynamo Lens process';
    super(
      `The data directory ${dataDir} is in use by ${who}. One process owns a data directory at a time: ` +
        'stop that process, or point this one elsewhere with --data-dir <another directory>, or use --in-memory.',
    );
  }
}

export interface DataDirLock {
  /** Details the lock's socket reports to a refused process (e.g. the endpoint, once known). */
  describe(details: Partial<DataDirOwner>): void;
  release(): Promise<void>;
}

function lockAddress(dataDir: string): { address: string; isFile: boolean } {
  const id = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return { address: `\0dynamo-lens-${id}`, isFile: false };
  if (process.platform === 'win32') return { address: `\\\\.\\pipe\\dynamo-lens-${id}`, isFile: false };
  return { address: join(tmpdir(), `dynamo-lens-${id}.sock`), isFile: true };
}

function listen(server: Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => reject(error);
    server.once('error', fail);
    server.listen(address, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** Asks the process listening on the lock who it is; undefined when nobody answers. */
function askOwner(address: string): Promise<DataDirOwner | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection(address);
    const done = (owner: DataDirOwner | undefined): void => {
      socket.destroy();
      resolve(owner);
    };
    socket.setTimeout(2000, () => done(undefined));
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => {
      try {
        done(JSON.parse(text) as DataDirOwner);
      } catch {
        done(undefined);
      }
    });
    socket.on('error', () => done(undefined));
  });
}

/**
 * Takes ownership of `dataDir` (which must exist), or throws DataDirectoryInUseError naming the
 * process that holds it. The lock never keeps the process alive on its own.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const { address, isFile } = lockAddress(dataDir);
  const owner: DataDirOwner = { pid: process.pid, command: process.argv.slice(1).join(' '), startedAt: new Date().toISOString() };
  const server = createServer((socket) => socket.end(JSON.stringify(owner)));
  try {
    await listen(server, address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const holder = await askOwner(address);
    if (holder || !isFile) throw new DataDirectoryInUseError(dataDir, holder);
    // A socket file left by an owner that died: nobody listens on it any more.
    unlinkSync(address);
    await listen(server, address);
  }
  server.unref();
  return {
    describe(details) {
      Object.assign(owner, details);
    },
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
