/**
 * The generated code is run, not compared with text: every access pattern's JavaScript sample in
 * one Node process, its boto3 sample in one Python process (skipped without boto3), and the typed
 * TypeScript module type-checked with tsc and run through tsx, all against a real endpoint. Reads
 * must return exactly the items the app's own request returns; writes must leave the items as the
 * app's own requests leave a copy of the table.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AccessPattern, DataModel, Item, ModelTable } from '../../../electron/contract.ts';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import { bareAwsEnvironment, commandWorks, runProcess } from '../../../engine/testing/runProcess.ts';
import { BUILTIN_MODELS } from '../../shared/modeler/builtinModels.ts';
import { buildAccessPatternRequest, createTableRequest, transactionSteps } from '../../shared/modeler/requests.ts';
import { generateSampleItems, runParameters, type SampleItem } from '../../shared/modeler/sampleData.ts';
import type { CodeTarget } from '../query/codegen.ts';
import { accessPatternJavaScript, accessPatternPython, dataAccessModule, jsName } from './modelCodegen.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const SEED = 5;
const hasBoto3 = commandWorks('python3', ['-c', 'import boto3']);
const READS = new Set(['GetItem', 'Query', 'Scan']);
/** Models whose every pattern is run: orders (Put, Update, BETWEEN), SaaS (Delete, email on a GSI), IoT (a Number LSI key, TTL). */
const MODELS = BUILTIN_MODELS.filter((m) => ['E-commerce orders', 'Multi-tenant SaaS', 'IoT time series'].includes(m.name));

