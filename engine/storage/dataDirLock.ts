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
 *
 * The socket also answers other processes: each connection sends one JSON line, a request, and
 * gets one JSON answer. {"ask":"who"} asks who holds the directory (a process refused the lock
 * says so); {"ask":"snapshot","name":...} asks the owner for a consistent copy of the store
 * in its own snapshots folder (`dynamo-lens snapshot create` while a server runs). Any local
 * user can reach the socket, so a request names a snapshot, never a path to write to.
 */
import { createHash } from 'node:crypto';
import { realpathSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
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

/** A request another process sends to the directory's owner; `who` is answered by the lock itself. */
export type OwnerRequest = { ask: 'who' } | { ask: 'snapshot'; name: string };

export interface DataDirLock {
  /** Details the lock's socket reports to a refused process (e.g. the endpoint, once known). */
  describe(details: Partial<DataDirOwner>): void;
  /** Answers requests other than `who` (the store takes snapshots for other processes). */
  onRequest(handler: (request: Exclude<OwnerRequest, { ask: 'who' }>) => Promise<unknown>): void;
  release(): Promise<void>;
}

/** Longest request line the owner reads (a request is a short JSON object). */
const MAX_REQUEST_BYTES = 64 * 1024;

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

/**
 * Sends one request to the process listening at `address` and resolves with its JSON answer;
 * undefined when nobody listens (or answers within `timeoutMs`).
 */
function requestOwner(address: string, request: OwnerRequest, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection(address);
    const done = (answer: unknown): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => {
      try {
        done(JSON.parse(text));
      } catch {
        done(undefined);
      }
    });
    socket.on('error', () => done(undefined));
  });
}

async function askOwner(address: string): Promise<DataDirOwner | undefined> {
  return (await requestOwner(address, { ask: 'who' }, 2000)) as DataDirOwner | undefined;
}

/**
 * Asks the process that owns `dataDir` for a consistent snapshot named `name`. False when no
 * process owns it (the caller may then open the directory itself); throws what the owner reports.
 */
export async function askOwnerForSnapshot(dataDir: string, name: string): Promise<boolean> {
  const answer = (await requestOwner(lockAddress(dataDir).address, { ask: 'snapshot', name }, 10 * 60_000)) as { error?: string } | undefined;
  if (answer === undefined) return false;
  if (answer.error) throw new Error(answer.error);
  return true;
}

/** Reads one request line from a connection to the lock and answers it. */
function answerRequests(socket: Socket, owner: DataDirOwner, handler: () => ((request: Exclude<OwnerRequest, { ask: 'who' }>) => Promise<unknown>) | undefined): void {
  let text = '';
  socket.setTimeout(5000, () => socket.destroy());
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    text += chunk.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) {
      if (text.length > MAX_REQUEST_BYTES) socket.destroy();
      return;
    }
    socket.removeAllListeners('data');
    socket.setTimeout(0);
    let request: OwnerRequest;
    try {
      request = JSON.parse(text.slice(0, newline)) as OwnerRequest;
    } catch {
      socket.destroy();
      return;
    }
    const answer = (body: unknown): void => void socket.end(JSON.stringify(body));
    const handle = handler();
    if (request.ask === 'who') answer(owner);
    else if (request.ask === 'snapshot' && typeof request.name === 'string' && handle) {
      handle(request).then(
        () => answer({ ok: true }),
        (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
      );
    } else answer({ error: `This Dynamo Lens process does not answer ${JSON.stringify(request.ask)}.` });
  });
}

/**
 * Takes ownership of `dataDir` (which must exist), or throws DataDirectoryInUseError naming the
 * process that holds it. The lock never keeps the process alive on its own.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const { address, isFile } = lockAddress(dataDir);
  const owner: DataDirOwner = { pid: process.pid, command: process.argv.slice(1).join(' '), startedAt: new Date().toISOString() };
  let handler: Parameters<DataDirLock['onRequest']>[0] | undefined;
  const server = createServer((socket) => answerRequests(socket, owner, () => handler));
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
    onRequest(next) {
      handler = next;
    },
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
