import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

describe('item operations through the AWS SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'MyTable',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Numbers',
        AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  after(() => h.close());

  test('all ten attribute types round-trip; numbers come back normalised', async () => {
    const item: Record<string, AttributeValue> = {
      PK: { S: 'types' },
      SK: { S: 'all' },
      s: { S: 'héllo' },
      n: { N: '0001.500' },
      b: { B: Buffer.from([0, 1, 2, 255]) },
      bool: { BOOL: false },
      nul: { NULL: true },
      m: { M: { inner: { L: [{ S: 'x' }, { N: '-0.0' }] } } },
      l: { L: [{ BOOL: true }, { M: {} }] },
      ss: { SS: ['b', 'a'] },
      ns: { NS: ['1', '2.50'] },
      bs: { BS: [Buffer.from('a'), Buffer.from('b')] },
    };
    await h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: item }));
    const got = await h.client.send(new GetItemCommand({ TableName: 'MyTable', Key: { PK: { S: 'types' }, SK: { S: 'all' } }, ConsistentRead: true }));
    const out = got.Item!;
    assert.equal(out.s.S, 'héllo');
    assert.equal(out.n.N, '1.5');
    assert.deepEqual([...(out.b.B as Uint8Array)], [0, 1, 2, 255]);
    assert.equal(out.bool.BOOL, false);
    assert.equal(out.nul.NULL, true);
    assert.deepEqual(out.m.M?.inner.L, [{ S: 'x' }, { N: '0' }]);
    assert.deepEqual(out.ss.SS?.sort(), ['a', 'b']);
    assert.deepEqual(out.ns.NS?.sort(), ['1', '2.5']);
    assert.equal(out.bs.BS?.length, 2);
  });

  test('the guide’s DocumentClient flow: put, get, update with ReturnValues, delete', async () => {
    await h.doc.send(new PutCommand({ TableName: 'MyTable', Item: { PK: 'USER#user001', SK: 'PROFILE', Name: 'John Doe', Email: 'john@example.com', Age: 30 } }));
    const got = await h.doc.send(new GetCommand({ TableName: 'MyTable', Key: { PK: 'USER#user001', SK: 'PROFILE' } }));
    assert.deepEqual(got.Item, { PK: 'USER#user001', SK: 'PROFILE', Name: 'John Doe', Email: 'john@example.com', Age: 30 });
    const updated = await h.doc.send(
      new UpdateCommand({
        TableName: 'MyTable',
        Key: { PK: 'USER#user001', SK: 'PROFILE' },
        UpdateExpression: 'SET #n = :name, Age = Age + :inc',
        ExpressionAttributeNames: { '#n': 'Name' },
        ExpressionAttributeValues: { ':name': 'John Smith', ':inc': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    assert.deepEqual(updated.Attributes, { Name: 'John Smith', Age: 31 });
    const locked = await errorOf(() =>
      h.doc.send(
        new UpdateCommand({
          TableName: 'MyTable',
          Key: { PK: 'USER#user001', SK: 'PROFILE' },
          UpdateExpression: 'SET #n = :name, Version = :newVersion',
          ConditionExpression: 'Version = :expectedVersion',
          ExpressionAttributeNames: { '#n': 'Name' },
          ExpressionAttributeValues: { ':name': 'John Updated', ':newVersion': 2, ':expectedVersion': 1 },
        }),
      ),
    );
    assert.equal(locked.name, 'ConditionalCheckFailedException');
    assert.equal(locked.message, 'The conditional request failed');
    const deleted = await h.doc.send(new DeleteCommand({ TableName: 'MyTable', Key: { PK: 'USER#user001', SK: 'PROFILE' }, ReturnValues: 'ALL_OLD' }));
    assert.equal(deleted.Attributes?.Name, 'John Smith');
    const after = await h.doc.send(new GetCommand({ TableName: 'MyTable', Key: { PK: 'USER#user001', SK: 'PROFILE' } }));
    assert.equal(after.Item, undefined);
  });

  test('conditional put only if absent; the failure can return the old item', async () => {
    const key = { PK: 'USER#cond', SK: 'PROFILE' };
    await h.doc.send(new PutCommand({ TableName: 'MyTable', Item: { ...key, Name: 'John' }, ConditionExpression: 'attribute_not_exists(PK)' }));
    const error = await errorOf(() =>
      h.client.send(
        new PutItemCommand({
          TableName: 'MyTable',
          Item: { PK: { S: 'USER#cond' }, SK: { S: 'PROFILE' }, Name: { S: 'Other' } },
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    assert.equal(error.name, 'ConditionalCheckFailedException');
    assert.deepEqual((error as { Item?: unknown }).Item, { PK: { S: 'USER#cond' }, SK: { S: 'PROFILE' }, Name: { S: 'John' } });
  });

  test('update actions: SET arithmetic and if_not_exists, list_append, nested paths, REMOVE, ADD, DELETE', async () => {
    const Key = { PK: { S: 'upd' }, SK: { S: '1' } };
    await h.client.send(
      new UpdateItemCommand({
        TableName: 'MyTable',
        Key,
        UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, tags = :tags, profile = :profile, #it = :list ADD visits :one, colours :red',
        ExpressionAttributeNames: { '#c': 'count', '#it': 'items' },
        ExpressionAttributeValues: {
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':tags': { SS: ['a', 'b', 'c'] },
          ':profile': { M: { address: { M: { city: { S: 'Oslo' } } } } },
          ':list': { L: [{ N: '1' }, { N: '2' }] },
          ':red': { SS: ['red'] },
        },
      }),
    );
    const result = await h.client.send(
      new UpdateItemCommand({
        TableName: 'MyTable',
        Key,
        UpdateExpression: 'SET profile.address.city = :city, #it = list_append(#it, :more) DELETE tags :b ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count', '#it': 'items' },
        ExpressionAttributeValues: { ':city': { S: 'Bergen' }, ':more': { L: [{ N: '3' }] }, ':b': { SS: ['b'] }, ':one': { N: '1' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    assert.deepEqual(result.Attributes!.items.L, [{ N: '1' }, { N: '2' }, { N: '3' }]);
    const removed = await h.client.send(
      new UpdateItemCommand({ TableName: 'MyTable', Key, UpdateExpression: 'REMOVE #it[0]', ExpressionAttributeNames: { '#it': 'items' }, ReturnValues: 'ALL_NEW' }),
    );
    const item = removed.Attributes!;
    assert.equal(item.count.N, '2');
    assert.equal(item.visits.N, '1');
    assert.deepEqual(item.tags.SS?.sort(), ['a', 'c']);
    assert.equal(item.profile.M?.address.M?.city.S, 'Bergen');
    assert.deepEqual(item.items.L, [{ N: '2' }, { N: '3' }]);
    assert.deepEqual(item.colours.SS, ['red']);
  });

  test('key and item validation errors are DynamoDB’s', async () => {
    const cases: [() => Promise<unknown>, string, string][] = [
      [
        () => h.client.send(new GetItemCommand({ TableName: 'MyTable', Key: { PK: { S: 'x' } } })),
        'ValidationException',
        'The provided key element does not match the schema',
      ],
      [
        () => h.client.send(new GetItemCommand({ TableName: 'MyTable', Key: { PK: { N: '1' }, SK: { S: 'x' } } })),
        'ValidationException',
        'The provided key element does not match the schema',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' } } })),
        'ValidationException',
        'One or more parameter values were invalid: Missing the key SK in the item',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { N: '1' } } })),
        'ValidationException',
        'One or more parameter values were invalid: Type mismatch for key SK expected: S actual: N',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: '' }, SK: { S: 'a' } } })),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: PK',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'a' }, s: { SS: [] } } })),
        'ValidationException',
        'One or more parameter values were invalid: An string set  may not be empty',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'a' }, s: { SS: ['a', 'a'] } } })),
        'ValidationException',
        'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'a' }, n: { N: '1e126' } } })),
        'ValidationException',
        'Number overflow. Attempting to store a number with magnitude larger than supported range',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'a' }, big: { S: 'x'.repeat(400 * 1024) } } })),
        'ValidationException',
        'Item size has exceeded the maximum allowed size',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x'.repeat(2049) }, SK: { S: 'a' } } })),
        'ValidationException',
        'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'x'.repeat(1025) } } })),
        'ValidationException',
        'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'Missing', Item: { PK: { S: 'x' } } })),
        'ResourceNotFoundException',
        'Requested resource not found',
      ],
      [
        () => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'a' } }, ReturnValues: 'ALL_NEW' })),
        'ValidationException',
        '1 validation error detected: ReturnValues can only be ALL_OLD or NONE',
      ],
      [
        () =>
          h.client.send(
            new UpdateItemCommand({ TableName: 'MyTable', Key: { PK: { S: 'x' }, SK: { S: 'a' } }, UpdateExpression: 'SET PK = :v', ExpressionAttributeValues: { ':v': { S: 'y' } } }),
          ),
        'ValidationException',
        'One or more parameter values were invalid: Cannot update attribute PK. This attribute is part of the key',
      ],
      [
        () =>
          h.client.send(
            new UpdateItemCommand({ TableName: 'MyTable', Key: { PK: { S: 'x' }, SK: { S: 'a' } }, UpdateExpression: 'SET name = :v', ExpressionAttributeValues: { ':v': { S: 'y' } } }),
          ),
        'ValidationException',
        '1 validation error detected: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name',
      ],
      [
        () =>
          h.client.send(
            new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'x' }, SK: { S: 'a' } }, ConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: '1' }, ':b': { S: '2' } } }),
          ),
        'ValidationException',
        '1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}',
      ],
    ];
    for (const [call, name, message] of cases) {
      const error = await errorOf(call);
      assert.equal(error.name, name, message);
      assert.equal(error.message, message);
    }
  });

  test('the item writes report their request checks in the validation envelope (captured 2026-10-09)', async () => {
    // Texts from real DynamoDB, us-east-1 and eu-west-2 (paritysuite/dynamodb-conformance,
    // tier3/error-messages putItem, deleteItem and updateItem).
    const key = { PK: { S: 'envelope' }, SK: { S: 'a' } };
    const put = (extra: object) => errorOf(() => h.client.send(new PutItemCommand({ TableName: 'MyTable', Item: key, ...extra })));
    const del = (extra: object) => errorOf(() => h.client.send(new DeleteItemCommand({ TableName: 'MyTable', Key: key, ...extra })));
    const one = (text: string) => `1 validation error detected: ${text}`;
    const invalid = 'One or more parameter values were invalid: ';
    const cases: [Promise<{ name: string; message: string }>, string][] = [
      [put({ ExpressionAttributeValues: { ':v': { S: 'x' } } }), one('ExpressionAttributeValues can only be specified when using expressions')],
      [put({ ExpressionAttributeNames: { '#a': 'a' } }), one('ExpressionAttributeNames can only be specified when using expressions')],
      [put({ ConditionExpression: '' }), one('Invalid ConditionExpression: The expression can not be empty;')],
      [put({ Expected: { a: { Exists: true } } }), one(`${invalid}Value must be provided when Exists is true for Attribute: a`)],
      [put({ Expected: { a: { ComparisonOperator: 'EQ' } } }), one(`${invalid}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`)],
      [del({ ExpressionAttributeValues: { ':v': { S: 'x' } } }), one('ExpressionAttributeValues can only be specified when using expressions')],
      [del({ Expected: { a: { Exists: false } }, ExpressionAttributeNames: { '#a': 'a' } }), one('ExpressionAttributeNames can only be specified when using expressions')],
      [del({ ConditionExpression: 'attribute_exists(a)', ExpressionAttributeValues: {} }), one('ExpressionAttributeValues must not be empty')],
      [del({ ConditionExpression: 'attribute_exists(a)', ExpressionAttributeNames: {} }), one('ExpressionAttributeNames must not be empty')],
      [del({ ReturnValues: 'UPDATED_NEW' }), one('ReturnValues can only be ALL_OLD or NONE')],
      [del({ Expected: { a: { Exists: false, Value: { S: 'x' } } } }), one(`${invalid}Value cannot be used when Exists is false for Attribute: a`)],
      [del({ Expected: { a: { Value: { S: 'x' }, ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } } }), one(`${invalid}Value and AttributeValueList cannot be used together for Attribute: a`)],
      [del({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'x' }] } } }), one(`${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`)],
      [
        errorOf(() =>
          h.client.send(
            new UpdateItemCommand({ TableName: 'MyTable', Key: key, UpdateExpression: 'SET b = :w', ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':w': { S: 'x' } } }),
          ),
        ),
        one('Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'),
      ],
      // Attribute-value errors stay bare (most regions), as do key errors found after the table lookup.
      [put({ Item: { ...key, s: { SS: [] } } }), `${invalid}An string set  may not be empty`],
    ];
    for (const [pending, message] of cases) {
      const error = await pending;
      assert.equal(error.name, 'ValidationException', message);
      assert.equal(error.message, message);
    }
  });

  test('an empty TableName on the item operations fails its length alone, in the service’s words (captured 2026-09/10)', async () => {
    // Real DynamoDB (paritysuite/dynamodb-conformance): PutItem, DeleteItem and UpdateItem with
    // TableName '' in eu-west-2 (captures/cross-region-latest.json, 2026-09-20); PutItem with an
    // invalid ReturnValues beside it in us-east-1, eu-west-2 and 29 other regions (2026-10-07 sweep).
    const emptyName = "1 validation error detected: Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
    const key = { PK: { S: 'x' }, SK: { S: 'a' } };
    const calls = [
      () => h.client.send(new PutItemCommand({ TableName: '', Item: key })),
      () => h.client.send(new PutItemCommand({ TableName: '', Item: {} })),
      () => h.client.send(new PutItemCommand({ TableName: '', Item: key, ReturnValues: 'INVALID' as never })),
      () => h.client.send(new DeleteItemCommand({ TableName: '', Key: {} })),
      () => h.client.send(new UpdateItemCommand({ TableName: '', Key: {} })),
      () => h.client.send(new GetItemCommand({ TableName: '', Key: key })),
      () => h.client.send(new QueryCommand({ TableName: '', KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': { S: 'x' } } })),
      () => h.client.send(new ScanCommand({ TableName: '' })),
    ];
    for (const call of calls) {
      const error = await errorOf(call);
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, emptyName);
    }

    // With a required member missing as well, the older per-value form joins the failures in
    // member order, still without the pattern (UpdateItem without Key; eu-west-2 and us-east-1,
    // 2026-10-09, tier3/validation-ordering/updateItem).
    const emptyNameJoined = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
    const noKey = "Value null at 'key' failed to satisfy constraint: Member must not be null";
    const update = { UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } };
    const joined = await errorOf(() => h.client.send(new UpdateItemCommand({ TableName: '', ...update } as never)));
    assert.equal(joined.message, `2 validation errors detected: ${emptyNameJoined}; ${noKey}`);
    const fourJoined = await errorOf(() =>
      h.client.send(new UpdateItemCommand({ TableName: '', ...update, ReturnConsumedCapacity: 'INVALID', ReturnValues: 'INVALID' } as never)),
    );
    assert.equal(
      fourJoined.message,
      '4 validation errors detected: ' +
        "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
        `${emptyNameJoined}; ` +
        "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; " +
        noKey,
    );

    // The item operations take 1 to 255 characters (tier3/error-messages/putItem): a short name
    // is simply a missing table, a long one or a bad character fails its own constraint alone.
    const short = await errorOf(() => h.client.send(new GetItemCommand({ TableName: 'ab', Key: key })));
    assert.equal(short.name, 'ResourceNotFoundException');
    const long = await errorOf(() => h.client.send(new PutItemCommand({ TableName: 'a'.repeat(256), Item: key })));
    assert.equal(long.message, `1 validation error detected: Value '${'a'.repeat(256)}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`);
    const badChars = await errorOf(() => h.client.send(new PutItemCommand({ TableName: 'bad table!@#', Item: key })));
    assert.equal(
      badChars.message,
      "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
  });

  test('an empty binary key value is refused in the service’s words on every item operation', async () => {
    await h.client.send(
      new CreateTableCommand({
        TableName: 'BinaryKeys',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'B' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const Key = { pk: { B: new Uint8Array() } };
    const expected = 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk';
    const calls = [
      () => h.client.send(new PutItemCommand({ TableName: 'BinaryKeys', Item: Key })),
      () => h.client.send(new GetItemCommand({ TableName: 'BinaryKeys', Key })),
      () => h.client.send(new DeleteItemCommand({ TableName: 'BinaryKeys', Key })),
      () => h.client.send(new UpdateItemCommand({ TableName: 'BinaryKeys', Key, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
    ];
    for (const call of calls) {
      const error = await errorOf(call);
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, expected);
    }
  });

  test('number keys compare by value: 1.0 and 1 are the same item', async () => {
    await h.client.send(new PutItemCommand({ TableName: 'Numbers', Item: { n: { N: '1.0' }, v: { S: 'first' } } }));
    await h.client.send(new PutItemCommand({ TableName: 'Numbers', Item: { n: { N: '1' }, v: { S: 'second' } } }));
    const got = await h.client.send(new GetItemCommand({ TableName: 'Numbers', Key: { n: { N: '1.00' } } }));
    assert.equal(got.Item?.v.S, 'second');
    const described = await h.client.send(new DescribeTableCommand({ TableName: 'Numbers' }));
    assert.equal(described.Table?.ItemCount, 1);
  });

  test('ReturnConsumedCapacity follows DynamoDB’s arithmetic', async () => {
    const put = await h.client.send(
      new PutItemCommand({ TableName: 'MyTable', Item: { PK: { S: 'cap' }, SK: { S: '1' }, data: { S: 'x'.repeat(3000) } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'MyTable', CapacityUnits: 3 });
    const eventual = await h.client.send(new GetItemCommand({ TableName: 'MyTable', Key: { PK: { S: 'cap' }, SK: { S: '1' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(eventual.ConsumedCapacity?.CapacityUnits, 0.5);
    const strong = await h.client.send(
      new GetItemCommand({ TableName: 'MyTable', Key: { PK: { S: 'cap' }, SK: { S: '1' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }),
    );
    assert.deepEqual(strong.ConsumedCapacity, { TableName: 'MyTable', CapacityUnits: 1, Table: { CapacityUnits: 1 } });
  });
});

describe('durability on LMDB', () => {
  test('data survives a restart of the engine on the same directory', async () => {
    const first = await startHarness({ store: 'lmdb' });
    const dataDir = first.dataDir!;
    await first.client.send(
      new CreateTableCommand({
        TableName: 'Durable',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 50; i++) await first.doc.send(new PutCommand({ TableName: 'Durable', Item: { id: `item-${i}`, n: i } }));
    await first.engine.close();
    await first.endpoint.close();
    first.client.destroy();

    const second = await startHarness({ store: 'lmdb', dataDir });
    try {
      const got = await second.doc.send(new GetCommand({ TableName: 'Durable', Key: { id: 'item-42' } }));
      assert.deepEqual(got.Item, { id: 'item-42', n: 42 });
      const described = await second.client.send(new DescribeTableCommand({ TableName: 'Durable' }));
      assert.equal(described.Table?.ItemCount, 50);
    } finally {
      await second.close();
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('item collections on tables with local secondary indexes', () => {
  test('the collection size limit is enforced and ItemCollectionMetrics reported', async () => {
    const h = await startHarness();
    try {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'Collections',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'alt', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          LocalSecondaryIndexes: [{ IndexName: 'byAlt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'alt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      // A small limit stands in for DynamoDB's 10 GB.
      h.engine.db.itemCollectionLimitBytes = 10_000;
      const put = (sk: string) =>
        h.client.send(
          new PutItemCommand({ TableName: 'Collections', Item: { pk: { S: 'one' }, sk: { S: sk }, alt: { S: sk }, blob: { S: 'x'.repeat(2000) } }, ReturnItemCollectionMetrics: 'SIZE' }),
        );
      const first = await put('a');
      assert.deepEqual(first.ItemCollectionMetrics, { ItemCollectionKey: { pk: { S: 'one' } }, SizeEstimateRangeGB: [0, 1] });
      await put('b');
      const full = await errorOf(() => put('c'));
      assert.equal(full.name, 'ItemCollectionSizeLimitExceededException');
      // Another partition is its own collection; deleting frees room in the first.
      await h.client.send(new PutItemCommand({ TableName: 'Collections', Item: { pk: { S: 'two' }, sk: { S: 'a' }, blob: { S: 'x'.repeat(2000) } } }));
      await h.client.send(new DeleteItemCommand({ TableName: 'Collections', Key: { pk: { S: 'one' }, sk: { S: 'a' } } }));
      await put('c');
    } finally {
      await h.close();
    }
  });
});
