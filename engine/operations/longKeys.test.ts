/**
 * Items at DynamoDB's key size limits (2,048-byte partition keys, 1,024-byte sort keys) on every
 * kind of index, through the SDK, on both stores. An index entry's key holds the index's key and
 * the table's: past LMDB's 4,026-byte key limit such writes had failed with InternalServerError.
 */
import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, SearchVectorsCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { numberList } from '../testing/vectorFixtures.ts';

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const ITEMS = 60;
const pkOf = (i: number) => `${'p'.repeat(2044)}${String(i).padStart(4, '0')}`;
const group = 'g'.repeat(2048);
const tenant = 't'.repeat(2048);

async function createTable(h: Harness): Promise<void> {
  await h.client.send(
    new CreateTableCommand({
      TableName: 'LongKeys',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'gpk', 'gsk', 'lsk', 'tenant'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-group',
          KeySchema: [
            { AttributeName: 'gpk', KeyType: 'HASH' },
            { AttributeName: 'gsk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'by-local',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'lsk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      VectorIndexes: [
        {
          IndexName: 'similar',
          VectorAttribute: { AttributeName: 'embedding' },
          Dimensions: 4,
          DistanceFunction: 'EUCLIDEAN',
          Projection: { ProjectionType: 'KEYS_ONLY' },
          SearchSchema: [{ AttributeName: 'tenant', SearchSchemaElementType: 'HASH' }],
        },
      ],
    }),
  );
}

/** Every item shares one GSI key, one vector partition and the longest sort keys; item i's vector is [i, 0, 0, 0]. */
function item(i: number): Record<string, AttributeValue> {
  return {
    pk: { S: pkOf(i) },
    sk: { S: 's'.repeat(1024) },
    gpk: { S: group },
    gsk: { S: 'h'.repeat(1024) },
    lsk: { S: 'l'.repeat(1024) },
    tenant: { S: tenant },
    embedding: { L: numberList([i, 0, 0, 0]) },
  };
}

/** Every page of a Query on the GSI, a few items a page, checking no item comes twice. */
async function groupMembers(h: Harness, groupKey: string): Promise<string[]> {
  const seen: string[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await h.client.send(
      new QueryCommand({ TableName: 'LongKeys', IndexName: 'by-group', KeyConditionExpression: 'gpk = :g', ExpressionAttributeValues: { ':g': { S: groupKey } }, Limit: 7, ExclusiveStartKey }),
    );
    seen.push(...page.Items!.map((found) => found.pk.S!));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  assert.equal(new Set(seen).size, seen.length, 'no item twice across pages');
  return seen.sort();
}

async function nearest(h: Harness, topK: number): Promise<string[]> {
  const { SearchResults } = await h.client.send(
    new SearchVectorsCommand({
      TableName: 'LongKeys',
      IndexName: 'similar',
      SearchVector: numberList([0, 0, 0, 0]),
      TopK: topK,
      SearchConditionExpression: 'tenant = :t',
      ExpressionAttributeValues: { ':t': { S: tenant } },
    }),
  );
  return SearchResults!.map((result) => result.Item!.pk.S!);
}

/** Waits until the vector index is clustered and no clustering runs; fails rather than hang if a clustering never ends. */
async function settled(h: Harness): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 5) {
    const status = h.engine.vectorSearchStatus(CONTEXT, 'LongKeys').similar;
    if (status.clusters > 0 && !status.clustering) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail('the vector index was not clustered within 30 s');
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

for (const store of ['memory', 'lmdb'] as const) {
  describe(`keys at DynamoDB's size limits, on every index (${store})`, () => {
    test('are written, queried page by page, searched, clustered, updated and deleted; on LMDB they are all there after a restart', async () => {
      // A small clustering minimum, so the vector index is also clustered (its keys are longer still).
      let h = await startHarness({ store, vectorClusteringMinimum: 40 });
      const dataDir = h.dataDir;
      try {
        await createTable(h);
        for (const i of range(0, ITEMS)) await h.client.send(new PutItemCommand({ TableName: 'LongKeys', Item: item(i) }));
        await settled(h);

        assert.deepEqual(await groupMembers(h, group), range(0, ITEMS).map(pkOf));
        const local = await h.client.send(
          new QueryCommand({ TableName: 'LongKeys', IndexName: 'by-local', KeyConditionExpression: 'pk = :p AND lsk = :l', ExpressionAttributeValues: { ':p': { S: pkOf(3) }, ':l': { S: 'l'.repeat(1024) } } }),
        );
        assert.deepEqual(local.Items?.map((found) => found.pk.S), [pkOf(3)]);
        assert.deepEqual(await nearest(h, 5), range(0, 5).map(pkOf));

        // Moving an item to another GSI key and another vector removes its old entries.
        await h.client.send(
          new UpdateItemCommand({
            TableName: 'LongKeys',
            Key: { pk: { S: pkOf(0) }, sk: { S: 's'.repeat(1024) } },
            UpdateExpression: 'SET gpk = :g, embedding = :e',
            ExpressionAttributeValues: { ':g': { S: 'G'.repeat(2048) }, ':e': { L: numberList([1000, 0, 0, 0]) } },
          }),
        );
        await h.client.send(new DeleteItemCommand({ TableName: 'LongKeys', Key: { pk: { S: pkOf(1) }, sk: { S: 's'.repeat(1024) } } }));
        const check = async () => {
          assert.deepEqual(await groupMembers(h, group), range(2, ITEMS).map(pkOf));
          assert.deepEqual(await groupMembers(h, 'G'.repeat(2048)), [pkOf(0)]);
          assert.deepEqual(await nearest(h, 3), range(2, 5).map(pkOf));
          // A TopK as large as the partition gets every entry, clustered or not.
          assert.equal((await nearest(h, ITEMS)).length, ITEMS - 1);
        };
        await check();

        if (store === 'lmdb') {
          await h.engine.close();
          await h.endpoint.close();
          h.client.destroy();
          h = await startHarness({ store, dataDir, vectorClusteringMinimum: 40 });
          await check();
        }
      } finally {
        await h.close();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}

describe('a key too long for LMDB even alone', () => {
  // Zero bytes are escaped in keys (two bytes each), so a 2,048-byte binary key of zeros takes
  // 4,098 bytes before anything else: more than LMDB stores, whatever the table key beside it.
  test('is refused whole, as InternalServerError: no item without its index entry, statistics unchanged, the write beside it stored', async () => {
    const h = await startHarness({ store: 'lmdb' });
    try {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'Zeros',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'gkey', AttributeType: 'B' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [{ IndexName: 'by-gkey', KeySchema: [{ AttributeName: 'gkey', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        }),
      );
      const [refused, stored] = await Promise.allSettled([
        h.client.send(new PutItemCommand({ TableName: 'Zeros', Item: { id: { S: 'zeros' }, gkey: { B: new Uint8Array(2048) } } })),
        h.client.send(new PutItemCommand({ TableName: 'Zeros', Item: { id: { S: 'plain' }, gkey: { B: new Uint8Array(2048).fill(7) } } })),
      ]);
      assert.equal(stored.status, 'fulfilled');
      assert.equal(refused.status, 'rejected');
      assert.equal((refused as PromiseRejectedResult).reason.name, 'InternalServerError');
      assert.equal((await h.client.send(new GetItemCommand({ TableName: 'Zeros', Key: { id: { S: 'zeros' } } }))).Item, undefined);
      assert.equal((await h.client.send(new DescribeTableCommand({ TableName: 'Zeros' }))).Table?.ItemCount, 1);
      const found = await h.client.send(
        new QueryCommand({ TableName: 'Zeros', IndexName: 'by-gkey', KeyConditionExpression: 'gkey = :b', ExpressionAttributeValues: { ':b': { B: new Uint8Array(2048).fill(7) } } }),
      );
      assert.deepEqual(found.Items?.map((item) => item.id.S), ['plain']);
      // Reads with the key answer as for any key not stored.
      const none = await h.client.send(
        new QueryCommand({ TableName: 'Zeros', IndexName: 'by-gkey', KeyConditionExpression: 'gkey = :b', ExpressionAttributeValues: { ':b': { B: new Uint8Array(2048) } } }),
      );
      assert.equal(none.Count, 0);
      // The refused item can be written without the index key; nothing of the failed write is in the way.
      await h.client.send(new PutItemCommand({ TableName: 'Zeros', Item: { id: { S: 'zeros' } } }));
      assert.equal((await h.client.send(new DescribeTableCommand({ TableName: 'Zeros' }))).Table?.ItemCount, 2);
    } finally {
      await h.close();
    }
  });

  test('in a lookup finds nothing, and a Scan resuming after it answers as the in-memory store (which holds any key) does', async () => {
    const answers: unknown[] = [];
    for (const store of ['lmdb', 'memory'] as const) {
      const h = await startHarness({ store });
      try {
        await h.client.send(
          new CreateTableCommand({
            TableName: 'ZeroKeys',
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'id', AttributeType: 'B' },
              { AttributeName: 'sk', AttributeType: 'B' },
            ],
            KeySchema: [
              { AttributeName: 'id', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          }),
        );
        for (const fill of [1, 2, 3, 4, 5, 6, 7, 8]) {
          await h.client.send(new PutItemCommand({ TableName: 'ZeroKeys', Item: { id: { B: new Uint8Array(2048).fill(fill) }, sk: { B: new Uint8Array(1024).fill(1) } } }));
        }
        const key = { id: { B: new Uint8Array(2048) }, sk: { B: new Uint8Array(1024) } };
        assert.equal((await h.client.send(new GetItemCommand({ TableName: 'ZeroKeys', Key: key }))).Item, undefined);
        const queried = await h.client.send(new QueryCommand({ TableName: 'ZeroKeys', KeyConditionExpression: 'id = :i', ExpressionAttributeValues: { ':i': key.id } }));
        assert.equal(queried.Count, 0);
        const scanned = await h.client.send(new ScanCommand({ TableName: 'ZeroKeys', ExclusiveStartKey: key }));
        answers.push(scanned.Items!.map((item) => item.id.B![0]));
      } finally {
        await h.close();
      }
    }
    assert.deepEqual(answers[0], answers[1]);
  });
});
