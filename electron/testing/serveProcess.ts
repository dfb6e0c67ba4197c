/** Test helper: `dynamo-lens serve` in a child process, as scripts and fixtures start it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { EndpointInfo } from '../publicTypes.ts';

/** Runs `<command> serve --print-endpoint-json <args>` and resolves with that line, parsed. */
export async function startServe(command: string[], args: string[], cwd?: string): Promise<{ child: ChildProcess; info: EndpointInfo }> {
  const child = spawn(command[0], [...command.slice(1), 'serve', '--print-endpoint-json', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`serve exited with ${code} before printing its endpoint:\n${errors}`);
  });
  exited.catch(() => {}); // reported through the race below only; a later exit is the caller's
  const [line] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  return { child, info: JSON.parse(line) as EndpointInfo };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}
