import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

// DynamoDB's multi-attribute GSI keys: a partition key and a sort key each made of up to four
// attributes (AWS developer guide, "Multi-attribute keys pattern").
describe('multi-attribute GSI keys', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Sales',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'tenant', AttributeType: 'S' },
          { AttributeName: 'store', AttributeType: 'S' },
          { AttributeName: 'year', AttributeType: 'N' },
          { AttributeName: 'month', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byTenantStore',
            KeySchema: [
              { AttributeName: 'tenant', KeyType: 'HASH' },
              { AttributeName: 'store', KeyType: 'HASH' },
              { AttributeName: 'year', KeyType: 'RANGE' },
              { AttributeName: 'month', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    const items = [];
    for (const store of ['north', 'south']) {
      for (const year of [2024, 2025]) {
        for (let month = 1; month <= 12; month++) items.push({ id: `${store}-${year}-${month}`, tenant: 'acme', store, year, month, total: month * 10 });
      }
    }
    for (let i = 0; i < items.length; i += 25) {
      await h.doc.send(new BatchWriteCommand({ RequestItems: { Sales: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  });
  after(() => h.close());

  test('the index is described with its four key attributes', async () => {
    const d = await h.client.send(new DescribeTableCommand({ TableName: 'Sales' }));
    assert.equal(d.Table?.GlobalSecondaryIndexes?.[0].KeySchema?.length, 4);
    assert.equal(d.Table?.GlobalSecondaryIndexes?.[0].ItemCount, 48);
  });

  test('query by every partition attribute and a leading sort attribute, then a range on the next', async () => {
    const year = await h.doc.send(
      new QueryCommand({
        TableName: 'Sales',
        IndexName: 'byTenantStore',
        KeyConditionExpression: 'tenant = :t AND #s = :s AND #y = :y',
        ExpressionAttributeNames: { '#s': 'store', '#y': 'year' },
        ExpressionAttributeValues: { ':t': 'acme', ':s': 'north', ':y': 2025 },
      }),
    );
    assert.equal(year.Count, 12);
    assert.deepEqual(year.Items!.map((i) => i.month), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const lateMonths = await h.doc.send(
      new QueryCommand({
        TableName: 'Sales',
        IndexName: 'byTenantStore',
        KeyConditionExpression: 'tenant = :t AND #s = :s AND #y = :y AND #m > :m',
        ExpressionAttributeNames: { '#s': 'store', '#y': 'year', '#m': 'month' },
        ExpressionAttributeValues: { ':t': 'acme', ':s': 'south', ':y': 2024, ':m': 9 },
        ScanIndexForward: false,
      }),
    );
    assert.deepEqual(lateMonths.Items!.map((i) => i.id), ['south-2024-12', 'south-2024-11', 'south-2024-10']);
    const all = await h.doc.send(
      new QueryCommand({
        TableName: 'Sales',
        IndexName: 'byTenantStore',
        KeyConditionExpression: 'tenant = :t AND #s = :s',
        ExpressionAttributeNames: { '#s': 'store' },
        ExpressionAttributeValues: { ':t': 'acme', ':s': 'north' },
        Select: 'COUNT',
      }),
    );
    assert.equal(all.Count, 24);
  });

  test('a query missing a partition attribute is refused', async () => {
    const error = await errorOf(() =>
      h.doc.send(new QueryCommand({ TableName: 'Sales', IndexName: 'byTenantStore', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': 'acme' } })),
    );
    assert.equal(error.name, 'ValidationException');
  });
});
