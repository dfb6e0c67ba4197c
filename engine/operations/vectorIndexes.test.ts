/**
 * Vector indexes on CreateTable and UpdateTable, what DescribeTable reports of them, and the
 * checks on vectors written to indexed attributes, through the AWS SDK over the HTTP endpoint.
 * Expected texts are the service's, as measured (see vectors.ts and tables.ts).
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type VectorIndex,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const vix = (over: Partial<VectorIndex> = {}): VectorIndex => ({
  IndexName: 'vix',
  VectorAttribute: { AttributeName: 'embedding' },
  Dimensions: 3,
  DistanceFunction: 'COSINE',
  Projection: { ProjectionType: 'ALL' },
  ...over,
});

const table = (name: string, vectorIndexes?: VectorIndex[]): CreateTableCommandInput => ({
  TableName: name,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...(vectorIndexes ? { VectorIndexes: vectorIndexes } : {}),
});

const vector = (...values: number[]) => ({ L: values.map((v) => ({ N: String(v) })) });

describe('vector indexes: CreateTable, UpdateTable, DescribeTable and writes', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  const describeVectors = async (name: string) => (await h.client.send(new DescribeTableCommand({ TableName: name }))).Table!.VectorIndexes;

  async function waitForActive(name: string, index: string) {
    for (let i = 0; i < 200; i++) {
      const found = (await describeVectors(name))?.find((v) => v.IndexName === index);
      if (found?.IndexStatus === 'ACTIVE') return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${index} never became ACTIVE`);
  }

  test('CreateTable answers with the index CREATING; DescribeTable reports it ACTIVE with its definition, count and size', async () => {
    const created = await h.client.send(
      new CreateTableCommand({
        ...table('Docs', [vix({ SearchSchema: [{ AttributeName: 'tenant', SearchSchemaElementType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } })]),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'tenant', AttributeType: 'S' },
        ],
      }),
    );
    assert.equal(created.TableDescription!.VectorIndexes![0].IndexStatus, 'CREATING');
    await h.client.send(new PutItemCommand({ TableName: 'Docs', Item: { pk: { S: 'a' }, tenant: { S: 't1' }, embedding: vector(1, 0, 0), body: { S: 'x' } } }));
    // Not indexed: no vector, or no HASH value.
    await h.client.send(new PutItemCommand({ TableName: 'Docs', Item: { pk: { S: 'b' }, tenant: { S: 't1' } } }));
    await h.client.send(new PutItemCommand({ TableName: 'Docs', Item: { pk: { S: 'c' }, embedding: vector(0, 1, 0) } }));
    const [index] = (await describeVectors('Docs'))!;
    assert.deepEqual(
      { ...index, IndexSizeBytes: undefined },
      {
        IndexName: 'vix',
        VectorAttribute: { AttributeName: 'embedding' },
        Dimensions: 3,
        DistanceFunction: 'COSINE',
        SearchSchema: [{ AttributeName: 'tenant', SearchSchemaElementType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
        IndexStatus: 'ACTIVE',
        IndexSizeBytes: undefined,
        ItemCount: 1,
        IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Docs/index/vix',
      },
    );
    // KEYS_ONLY keeps pk and tenant (2+1 and 6+2 bytes) and the vector as its name plus 4 bytes a dimension.
    assert.equal(index.IndexSizeBytes, 3 + 8 + 'embedding'.length + 12);
  });

  test('CreateTable refuses what the service refuses, in its words', async () => {
    const refusals: [CreateTableCommandInput, string][] = [
      [{ ...table('Refused1', [vix()]), BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, 'One or more parameter values were invalid: Vector indexes are only supported for PAY_PER_REQUEST tables'],
      [table('Refused2', [vix({ Dimensions: 4097 })]), 'One or more parameter values were invalid: Number of dimensions must be between 1 and 4096 inclusive.'],
      [table('Refused3', [vix({ Dimensions: 0 })]), "1 validation error detected: Value '0' at 'vectorIndexes.1.member.dimensions' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [table('Refused4', Array.from({ length: 6 }, (_, i) => vix({ IndexName: `vix-${i}` }))), 'One or more parameter values were invalid: VectorIndex count exceeds the per-table limit of 5'],
      [table('Refused5', [vix(), vix({ IndexName: 'vix2', Dimensions: 4 })]), "One or more parameter values were invalid: Conflicting attribute definition for 'embedding'. All VectorIndexes on the same vector attribute must use the same dimensions."],
      [table('Refused6', [vix(), vix()]), 'One or more parameter values were invalid: Duplicate index name: vix'],
      [table('Refused7', []), 'One or more parameter values were invalid: List of VectorIndexes is empty'],
      [table('Refused8', [vix({ SearchSchema: [{ AttributeName: 'tenant', SearchSchemaElementType: 'HASH' }] })]), 'One or more parameter values were invalid: One element in SearchSchema is not defined in attribute definitions'],
      [table('Refused9', [vix({ VectorAttribute: { AttributeName: 'pk' } })]), "One or more parameter values were invalid: Conflicting attribute definition for 'pk'. An attribute cannot be defined in AttributeDefinitions when used as a VectorAttribute."],
      [table('Refused10', [vix({ IndexName: 'vx' })]), "1 validation error detected: Value 'vx' at 'vectorIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
      [table('Refused11', [vix({ DistanceFunction: 'MANHATTAN' as 'COSINE' })]), "1 validation error detected: Value 'MANHATTAN' at 'vectorIndexes.1.member.distanceFunction' failed to satisfy constraint: Member must satisfy enum value set: [DOT_PRODUCT, COSINE, EUCLIDEAN]"],
    ];
    for (const [input, message] of refusals) {
      const error = await errorOf(() => h.client.send(new CreateTableCommand(input)));
      assert.deepEqual({ name: error.name, message: error.message }, { name: 'ValidationException', message }, input.TableName);
    }
  });

  test('writes refuse malformed vectors and search-schema values, on every write path', async () => {
    await h.client.send(
      new CreateTableCommand({
        ...table('Checked', [vix({ SearchSchema: [{ AttributeName: 'tenant', SearchSchemaElementType: 'HASH' }, { AttributeName: 'tier', SearchSchemaElementType: 'INLINE_FILTER' }] })]),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'tenant', AttributeType: 'S' },
          { AttributeName: 'tier', AttributeType: 'N' },
        ],
      }),
    );
    const cases: [Record<string, unknown>, string][] = [
      [{ embedding: { S: '1,2,3' } }, 'One or more parameter values were invalid. Invalid type for parameter embedding, Expected: 32-bit floating point number list IndexName: vix'],
      [{ embedding: { L: [{ N: '1' }, { S: '2' }, { N: '3' }] } }, 'One or more parameter values were invalid. Invalid type for parameter embedding[1], Expected: 32-bit floating point number, Actual: S. IndexName: vix'],
      [{ embedding: { L: [{ N: '-400000000000000000000000000000000000000' }, { N: '0' }, { N: '0' }] } }, 'One or more parameter values were invalid. Invalid value for parameter embedding[0], Value: -400000000000000000000000000000000000000 is outside valid range [-3.4028235E38, 3.4028235E38]. IndexName: vix'],
      [{ embedding: vector(1, 2) }, 'One or more parameter values were invalid. Invalid size for parameter embedding, Expected: 3, Actual: 2 IndexName: vix'],
      [{ tenant: { N: '1' } }, "One or more parameter values were invalid. Attribute 'tenant' type mismatch. Expected: S, Actual: N. IndexName: vix"],
      [{ tier: { S: 'gold' } }, "One or more parameter values were invalid. Attribute 'tier' type mismatch. Expected: N, Actual: S. IndexName: vix"],
      [{ tenant: { S: '' } }, 'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: vix, IndexKey: tenant'],
    ];
    for (const [attributes, message] of cases) {
      const item = { pk: { S: 'p' }, ...attributes } as never;
      const put = await errorOf(() => h.client.send(new PutItemCommand({ TableName: 'Checked', Item: item })));
      assert.deepEqual({ name: put.name, message: put.message }, { name: 'ValidationException', message }, JSON.stringify(attributes));
      const batch = await errorOf(() => h.client.send(new BatchWriteItemCommand({ RequestItems: { Checked: [{ PutRequest: { Item: item } }] } })));
      assert.equal(batch.message, message);
    }
    const update = await errorOf(() =>
      h.client.send(new UpdateItemCommand({ TableName: 'Checked', Key: { pk: { S: 'p' } }, UpdateExpression: 'SET embedding = :v', ExpressionAttributeValues: { ':v': vector(1, 2) } })),
    );
    assert.equal(update.message, 'One or more parameter values were invalid. Invalid size for parameter embedding, Expected: 3, Actual: 2 IndexName: vix');
    const transaction = await errorOf(() =>
      h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Checked', Item: { pk: { S: 'p' }, embedding: vector(1, 2) } } }] })),
    );
    assert.match(transaction.message, /\[ValidationError\]/);
    // Items without the attributes are written and simply left out of the index.
    await h.client.send(new PutItemCommand({ TableName: 'Checked', Item: { pk: { S: 'plain' } } }));
    assert.equal((await describeVectors('Checked'))![0].ItemCount, 0);
  });

  test('UpdateTable adds a vector index with a backfill of existing items (Backfilling until ACTIVE) and deletes it', async () => {
    await h.client.send(new CreateTableCommand(table('Later')));
    for (let i = 0; i < 30; i++) {
      await h.client.send(new PutItemCommand({ TableName: 'Later', Item: { pk: { S: `p${i}` }, embedding: vector(i, 1, 0) } }));
    }
    // Malformed for the index to come: skipped by the backfill, not refused.
    await h.client.send(new PutItemCommand({ TableName: 'Later', Item: { pk: { S: 'short' }, embedding: vector(1, 2) } }));
    const updated = await h.client.send(new UpdateTableCommand({ TableName: 'Later', VectorIndexUpdates: [{ Create: vix() }] }));
    const creating = updated.TableDescription!.VectorIndexes![0];
    assert.equal(creating.IndexStatus, 'CREATING');
    assert.equal(creating.Backfilling, false);
    const active = await waitForActive('Later', 'vix');
    assert.equal(active.Backfilling, undefined);
    assert.equal(active.ItemCount, 30);
    const again = await errorOf(() => h.client.send(new UpdateTableCommand({ TableName: 'Later', VectorIndexUpdates: [{ Create: vix() }] })));
    assert.deepEqual({ name: again.name, message: again.message }, { name: 'ValidationException', message: 'Attempting to create an index which already exists' });
    const provisioned = await errorOf(() =>
      h.client.send(new UpdateTableCommand({ TableName: 'Later', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
    );
    assert.equal(provisioned.message, 'One or more parameter values were invalid: Vector indexes are only supported for PAY_PER_REQUEST tables');
    await h.client.send(new UpdateTableCommand({ TableName: 'Later', VectorIndexUpdates: [{ Delete: { IndexName: 'vix' } }] }));
    assert.equal(await describeVectors('Later'), undefined);
    const missing = await errorOf(() => h.client.send(new UpdateTableCommand({ TableName: 'Later', VectorIndexUpdates: [{ Delete: { IndexName: 'vix' } }] })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  test('UpdateTable refusals: a sixth index, the table key as vector attribute, an undeclared search-schema attribute', async () => {
    await h.client.send(new CreateTableCommand(table('Full', Array.from({ length: 5 }, (_, i) => vix({ IndexName: `vix-${i}` })))));
    const sixth = await errorOf(() => h.client.send(new UpdateTableCommand({ TableName: 'Full', VectorIndexUpdates: [{ Create: vix({ IndexName: 'vix-5' }) }] })));
    assert.deepEqual(
      { name: sixth.name, message: sixth.message },
      { name: 'LimitExceededException', message: 'Subscriber limit exceeded: Number of vector secondary indexes exceeds per-table limit of 5' },
    );
    const key = await errorOf(() => h.client.send(new UpdateTableCommand({ TableName: 'Full', VectorIndexUpdates: [{ Delete: { IndexName: 'vix-0' } }, { Create: vix({ IndexName: 'onkey', VectorAttribute: { AttributeName: 'pk' } }) }] })));
    assert.equal(
      key.message,
      'One or more parameter values were invalid: Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. Existing schema: Schema:[SchemaElement: key{pk:S:HASH}] New schema: VectorIndexSchema:[VectorAttribute: key{pk:L:3}]',
    );
    const schema = await errorOf(() =>
      h.client.send(new UpdateTableCommand({ TableName: 'Full', VectorIndexUpdates: [{ Delete: { IndexName: 'vix-0' } }, { Create: vix({ IndexName: 'other', SearchSchema: [{ AttributeName: 'pk', SearchSchemaElementType: 'HASH' }] }) }] })),
    );
    assert.equal(schema.message, 'One or more parameter values were invalid: One element in SearchSchema is not defined in attribute definitions');
  });
});
