/**
 * The generated samples are run, not just compared with text: the SDK v3 sample in a child Node
 * process, the boto3 sample with python3 (skipped without boto3), the CLI line with `aws`
 * (skipped when it is not on PATH) — each against a real endpoint, and each must return exactly
 * the items the app's own request returns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import { bareAwsEnvironment, commandWorks, runProcess } from '../../../engine/testing/runProcess.ts';
import type { TableDescription } from '../items/tableSchema.ts';
import { generateCli, generateJavaScript, generatePython, shellQuote, type CodeTarget } from './codegen.ts';
import { EMPTY_QUERY_FORM, toInput, toSpec, type QueryForm, type QuerySpec } from './queryModel.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

const hasBoto3 = commandWorks('python3', ['-c', 'import boto3']);
const hasCli = commandWorks('aws', ['--version']);

/** Items reduced to "pk/sk" strings, in order: enough to prove the same items came back. */
type Keys = string[];

describe('query code generation (samples run against a real endpoint)', () => {
  let h: Harness;
  let table: TableDescription;
  let target: CodeTarget;

  before(async () => {
    h = await startHarness();
    target = { region: 'us-east-1', endpointUrl: h.endpoint.url, placeholderCredentials: true };
    await h.engine.handle(
      'CreateTable',
      {
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'total', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'status', KeyType: 'HASH' },
              { AttributeName: 'total', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
      CONTEXT,
    );
    const items = Array.from({ length: 24 }, (_, i) => ({
      pk: { S: `u${i % 3}` },
      sk: { S: `${i % 2 ? 'order' : 'note'}#${String(i).padStart(3, '0')}` },
      status: { S: i % 4 === 0 ? 'open' : 'closed' },
      total: { N: String(i * 5 + 0.25) },
      name: { S: `${i % 5 === 0 ? 'Ada' : 'Bob'} ${i}` },
      size: { N: String(i % 7) },
      active: { BOOL: i % 3 === 0 },
      "it's": { S: i % 2 ? 'x' : 'y' },
      ...(i % 6 === 0 ? { gone: { NULL: true } } : {}),
      profile: { M: { level: { N: String(i % 4) }, tags: { L: [{ S: `t${i % 3}` }, { S: 'x' }] } } },
      'user.email': { S: `u${i}@example.com` },
      code: i % 2 ? { S: String(i).padStart(4, '0') } : { N: String(i) },
    }));
    for (const Item of items) await h.engine.handle('PutItem', { TableName: 'Orders', Item }, CONTEXT);
    const described = (await h.engine.handle('DescribeTable', { TableName: 'Orders' }, CONTEXT)) as { Table: TableDescription };
    table = described.Table;
  });
  after(async () => {
    await h?.close();
  });

  const cases: { title: string; form: Partial<QueryForm>; minimum: number }[] = [
    {
      title: 'Query: begins_with on the sort key, a filter on a reserved word, projection, descending, Limit',
      form: {
        partitionValue: 'u1',
        sortOperator: 'begins_with',
        sortValue: 'order#',
        filters: [{ attribute: 'status', operator: '=', type: 'S', value: 'closed', value2: '' }],
        projection: 'pk, sk, name, status',
        scanIndexForward: false,
        limit: '6',
      },
      minimum: 1,
    },
    {
      title: 'Query on a GSI: BETWEEN on a Number sort key, attribute_exists, an apostrophe in a name',
      form: {
        indexName: 'byStatus',
        partitionValue: 'closed',
        sortOperator: 'BETWEEN',
        sortValue: '10',
        sortValue2: '90.25',
        filters: [
          { attribute: 'name', operator: 'attribute_exists', type: 'S', value: '', value2: '' },
          { attribute: "it's", operator: '<>', type: 'S', value: 'y', value2: '' },
        ],
      },
      minimum: 2,
    },
    {
      title: 'Scan: Number, Boolean, begins_with and NULL filters',
      form: {
        operation: 'Scan',
        filters: [
          { attribute: 'size', operator: '>=', type: 'N', value: '2', value2: '' },
          { attribute: 'active', operator: '=', type: 'BOOL', value: 'false', value2: '' },
          { attribute: 'name', operator: 'begins_with', type: 'S', value: 'B', value2: '' },
          { attribute: 'gone', operator: '<>', type: 'NULL', value: '', value2: '' },
        ],
      },
      minimum: 3,
    },
  ];

  cases.push(
    {
      title: 'Scan: nested paths, IN, size and attribute_type joined by OR',
      form: {
        operation: 'Scan',
        filterJoin: 'OR',
        filters: [
          { attribute: 'profile.tags[0]', operator: 'IN', type: 'S', value: 't1, "not, this"', value2: '' },
          { attribute: 'name', size: true, operator: 'BETWEEN', type: 'S', value: '6', value2: '6' },
          { attribute: 'code', operator: 'attribute_type', type: 'S', value: 'N', value2: '' },
          { attribute: 'profile.level', operator: '>=', type: 'N', value: '3', value2: '' },
        ],
      },
      minimum: 12,
    },
    {
      title: 'Scan: a String that looks like a number, a quoted dotted name, size <> (strings for boto3)',
      form: {
        operation: 'Scan',
        filters: [
          { attribute: 'code', operator: '<', type: 'S', value: '0015', value2: '' },
          { attribute: '"user.email"', operator: 'begins_with', type: 'S', value: 'u1', value2: '' },
          { attribute: 'profile.tags', size: true, operator: '<>', type: 'N', value: '3', value2: '' },
        ],
      },
      minimum: 3,
    },
  );

  async function expected(spec: QuerySpec): Promise<Keys> {
    const output = (await h.engine.handle(spec.operation, toInput(spec), CONTEXT)) as { Items: Record<string, { S?: string }>[] };
    return output.Items.map((i) => `${i.pk?.S}/${i.sk?.S}`);
  }

  for (const c of cases) {
    describe(c.title, () => {
      let spec: QuerySpec;
      let want: Keys;
      before(async () => {
        spec = toSpec(table, { ...EMPTY_QUERY_FORM, ...c.form });
        want = await expected(spec);
        assert.ok(want.length >= c.minimum, `the case should match at least ${c.minimum} items, matched ${want.length}`);
      });

      test('SDK for JavaScript v3 (document client)', async () => {
        const code = generateJavaScript(spec, target);
        assert.match(code, /DynamoDBDocumentClient/);
        const trailer = '\nprocess.stdout.write("\\n@@" + JSON.stringify(Items.map((i) => `${i.pk}/${i.sk}`)));\n';
        const run = await runProcess(process.execPath, ['--input-type=module', '-e', code + trailer], { cwd: ROOT, env: bareAwsEnvironment() });
        assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
        assert.deepEqual(JSON.parse(run.stdout.split('\n@@').pop()!), want);
      });

      test('Python boto3 (resource API, Key/Attr conditions)', { skip: hasBoto3 ? false : 'boto3 is not importable' }, async () => {
        const code = generatePython(spec, target);
        const trailer = '\nimport json\nprint("@@" + json.dumps([f"{i.get(\'pk\')}/{i.get(\'sk\')}" for i in items]))\n';
        const run = await runProcess('python3', ['-c', code + trailer], { env: bareAwsEnvironment() });
        assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
        assert.deepEqual(JSON.parse(run.stdout.split('@@').pop()!), want);
      });

      test('AWS CLI', { skip: hasCli ? false : 'aws is not on PATH' }, async () => {
        const line = generateCli(spec, target);
        // As on a machine with no AWS configuration: the line must bring its own credentials.
        const run = await runProcess('sh', ['-c', line], { env: bareAwsEnvironment() });
        assert.equal(run.status, 0, `${line}\n---\n${run.stderr}`);
        const output = JSON.parse(run.stdout) as { Items: Record<string, { S?: string }>[] };
        assert.deepEqual(
          output.Items.map((i) => `${i.pk?.S}/${i.sk?.S}`),
          want,
        );
      });
    });
  }

  describe('paging loop: every page, following LastEvaluatedKey', () => {
    // Limit 5 on a Scan of 24 items (and a Query of 8) forces several pages.
    const pagedForms: Partial<QueryForm>[] = [{ operation: 'Scan', limit: '5' }, { partitionValue: 'u1', limit: '3' }];
    async function everyPage(spec: QuerySpec): Promise<Keys> {
      const keys: Keys = [];
      let start: unknown;
      do {
        const output = (await h.engine.handle(spec.operation, { ...toInput(spec), ...(start ? { ExclusiveStartKey: start } : {}) }, CONTEXT)) as {
          Items: Record<string, { S?: string }>[];
          LastEvaluatedKey?: unknown;
        };
        keys.push(...output.Items.map((i) => `${i.pk?.S}/${i.sk?.S}`));
        start = output.LastEvaluatedKey;
      } while (start);
      return keys;
    }
    for (const form of pagedForms) {
      test(`JavaScript, ${form.operation ?? 'Query'}`, async () => {
        const spec = toSpec(table, { ...EMPTY_QUERY_FORM, ...form });
        const want = await everyPage(spec);
        assert.ok(want.length > spec.limit!, 'more than one page');
        const code = generateJavaScript(spec, target, { paging: true });
        const trailer = '\nprocess.stdout.write("\\n@@" + JSON.stringify(items.map((i) => `${i.pk}/${i.sk}`)));\n';
        const run = await runProcess(process.execPath, ['--input-type=module', '-e', code + trailer], { cwd: ROOT, env: bareAwsEnvironment() });
        assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
        assert.deepEqual(JSON.parse(run.stdout.split('\n@@').pop()!), want);
      });
      test(`Python boto3, ${form.operation ?? 'Query'}`, { skip: hasBoto3 ? false : 'boto3 is not importable' }, async () => {
        const spec = toSpec(table, { ...EMPTY_QUERY_FORM, ...form });
        const want = await everyPage(spec);
        const code = generatePython(spec, target, { paging: true });
        const trailer = '\nimport json\nprint("@@" + json.dumps([f"{i.get(\'pk\')}/{i.get(\'sk\')}" for i in items]))\n';
        const run = await runProcess('python3', ['-c', code + trailer], { env: bareAwsEnvironment() });
        assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
        assert.deepEqual(JSON.parse(run.stdout.split('@@').pop()!), want);
      });
    }
  });

  describe('38-digit numbers read back with every digit', () => {
    const big = '12345678901234567890123456789012345678';
    let spec: QuerySpec;
    before(async () => {
      await h.engine.handle('PutItem', { TableName: 'Orders', Item: { pk: { S: 'big' }, sk: { S: 'n' }, amount: { N: big } } }, CONTEXT);
      spec = toSpec(table, { ...EMPTY_QUERY_FORM, partitionValue: 'big' });
    });
    test('JavaScript (NumberValue through wrapNumbers)', async () => {
      const code = generateJavaScript(spec, target);
      assert.match(code, /wrapNumbers: true/);
      const trailer = '\nprocess.stdout.write("\\n@@" + String(Items[0].amount));\n';
      const run = await runProcess(process.execPath, ['--input-type=module', '-e', code + trailer], { cwd: ROOT, env: bareAwsEnvironment() });
      assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
      assert.equal(run.stdout.split('\n@@').pop(), big);
    });
    test('Python boto3 (Decimal)', { skip: hasBoto3 ? false : 'boto3 is not importable' }, async () => {
      const code = generatePython(spec, target);
      const run = await runProcess('python3', ['-c', code + '\nprint("@@" + str(items[0]["amount"]))\n'], { env: bareAwsEnvironment() });
      assert.equal(run.status, 0, `${code}\n---\n${run.stderr}`);
      assert.equal(run.stdout.split('@@').pop()!.trim(), big);
    });
  });

  test('every attribute name is aliased, so reserved words and odd characters never reach an expression', () => {
    const spec = toSpec(table, { ...EMPTY_QUERY_FORM, operation: 'Scan', projection: 'name, size', filters: [{ attribute: 'status', operator: '=', type: 'S', value: 'open', value2: '' }] });
    const input = toInput(spec);
    assert.equal(input.FilterExpression, '#n0 = :v0');
    assert.equal(input.ProjectionExpression, '#n1, #n2');
    assert.deepEqual(input.ExpressionAttributeNames, { '#n0': 'status', '#n1': 'name', '#n2': 'size' });
  });

  test('large and long-fraction numbers keep their digits in JavaScript through NumberValue', () => {
    const spec = toSpec(table, {
      ...EMPTY_QUERY_FORM,
      operation: 'Scan',
      filters: [
        { attribute: 'a', operator: '=', type: 'N', value: '12345678901234567890', value2: '' },
        { attribute: 'b', operator: '=', type: 'N', value: '1.5', value2: '' },
        { attribute: 'c', operator: '=', type: 'N', value: '30.000000000000000000001', value2: '' },
      ],
    });
    const code = generateJavaScript(spec, target);
    assert.match(code, /":v0": NumberValue\.from\("12345678901234567890"\)/);
    assert.match(code, /":v1": 1\.5/);
    assert.match(code, /":v2": NumberValue\.from\("30\.000000000000000000001"\)/, 'a long fraction that rounds to an integer keeps its digits');
    assert.match(code, /import \{ DynamoDBDocumentClient, ScanCommand, NumberValue \}/);
  });

  test('the form is checked before anything is sent', () => {
    assert.throws(() => toSpec(table, { ...EMPTY_QUERY_FORM }), /partition key pk/);
    assert.throws(() => toSpec(table, { ...EMPTY_QUERY_FORM, partitionValue: 'u1', limit: '0' }), /Limit/);
    assert.throws(
      () => toSpec(table, { ...EMPTY_QUERY_FORM, operation: 'Scan', filters: [{ attribute: 'n', operator: '=', type: 'N', value: 'abc', value2: '' }] }),
      /not a number/,
    );
  });

  test('paths, IN lists and attribute_type names are read and checked before anything is sent', () => {
    const scan = (filters: QueryForm['filters']) => toInput(toSpec(table, { ...EMPTY_QUERY_FORM, operation: 'Scan', filters }));
    const row = { operator: '=' as const, type: 'S' as const, value: 'v', value2: '' };
    const input = scan([{ ...row, attribute: 'a.b[0][12]."c.d"' }]);
    assert.equal(input.FilterExpression, '#n0.#n1[0][12].#n2 = :v0');
    assert.deepEqual(input.ExpressionAttributeNames, { '#n0': 'a', '#n1': 'b', '#n2': 'c.d' });
    for (const [attribute, message] of [
      ['a..b', /Path "a\.\.b": an attribute name is missing/],
      ['a[x]', /list index/],
      ['.a', /an attribute name is missing/],
      ['"a', /no closing "/],
      ['a"b"', /expected "\." or "\["/],
      [Array.from({ length: 33 }, () => 'p').join('.'), /32 levels/],
    ] as const) {
      assert.throws(() => scan([{ ...row, attribute }]), message, attribute);
    }
    assert.deepEqual(scan([{ ...row, attribute: 'n', operator: 'IN', type: 'N', value: '1, 2,3' }]).ExpressionAttributeValues, { ':v0': { N: '1' }, ':v1': { N: '2' }, ':v2': { N: '3' } });
    assert.throws(() => scan([{ ...row, attribute: 'n', operator: 'IN', value: Array.from({ length: 101 }, (_, i) => i).join(',') }]), /at most 100 values/);
    assert.throws(() => scan([{ ...row, attribute: 'n', operator: 'attribute_type', value: 'X' }]), /attribute_type takes one of S, SS/);
    assert.throws(() => scan([{ ...row, attribute: 'n', size: true, operator: 'begins_with' }]), /size\(n\) is a number/);
    assert.throws(() => scan([{ ...row, attribute: 'n', size: true, value: 'abc' }]), /size\(n\): "abc" is not a number/);
  });

  test('shell quoting survives apostrophes', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('Orders'), 'Orders');
  });
});
