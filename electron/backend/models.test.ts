/**
 * The modeler's channels on the real engine and on dynalite as a remote connection: save, plan,
 * commit (tables, indexes, sample data with progress and cancel, typed confirmation for existing
 * tables), run every access pattern, reverse-engineer a table, and models that survive a restart.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DynamoEngine } from '../../engine/api.ts';
import { startTarget, type RunningTarget } from '../../engine/bench/processes.ts';
import { BUILTIN_MODELS } from '../../renderer/shared/modeler/builtinModels.ts';
import { generateSampleItems } from '../../renderer/shared/modeler/sampleData.ts';
import type { DataModel, Envelope, SavedModel, TaskProgress } from '../contract.ts';
import { createBackend, type Backend } from './backend.ts';
import { LOCAL_CONNECTION_ID } from './connections.ts';
import { openTestEngine } from './testEngine.ts';

function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) assert.fail(`expected success, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

const [ecommerce, saas] = BUILTIN_MODELS as [DataModel, DataModel];
const local = { connectionId: LOCAL_CONNECTION_ID };

describe('data modeler backend', () => {
  let engine: DynamoEngine;
  let backend: Backend;
  let stateDir: string;
  let shop: SavedModel;
  const progress: TaskProgress[] = [];

  const count = async (connectionId: string, tableName: string) => Number(unwrap(await backend.invoke('dynamo', { connectionId, operation: 'Scan', input: { TableName: tableName, Select: 'COUNT' } })).Count);

  before(async () => {
    engine = await openTestEngine();
    stateDir = await mkdtemp(join(tmpdir(), 'dynamo-lens-models-'));
    backend = createBackend({ engine, stateDir });
    backend.subscribe((event, payload) => {
      if (event === 'task/progress') progress.push(payload as TaskProgress);
    });
    shop = unwrap(await backend.invoke('models/save', { model: ecommerce }));
  });
  after(async () => {
    await backend?.close();
    await engine?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  test('a model that does not check out is refused with its problems', async () => {
    const broken = structuredClone(ecommerce);
    broken.tables[0]!.entities[0]!.keyTemplates.PK = 'CUSTOMER#{nobody}';
    const refused = await backend.invoke('models/save', { model: broken });
    assert.deepEqual(!refused.ok && refused.error, { code: 'BadRequest', message: 'Table Shop, entity Customer: the template of PK uses {nobody}, which is not one of its attributes' });
  });

  test('commit creates the tables and writes the sample data with progress', async () => {
    assert.deepEqual(unwrap(await backend.invoke('models/plan', { ...local, modelId: shop.id })), [{ tableName: 'Shop', exists: false, missingIndexes: [], conflicts: [] }]);
    const expected = generateSampleItems(ecommerce.tables[0]!, { seed: 7 }).length;
    const result = unwrap(await backend.invoke('models/commit', { ...local, modelId: shop.id, sampleData: { seed: 7 }, taskId: 'commit-1' }));
    assert.deepEqual(result, { createdTables: ['Shop'], addedIndexes: [], itemsWritten: expected, cancelled: false });
    assert.equal(await count(LOCAL_CONNECTION_ID, 'Shop'), expected);
    const mine = progress.filter((p) => p.taskId === 'commit-1');
    assert.deepEqual(mine.at(-1), { taskId: 'commit-1', done: expected, total: expected });
    assert.ok(mine.length > 2, 'progress is reported as the chunks are written');
  });

  test('an existing table is changed only when its name is typed', async () => {
    const withIndex = structuredClone(ecommerce);
    withIndex.tables[0]!.globalSecondaryIndexes.push({ name: 'ByCategory', partitionKey: { name: 'category', type: 'S' }, projection: { type: 'KEYS_ONLY' } });
    unwrap(await backend.invoke('models/save', { id: shop.id, model: withIndex }));
    assert.deepEqual(unwrap(await backend.invoke('models/plan', { ...local, modelId: shop.id })), [{ tableName: 'Shop', exists: true, missingIndexes: ['ByCategory'], conflicts: [] }]);
    const refused = await backend.invoke('models/commit', { ...local, modelId: shop.id, taskId: 'commit-2', confirmTables: ['shop'] });
    assert.deepEqual(!refused.ok && refused.error, { code: 'ConfirmationRequired', message: 'Shop already exists; type its name to let the commit add indexes and write items there' });
    const describeIndexes = async () => ((unwrap(await backend.invoke('dynamo', { ...local, operation: 'DescribeTable', input: { TableName: 'Shop' } })).Table as { GlobalSecondaryIndexes: { IndexName: string }[] }).GlobalSecondaryIndexes.map((i) => i.IndexName));
    assert.deepEqual(await describeIndexes(), ['GSI1']);
    const result = unwrap(await backend.invoke('models/commit', { ...local, modelId: shop.id, taskId: 'commit-3', confirmTables: ['Shop'] }));
    assert.deepEqual(result, { createdTables: [], addedIndexes: ['Shop.ByCategory'], itemsWritten: 0, cancelled: false });
    assert.deepEqual((await describeIndexes()).sort(), ['ByCategory', 'GSI1']);
  });

  test('a table whose key differs from the model is never touched', async () => {
    unwrap(await backend.invoke('dynamo', { ...local, operation: 'CreateTable', input: { TableName: 'SaaS', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' } }));
    const saved = unwrap(await backend.invoke('models/save', { model: saas }));
    const refused = await backend.invoke('models/commit', { ...local, modelId: saved.id, taskId: 'commit-4', confirmTables: ['SaaS'], sampleData: { seed: 1 } });
    assert.deepEqual(!refused.ok && refused.error, { code: 'BadRequest', message: "The model cannot be committed here:\nSaaS: The existing table's key is id (HASH); the model's is PK (HASH), SK (RANGE)" });
    assert.equal(await count(LOCAL_CONNECTION_ID, 'SaaS'), 0);
    unwrap(await backend.invoke('models/delete', { id: saved.id }));
  });

  test('every access pattern runs: items returned and read, capacity, latency; the run is kept with the model', async () => {
    const run = unwrap(await backend.invoke('models/run', { ...local, modelId: shop.id, seed: 7 }));
    const byName = new Map(run.results.map((r) => [r.pattern, r]));
    assert.deepEqual(run.results.map((r) => r.operation), ['GetItem', 'Query', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'UpdateItem', 'TransactWriteItems'], 'reads run before writes');
    for (const result of run.results) assert.equal(result.error, undefined, `${result.pattern}: ${result.error?.message}`);
    const get = byName.get('Get a customer')!;
    assert.equal(get.itemsReturned, 1);
    assert.equal(get.readUnits, 0.5);
    const samples = generateSampleItems(ecommerce.tables[0]!, { seed: 7 });
    const inRange = samples.filter(({ entity, item }) => entity === 'Order' && (item.customerId as { S: string }).S === 'C0001' && (item.orderDate as { S: string }).S <= '2024-06-30').length;
    assert.equal(byName.get('Orders of a customer in a date range')!.itemsReturned, inRange);
    const scan = byName.get('Products in a category')!;
    const books = samples.filter(({ entity, item }) => entity === 'Product' && (item.category as { S: string }).S === 'books').length;
    assert.equal(scan.itemsReturned, books);
    assert.equal(scan.itemsRead, samples.length, 'the Scan read every item to return a few');
    assert.ok(scan.readUnits > get.readUnits);
    assert.equal(scan.sampleItems.length, Math.min(5, books));
    assert.ok(byName.get('Place an order')!.writeUnits >= 1);
    // Transactional writes cost 2 WCU per item, index entries included: the order and its GSI1
    // entry 4, the customer 2.
    assert.equal(byName.get('Place an order and count it')!.writeUnits, 6);
    const counted = unwrap(await backend.invoke('dynamo', { ...local, operation: 'GetItem', input: { TableName: 'Shop', Key: { PK: { S: 'CUSTOMER#C0003' }, SK: { S: 'PROFILE' } } } }));
    assert.deepEqual((counted.Item as Record<string, unknown>).orderCount, { N: '1' });
    assert.ok(run.results.every((r) => r.latencyMs > 0));
    unwrap(await backend.invoke('models/run', { ...local, modelId: shop.id, seed: 7 }));
    const listed = unwrap(await backend.invoke('models/list', null)).find((m) => m.id === shop.id)!;
    assert.equal(listed.runs.length, 2);
    assert.equal(listed.runs[1]!.ranAt, run.ranAt);
  });

  test('reverse engineering the committed table finds its entities and templates', async () => {
    const { table, itemsPerEntity } = unwrap(await backend.invoke('models/reverse', { ...local, tableName: 'Shop', sampleSize: 1000 }));
    assert.deepEqual(Object.keys(itemsPerEntity).sort(), ['Customer', 'Order', 'Product']);
    const order = table.entities.find((e) => e.name === 'Order')!;
    assert.deepEqual(order.keyTemplates, { PK: 'CUSTOMER#{customerId}', SK: 'ORDER#{orderDate}#{orderId}', GSI1PK: 'STATUS#{status}', GSI1SK: '{orderDate}#{orderId}' });
    assert.deepEqual(table.globalSecondaryIndexes.map((i) => i.name).sort(), ['ByCategory', 'GSI1']);
  });

  test('a commit can be cancelled between chunks, and says how many items it wrote', async () => {
    const big = structuredClone(saas);
    big.tables[0]!.name = 'SaaSBig';
    const saved = unwrap(await backend.invoke('models/save', { model: big }));
    const stop = backend.subscribe((event, payload) => {
      if (event === 'task/progress' && (payload as TaskProgress).taskId === 'big' && (payload as TaskProgress).done > 0) void backend.invoke('tasks/cancel', { taskId: 'big' });
    });
    const result = unwrap(await backend.invoke('models/commit', { ...local, modelId: saved.id, taskId: 'big', sampleData: { seed: 1, counts: { Tenant: 50, User: 20_000, Project: 20_000 } } }));
    stop();
    assert.equal(result.cancelled, true);
    assert.ok(result.itemsWritten > 0 && result.itemsWritten < 40_050, `wrote ${result.itemsWritten}`);
    assert.equal(await count(LOCAL_CONNECTION_ID, 'SaaSBig'), result.itemsWritten);
  });

  test('models and their runs survive a restart', async () => {
    await backend.close();
    backend = createBackend({ engine, stateDir });
    const listed = unwrap(await backend.invoke('models/list', null)).find((m) => m.id === shop.id)!;
    assert.equal(listed.model.tables[0]!.globalSecondaryIndexes.length, 2);
    assert.equal(listed.runs.length, 2);
  });
});

describe('data modeler backend on a remote connection (dynalite)', () => {
  let engine: DynamoEngine;
  let dynalite: RunningTarget;
  let backend: Backend;

  before(async () => {
    engine = await openTestEngine();
    dynalite = await startTarget('dynalite');
    backend = createBackend({ engine });
  });
  after(async () => {
    await backend?.close();
    await dynalite?.stop();
    await engine?.close();
  });

  test('commit, run and reverse-engineer through the AWS SDK', async () => {
    const connection = unwrap(await backend.invoke('connections/add', { name: 'dynalite', region: 'us-east-1', endpointUrl: dynalite.url }));
    const remote = { connectionId: connection.id };
    const saved = unwrap(await backend.invoke('models/save', { model: saas }));
    const result = unwrap(await backend.invoke('models/commit', { ...remote, modelId: saved.id, taskId: 'remote', sampleData: { seed: 3 } }));
    const expected = generateSampleItems(saas.tables[0]!, { seed: 3 }).length;
    assert.deepEqual(result, { createdTables: ['SaaS'], addedIndexes: [], itemsWritten: expected, cancelled: false });
    const run = unwrap(await backend.invoke('models/run', { ...remote, modelId: saved.id, seed: 3 }));
    for (const r of run.results) assert.equal(r.error, undefined, `${r.pattern}: ${r.error?.message}`);
    const byEmail = run.results.find((r) => r.pattern === 'Find a user by email')!;
    assert.equal(byEmail.itemsReturned, 1, 'the email parameter was taken from the sample data');
    const admins = run.results.find((r) => r.pattern === 'Admins across tenants')!;
    assert.equal(admins.itemsRead, expected);
    assert.ok(admins.itemsReturned > 0 && admins.itemsReturned < expected);
    const { itemsPerEntity } = unwrap(await backend.invoke('models/reverse', { ...remote, tableName: 'SaaS' }));
    assert.deepEqual(Object.keys(itemsPerEntity).sort(), ['Project', 'Tenant', 'User']);
  });
});
