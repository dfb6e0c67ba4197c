/**
 * Reverse engineering reads a table made through the AWS SDK on the real endpoint (DescribeTable,
 * then a Scan), and the model it infers makes the same items again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Item } from '../../../electron/contract.ts';
import { startHarness, type Harness } from '../../../engine/testing/harness.ts';
import { checkModel, emptyModel } from './document.ts';
import { entityItem } from './requests.ts';
import { reverseEngineer, tableFromDescription, type DescribedTable } from './reverse.ts';

describe('reverse engineering a table made through the SDK', () => {
  let h: Harness;
  let described: DescribedTable;
  let items: Item[];

  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'App',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'ByStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    for (const userId of ['u1', 'u2', 'u3']) {
      await h.doc.send(new PutCommand({ TableName: 'App', Item: { PK: `USER#${userId}`, SK: 'PROFILE', userId, name: `Name ${userId}`, age: 30 } }));
      for (const [n, date] of ['2024-01-05', '2024-02-11'].entries()) {
        const orderId = `${userId}-o${n}`;
        await h.doc.send(new PutCommand({ TableName: 'App', Item: { PK: `USER#${userId}`, SK: `ORDER#${date}#${orderId}`, orderId, orderDate: date, userId, status: n ? 'OPEN' : 'DONE', total: 10 + n } }));
      }
    }
    described = ((await h.client.send(new DescribeTableCommand({ TableName: 'App' }))) as { Table: DescribedTable }).Table;
    const scanned = await h.doc.send(new ScanCommand({ TableName: 'App' }));
    items = (scanned.Items ?? []).map((item) => marshall(item) as Item);
  });
  after(async () => {
    await h?.close();
  });

  test('the table: keys, index, billing, stream', () => {
    const table = tableFromDescription(described, 'expiresAt');
    assert.deepEqual(
      { ...table },
      {
        name: 'App',
        partitionKey: { name: 'PK', type: 'S' },
        sortKey: { name: 'SK', type: 'S' },
        globalSecondaryIndexes: [{ name: 'ByStatus', partitionKey: { name: 'status', type: 'S' }, projection: { type: 'KEYS_ONLY' } }],
        localSecondaryIndexes: [],
        billing: { mode: 'PROVISIONED', readCapacityUnits: 5, writeCapacityUnits: 3 },
        ttlAttribute: 'expiresAt',
        stream: 'NEW_AND_OLD_IMAGES',
        entities: [],
        accessPatterns: [],
      },
    );
  });

  test('entities from key prefixes, attribute types and key templates', () => {
    const { table, itemsPerEntity } = reverseEngineer(tableFromDescription(described), items);
    assert.deepEqual(itemsPerEntity, { User: 3, Order: 6 }); // scan order decides which comes first
    const user = table.entities.find((e) => e.name === 'User');
    const order = table.entities.find((e) => e.name === 'Order');
    assert.deepEqual(user!.keyTemplates, { PK: 'USER#{userId}', SK: 'PROFILE' });
    assert.deepEqual(user!.attributes.map((a) => [a.name, a.type]).sort(), [['age', 'N'], ['name', 'S'], ['userId', 'S']]);
    assert.deepEqual(order!.keyTemplates, { PK: 'USER#{userId}', SK: 'ORDER#{orderDate}#{orderId}', status: '{status}' });
    assert.deepEqual(order!.attributes.map((a) => [a.name, a.type]).sort(), [['orderDate', 'S'], ['orderId', 'S'], ['status', 'S'], ['total', 'N'], ['userId', 'S']]);
    assert.deepEqual(checkModel({ ...emptyModel('Reversed'), tables: [table] }), []);
    // The inferred model makes the very items it was inferred from.
    for (const item of items) {
      const entity = (item.SK as { S: string }).S === 'PROFILE' ? user! : order!;
      const values = Object.fromEntries(Object.entries(item).map(([name, value]) => [name, 'S' in value ? value.S : (value as { N: string }).N]));
      assert.deepEqual(entityItem(table, entity, values), item);
    }
  });

  test('a type attribute names and groups the entities; a bare id key is the attribute itself', () => {
    const plain = tableFromDescription({ TableName: 'Things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] });
    const things: Item[] = [
      { id: { S: 'a1' }, type: { S: 'car' }, wheels: { N: '4' } },
      { id: { S: 'a2' }, type: { S: 'car' }, wheels: { N: '3' } },
      { id: { S: 'b1' }, type: { S: 'boat_trip' }, sails: { SS: ['jib'] } },
    ];
    const { table } = reverseEngineer(plain, things);
    assert.deepEqual(table.entities.map((e) => [e.name, e.keyTemplates]), [['Car', { id: '{id}' }], ['BoatTrip', { id: '{id}' }]]);
    assert.deepEqual(table.entities[1]!.attributes, [{ name: 'type', type: 'S' }, { name: 'sails', type: 'SS' }, { name: 'id', type: 'S' }]);
    assert.deepEqual(checkModel({ ...emptyModel('x'), tables: [table] }), []);
  });

  test('a key that copies an attribute whole is that attribute\'s placeholder', () => {
    const withIndex = { ...tableFromDescription(described), globalSecondaryIndexes: [{ name: 'ByDate', partitionKey: { name: 'GSI1PK', type: 'S' as const }, sortKey: { name: 'GSI1SK', type: 'S' as const }, projection: { type: 'ALL' as const } }] };
    const { table } = reverseEngineer(withIndex, [
      { PK: { S: 'A#1' }, SK: { S: 'B' }, day: { S: '2024-01-02' }, GSI1PK: { S: 'DAYS' }, GSI1SK: { S: '2024-01-02' } },
      { PK: { S: 'A#2' }, SK: { S: 'B' }, day: { S: '2024-03-04' }, GSI1PK: { S: 'DAYS' }, GSI1SK: { S: '2024-03-04' } },
    ]);
    assert.deepEqual(table.entities[0]!.keyTemplates, { PK: 'A#{aId}', SK: 'B', GSI1PK: 'DAYS', GSI1SK: '{day}' });
  });

  test('a key part no attribute holds gets a placeholder named after the part before it', () => {
    const { table } = reverseEngineer(tableFromDescription(described), [
      { PK: { S: 'TENANT#t1#USER#9' }, SK: { S: 'A' }, x: { S: '1' } },
      { PK: { S: 'TENANT#t2#USER#8' }, SK: { S: 'A' }, x: { S: '2' } },
    ]);
    const entity = table.entities[0]!;
    assert.equal(entity.name, 'Tenant');
    assert.deepEqual(entity.keyTemplates, { PK: 'TENANT#{tenantId}#USER#{userId}', SK: 'A' });
    assert.deepEqual(entity.attributes.map((a) => a.name), ['x', 'tenantId', 'userId']);
  });
});
