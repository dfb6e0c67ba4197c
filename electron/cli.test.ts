/**
 * `dynamo-lens serve` as a user runs it: the published bin in a real child process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startServe, stop } from './testing/serveProcess.ts';

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

  it('creates --tables from a template and puts --seed items before printing the endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dynamo-lens-cli-'));
    const template = join(dir, 'template.yml');
    writeFileSync(
      template,
      [
        'Resources:',
        '  Sessions:',
        '    Type: AWS::DynamoDB::Table',
        '    Properties:',
        "      TableName: !Sub '${AWS::Region}-sessions'",
        '      BillingMode: PAY_PER_REQUEST',
        '      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]',
        '      KeySchema: [{ AttributeName: id, KeyType: HASH }]',
        '      TimeToLiveSpecification: { AttributeName: expires, Enabled: true }',
      ].join('\n'),
    );
    const seed = join(dir, 'sessions.json');
    writeFileSync(seed, JSON.stringify([{ id: 's1', user: 'ada' }]));
    const { child, info } = await startServe([process.execPath, bin], ['--port', '0', '--in-memory', '--region', 'eu-west-1', '--tables', template, '--seed', `eu-west-1-sessions=${seed}`]);
    const client = new DynamoDBClient({ endpoint: info.endpoint, region: info.region, credentials: info.credentials });
    try {
      assert.equal(info.region, 'eu-west-1');
      const { Item } = await client.send(new GetItemCommand({ TableName: 'eu-west-1-sessions', Key: { id: { S: 's1' } } }));
      assert.deepEqual(Item, { id: { S: 's1' }, user: { S: 'ada' } });
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'eu-west-1-sessions' }));
      assert.equal(ttl.TimeToLiveDescription?.AttributeName, 'expires');
    } finally {
      client.destroy();
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits with status 1 and names the file when --tables cannot be read', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--in-memory', '--tables', '/nonexistent/template.yml'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1);
    assert.match(errors, /dynamo-lens: \/nonexistent\/template\.yml: ENOENT/);
  });
});
