/**
 * The test-suite API's reset (`emptyAllTables`) through the AWS SDK: every kind of entry an item
 * leaves behind goes with it, so nothing deleted can be found again.
 */
import { CreateTableCommand, PutItemCommand, QueryCommand, SearchVectorsCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './testing/harness.ts';
import { emptyAllTables } from './snapshots.ts';

const vector = (seed: number) => Array.from({ length: 4 }, (_, i) => ({ N: String(((seed * 7 + i * 3) % 11) / 10 + 0.1) }));

describe('emptying every table', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Docs',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [{ IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        VectorIndexes: [{ IndexName: 'similar', VectorAttribute: { AttributeName: 'embedding' }, Dimensions: 4, DistanceFunction: 'COSINE', Projection: { ProjectionType: 'ALL' } }],
      }),
    );
  });
  after(() => h.close());

  const search = async () => (await h.client.send(new SearchVectorsCommand({ TableName: 'Docs', IndexName: 'similar', SearchVector: vector(1), TopK: 10 }))).SearchResults ?? [];
  const byKind = async () => (await h.client.send(new QueryCommand({ TableName: 'Docs', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'note' } } }))).Items ?? [];

  test('leaves no index or vector index entries behind, and the indexes work for new items', async () => {
    for (let i = 0; i < 5; i++) await h.client.send(new PutItemCommand({ TableName: 'Docs', Item: { pk: { S: `doc${i}` }, kind: { S: 'note' }, embedding: { L: vector(i) } } }));
    assert.equal((await search()).length, 5);
    assert.equal((await byKind()).length, 5);

    await emptyAllTables(h.engine);
    assert.deepEqual(await search(), []);
    assert.deepEqual(await byKind(), []);

    await h.client.send(new PutItemCommand({ TableName: 'Docs', Item: { pk: { S: 'fresh' }, kind: { S: 'note' }, embedding: { L: vector(1) } } }));
    assert.deepEqual((await search()).map((r) => r.Item?.pk?.S), ['fresh']);
    assert.deepEqual((await byKind()).map((item) => item.pk?.S), ['fresh']);
  });
});
