/**
 * Every request a model makes is sent through the AWS SDK to the real endpoint: the built-in
 * models' tables are created as their CreateTable says, and each access pattern returns the items
 * it should.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AccessPattern, ModelTable } from '../../../electron/contract.ts';
import { RemoteDynamo } from '../../../electron/backend/remoteDynamo.ts';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import { analyzeAccessPattern } from './analysis.ts';
import { BUILTIN_MODELS } from './builtinModels.ts';
import { checkModel } from './document.ts';
import { accessPatternParameters, buildAccessPatternRequest, createTableRequest, entityItem } from './requests.ts';

const [ecommerce] = BUILTIN_MODELS;
const shop = ecommerce!.tables[0]!;
const pattern = (table: ModelTable, name: string): AccessPattern => table.accessPatterns.find((p) => p.name === name)!;

describe('model requests against the real endpoint', () => {
  let h: Harness;
  let dynamo: RemoteDynamo;
  const run = async (table: ModelTable, name: string, parameters: Record<string, string> = pattern(table, name).exampleParameters ?? {}) => {
    const request = buildAccessPatternRequest(table, pattern(table, name), parameters);
    return dynamo.call(request.operation, request.input);
  };
  const ids = (output: Record<string, unknown>, attribute: string) => (output.Items as Record<string, { S: string }>[]).map((item) => item[attribute]!.S);

  before(async () => {
    h = await startHarness();
    dynamo = new RemoteDynamo({ region: 'us-east-1', endpointUrl: h.endpoint.url, maxAttempts: 1 });
    await dynamo.call('CreateTable', createTableRequest(shop));
    const entity = (name: string) => shop.entities.find((e) => e.name === name)!;
    const put = (entityName: string, values: Record<string, string>) => dynamo.call('PutItem', { TableName: 'Shop', Item: entityItem(shop, entity(entityName), values) });
    await put('Customer', { customerId: 'C0001', name: 'Ada Lovelace', email: 'ada@example.com', createdAt: '2023-01-01' });
    await put('Customer', { customerId: 'C0002', name: 'Grace Hopper', email: 'grace@example.com', createdAt: '2023-02-01' });
    const order = (orderId: string, customerId: string, orderDate: string, status: string) => put('Order', { orderId, customerId, orderDate, status, total: '10.5' });
    await order('O0001', 'C0001', '2024-02-01', 'PLACED');
    await order('O0002', 'C0001', '2024-05-01', 'SHIPPED');
    await order('O0003', 'C0001', '2024-09-01', 'PLACED');
    await order('O0004', 'C0002', '2024-03-01', 'PLACED');
    await put('Product', { productId: 'P0001', title: 'A book', category: 'books', price: '12' });
    await put('Product', { productId: 'P0002', title: 'A kite', category: 'toys', price: '8' });
  });
  after(async () => {
    dynamo?.close();
    await h?.close();
  });

  test('the table is created with its index and key definitions', async () => {
    const { Table } = (await dynamo.call('DescribeTable', { TableName: 'Shop' })) as { Table: { KeySchema: unknown; GlobalSecondaryIndexes: { IndexName: string; KeySchema: unknown }[]; BillingModeSummary: { BillingMode: string } } };
    assert.deepEqual(Table.KeySchema, [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }]);
    assert.deepEqual(Table.GlobalSecondaryIndexes.map((i) => [i.IndexName, i.KeySchema]), [['GSI1', [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' }]]]);
    assert.equal(Table.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
  });

  test('an entity item carries its attributes and every key its templates fill', () => {
    const order = shop.entities.find((e) => e.name === 'Order')!;
    assert.deepEqual(entityItem(shop, order, { orderId: 'O1', customerId: 'C1', orderDate: '2024-01-02', status: 'PLACED', total: '3.50' }), {
      orderId: { S: 'O1' },
      customerId: { S: 'C1' },
      orderDate: { S: '2024-01-02' },
      status: { S: 'PLACED' },
      total: { N: '3.5' },
      PK: { S: 'CUSTOMER#C1' },
      SK: { S: 'ORDER#2024-01-02#O1' },
      GSI1PK: { S: 'STATUS#PLACED' },
      GSI1SK: { S: '2024-01-02#O1' },
    });
    // Without a status the sparse index key stays out.
    assert.equal(entityItem(shop, order, { orderId: 'O1', customerId: 'C1', orderDate: '2024-01-02' }).GSI1PK, undefined);
  });

  test('GetItem reads one entity by its key templates', async () => {
    const output = await run(shop, 'Get a customer');
    assert.deepEqual((output.Item as Record<string, { S: string }>).name, { S: 'Ada Lovelace' });
  });

  test('a Query with BETWEEN on the sort key reads the orders in the date range', async () => {
    assert.deepEqual(buildAccessPatternRequest(shop, pattern(shop, 'Orders of a customer in a date range'), { customerId: 'C0001', from: '2024-01-01', to: '2024-06-30' }).input, {
      TableName: 'Shop',
      KeyConditionExpression: '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2',
      ExpressionAttributeNames: { '#n0': 'PK', '#n1': 'SK' },
      ExpressionAttributeValues: { ':v0': { S: 'CUSTOMER#C0001' }, ':v1': { S: 'ORDER#2024-01-01' }, ':v2': { S: 'ORDER#2024-06-30' } },
    });
    assert.deepEqual(ids(await run(shop, 'Orders of a customer in a date range'), 'orderId'), ['O0001', 'O0002']);
  });

  test('a Query on the index, newest first, with a limit', async () => {
    assert.deepEqual(ids(await run(shop, 'Latest orders by status'), 'orderId'), ['O0003', 'O0004', 'O0001']);
    assert.deepEqual(ids(await run(shop, 'Latest orders by status', { status: 'SHIPPED' }), 'orderId'), ['O0002']);
  });

  test('a Scan with a filter returns the matching items, and is flagged with the index that would serve it', async () => {
    const output = await run(shop, 'Products in a category');
    assert.deepEqual(ids(output, 'productId'), ['P0001']);
    assert.equal(output.ScannedCount, 8);
    const analysis = analyzeAccessPattern(shop, pattern(shop, 'Products in a category'));
    assert.match(analysis.scan!.reason, /^Scan reads every item of table Shop/);
    assert.deepEqual(analysis.scan!.newIndex, { name: 'category-index', partitionKey: { name: 'category', type: 'S' }, projection: { type: 'ALL' } });
    assert.equal(analysis.scan!.keyCondition, 'category = "{category}"');
  });

  test('a Scan whose filter an existing index is keyed on is pointed at that index', () => {
    const table: ModelTable = { ...shop, accessPatterns: [{ name: 'by status', operation: 'Scan', filter: [{ attribute: 'GSI1PK', operator: '=', value: 'STATUS#{status}' }] }] };
    assert.equal(analyzeAccessPattern(table, table.accessPatterns[0]!).scan!.existingIndex, 'GSI1');
    const noEquality: AccessPattern = { name: 'big', operation: 'Scan', filter: [{ attribute: 'total', operator: '>', value: '{min}' }] };
    const flagged = analyzeAccessPattern(shop, noEquality).scan!;
    assert.equal(flagged.newIndex, undefined);
    assert.match(flagged.reason, /no equality condition/);
  });

  test('reads served by a key are not flagged, and show their key condition', () => {
    const analysis = analyzeAccessPattern(shop, pattern(shop, 'Orders of a customer in a date range'));
    assert.equal(analysis.scan, undefined);
    assert.equal(analysis.keyCondition, 'PK = "CUSTOMER#{customerId}" AND SK BETWEEN "ORDER#{from}" AND "ORDER#{to}"');
    assert.equal(analyzeAccessPattern(shop, pattern(shop, 'Latest orders by status')).target, 'GSI1');
  });

  test('Put and Update write the entity; an update follows the index key built from what it changes', async () => {
    await run(shop, 'Place an order');
    assert.deepEqual(accessPatternParameters(shop, pattern(shop, 'Change an order status')), [
      { name: 'customerId', type: 'S' },
      { name: 'orderDate', type: 'S' },
      { name: 'orderId', type: 'S' },
      { name: 'status', type: 'S' },
    ]);
    await run(shop, 'Change an order status');
    const { Item } = (await dynamo.call('GetItem', { TableName: 'Shop', Key: { PK: { S: 'CUSTOMER#C0001' }, SK: { S: 'ORDER#2024-12-31#O9999' } } })) as { Item: Record<string, unknown> };
    assert.deepEqual(Item.status, { S: 'SHIPPED' });
    assert.deepEqual(Item.GSI1PK, { S: 'STATUS#SHIPPED' });
    assert.deepEqual(Item.total, { N: '42.5' });
  });

  test('a transaction runs its writes all or none, sharing their parameters', async () => {
    const transaction = pattern(shop, 'Place an order and count it');
    assert.deepEqual(accessPatternParameters(shop, transaction).map((p) => p.name), ['orderId', 'customerId', 'orderDate', 'status', 'total', 'orderCount']);
    const request = buildAccessPatternRequest(shop, transaction, { ...transaction.exampleParameters, customerId: 'C0002' });
    assert.deepEqual(Object.keys((request.input.TransactItems as Record<string, unknown>[])[1]!), ['Update']);
    await dynamo.call(request.operation, request.input);
    const { Item } = (await dynamo.call('GetItem', { TableName: 'Shop', Key: { PK: { S: 'CUSTOMER#C0002' }, SK: { S: 'PROFILE' } } })) as { Item: Record<string, unknown> };
    assert.deepEqual(Item.orderCount, { N: '1' });
    const placed = (await dynamo.call('GetItem', { TableName: 'Shop', Key: { PK: { S: 'CUSTOMER#C0002' }, SK: { S: 'ORDER#2024-12-30#O9998' } } })) as { Item?: unknown };
    assert.ok(placed.Item, 'the Put of the same transaction was applied');
    assert.deepEqual(analyzeAccessPattern(shop, transaction), { target: 'Shop', keyCondition: 'all or none: Place an order, Set the order count of a customer' });
    assert.throws(() => buildAccessPatternRequest(shop, { ...transaction, transactItems: ['Get a customer'] }, transaction.exampleParameters!), /names "Get a customer", which is not a Put, Update or Delete pattern of table Shop/);
  });

  test('parameter values are typed by their attribute, with DynamoDB number rules', () => {
    const put = pattern(shop, 'Place an order');
    assert.throws(() => buildAccessPatternRequest(shop, put, { ...put.exampleParameters, total: '12abc' }), /total: "12abc" is not a number/);
    assert.throws(() => buildAccessPatternRequest(shop, pattern(shop, 'Get a customer'), {}), /No value for \{customerId\}/);
  });

  test('every built-in model is sound, creates its tables and runs each access pattern', async () => {
    for (const model of BUILTIN_MODELS) {
      assert.deepEqual(checkModel(model), [], model.name);
      for (const table of model.tables) {
        if (table.name !== 'Shop') await dynamo.call('CreateTable', createTableRequest(table));
        for (const accessPattern of table.accessPatterns) {
          const parameters = Object.fromEntries(accessPatternParameters(table, accessPattern).map((p) => [p.name, accessPattern.exampleParameters?.[p.name] ?? (p.type === 'N' ? '1' : 'x')]));
          const request = buildAccessPatternRequest(table, accessPattern, parameters);
          await assert.doesNotReject(dynamo.call(request.operation, request.input), `${model.name}: ${accessPattern.name}`);
        }
        const flagged = table.accessPatterns.filter((p) => analyzeAccessPattern(table, p).scan);
        assert.deepEqual(flagged.map((p) => p.operation), ['Scan'], model.name);
      }
    }
    const { Table } = (await dynamo.call('DescribeTable', { TableName: 'Telemetry' })) as { Table: { LocalSecondaryIndexes: { IndexName: string }[] } };
    assert.deepEqual(Table.LocalSecondaryIndexes.map((i) => i.IndexName), ['ByTemperature']);
  });
});
