/**
 * Child processes for the bench: each server pinned to core 1 and each load generator to core 0,
 * so the two never compete for a core (the machine has two). Without `taskset` the bench still
 * runs, unpinned, and says so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

export const SERVER_CORE = '1';
export const LOAD_CORE = '0';

export const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** The command line that runs `args` on one core (or unpinned when taskset is missing). */
export function pinned(core: string, command: string, args: string[]): [string, string[]] {
  return HAS_TASKSET ? ['taskset', ['-c', core, command, ...args]] : [command, args];
}

/** Node with tsx, for the bench's own TypeScript children. */
export function tsNode(script: string, extraNodeArgs: string[] = []): [string, string[]] {
  return [process.execPath, [...extraNodeArgs, '--import', 'tsx', join(BENCH_DIR, script)]];
}

export type TargetKind = 'bare' | 'dynalite' | 'lens-memory' | 'lens-lmdb';

export interface RunningTarget {
  kind: TargetKind;
  host: string;
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errText = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 20 s: ${text}${errText}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (errText += chunk));
    child.stdout!.on('data', (chunk: string) => {
      text += chunk;
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready: ${text}${errText}`));
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startTarget(kind: TargetKind): Promise<RunningTarget> {
  let command: [string, string[]];
  let dataDir: string | undefined;
  if (kind === 'bare') command = tsNode('bareServer.ts');
  else if (kind === 'dynalite') command = tsNode('dynaliteServer.ts');
  else {
    const storage = kind === 'lens-memory' ? ['--in-memory'] : ['--data-dir', (dataDir = mkdtempSync(join(tmpdir(), 'dynamo-lens-bench-')))];
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the endpoint under load.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    command = [process.execPath, [...nodeArgs, join(REPO_ROOT, 'bin/dynamo-lens.js'), 'serve', '--port', '0', ...storage]];
  }
  const [file, args] = pinned(SERVER_CORE, command[0], command[1]);
  const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const match = await waitForLine(child, /(?:listening |Dynamo Lens endpoint: http:\/\/127\.0\.0\.1:)(\d+)/, kind);
  const port = Number(match[1]);
  return {
    kind,
    host: '127.0.0.1',
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      await stopChild(child);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** CPU time (user + system) a process has used so far, in clock ticks; 0 where /proc is missing. */
function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * Waits until every server sharing the server core has gone quiet (under 2% of the core over
 * 250 ms), or 10 s have passed. A server keeps working for a while after its load stops (garbage
 * collection, dynalite's LevelDB housekeeping); measured straight after, the next server would
 * share the core with it and read slower than it is.
 */
export async function waitForQuiet(children: ChildProcess[]): Promise<void> {
  const windowMs = 250;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const before = children.reduce((sum, child) => sum + cpuTicks(child.pid), 0);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = children.reduce((sum, child) => sum + cpuTicks(child.pid), 0) - before;
    // Clock ticks are 10 ms: at most one tick in 250 ms is under 4%, the best /proc can resolve.
    if (used <= 1) return;
  }
}

/** Runs a TypeScript child pinned to `core`, writes `input` to its stdin and parses its last stdout line as JSON. */
export function runJsonChild<T>(core: string, command: [string, string[]], input: unknown): Promise<T> {
  const [file, args] = pinned(core, command[0], command[1]);
  const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (out += chunk));
  child.stdin!.end(JSON.stringify(input));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last) as T);
      } catch (error) {
        reject(new Error(`${command[1].join(' ')} failed (${(error as Error).message}): ${out.slice(-500)}`));
      }
    });
  });
}
