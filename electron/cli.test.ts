/**
 * `dynamo-lens serve` as a user runs it: the published bin in a real child process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const bin = fileURLToPath(new URL('../bin/dynamo-lens.js', import.meta.url));

describe('dynamo-lens serve', () => {
  it('exits with status 1 and says so when the port is taken, leaving the running server alone', async () => {
    const first = spawn(process.execPath, [bin, 'serve', '--port', '0', '--in-memory'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let output = '';
      first.stdout!.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        first.stdout!.on('data', (chunk: string) => {
          output += chunk;
          const match = /endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]);
        });
        first.once('exit', (code) => reject(new Error(`first serve exited with ${code}`)));
      });
      const port = new URL(url).port;
      const second = spawn(process.execPath, [bin, 'serve', '--port', port, '--in-memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      second.stderr!.setEncoding('utf8');
      second.stderr!.on('data', (chunk: string) => (errors += chunk));
      const timer = setTimeout(() => second.kill('SIGKILL'), 10_000);
      const [code] = (await once(second, 'exit')) as [number | null];
      clearTimeout(timer);
      assert.equal(code, 1, 'the second serve exits on its own with status 1');
      assert.match(errors, new RegExp(`port ${port} is already in use`));
      const health = await fetch(`${url}/`);
      assert.equal(await health.text(), 'healthy: dynamodb.us-east-1.amazonaws.com ');
    } finally {
      first.kill('SIGTERM');
      await once(first, 'exit');
    }
  });
});
