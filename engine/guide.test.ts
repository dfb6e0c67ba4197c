/**
 * The DynamoDB guide's examples as a newcomer runs them: its boto3 code (unchanged, pointed at
 * the endpoint through AWS_ENDPOINT_URL) and its `aws` CLI commands. Each part runs where its
 * tool is installed and is skipped, saying so, where it is not.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './testing/harness.ts';

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) => promisify(execFile)(command, args, { env, encoding: 'utf8', timeout: 120_000 });
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the guide’s examples', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  const env = () => ({
    ...process.env,
    AWS_ENDPOINT_URL: h.endpoint.url,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  // The endpoint runs in this process: tools are run asynchronously so it keeps serving them.
  test('boto3 examples', { skip: hasBoto3 ? false : 'python3 with boto3 is not installed' }, async () => {
    const script = join(import.meta.dirname, 'testing', 'guide_boto3.py');
    const result = await run('python3', [script], env()).catch((error: { stdout: string; stderr: string }) => {
      assert.fail(`guide examples failed:\n${error.stdout}\n${error.stderr}`);
    });
    assert.match(result.stdout, /all guide examples passed/);
  });

  test('aws CLI commands', { skip: hasAwsCli ? false : 'the aws CLI is not installed' }, async () => {
    const aws = async (...args: string[]) => (await run('aws', ['dynamodb', ...args, '--endpoint-url', h.endpoint.url, '--output', 'json'], env())).stdout;
    await aws(
      'create-table', '--table-name', 'CliTable',
      '--attribute-definitions', 'AttributeName=PK,AttributeType=S', 'AttributeName=SK,AttributeType=S',
      '--key-schema', 'AttributeName=PK,KeyType=HASH', 'AttributeName=SK,KeyType=RANGE',
      '--billing-mode', 'PAY_PER_REQUEST',
    );
    await aws('put-item', '--table-name', 'CliTable', '--item', '{"PK": {"S": "user001"}, "SK": {"S": "profile"}, "Name": {"S": "John"}}');
    const got = JSON.parse(await aws('get-item', '--table-name', 'CliTable', '--key', '{"PK": {"S": "user001"}, "SK": {"S": "profile"}}'));
    assert.deepEqual(got.Item.Name, { S: 'John' });
    const queried = JSON.parse(await aws('query', '--table-name', 'CliTable', '--key-condition-expression', 'PK = :pk', '--expression-attribute-values', '{":pk": {"S": "user001"}}'));
    assert.equal(queried.Count, 1);
    const scanned = JSON.parse(await aws('scan', '--table-name', 'CliTable'));
    assert.equal(scanned.Count, 1);
    const deleted = JSON.parse(await aws('delete-table', '--table-name', 'CliTable'));
    assert.equal(deleted.TableDescription.TableStatus, 'DELETING');
  });
});
