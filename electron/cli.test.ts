/**
 * `dynamo-lens serve` as a user runs it: the published bin in a real child process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

const bin = fileURLToPath(new URL('../bin/dynamo-lens.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'dynamo-lens-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Served {
  child: ChildProcess;
  url: string;
}

/** Starts `serve` with `args` and resolves once it prints its endpoint. */
async function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (errors += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      const match = /endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${errors}`)));
  });
  return { child, url };
}

/** Runs `serve` expecting it to refuse to start: its exit status and what it wrote to stderr. */
async function refusedServe(args: string[]): Promise<{ code: number | null; errors: string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (errors += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, errors };
}

async function stop(served: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (served.child.exitCode !== null || served.child.signalCode !== null) return;
  served.child.kill(signal);
  await once(served.child, 'exit');
}

function sdk(url: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

async function createTableWithItem(url: string, value: string): Promise<void> {
  const client = sdk(url);
  await client.send(
    new CreateTableCommand({
      TableName: 'Things',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(new PutItemCommand({ TableName: 'Things', Item: { pk: { S: 'a' }, value: { S: value } } }));
  client.destroy();
}

async function readValue(url: string): Promise<string | undefined> {
  const client = sdk(url);
  const { Item } = await client.send(new GetItemCommand({ TableName: 'Things', Key: { pk: { S: 'a' } }, ConsistentRead: true }));
  client.destroy();
  return Item?.value?.S;
}

describe('dynamo-lens serve', () => {
  it('exits with status 1 and says so when the port is taken, leaving the running server alone', async () => {
    const first = await startServe(['--in-memory']);
    try {
      const port = new URL(first.url).port;
      const { code, errors } = await refusedServe(['--port', port, '--in-memory']);
      assert.equal(code, 1, 'the second serve exits on its own with status 1');
      assert.match(errors, new RegExp(`port ${port} is already in use`));
      const health = await fetch(`${first.url}/`);
      assert.equal(await health.text(), 'healthy: dynamodb.us-east-1.amazonaws.com ');
    } finally {
      await stop(first);
    }
  });

  for (const name of ['lens.data', 'My Data v1.2']) {
    it(`keeps its data in a directory named "${name}" across a restart`, async () => {
      const parent = mkdtempSync(join(scratch, 'dotted-'));
      const dataDir = join(parent, name);
      const first = await startServe(['--data-dir', dataDir]);
      await createTableWithItem(first.url, 'kept');
      await stop(first);
      assert.deepEqual(readdirSync(parent), [name], 'nothing is left beside the directory (no stray lock file)');
      assert.ok(existsSync(join(dataDir, 'data.mdb')), 'the store lives inside the directory');
      const second = await startServe(['--data-dir', dataDir]);
      try {
        assert.equal(await readValue(second.url), 'kept');
      } finally {
        await stop(second);
      }
    });
  }

  it('refuses a second process on a data directory another one owns, and starts again after the owner is killed with -9', async () => {
    const dataDir = join(scratch, 'owned');
    const owner = await startServe(['--data-dir', dataDir]);
    try {
      await createTableWithItem(owner.url, 'written by the owner');
      const { code, errors } = await refusedServe(['--port', '0', '--data-dir', dataDir]);
      assert.equal(code, 1);
      assert.match(errors, /data directory .*owned is in use by another Dynamo Lens process/);
      assert.match(errors, new RegExp(`pid ${owner.child.pid}, endpoint ${owner.url.replace(/\./g, '\\.')}`));
      assert.match(errors, /--data-dir <another directory>, or use --in-memory/);
      assert.equal(await readValue(owner.url), 'written by the owner', 'the owner keeps serving');
    } finally {
      await stop(owner, 'SIGKILL');
    }
    // The OS released the lock with the process: no stale lock blocks the next start.
    const next = await startServe(['--data-dir', dataDir]);
    try {
      assert.equal(await readValue(next.url), 'written by the owner');
    } finally {
      await stop(next);
    }
  });
});

describe('dynamo-lens serve with stream triggers', () => {
  it('runs --trigger modules and --triggers file commands on the table\'s stream records', async () => {
    const dir = mkdtempSync(join(scratch, 'triggers-'));
    const seen = join(dir, 'seen.jsonl');
    writeFileSync(join(dir, 'module.mjs'), `import { appendFileSync } from 'node:fs';
      export const handler = async (event, context) => { appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ by: context.functionName, keys: event.Records.map((r) => r.dynamodb.Keys.pk.S) }) + '\\n'); };`);
    writeFileSync(join(dir, 'command.cjs'), `const fs = require('node:fs');
      const event = JSON.parse(fs.readFileSync(0, 'utf8'));
      fs.appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ by: process.env.AWS_LAMBDA_FUNCTION_NAME, keys: event.Records.map((r) => r.dynamodb.Keys.pk.S) }) + '\\n');`);
    const config = join(dir, 'triggers.json');
    writeFileSync(config, JSON.stringify({ triggers: [{ table: 'Things', functionName: 'from-file', handler: `"${process.execPath}" command.cjs` }] }));
    const served = await startServe(['--in-memory', '--trigger', `Things=${join(dir, 'module.mjs')}`, '--triggers', config]);
    const client = sdk(served.url);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'Things',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        }),
      );
      await client.send(new PutItemCommand({ TableName: 'Things', Item: { pk: { S: 'a' } } }));
      const deadline = Date.now() + 15_000;
      // Complete lines only: a handler may be writing the next one.
      const lines = () => (existsSync(seen) ? readFileSync(seen, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as { by: string; keys: string[] }) : []);
      while (lines().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(lines().sort((a, b) => (a.by < b.by ? -1 : 1)), [
        { by: 'Things-trigger', keys: ['a'] },
        { by: 'from-file', keys: ['a'] },
      ]);
    } finally {
      client.destroy();
      await stop(served);
    }
    // Starting and running leave a hand-written file as it was (it is rewritten only on changes).
    assert.deepEqual(JSON.parse(readFileSync(config, 'utf8')), { triggers: [{ table: 'Things', functionName: 'from-file', handler: `"${process.execPath}" command.cjs` }] });
  });
});
