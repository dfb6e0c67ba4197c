import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

describe('legacy parameters still used by older code', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Legacy',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 10; i++) {
      await h.client.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'a' }, sk: { N: String(i) }, color: { S: i % 2 ? 'red' : 'blue' }, n: { N: String(i * 10) } } }));
    }
  });
  after(() => h.close());

  test('Expected guards a put, and AttributeUpdates applies PUT/ADD/DELETE', async () => {
    const failed = await errorOf(() =>
      h.client.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'a' }, sk: { N: '1' } }, Expected: { pk: { Exists: false } } })),
    );
    assert.equal(failed.name, 'ConditionalCheckFailedException');
    await h.client.send(
      new UpdateItemCommand({
        TableName: 'Legacy',
        Key: { pk: { S: 'a' }, sk: { N: '2' } },
        AttributeUpdates: { n: { Action: 'ADD', Value: { N: '5' } }, color: { Action: 'PUT', Value: { S: 'green' } }, tags: { Action: 'ADD', Value: { SS: ['x', 'y'] } } },
        Expected: { color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'blue' }] } },
      }),
    );
    const got = await h.client.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'a' }, sk: { N: '2' } }, AttributesToGet: ['n', 'color', 'tags'] }));
    assert.deepEqual(got.Item?.n, { N: '25' });
    assert.deepEqual(got.Item?.color, { S: 'green' });
    assert.deepEqual(got.Item?.tags.SS?.sort(), ['x', 'y']);
    assert.equal(got.Item?.pk, undefined);
  });

  test('KeyConditions and QueryFilter, ScanFilter with ConditionalOperator', async () => {
    const q = await h.client.send(
      new QueryCommand({
        TableName: 'Legacy',
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '3' }, { N: '7' }] } },
        QueryFilter: { color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'red' }] } },
      }),
    );
    assert.deepEqual(q.Items?.map((i) => i.sk.N), ['3', '5', '7']);
    const s = await h.client.send(
      new ScanCommand({
        TableName: 'Legacy',
        ScanFilter: { n: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '80' }] }, color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'green' }] } },
        ConditionalOperator: 'OR',
      }),
    );
    assert.deepEqual(s.Items?.map((i) => i.sk.N).sort(), ['2', '8', '9']);
  });

  test('mixing legacy and expression parameters is DynamoDB’s error', async () => {
    const error = await errorOf(() =>
      h.client.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributesToGet: ['n'], ProjectionExpression: 'n' })),
    );
    assert.equal(
      error.message,
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  });
});