describe('model code generation (run against a real endpoint)', () => {
  let h: Harness;
  let target: CodeTarget;
  let dir: string;
  const samples = new Map<string, SampleItem[]>();

  const handle = (operation: string, input: Record<string, unknown>) => h.engine.handle(operation, input, CONTEXT) as Promise<Record<string, unknown>>;
  const keyText = (table: ModelTable, item: Item | undefined) => (item ? `${JSON.stringify(item[table.partitionKey.name])}/${JSON.stringify(item[table.sortKey?.name ?? ''] ?? null)}` : '');
  const parametersOf = (table: ModelTable, pattern: AccessPattern) => runParameters(table, pattern, samples.get(table.name)!);
  /**
   * Each table four times, seeded alike: as named (the module's reads), one each for the JavaScript
   * and the Python samples, and `…Expected`, where the app's own requests run.
   */
  const copy = (table: ModelTable, suffix: '' | 'Js' | 'Py' | 'Expected'): ModelTable => ({ ...table, name: `${table.name}${suffix}` });
  const COPIES = ['', 'Js', 'Py', 'Expected'] as const;
  /** What each read returned on the expected copy before any write, by "Table: pattern". */
  const expectedReads: Record<string, string[]> = {};

  /** Plain keys of an item as the generated code prints them ("pk/sk"), for comparing reads. */
  const plainKey = (table: ModelTable, item: Item) => `${Object.values(item[table.partitionKey.name]!)[0]}/${table.sortKey ? Object.values(item[table.sortKey.name]!)[0] : ''}`;
  /** The items the write patterns touch, in a sample's copy and in the expected copy. */
  const writtenItems = async (table: ModelTable, suffix: 'Js' | 'Py') => {
    const result: { actual: Record<string, unknown>; expected: Record<string, unknown> } = { actual: {}, expected: {} };
    /** The keys a write touches; a transaction's, those of its steps with its parameters. */
    const keysOf = (pattern: AccessPattern, parameters: Record<string, string>): Item[] => {
      if (pattern.operation === 'TransactWriteItems') return transactionSteps(table, pattern).flatMap((step) => keysOf(step, parameters));
      const request = buildAccessPatternRequest(table, pattern, parameters);
      return [(request.input.Key ?? Object.fromEntries([table.partitionKey.name, table.sortKey?.name].flatMap((k) => (k ? [[k, (request.input.Item as Item)[k]]] : [])))) as Item];
    };
    for (const pattern of table.accessPatterns.filter((p) => !READS.has(p.operation))) {
      for (const key of keysOf(pattern, parametersOf(table, pattern))) {
        for (const [name, into] of [[copy(table, suffix).name, result.actual], [copy(table, 'Expected').name, result.expected]] as const) {
          into[`${pattern.name} ${keyText(table, key)}`] = ((await handle('GetItem', { TableName: name, Key: key })) as { Item?: Item }).Item ?? null;
        }
      }
    }
    return result;
  };

  before(async () => {
    h = await startHarness();
    target = { region: 'us-east-1', endpointUrl: h.endpoint.url, placeholderCredentials: true };
    // Inside the checkout, so the generated code's imports resolve to this project's SDK.
    dir = await mkdtemp(join(ROOT, '.modeler-codegen-'));
    for (const model of MODELS) {
      for (const table of model.tables) {
        samples.set(table.name, generateSampleItems(table, { seed: SEED }));
        for (const suffix of COPIES) {
          const name = copy(table, suffix).name;
          await handle('CreateTable', createTableRequest(copy(table, suffix)));
          const items = samples.get(table.name)!;
          for (let i = 0; i < items.length; i += 25) {
            await handle('BatchWriteItem', { RequestItems: { [name]: items.slice(i, i + 25).map(({ item }) => ({ PutRequest: { Item: item } })) } });
          }
          // A Delete must find its item: put the one each Delete pattern removes.
          for (const pattern of table.accessPatterns.filter((p) => p.operation === 'DeleteItem')) {
            const key = buildAccessPatternRequest(table, pattern, parametersOf(table, pattern)).input.Key as Item;
            await handle('PutItem', { TableName: name, Item: { ...key, note: { S: 'to be deleted' } } });
          }
        }
        // The app's own requests on the expected copy, in the run's order: reads, then writes.
        const expected = copy(table, 'Expected');
        for (const pattern of table.accessPatterns.filter((p) => READS.has(p.operation))) {
          const request = buildAccessPatternRequest(expected, pattern, parametersOf(table, pattern));
          const output = await handle(request.operation, request.input);
          const items = pattern.operation === 'GetItem' ? (output.Item ? [output.Item as Item] : []) : (output.Items as Item[]);
          expectedReads[`${table.name}: ${pattern.name}`] = items.map((item) => plainKey(table, item));
        }
        for (const pattern of table.accessPatterns.filter((p) => !READS.has(p.operation))) {
          const request = buildAccessPatternRequest(expected, pattern, parametersOf(table, pattern));
          await handle(request.operation, request.input);
        }
      }
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await h?.close();
  });

  /** Runs each pattern's sample (reads first), collecting what each read printed. */
  async function runAll(language: 'javascript' | 'python'): Promise<Record<string, string[]>> {
    const files: string[] = [];
    for (const model of MODELS) {
      for (const original of model.tables) {
        const table = copy(original, language === 'javascript' ? 'Js' : 'Py');
        const ordered = [...table.accessPatterns].sort((a, b) => Number(!READS.has(a.operation)) - Number(!READS.has(b.operation)));
        for (const pattern of ordered) {
          const values = parametersOf(original, pattern);
          const pk = table.partitionKey.name;
          const sk = table.sortKey?.name;
          const label = `${original.name}: ${pattern.name}`;
          const file = join(dir, `${files.length}.${language === 'javascript' ? 'mjs' : 'py'}`);
          const reads = READS.has(pattern.operation);
          const code =
            language === 'javascript'
              ? accessPatternJavaScript(table, pattern, target, values) +
                (reads ? `\nprocess.stdout.write("\\n@@" + JSON.stringify([${JSON.stringify(label)}, (result === undefined ? [] : Array.isArray(result) ? result : [result]).map((i) => \`\${i[${JSON.stringify(pk)}]}/\${${sk ? `i[${JSON.stringify(sk)}]` : '""'}}\`)]) + "\\n");\n` : '')
              : accessPatternPython(table, pattern, target, values) +
                (reads ? `\nimport json\n_items = [] if result is None else result if isinstance(result, list) else [result]\nprint("@@" + json.dumps([${JSON.stringify(label)}, [str(i[${JSON.stringify(pk)}]) + "/" + ${sk ? `str(i[${JSON.stringify(sk)}])` : '""'} for i in _items]]))\n` : '');
          await writeFile(file, code);
          files.push(file);
        }
      }
    }
    const runner =
      language === 'javascript'
        ? ['--input-type=module', '-e', `for (const file of ${JSON.stringify(files)}) await import(file);`]
        : ['-c', `import sys\nfor file in ${JSON.stringify(files)}:\n    exec(compile(open(file).read(), file, "exec"), {"__name__": "__main__"})\n`];
    const run = await runProcess(language === 'javascript' ? process.execPath : 'python3', runner, { cwd: ROOT, env: bareAwsEnvironment() });
    assert.equal(run.status, 0, run.stderr);
    return Object.fromEntries(
      run.stdout
        .split('\n')
        .filter((line) => line.startsWith('@@'))
        .map((line) => JSON.parse(line.slice(2)) as [string, string[]]),
    );
  }

  test('JavaScript (SDK v3 document client): every pattern of three models', async () => {
    const printed = await runAll('javascript');
    assert.deepEqual(printed, expectedReads);
    assert.ok(Object.values(printed).filter((keys) => keys.length > 0).length >= 12, 'most reads return items');
    for (const model of MODELS) for (const table of model.tables) {
      const { actual, expected } = await writtenItems(table, 'Js');
      assert.deepEqual(actual, expected, table.name);
    }
  });

  test('Python (boto3 resource API): every pattern of three models', { skip: hasBoto3 ? false : 'boto3 is not importable' }, async () => {
    assert.deepEqual(await runAll('python'), expectedReads);
    for (const model of MODELS) for (const table of model.tables) {
      const { actual, expected } = await writtenItems(table, 'Py');
      assert.deepEqual(actual, expected, table.name);
    }
  });

  test('the typed data-access module type-checks and its methods return what the app reads', async () => {
    const model: DataModel = { ...MODELS[0]!, name: 'Shop' };
    const table = model.tables[0]!;
    await writeFile(join(dir, 'shopAccess.ts'), dataAccessModule(model));
    const calls = table.accessPatterns
      .filter((p) => READS.has(p.operation))
      .map((pattern) => {
        const values = parametersOf(table, pattern);
        const args = Object.entries(values).map(([name, value]) => `${jsName(name)}: ${JSON.stringify(value)}`);
        return `  printed[${JSON.stringify(`Shop: ${pattern.name}`)}] = keys(await access.${jsName(pattern.name)}({ ${args.join(', ')} }));`;
      });
    await writeFile(
      join(dir, 'useShop.ts'),
      [
        'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
        'import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";',
        'import { ShopAccess, type Order } from "./shopAccess.ts";',
        `const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1", endpoint: ${JSON.stringify(h.endpoint.url)}, credentials: { accessKeyId: "local", secretAccessKey: "local" } }));`,
        'const access = new ShopAccess(client);',
        'const keys = (result: { PK: string; SK: string } | { PK: string; SK: string }[] | undefined) => (result === undefined ? [] : Array.isArray(result) ? result : [result]).map((i) => `${i.PK}/${i.SK}`);',
        'const printed: Record<string, string[]> = {};',
        ...calls,
        // The types are the model's: an order's total is a number, its status a string.
        'const orders: Order[] = await access.latestOrdersByStatus({ status: "PLACED" });',
        'const total: number | undefined = orders[0]?.total;',
        'void total;',
        'process.stdout.write("@@" + JSON.stringify(printed));',
        '',
      ].join('\n'),
    );
    const checked = await runProcess(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--ignoreConfig', '--noEmit', '--strict', '--types', 'node', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--allowImportingTsExtensions', '--skipLibCheck', join(dir, 'useShop.ts')], { cwd: ROOT });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    const run = await runProcess(process.execPath, ['--import', 'tsx', join(dir, 'useShop.ts')], { cwd: ROOT, env: bareAwsEnvironment() });
    assert.equal(run.status, 0, run.stderr);
    const expected = Object.fromEntries(Object.entries(expectedReads).filter(([label]) => label.startsWith('Shop: ')));
    assert.deepEqual(JSON.parse(run.stdout.split('@@').pop()!), expected);
  });
});
