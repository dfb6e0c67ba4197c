/**
 * Values written to secondary-index key attributes, on every write surface, with the service's
 * texts (real DynamoDB, four regions, 2026-06-23; paritysuite dynamodb-conformance
 * tier3/error-messages). The table's lsi1sk keys both gsi1 and lsi1: messages name gsi1, the
 * alphabetically first.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const EMPTY_IN_ITEM = (kind: string, index: string, attribute: string) =>
  `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index}, IndexKey: ${attribute}`;
const EMPTY_BY_UPDATE = (kind: string) =>
  `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value.`;
const TOO_LONG = (attribute: string, bytes: number, max: number, index: string) =>
  `One or more parameter values were invalid: Size limit exceeded for Index Key ${attribute} Actual Size: ${bytes} bytes Max Size: ${max} bytes IndexName: ${index}`;
const MISMATCH = (actual: string) => `One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: ${actual} IndexName: gsi1`;

describe('secondary-index key values on every write surface', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Indexed',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'lsi1sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          { IndexName: 'lsi1', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsi1sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'lsi1sk', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await h.client.send(
      new CreateTableCommand({
        TableName: 'BinaryIndexed',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'bidx', AttributeType: 'B' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'gsib', KeySchema: [{ AttributeName: 'bidx', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  after(() => h.close());

  async function assertNothingWritten(): Promise<void> {
    const got = await h.client.send(new GetItemCommand({ TableName: 'Indexed', Key: { pk: { S: 'p' }, sk: { S: 's' } }, ConsistentRead: true }));
    assert.equal(got.Item, undefined);
    const binary = await h.client.send(new GetItemCommand({ TableName: 'BinaryIndexed', Key: { pk: { S: 'p' } }, ConsistentRead: true }));
    assert.equal(binary.Item, undefined);
  }

  async function assertRefused(send: () => Promise<unknown>, message: string): Promise<void> {
    const error = await errorOf(send);
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, message);
    await assertNothingWritten();
  }

  const update = (TableName: string, Key: Record<string, { S: string }>, value: Record<string, unknown>) => ({
    TableName,
    Key,
    UpdateExpression: 'SET #i = :v',
    ExpressionAttributeNames: { '#i': TableName === 'Indexed' ? 'lsi1sk' : 'bidx' },
    ExpressionAttributeValues: { ':v': value as never },
  });

  test('PutItem and BatchWriteItem refuse an empty string or binary, naming the index and attribute', async () => {
    const emptyString = { pk: { S: 'p' }, sk: { S: 's' }, lsi1sk: { S: '' } };
    const emptyBinary = { pk: { S: 'p' }, bidx: { B: new Uint8Array() } };
    await assertRefused(() => h.client.send(new PutItemCommand({ TableName: 'Indexed', Item: emptyString })), EMPTY_IN_ITEM('string', 'gsi1', 'lsi1sk'));
    await assertRefused(() => h.client.send(new PutItemCommand({ TableName: 'BinaryIndexed', Item: emptyBinary })), EMPTY_IN_ITEM('binary', 'gsib', 'bidx'));
    await assertRefused(
      () => h.client.send(new BatchWriteItemCommand({ RequestItems: { Indexed: [{ PutRequest: { Item: emptyString } }] } })),
      EMPTY_IN_ITEM('string', 'gsi1', 'lsi1sk'),
    );
    await assertRefused(
      () => h.client.send(new BatchWriteItemCommand({ RequestItems: { BinaryIndexed: [{ PutRequest: { Item: emptyBinary } }] } })),
      EMPTY_IN_ITEM('binary', 'gsib', 'bidx'),
    );
    await assertRefused(
      () => h.client.send(new BatchWriteItemCommand({ RequestItems: { Indexed: [{ PutRequest: { Item: { ...emptyString, lsi1sk: { N: '5' } } } }] } })),
      MISMATCH('N'),
    );
    // An empty value on an attribute no index keys on is an ordinary value.
    await h.client.send(new PutItemCommand({ TableName: 'Indexed', Item: { pk: { S: 'other' }, sk: { S: 's' }, note: { S: '' } } }));
  });

  test('UpdateItem refuses an empty index key value in the update-expression wording', async () => {
    await assertRefused(() => h.client.send(new UpdateItemCommand(update('Indexed', { pk: { S: 'p' }, sk: { S: 's' } }, { S: '' }))), EMPTY_BY_UPDATE('string'));
    await assertRefused(() => h.client.send(new UpdateItemCommand(update('BinaryIndexed', { pk: { S: 'p' } }, { B: new Uint8Array() }))), EMPTY_BY_UPDATE('binary'));
  });

  test('TransactWriteItems: an empty value refuses the request, a wrong type cancels the action', async () => {
    const key = { pk: { S: 'p' }, sk: { S: 's' } };
    await assertRefused(
      () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Indexed', Item: { ...key, lsi1sk: { S: '' } } } }] })),
      EMPTY_IN_ITEM('string', 'gsi1', 'lsi1sk'),
    );
    await assertRefused(
      () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'BinaryIndexed', Item: { pk: { S: 'p' }, bidx: { B: new Uint8Array() } } } }] })),
      EMPTY_IN_ITEM('binary', 'gsib', 'bidx'),
    );
    await assertRefused(() => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: update('Indexed', key, { S: '' }) }] })), EMPTY_BY_UPDATE('string'));
    await assertRefused(
      () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: update('BinaryIndexed', { pk: { S: 'p' } }, { B: new Uint8Array() }) }] })),
      EMPTY_BY_UPDATE('binary'),
    );
    const cancellations: [string, () => Promise<unknown>][] = [
      ['N', () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Indexed', Item: { ...key, lsi1sk: { N: '5' } } } }] }))],
      ['L', () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Indexed', Item: { ...key, lsi1sk: { L: [{ S: 'x' }] } } } }] }))],
      ['N', () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: update('Indexed', key, { N: '5' }) }] }))],
    ];
    for (const [actual, send] of cancellations) {
      const error = (await errorOf(send)) as unknown as TransactionCanceledException;
      assert.equal(error.name, 'TransactionCanceledException');
      assert.equal(error.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]');
      assert.deepEqual(error.CancellationReasons, [{ Code: 'ValidationError', Message: MISMATCH(actual) }]);
      await assertNothingWritten();
    }
  });

  test('a value longer than an index key may be is refused on every write surface, naming the first index it breaks', async () => {
    const key = { pk: { S: 'p' }, sk: { S: 's' } };
    const text = (bytes: number) => ({ S: 'x'.repeat(bytes) });
    // lsi1sk is gsi1's partition key (2,048 bytes at most) and lsi1's sort key (1,024).
    await assertRefused(() => h.client.send(new PutItemCommand({ TableName: 'Indexed', Item: { ...key, lsi1sk: text(1025) } })), TOO_LONG('lsi1sk', 1025, 1024, 'lsi1'));
    await assertRefused(() => h.client.send(new PutItemCommand({ TableName: 'Indexed', Item: { ...key, lsi1sk: text(2049) } })), TOO_LONG('lsi1sk', 2049, 2048, 'gsi1'));
    await assertRefused(
      () => h.client.send(new PutItemCommand({ TableName: 'BinaryIndexed', Item: { pk: { S: 'p' }, bidx: { B: new Uint8Array(2049).fill(1) } } })),
      TOO_LONG('bidx', 2049, 2048, 'gsib'),
    );
    await assertRefused(
      () => h.client.send(new BatchWriteItemCommand({ RequestItems: { Indexed: [{ PutRequest: { Item: { ...key, lsi1sk: text(1025) } } }] } })),
      TOO_LONG('lsi1sk', 1025, 1024, 'lsi1'),
    );
    await assertRefused(() => h.client.send(new UpdateItemCommand(update('Indexed', key, text(1025)))), TOO_LONG('lsi1sk', 1025, 1024, 'lsi1'));
    const error = (await errorOf(() =>
      h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Indexed', Item: { ...key, lsi1sk: text(1025) } } }] })),
    )) as unknown as TransactionCanceledException;
    assert.deepEqual(error.CancellationReasons, [{ Code: 'ValidationError', Message: TOO_LONG('lsi1sk', 1025, 1024, 'lsi1') }]);
    await assertNothingWritten();

    // At the limits they are stored and found.
    await h.client.send(new PutItemCommand({ TableName: 'Indexed', Item: { pk: { S: 'edge' }, sk: { S: 's' }, lsi1sk: text(1024) } }));
    await h.client.send(new PutItemCommand({ TableName: 'BinaryIndexed', Item: { pk: { S: 'edge' }, bidx: { B: new Uint8Array(2048).fill(1) } } }));
    const found = await h.client.send(new GetItemCommand({ TableName: 'BinaryIndexed', Key: { pk: { S: 'edge' } } }));
    assert.equal(found.Item?.bidx.B?.length, 2048);
  });
});
