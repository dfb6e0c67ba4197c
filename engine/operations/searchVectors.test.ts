/**
 * SearchVectors through the plain AWS SDK v3 client configured with the local endpoint (as users
 * configure it): results checked against exact nearest neighbours computed here, conditions,
 * projections, capacity, the service's refusals, and a restart on LMDB.
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand, SearchVectorsCommand, UpdateTableCommand, DescribeTableCommand, type SearchVectorsCommandInput } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';
import { expectedNearest as nearestOf, numberList, seededRandom, vectorTableInput, type DistanceFunction } from '../testing/vectorFixtures.ts';

const DIMENSIONS = 8;
const ITEMS = 300;

const next = seededRandom(14);
const vectors = Array.from({ length: ITEMS }, () => Array.from({ length: DIMENSIONS }, () => Number((next() * 2 - 1).toFixed(4))));
const categories = ['news', 'sport', 'tech'];

type Fn = DistanceFunction;
const expectedNearest = (fn: Fn, query: number[], k: number, keep: (i: number) => boolean = () => true) => nearestOf(fn, query, k, keep, vectors);

async function createCatalog(h: Harness, name: string): Promise<void> {
  await h.client.send(
    new CreateTableCommand(vectorTableInput(name, DIMENSIONS, { ProjectionType: 'ALL' }, { DistanceFunction: 'COSINE', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] } })),
  );
  for (let i = 0; i < ITEMS; i++) {
    await h.client.send(
      new PutItemCommand({
        TableName: name,
        Item: {
          pk: { S: `item${i}` },
          tenant: { S: `t${i % 2}` },
          category: { S: categories[i % 3] },
          title: { S: `Title ${i}` },
          body: { S: `Body ${i}` },
          embedding: { L: numberList(vectors[i]) },
        },
      }),
    );
  }
}

const search = (h: Harness, input: Partial<SearchVectorsCommandInput>) =>
  h.client.send(new SearchVectorsCommand({ TableName: 'Catalog', IndexName: 'cosine', SearchVector: numberList(vectors[0]), TopK: 10, ...input } as SearchVectorsCommandInput));

function assertSameResults(actual: { Item?: Record<string, { S?: string }>; Score?: number }[], expected: { pk: string; score: number }[]): void {
  assert.deepEqual(actual.map((r) => r.Item!.pk.S), expected.map((e) => e.pk));
  actual.forEach((r, i) => assert.ok(Math.abs(r.Score! - expected[i].score) < 1e-6, `score ${r.Score} vs ${expected[i].score}`));
}

describe('SearchVectors through the AWS SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await createCatalog(h, 'Catalog');
  });
  after(() => h.close());

  test('each distance function returns the exact TopK, best first, with its score semantics', async () => {
    const query = [0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.05, -0.7];
    for (const fn of ['COSINE', 'EUCLIDEAN', 'DOT_PRODUCT'] as const) {
      const { SearchResults } = await search(h, { IndexName: fn.toLowerCase(), SearchVector: numberList(query), TopK: 25 });
      assertSameResults(SearchResults!, expectedNearest(fn, query, 25));
    }
    // An item's own vector is its nearest neighbour at COSINE and EUCLIDEAN distance 0.
    const own = await search(h, { IndexName: 'euclidean', SearchVector: numberList(vectors[7]), TopK: 1 });
    assert.deepEqual(own.SearchResults!.map((r) => [r.Item!.pk.S, r.Score]), [['item7', 0]]);
    const cosine = await search(h, { TopK: 100 });
    assert.equal(cosine.SearchResults!.length, 100);
    assert.ok(cosine.SearchResults!.every((r) => r.Score! >= 0 && r.Score! <= 2));
  });

  test('the result items are the projected attributes without the vector, unless a projection asks for it', async () => {
    const [first] = (await search(h, { TopK: 1 })).SearchResults!;
    assert.deepEqual(first.Item, { pk: { S: 'item0' }, tenant: { S: 't0' }, category: { S: 'news' }, title: { S: 'Title 0' }, body: { S: 'Body 0' } });
    const projected = await search(h, { TopK: 1, ProjectionExpression: '#t, embedding', ExpressionAttributeNames: { '#t': 'title' } });
    const expectedVector = vectors[0].map((v) => Math.fround(v));
    // The index's float32 copy, as the shortest decimal naming each float.
    const returned = projected.SearchResults![0].Item!.embedding.L!.map((e) => e.N!);
    assert.deepEqual(returned.map((n) => Math.fround(Number(n))), expectedVector);
    assert.deepEqual(returned, vectors[0].map(String));
    assert.deepEqual(Object.keys(projected.SearchResults![0].Item!).sort(), ['embedding', 'title']);
    // An INCLUDE index has only what it projects: `body` is not there to return.
    const included = await search(h, {
      IndexName: 'by-tenant',
      SearchConditionExpression: 'tenant = :t',
      ExpressionAttributeValues: { ':t': { S: 't0' } },
      ProjectionExpression: 'pk, body, title',
      TopK: 1,
    });
    assert.deepEqual(included.SearchResults![0].Item, { pk: { S: 'item0' }, title: { S: 'Title 0' } });
  });

  test('a HASH condition confines the search to one partition, an INLINE_FILTER narrows it', async () => {
    const query = [0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8];
    const tenant = await search(h, { IndexName: 'by-tenant', SearchVector: numberList(query), TopK: 20, SearchConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'tenant' }, ExpressionAttributeValues: { ':t': { S: 't1' } } });
    assertSameResults(tenant.SearchResults!, expectedNearest('COSINE', query, 20, (i) => i % 2 === 1));
    const both = await search(h, {
      IndexName: 'by-tenant',
      SearchVector: numberList(query),
      TopK: 20,
      SearchConditionExpression: '(category = :c) AND tenant = :t',
      ExpressionAttributeValues: { ':t': { S: 't1' }, ':c': { S: 'tech' } },
    });
    assertSameResults(both.SearchResults!, expectedNearest('COSINE', query, 20, (i) => i % 2 === 1 && i % 3 === 2));
  });

  test('ReturnConsumedCapacity reports the vector search bytes, at least 1 KB', async () => {
    const none = await search(h, { TopK: 1 });
    assert.equal(none.ConsumedCapacity, undefined);
    for (const mode of ['TOTAL', 'INDEXES'] as const) {
      const { ConsumedCapacity } = await search(h, { TopK: 1, ReturnConsumedCapacity: mode });
      assert.deepEqual(ConsumedCapacity, { VectorSearchRequestBytes: 1024 });
    }
    const many = await search(h, { TopK: 100, ReturnConsumedCapacity: 'TOTAL' });
    assert.ok(many.ConsumedCapacity!.VectorSearchRequestBytes! > 100 * 4 * DIMENSIONS);
  });

  test('refusals, in the service’s order and words', async () => {
    const cases: [Partial<SearchVectorsCommandInput>, string, string?][] = [
      [{ IndexName: 'ab' }, "1 validation error detected: Value at 'IndexName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
      [{ SearchVector: [] }, "1 validation error detected: Value at 'SearchVector' failed to satisfy constraint: Member must have length greater than or equal to 1"],
      [{ TopK: 0 }, "1 validation error detected: Value '0' at 'topK' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [{ TopK: 101 }, "Provided TopK value '101' is out of valid range. The value must be between 1 and 100 inclusive"],
      [{ SearchVector: [{ S: '1' }] }, 'Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute'],
      [{ SearchVector: [{ N: '1E+39' }] }, 'Search vector contains invalid values. All values in the search vector must be a 32-bit floating-point number attribute'],
      [{ TableName: 'Nope' }, 'Requested resource not found', 'ResourceNotFoundException'],
      [{ IndexName: 'absent' }, 'The table does not have the specified index: absent'],
      [{ SearchVector: numberList([1, 0]) }, `Input search vector dimension 2 does not match vector index dimension ${DIMENSIONS}`],
      [{ ExpressionAttributeValues: { ':t': { S: 't1' } } }, 'ExpressionAttributeValues can only be specified when using expressions: SearchConditionExpression is null'],
      [{ IndexName: 'by-tenant' }, 'SearchConditionExpression must be provided when SearchSchema has a HASH key'],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'tenant < :t', ExpressionAttributeValues: { ':t': { S: 't1' } } }, 'Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression'],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'tenant = :t AND title = :x', ExpressionAttributeValues: { ':t': { S: 't1' }, ':x': { S: 'x' } } }, 'SearchConditionExpression must not contain any attributes that is not in SearchSchema. Invalid attribute: title'],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'category = :c', ExpressionAttributeValues: { ':c': { S: 'news' } } }, 'SearchConditionExpression must be provided when SearchSchema has a HASH key'],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { N: '1' } } }, "Type of 'tenant' attribute in SearchConditionExpression (N) does not match type in search schema (S)"],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: '' } } }, 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: tenant'],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'tenant = :t AND category = :c', ExpressionAttributeValues: { ':t': { S: 't1' } } }, 'Invalid SearchConditionExpression: An expression attribute value used in expression is not defined; attribute value: :c'],
      [{ IndexName: 'by-tenant', SearchConditionExpression: 'bucket = :t', ExpressionAttributeValues: { ':t': { S: 't1' } } }, 'Invalid SearchConditionExpression: Attribute name is a reserved keyword; reserved keyword: bucket'],
    ];
    for (const [input, message, name = 'ValidationException'] of cases) {
      const error = await errorOf(() => search(h, input));
      assert.deepEqual({ name: error.name, message: error.message }, { name, message }, JSON.stringify(input));
    }
  });

  test('a client configured only through AWS_ENDPOINT_URL_DYNAMODB sends SearchVectors to that endpoint too', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = h.endpoint.url;
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      const viaEnvironment = await client.send(new SearchVectorsCommand({ TableName: 'Catalog', IndexName: 'cosine', SearchVector: numberList(vectors[5]), TopK: 3 }));
      assert.deepEqual(viaEnvironment.SearchResults, (await search(h, { SearchVector: numberList(vectors[5]), TopK: 3 })).SearchResults);
    } finally {
      client.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = previous;
    }
  });

  test('an index added by UpdateTable answers once backfilled; a REMOVE of the vector takes the item out', async () => {
    await h.client.send(new CreateTableCommand({ TableName: 'Added', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    for (let i = 0; i < 50; i++) await h.client.send(new PutItemCommand({ TableName: 'Added', Item: { pk: { S: `item${i}` }, embedding: { L: numberList(vectors[i]) } } }));
    await h.client.send(
      new UpdateTableCommand({
        TableName: 'Added',
        VectorIndexUpdates: [{ Create: { IndexName: 'dot', VectorAttribute: { AttributeName: 'embedding' }, Dimensions: DIMENSIONS, DistanceFunction: 'DOT_PRODUCT', Projection: { ProjectionType: 'KEYS_ONLY' } } }],
      }),
    );
    for (let i = 0; i < 200; i++) {
      const table = await h.client.send(new DescribeTableCommand({ TableName: 'Added' }));
      if (table.Table!.VectorIndexes![0].IndexStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const query = vectors[3];
    const found = await h.client.send(new SearchVectorsCommand({ TableName: 'Added', IndexName: 'dot', SearchVector: numberList(query), TopK: 5 }));
    assertSameResults(found.SearchResults!, expectedNearest('DOT_PRODUCT', query, 5, (i) => i < 50));
  });
});

describe('SearchVectors on LMDB', () => {
  test('vector entries are durable: the same answers after a restart on the same directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dynamo-lens-vectors-'));
    try {
      const first = await startHarness({ store: 'lmdb', dataDir });
      await createCatalog(first, 'Catalog');
      const query = [0.5, 0.5, -0.5, 0.1, 0.2, 0.3, -0.4, 0.9];
      const before = (await search(first, { IndexName: 'dot_product', SearchVector: numberList(query), TopK: 15 })).SearchResults;
      await first.close();
      const second = await startHarness({ store: 'lmdb', dataDir });
      try {
        const after = (await search(second, { IndexName: 'dot_product', SearchVector: numberList(query), TopK: 15 })).SearchResults;
        assert.deepEqual(after, before);
        assertSameResults(after!, expectedNearest('DOT_PRODUCT', query, 15));
        const described = (await second.client.send(new DescribeTableCommand({ TableName: 'Catalog' }))).Table!.VectorIndexes!;
        assert.deepEqual(described.map((v) => [v.IndexName, v.ItemCount]), [['cosine', ITEMS], ['euclidean', ITEMS], ['dot_product', ITEMS], ['by-tenant', ITEMS]]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
