/**
 * The update builder's request and samples against a real endpoint: the app's own UpdateItem
 * (toUpdateInput) sets the expected item; the SDK v3 sample (child Node process), the boto3 sample
 * (skipped without boto3) and the CLI line (skipped without `aws`), each run on a machine with no
 * AWS configuration, must leave exactly that item — or, when the condition fails, fail and leave
 * the item as it was.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import { bareAwsEnvironment, commandWorks, runProcess } from '../../../engine/testing/runProcess.ts';
import type { CodeTarget } from '../query/codegen.ts';
import type { TableDescription } from '../items/tableSchema.ts';
import { updateCli, updateJavaScript, updatePython } from './updateCodegen.ts';
import { parsePath, type FilterRow } from '../query/queryModel.ts';
import { emptyUpdateRow, toUpdateInput, toUpdateSpec, updateExpressionsOf, type UpdateRow, type UpdateSpec } from './updateModel.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const hasBoto3 = commandWorks('python3', ['-c', 'import boto3']);
const hasCli = commandWorks('aws', ['--version']);
/**
 * AWS CLI v1 reads a blob inside a JSON parameter as raw text; v2 reads it as base64, which is
 * what the generated line (like DynamoDB JSON everywhere) carries. Binary values need v2.
 */
const cliVersion = hasCli ? spawnSync('aws', ['--version'], { encoding: 'utf8' }) : undefined;
const cliReadsBase64 = cliVersion !== undefined && !/^aws-cli\/1\./.test(`${cliVersion.stdout}${cliVersion.stderr}`);
const BIG = '12345678901234567890123456789012345678';

const BASE_ITEM = {
  pk: { S: 'p1' },
  name: { S: 'Ada' },
  status: { S: 'active' },
  visits: { N: '3' },
  tags: { SS: ['a', 'b'] },
  address: { M: { city: { S: 'London' }, lines: { L: [{ S: '1 Main St' }, { S: 'Flat 2' }] } } },
  history: { L: [{ S: 'x' }] },
};

/** Sets are unordered in DynamoDB: compare them sorted. */
function sortedSets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedSets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ['SS', 'NS', 'BS'].includes(k) ? [...(v as string[])].sort() : sortedSets(v)]));
}

const row = (patch: Partial<UpdateRow>): UpdateRow => ({ ...emptyUpdateRow(), ...patch });
const condition = (patch: Partial<FilterRow>): FilterRow => ({ attribute: '', operator: '=', type: 'S', value: '', value2: '', ...patch });

