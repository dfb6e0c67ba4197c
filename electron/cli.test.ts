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
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExportTableToPointInTimeCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { startServe as startServeJson, stop as stopServe } from './testing/serveProcess.ts';

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

/** Runs a `dynamo-lens` command to its end: exit status and output. */
async function runCli(args: string[]): Promise<{ code: number | null; out: string; errors: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out, errors };
}

async function putValue(url: string, pk: string, value: string): Promise<void> {
  const client = sdk(url);
  await client.send(new PutItemCommand({ TableName: 'Things', Item: { pk: { S: pk }, value: { S: value } } }));
  client.destroy();
}

async function readKey(url: string, pk: string): Promise<string | undefined> {
  const client = sdk(url);
  const { Item } = await client.send(new GetItemCommand({ TableName: 'Things', Key: { pk: { S: pk } }, ConsistentRead: true }));
  client.destroy();
  return Item?.value?.S;
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
  it('maps S3 buckets to the directory --export-root names', async () => {
    const exportRoot = join(scratch, 'buckets');
    const served = await startServe(['--in-memory', '--export-root', exportRoot]);
    try {
      await createTableWithItem(served.url, 'exported');
      const client = sdk(served.url);
      await client.send(new UpdateContinuousBackupsCommand({ TableName: 'Things', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Things' }));
      const { ExportDescription } = await client.send(new ExportTableToPointInTimeCommand({ TableArn: Table!.TableArn!, S3Bucket: 'my-bucket', S3Prefix: 'daily' }));
      client.destroy();
      const manifest = join(exportRoot, 'my-bucket', ...ExportDescription!.ExportManifest!.split('/'));
      assert.equal((JSON.parse(readFileSync(manifest, 'utf8')) as { itemCount: number }).itemCount, 1);
    } finally {
      await stop(served);
    }
  });

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

  it('takes snapshots while a server runs, restores them into a new directory or, once stopped, the same one', async () => {
    const dataDir = join(scratch, 'snapshotted');
    const fresh = join(scratch, 'restored-copy');
    const server = await startServe(['--data-dir', dataDir]);
    try {
      await createTableWithItem(server.url, 'before the snapshot');
      const created = await runCli(['snapshot', 'create', 'first', '--data-dir', dataDir]);
      assert.equal(created.code, 0, created.errors);
      assert.match(created.out, /^Snapshot first of .* taken at /);
      await putValue(server.url, 'later', 'after the snapshot');

      const listed = await runCli(['snapshot', 'list', '--data-dir', dataDir]);
      assert.match(listed.out, /^first\t\d{4}-\d\d-\d\dT.*\t\d+ bytes\n$/);
      const again = await runCli(['snapshot', 'create', 'first', '--data-dir', dataDir]);
      assert.equal(again.code, 1);
      assert.match(again.errors, /A snapshot named first already exists/);
      const busy = await runCli(['snapshot', 'restore', 'first', '--data-dir', dataDir]);
      assert.equal(busy.code, 1);
      assert.match(busy.errors, /is in use by another Dynamo Lens process .* Stop it before restoring into this directory, or restore into a new one with --to <directory>\./);

      const restored = await runCli(['snapshot', 'restore', 'first', '--data-dir', dataDir, '--to', fresh]);
      assert.equal(restored.code, 0, restored.errors);
    } finally {
      await stop(server);
    }
    const copy = await startServe(['--data-dir', fresh]);
    try {
      assert.equal(await readValue(copy.url), 'before the snapshot');
      assert.equal(await readKey(copy.url, 'later'), undefined, 'the snapshot is the store as it was when taken');
    } finally {
      await stop(copy);
    }

    const inPlace = await runCli(['snapshot', 'restore', 'first', '--data-dir', dataDir]);
    assert.equal(inPlace.code, 0, inPlace.errors);
    const rolledBack = await startServe(['--data-dir', dataDir]);
    try {
      assert.equal(await readKey(rolledBack.url, 'later'), undefined, 'restored in place, the later write is gone');
      assert.equal(await readValue(rolledBack.url), 'before the snapshot');
    } finally {
      await stop(rolledBack);
    }
    const offline = await runCli(['snapshot', 'create', 'second', '--data-dir', dataDir]);
    assert.equal(offline.code, 0, `with no server running the command copies the store itself: ${offline.errors}`);
    for (const name of ['first', 'second']) assert.equal((await runCli(['snapshot', 'delete', name, '--data-dir', dataDir])).code, 0);
    assert.match((await runCli(['snapshot', 'list', '--data-dir', dataDir])).out, /^No snapshots in /);
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
    const { child, info } = await startServeJson([process.execPath, bin], ['--port', '0', '--in-memory', '--region', 'eu-west-1', '--tables', template, '--seed', `eu-west-1-sessions=${seed}`]);
    const client = new DynamoDBClient({ endpoint: info.endpoint, region: info.region, credentials: info.credentials });
    try {
      assert.equal(info.region, 'eu-west-1');
      const { Item } = await client.send(new GetItemCommand({ TableName: 'eu-west-1-sessions', Key: { id: { S: 's1' } } }));
      assert.deepEqual(Item, { id: { S: 's1' }, user: { S: 'ada' } });
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'eu-west-1-sessions' }));
      assert.equal(ttl.TimeToLiveDescription?.AttributeName, 'expires');
    } finally {
      client.destroy();
      await stopServe(child);
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
