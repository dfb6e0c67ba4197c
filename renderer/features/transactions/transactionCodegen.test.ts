/**
 * The transaction builder's request and its code samples, run against a real endpoint: the SDK v3
 * sample in a child Node process, boto3 with python3 (skipped without boto3), the CLI line with
 * `aws` (skipped when it is not on PATH). Each starts from the same stored items and must leave
 * exactly what the app's own request leaves, or be cancelled for the same reasons.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import type { TableDescription } from '../items/tableSchema.ts';
import { emptyFilter } from '../query/queryModel.ts';
import type { CodeLanguage, CodeTarget } from '../query/codegen.ts';
import { generateTransaction } from './transactionCodegen.ts';
import { buildTransaction, emptyAction, formFromRequest, type ActionForm, type TransactionForm } from './transactionModel.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3']).status === 0;
const cliVersion = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const hasCli = cliVersion.status === 0;
/** AWS CLI v1 takes blob text as the bytes themselves, where v2 (and the samples) read base64. */
const cliV1 = /aws-cli\/1\./.test(cliVersion.stdout + cliVersion.stderr);

/** Under CLI v1 a binary value arrives base64-encoded once more; undo that to compare the rest. */
function asCliV1Wrote(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asCliV1Wrote);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'B') return { B: Buffer.from(entries[0]![1] as string, 'base64').toString() };
  if (entries.length === 1 && entries[0]![0] === 'BS') return { BS: (entries[0]![1] as string[]).map((b) => Buffer.from(b, 'base64').toString()) };
  return Object.fromEntries(entries.map(([k, v]) => [k, asCliV1Wrote(v)]));
}

/** Runs a sample without blocking: the endpoint answering it lives in this process. */
function runAsync(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
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

const CLI_ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

function run(language: CodeLanguage, code: string) {
  if (language === 'javascript') return runAsync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT });
  if (language === 'python') return runAsync('python3', ['-c', code]);
  return runAsync('sh', ['-c', code], { env: CLI_ENV });
}

const SEED = [
  { TableName: 'Accounts', Item: { pk: { S: 'alice' }, balance: { N: '100' }, status: { S: 'open' }, note: { S: 'to remove' } } },
  { TableName: 'Accounts', Item: { pk: { S: 'bob' }, balance: { N: '5' }, status: { S: 'frozen' } } },
  { TableName: 'Ledger', Item: { pk: { S: 'alice' }, sk: { N: '1' }, amount: { N: '-10' } } },
];

function action(kind: ActionForm['kind'], tableName: string, patch: Partial<ActionForm>): ActionForm {
  return { ...emptyAction(kind, tableName), ...patch };
}

/** Moves 30 from alice, records it with odd values, drops an old ledger entry, and checks bob is not frozen (he is: cancelled). */
function transfer(checkBob: boolean): TransactionForm {
  const actions: ActionForm[] = [
    action('Update', 'Accounts', {
      key: { pk: 'alice' },
      updates: [
        { action: 'ADD', attribute: 'balance', type: 'N', value: '-30' },
        { action: 'SET', attribute: 'status', type: 'S', value: "it's moving" },
        { action: 'REMOVE', attribute: 'note', type: 'S', value: '' },
      ],
      conditions: [{ ...emptyFilter(), attribute: 'balance', operator: '>=', type: 'N', value: '30' }],
    }),
    action('Put', 'Ledger', {
      itemText: JSON.stringify({
        pk: { S: 'alice' },
        sk: { N: '2' },
        amount: { N: '-30.000000000000000000001' },
        tags: { SS: ['a', 'b'] },
        sizes: { NS: ['1', '2.5'] },
        raw: { B: Buffer.from('bytes!').toString('base64') },
        blobs: { BS: [Buffer.from('x').toString('base64')] },
        meta: { M: { by: { S: 'builder' }, ok: { BOOL: true }, none: { NULL: true }, list: { L: [{ N: '1' }, { S: 'two' }] } } },
      }),
      conditions: [{ ...emptyFilter(), attribute: 'pk', operator: 'attribute_not_exists' }],
    }),
    action('Delete', 'Ledger', { key: { pk: 'alice', sk: '1' }, conditions: [{ ...emptyFilter(), attribute: 'amount', operator: '<', type: 'N', value: '0' }] }),
  ];
  if (checkBob) {
    actions.push(
      action('ConditionCheck', 'Accounts', {
        key: { pk: 'bob' },
        conditions: [{ ...emptyFilter(), attribute: 'status', operator: '<>', type: 'S', value: 'frozen' }],
        returnOldOnFailure: true,
      }),
    );
  }
  return { mode: 'write', actions, token: '' };
}