describe('update builder: UpdateItem and its code samples against a real endpoint', () => {
  let h: Harness;
  let table: TableDescription;
  let target: CodeTarget;
  const getItem = async () => sortedSets(((await h.engine.handle('GetItem', { TableName: 'Profiles', Key: { pk: { S: 'p1' } }, ConsistentRead: true }, CONTEXT)) as { Item?: unknown }).Item);
  const reset = () => h.engine.handle('PutItem', { TableName: 'Profiles', Item: BASE_ITEM }, CONTEXT);

  before(async () => {
    h = await startHarness();
    target = { region: 'us-east-1', endpointUrl: h.endpoint.url, placeholderCredentials: true };
    await h.engine.handle(
      'CreateTable',
      { TableName: 'Profiles', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      CONTEXT,
    );
    table = ((await h.engine.handle('DescribeTable', { TableName: 'Profiles' }, CONTEXT)) as { Table: TableDescription }).Table;
  });
  after(async () => {
    await h?.close();
  });

  const cases: { title: string; rows: UpdateRow[]; conditions: FilterRow[]; conditionFails?: boolean; binary?: boolean }[] = [
    {
      title: 'SET on nested paths, list_append, if_not_exists, a 38-digit number, REMOVE and ADD under a condition',
      rows: [
        row({ path: 'address.city', value: 'Paris' }),
        row({ path: 'address.lines[0]', value: '2 Rue de Rivoli' }),
        row({ path: 'history', mode: 'list_append', type: 'JSON', value: '{"L": [{"S": "y"}, {"N": "2"}]}' }),
        row({ path: 'nickname', mode: 'if_not_exists', value: 'Countess' }),
        row({ path: 'amount', type: 'N', value: BIG }),
        row({ action: 'REMOVE', path: 'name' }),
        row({ action: 'ADD', path: 'visits', type: 'N', value: '2' }),
        row({ action: 'ADD', path: 'tags', type: 'JSON', value: '{"SS": ["c"]}' }),
      ],
      conditions: [condition({ attribute: 'status', value: 'active' }), condition({ attribute: 'visits', operator: '>=', type: 'N', value: '1' })],
    },
    {
      title: 'DELETE from a set, list_append in front, if_not_exists on a present attribute, odd names, maps, number and binary sets',
      rows: [
        row({ action: 'DELETE', path: 'tags', type: 'JSON', value: '{"SS": ["a"]}' }),
        row({ path: 'history', mode: 'list_prepend', type: 'JSON', value: '{"L": [{"BOOL": true}]}' }),
        row({ path: 'status', mode: 'if_not_exists', value: 'ignored' }),
        row({ path: "it's a map", type: 'JSON', value: '{"M": {"k": {"NULL": true}}}' }),
        row({ path: 'scores', type: 'JSON', value: `{"NS": ["1.5", "${BIG}"]}` }),
        row({ path: 'blobs', type: 'JSON', value: '{"BS": ["AAEC", "/w=="]}' }),
        row({ path: 'flag', type: 'BOOL', value: 'false' }),
        row({ path: 'nothing', type: 'NULL' }),
        row({ action: 'REMOVE', path: 'address.lines[1]' }),
      ],
      conditions: [condition({ attribute: 'pk', operator: 'attribute_exists' })],
      binary: true,
    },
    {
      title: 'a condition that does not hold changes nothing',
      rows: [row({ path: 'name', value: 'Grace' })],
      conditions: [condition({ attribute: 'status', value: 'archived' })],
      conditionFails: true,
    },
  ];

  for (const c of cases) {
    describe(c.title, () => {
      let spec: UpdateSpec;
      let want: unknown;
      before(async () => {
        spec = toUpdateSpec(table, { pk: { S: 'p1' } }, c.rows, c.conditions);
        await reset();
        if (c.conditionFails) {
          await assert.rejects(h.engine.handle('UpdateItem', toUpdateInput(spec), CONTEXT), { code: 'ConditionalCheckFailedException' });
          want = sortedSets(BASE_ITEM);
        } else {
          const output = (await h.engine.handle('UpdateItem', toUpdateInput(spec), CONTEXT)) as { Attributes: unknown };
          want = await getItem();
          assert.deepEqual(sortedSets(output.Attributes), want, 'ALL_NEW returns the item as stored');
          assert.notDeepEqual(want, sortedSets(BASE_ITEM));
        }
      });
      beforeEach(reset);

      const check = async (code: string, run: { status: number | null; stderr: string }) => {
        if (c.conditionFails) {
          assert.notEqual(run.status, 0, code);
          assert.match(run.stderr, /ConditionalCheckFailed/);
        } else {
          assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
        }
        assert.deepEqual(await getItem(), want);
      };

      test('SDK for JavaScript v3 (document client)', async () => {
        const code = updateJavaScript(spec, target);
        await check(code, await runProcess(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env: bareAwsEnvironment() }));
      });
      test('Python boto3 (resource API)', { skip: hasBoto3 ? false : 'boto3 is not importable' }, async () => {
        const code = updatePython(spec, target);
        await check(code, await runProcess('python3', ['-c', code], { env: bareAwsEnvironment() }));
      });
      const cliSkip = !hasCli ? 'aws is not on PATH' : c.binary && !cliReadsBase64 ? 'AWS CLI v1 reads blobs in JSON as raw text; the line is written for v2' : false;
      test('AWS CLI', { skip: cliSkip }, async () => {
        const line = updateCli(spec, target);
        await check(line, await runProcess('sh', ['-c', line], { env: bareAwsEnvironment() }));
      });
    });
  }

  test('the expression names every path element through an alias and keeps list indexes', () => {
    const spec = toUpdateSpec(table, { pk: { S: 'p1' } }, [row({ path: 'address.lines[0]', value: 'x' }), row({ action: 'REMOVE', path: 'name' })], [condition({ attribute: 'status', value: 'active' })]);
    const e = updateExpressionsOf(spec);
    assert.equal(e.update, 'SET #n0.#n1[0] = :u0 REMOVE #n2');
    assert.equal(e.condition, '#n3 = :v0');
    assert.deepEqual(e.names, { '#n0': 'address', '#n1': 'lines', '#n2': 'name', '#n3': 'status' });
    assert.deepEqual(e.values, { ':u0': { S: 'x' }, ':v0': { S: 'active' } });
  });

  test('paths and values are checked before anything is sent', () => {
    assert.deepEqual(parsePath('a.b[12].c'), [{ name: 'a' }, { name: 'b' }, { index: 12 }, { name: 'c' }]);
    assert.throws(() => parsePath('[0]'), /must start with an attribute name/);
    assert.throws(() => parsePath('a..b'), /an attribute name is missing/);
    assert.throws(() => parsePath('a[x]'), /list index/);
    assert.throws(() => parsePath('a[0]b'), /expected "\." or "\["/);
    assert.throws(() => parsePath(Array.from({ length: 33 }, () => 'a').join('.')), /32 levels/);
    assert.throws(() => toUpdateSpec(table, {}, [row({ path: 'n', type: 'N', value: '1'.repeat(39) })], []), /more than 38 significant digits/);
    assert.throws(() => toUpdateSpec(table, {}, [row({ path: 'j', type: 'JSON', value: '{"SS": []}' })], []), /non-empty list/);
    assert.throws(() => toUpdateSpec(table, {}, [], []), /at least one action/);
  });
});
