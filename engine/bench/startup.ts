/**
 * Start-up time: from spawning a server's CLI until a TCP connection to its port succeeds, the
 * moment a client could first talk to it. Both CLIs run pinned to the server core.
 */
import { spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pinned, REPO_ROOT, SERVER_CORE, stopChild } from './processes.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function timeOneStart(command: (port: number) => string[]): Promise<number> {
  const port = await freePort();
  const [file, args] = pinned(SERVER_CORE, process.execPath, command(port));
  const started = performance.now();
  const child = spawn(file, args, { cwd: REPO_ROOT, stdio: 'ignore' });
  try {
    for (;;) {
      if (await tryConnect(port)) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before listening`);
      if (performance.now() - started > 20_000) throw new Error(`${args.join(' ')} did not listen within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await stopChild(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export interface StartupResult {
  lensMs: number;
  dynaliteMs: number;
  lensRunsMs: number[];
  dynaliteRunsMs: number[];
}

export async function measureStartup(runs = 5): Promise<StartupResult> {
  const lens = (port: number) => [join(REPO_ROOT, 'bin/dynamo-lens.js'), 'serve', '--port', String(port), '--in-memory'];
  const dynalite = (port: number) => [join(REPO_ROOT, 'node_modules/dynalite/cli.js'), '--port', String(port)];
  const lensRunsMs: number[] = [];
  const dynaliteRunsMs: number[] = [];
  // Alternate the two so a slow moment of the machine does not land on one side only.
  for (let i = 0; i < runs; i++) {
    lensRunsMs.push(await timeOneStart(lens));
    dynaliteRunsMs.push(await timeOneStart(dynalite));
  }
  return { lensMs: median(lensRunsMs), dynaliteMs: median(dynaliteRunsMs), lensRunsMs, dynaliteRunsMs };
}