describe('transaction requests and code samples (run against a real endpoint)', () => {
  let h: Harness;
  let target: CodeTarget;
  const tables: Record<string, TableDescription> = {};

  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const name of ['Accounts', 'Ledger']) {
      const scan = (await h.engine.handle('Scan', { TableName: name }, CONTEXT)) as { Items: unknown[] };
      out[name] = scan.Items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return out;
  };
  const reseed = async () => {
    for (const name of ['Accounts', 'Ledger']) {
      const scan = (await h.engine.handle('Scan', { TableName: name }, CONTEXT)) as { Items: Record<string, unknown>[] };
      const keys = tables[name]!.KeySchema.map((k) => k.AttributeName);
      for (const item of scan.Items) await h.engine.handle('DeleteItem', { TableName: name, Key: Object.fromEntries(keys.map((k) => [k, item[k]])) }, CONTEXT);
    }
    for (const put of SEED) await h.engine.handle('PutItem', put, CONTEXT);
  };

  before(async () => {
    h = await startHarness();
    target = { region: 'us-east-1', endpointUrl: h.endpoint.url, placeholderCredentials: true };
    await h.engine.handle(
      'CreateTable',
      { TableName: 'Accounts', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      CONTEXT,
    );
    await h.engine.handle(
      'CreateTable',
      {
        TableName: 'Ledger',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
      CONTEXT,
    );
    for (const name of ['Accounts', 'Ledger']) tables[name] = ((await h.engine.handle('DescribeTable', { TableName: name }, CONTEXT)) as { Table: TableDescription }).Table;
  });
  after(async () => {
    await h?.close();
  });

  describe('a committed transaction across two tables', () => {
    let want: Awaited<ReturnType<typeof snapshot>>;
    before(async () => {
      await reseed();
      const built = buildTransaction(transfer(false), tables);
      assert.deepEqual([built.problems, built.actionProblems], [[], {}]);
      await h.engine.handle(built.operation, built.input!, CONTEXT);
      want = await snapshot();
      assert.equal((want.Ledger as unknown[]).length, 1, 'the builder\'s own request moved the ledger entry');
    });
    beforeEach(reseed);

    for (const [language, skip] of [
      ['javascript', false],
      ['python', hasBoto3 ? false : 'boto3 is not importable'],
      ['cli', hasCli ? false : 'aws is not on PATH'],
    ] as const) {
      test(language, { skip }, async () => {
        // A token of its own per run: the endpoint would answer a repeated token without applying it.
        const built = buildTransaction({ ...transfer(false), token: `codegen-${language}` }, tables);
        const code = generateTransaction(language, built.operation, built.input!, target);
        const result = await run(language, code);
        assert.equal(result.status, 0, `${code}\n---\n${result.stderr}`);
        const after = await snapshot();
        assert.deepEqual(language === 'cli' && cliV1 ? asCliV1Wrote(after) : after, want);
      });
    }
  });

  describe('a cancelled transaction changes nothing and says which action failed', () => {
    beforeEach(reseed);
    for (const [language, skip] of [
      ['javascript', false],
      ['python', hasBoto3 ? false : 'boto3 is not importable'],
      ['cli', hasCli ? false : 'aws is not on PATH'],
    ] as const) {
      test(language, { skip }, async () => {
        const before = await snapshot();
        const built = buildTransaction(transfer(true), tables);
        const code = generateTransaction(language, built.operation, built.input!, target);
        const result = await run(language, code);
        assert.notEqual(result.status, 0);
        const said = result.stdout + result.stderr;
        if (language === 'cli') assert.match(said, /TransactionCanceledException.*\[None, None, None, ConditionalCheckFailed\]/);
        else {
          assert.match(said, /Cancelled[^]*None[^]*None[^]*None[^]*ConditionalCheckFailed/);
          assert.match(said, /frozen/, 'the failed check returns the item as it was');
        }
        assert.deepEqual(await snapshot(), before);
      });
    }
  });

  test('TransactGetItems samples read what the app reads', async () => {
    await reseed();
    const form: TransactionForm = {
      mode: 'get',
      token: '',
      actions: [action('Get', 'Accounts', { key: { pk: 'bob' }, projection: 'balance, status' }), action('Get', 'Ledger', { key: { pk: 'alice', sk: '1' } })],
    };
    const built = buildTransaction(form, tables);
    const own = (await h.engine.handle(built.operation, built.input!, CONTEXT)) as { Responses: { Item: Record<string, unknown> }[] };
    assert.deepEqual(own.Responses[0]!.Item, { balance: { N: '5' }, status: { S: 'frozen' } });
    const js = await run('javascript', generateTransaction('javascript', built.operation, built.input!, target));
    assert.equal(js.status, 0, js.stderr);
    assert.match(js.stdout, /balance: 5, status: 'frozen'/);
    if (hasCli) {
      const cli = await run('cli', generateTransaction('cli', built.operation, built.input!, target));
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(
        (JSON.parse(cli.stdout) as { Responses: unknown[] }).Responses,
        own.Responses,
      );
    }
  });

  test('a request from the history opens as a form that sends the very same request', () => {
    const sent = buildTransaction({ ...transfer(true), token: 'from-history' }, tables);
    const reopened = formFromRequest(sent.operation, sent.input!);
    assert.equal(reopened.token, 'from-history');
    assert.deepEqual(reopened.actions.map((a) => [a.kind, a.tableName, a.key]), [
      ['Update', 'Accounts', { pk: 'alice' }],
      ['Put', 'Ledger', {}],
      ['Delete', 'Ledger', { pk: 'alice', sk: '1' }],
      ['ConditionCheck', 'Accounts', { pk: 'bob' }],
    ]);
    assert.deepEqual(buildTransaction(reopened, tables).input, sent.input);
    const get = buildTransaction({ mode: 'get', token: '', actions: [action('Get', 'Accounts', { key: { pk: 'bob' }, projection: 'balance' })] }, tables);
    assert.deepEqual(buildTransaction(formFromRequest(get.operation, get.input!), tables).input, get.input);
  });

  test('the service\'s limits are checked before sending, in its words, on the action concerned', () => {
    const duplicate = buildTransaction(
      { mode: 'write', token: '', actions: [action('Delete', 'Accounts', { key: { pk: 'bob' } }), action('ConditionCheck', 'Accounts', { key: { pk: 'bob' }, conditions: [{ ...emptyFilter(), attribute: 'pk', operator: 'attribute_exists' }] })] },
      tables,
    );
    assert.equal(duplicate.input, undefined);
    assert.deepEqual(Object.values(duplicate.actionProblems), [['Transaction request cannot include multiple operations on one item']]);
    // One item, its Number key written two ways.
    const sameNumber = buildTransaction({ mode: 'write', token: '', actions: [action('Delete', 'Ledger', { key: { pk: 'a', sk: '1.0' } }), action('Delete', 'Ledger', { key: { pk: 'a', sk: '1' } })] }, tables);
    assert.deepEqual(Object.values(sameNumber.actionProblems), [['Transaction request cannot include multiple operations on one item']]);

    const shapes = buildTransaction(
      {
        mode: 'write',
        token: '',
        actions: [
          action('Delete', 'Accounts', { key: { pk: '' } }),
          action('Delete', 'Ledger', { key: { pk: 'a', sk: 'one' } }),
          action('Put', 'Ledger', { itemText: '{"pk": {"S": "a"}, "sk": {"S": "1"}}' }),
          action('Put', 'Ledger', { itemText: '{"pk": {"S": "a"}}' }),
          action('Update', 'Accounts', { key: { pk: 'x' }, updates: [{ action: 'SET', attribute: 'pk', type: 'S', value: 'y' }] }),
          action('Update', 'Accounts', { key: { pk: 'y' } }),
          action('ConditionCheck', 'Accounts', { key: { pk: 'z' } }),
          action('Delete', 'Missing', { key: {} }),
        ],
      },
      tables,
    );
    assert.deepEqual(Object.values(shapes.actionProblems), [
      ['One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
      ['The parameter cannot be converted to a numeric value: one'],
      ['One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S'],
      ['One or more parameter values were invalid: Missing the key sk in the item'],
      ['One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
      ["1 validation error detected: Value null at 'transactItems.6.member.update.updateExpression' failed to satisfy constraint: Member must not be null"],
      ["1 validation error detected: Value null at 'transactItems.7.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null"],
      ['Requested resource not found: Table: Missing not found'],
    ]);

    const tooMany = buildTransaction({ mode: 'write', token: '', actions: Array.from({ length: 101 }, (_, i) => action('Delete', 'Accounts', { key: { pk: `k${i}` } })) }, tables);
    assert.match(tooMany.problems.join(), /Member must have length less than or equal to 100/);

    const big = 'x'.repeat(390 * 1024);
    const tooBig = buildTransaction(
      { mode: 'write', token: '', actions: Array.from({ length: 11 }, (_, i) => action('Put', 'Accounts', { itemText: JSON.stringify({ pk: { S: `big-${i}` }, data: { S: big } }) })) },
      tables,
    );
    assert.deepEqual(tooBig.problems, ['Transaction request size exceeds the maximum allowed size of 4 MB']);
  });
});
