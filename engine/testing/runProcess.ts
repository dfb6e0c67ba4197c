/**
 * Runs a command to completion without blocking the event loop, for tests whose endpoint lives in
 * the test process itself (a spawnSync would starve it). Killed after a minute so a hung sample
 * fails its test rather than the run.
 */
import { spawn, spawnSync } from 'node:child_process';

export function runProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Whether a tool is installed (e.g. `python3 -c "import boto3"`, `aws --version`). */
export function commandWorks(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: 'utf8' }).status === 0;
}

/**
 * The environment of a machine with no AWS configuration: no AWS_* variables, and the shared
 * config and credentials files pointed at nothing. Generated samples must run in it.
 */
export function bareAwsEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
}
