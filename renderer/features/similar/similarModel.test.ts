/**
 * The Similar items search as code: each sample is run against a real endpoint and must return
 * the items the app's own SearchVectors request returns, in the same order. boto3 and the CLI
 * are skipped where the installed versions predate SearchVectors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import { bareAwsEnvironment, commandWorks, runProcess } from '../../../engine/testing/runProcess.ts';
import type { CodeTarget } from '../query/codegen.ts';
import { emptySimilarForm, generateSearch, parseVector, toSearchInput, toSearchSpec, vectorOf, type SearchSpec } from './similarModel.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const boto3HasSearch = commandWorks('python3', ['-c', 'import boto3, sys; sys.exit(0 if "search_vectors" in dir(boto3.client("dynamodb", region_name="us-east-1")) else 1)']);
const cliHasSearch = commandWorks('aws', ['dynamodb', 'search-vectors', 'help']);

describe('similar items: the form, its request and its code (samples run against a real endpoint)', () => {
  let h: Harness;
  let target: CodeTarget;
  let spec: SearchSpec;
  let want: string[];

  before(async () => {
    h = await startHarness();
    target = { region: 'us-east-1', endpointUrl: h.endpoint.url, placeholderCredentials: true };
    await h.engine.handle(
      'CreateTable',
      {
        TableName: 'Docs',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'tenant', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        VectorIndexes: [
          {
            IndexName: 'similar',
            VectorAttribute: { AttributeName: 'embedding' },
            Dimensions: 3,
            DistanceFunction: 'EUCLIDEAN',
            Projection: { ProjectionType: 'ALL' },
            SearchSchema: [{ AttributeName: 'tenant', SearchSchemaElementType: 'HASH' }],
          },
        ],
      },
      CONTEXT,
    );
    for (let i = 0; i < 20; i++) {
      const embedding = { L: [i, i % 3, -i / 2].map((n) => ({ N: String(n) })) };
      await h.engine.handle('PutItem', { TableName: 'Docs', Item: { pk: { S: `doc${i}` }, tenant: { S: i % 2 ? 'odd' : 'even' }, embedding } }, CONTEXT);
    }
    const { Item } = (await h.engine.handle('GetItem', { TableName: 'Docs', Key: { pk: { S: 'doc4' } } }, CONTEXT)) as { Item: Record<string, unknown> };
    const vector = vectorOf(Item, 'embedding')!;
    assert.deepEqual(vector, [4, 1, -2]);
    const form = { ...emptySimilarForm('similar'), topK: 5, condition: 'tenant = :t', values: [{ name: ':t', type: 'S' as const, value: 'even' }] };
    spec = toSearchSpec('Docs', form, vector);
    const output = (await h.engine.handle('SearchVectors', toSearchInput(spec), CONTEXT)) as { SearchResults: { Item: { pk: { S: string } } }[] };
    want = output.SearchResults.map((r) => r.Item.pk.S);
    // The item itself first (distance 0), then four more of tenant "even" only.
    assert.equal(want[0], 'doc4');
    assert.equal(want.length, 5);
    assert.ok(want.every((pk) => Number(pk.slice(3)) % 2 === 0));
  });
  after(() => h?.close());

  test('a pasted vector is a JSON list of numbers', () => {
    assert.deepEqual(parseVector('[0.5, -1, 2e-3]'), [0.5, -1, 0.002]);
    assert.equal(parseVector('0.5, 1'), 'Paste the vector as a JSON list of numbers, e.g. [0.12, -0.5, 0.33]');
    assert.equal(parseVector('["a"]'), 'The vector must be a non-empty JSON list of numbers');
  });

  test('JavaScript (SDK v3 document client)', async () => {
    const code = generateSearch('javascript', spec, target);
    const trailer = '\nprocess.stdout.write("\\n@@" + JSON.stringify(SearchResults.map((r) => r.Item.pk)));\n';
    const run = await runProcess(process.execPath, ['--input-type=module', '-e', code + trailer], { cwd: ROOT, env: bareAwsEnvironment() });
    assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
    assert.deepEqual(JSON.parse(run.stdout.split('\n@@').pop()!), want);
  });

  test('Python boto3 (low-level client)', { skip: boto3HasSearch ? false : 'the installed boto3 has no search_vectors' }, async () => {
    const code = generateSearch('python', spec, target);
    const trailer = '\nimport json\nprint("@@" + json.dumps([r["Item"]["pk"]["S"] for r in response["SearchResults"]]))\n';
    const run = await runProcess('python3', ['-c', code + trailer], { env: bareAwsEnvironment() });
    assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
    assert.deepEqual(JSON.parse(run.stdout.split('@@').pop()!), want);
  });

  test('AWS CLI', { skip: cliHasSearch ? false : 'the installed aws has no search-vectors' }, async () => {
    const line = generateSearch('cli', spec, target);
    const run = await runProcess('sh', ['-c', line], { env: bareAwsEnvironment() });
    assert.equal(run.status, 0, `${line}\n---\n${run.stderr}`);
    const output = JSON.parse(run.stdout) as { SearchResults: { Item: { pk: { S: string } } }[] };
    assert.deepEqual(output.SearchResults.map((r) => r.Item.pk.S), want);
  });
});
