/**
 * Limits as real DynamoDB enforces them, to the byte and the level, with its texts. The figures
 * were captured against the live service by paritysuite/dynamodb-conformance (tier3/limits:
 * numberByteSize, numberExponent, nestingDepth; eu-west-2 and us-east-1, 2026).
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const MAX_ITEM_BYTES = 409_600;
const TOO_BIG = 'Item size has exceeded the maximum allowed size';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const NESTING = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/** `depth` single-key maps around a string: the attribute is level 1, so the leaf is at depth + 1. */
function deepMap(depth: number): AttributeValue {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < depth; i++) value = { M: { n: value } };
  return value;
}

/** The same with single-element lists. */
function deepList(depth: number): AttributeValue {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < depth; i++) value = { L: [value] };
  return value;
}

describe('limits as the service enforces them', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Limits',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  after(() => h.close());

  const put = (Item: Record<string, AttributeValue>) => h.client.send(new PutItemCommand({ TableName: 'Limits', Item }));

  test('a fractional integer parameter is truncated toward zero before it is checked, as Java converts it', async () => {
    const error = await errorOf(() => h.client.send(new ScanCommand({ TableName: 'Limits', Limit: -2.7 })));
    assert.equal(error.message, "1 validation error detected: Value '-2' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  test('a number costs 1 + half its integer digits + half its fraction digits (rounded up) + 1 if negative', async () => {
    // An item of exactly 409,600 bytes at the number's cost is stored; one byte more is refused.
    // All but the last four are the captured figures (src/item-size.ts CAPTURED_NUMBER_BYTES,
    // eu-west-2, 2026-08-18); those four follow the captured rule.
    const costs: [string, number][] = [
      ['0', 1],
      ['-0', 1],
      ['12', 2],
      ['1234', 3],
      ['12345678901234567890123456789012345678', 20],
      ['0042', 2],
      ['100', 2],
      ['1010', 3],
      ['0.0000001', 2],
      ['1E-100', 2],
      ['1.200', 3],
      ['100.5', 4],
      ['-42', 3],
      ['123456', 4],
      ['3.14159', 5],
      ['1E125', 2],
      ['1', 2],
      ['-1', 3],
      ['12.5', 3],
      ['0.05', 2],
      ['1.005', 4],
    ];
    for (const [literal, cost] of costs) {
      const item = (pk: string, total: number) => ({
        pk: { S: pk },
        n: { N: literal },
        p: { S: 'a'.repeat(total - (2 + pk.length) - 1 - cost - 1) },
      });
      await put(item('at', MAX_ITEM_BYTES));
      const error = await errorOf(() => put(item('ov', MAX_ITEM_BYTES + 1)));
      assert.equal(error.message, TOO_BIG, `${literal} costs ${cost}`);
    }
    const stored = await h.client.send(new GetItemCommand({ TableName: 'Limits', Key: { pk: { S: 'at' } } }));
    assert.equal(stored.Item?.n.N, '1.005');
  });

  test('exponents are read in full before the range checks; zero is checked by its written exponent', async () => {
    const cases: [string, string][] = [
      ['1e99999999999', OVERFLOW],
      ['1e2147483648', OVERFLOW],
      ['1e-99999999999', UNDERFLOW],
      ['1e9223372036854775807', OVERFLOW],
      ['1e9223372036854775808', 'The parameter cannot be converted to a numeric value: 1e9223372036854775808'],
      ['0e126', OVERFLOW],
      ['0e-131', UNDERFLOW],
    ];
    for (const [literal, message] of cases) {
      const error = await errorOf(() => put({ pk: { S: 'x' }, n: { N: literal } }));
      assert.equal(error.name, 'ValidationException', literal);
      assert.equal(error.message, message, literal);
    }
    await put({ pk: { S: 'zero' }, n: { N: '0e125' }, small: { N: '1e-130' } });
    const stored = await h.client.send(new GetItemCommand({ TableName: 'Limits', Key: { pk: { S: 'zero' } } }));
    assert.equal(stored.Item?.n.N, '0');
  });

  test('a number with whitespace around its digits cannot be converted, wherever it is sent', async () => {
    await h.client.send(
      new CreateTableCommand({
        TableName: 'NumberKeys',
        AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const literal of [' 1', '1 ', '\t2.5', '3e2\n']) {
      const refusals = [
        () => put({ pk: { S: 'spaced' }, n: { N: literal } }),
        () => put({ pk: { S: 'spaced' }, ns: { NS: ['7', literal] } }),
        () => h.client.send(new GetItemCommand({ TableName: 'NumberKeys', Key: { n: { N: literal } } })),
        () => h.client.send(new PutItemCommand({ TableName: 'NumberKeys', Item: { n: { N: literal } } })),
      ];
      for (const refused of refusals) {
        const error = await errorOf(refused);
        assert.equal(error.name, 'ValidationException', JSON.stringify(literal));
        assert.equal(error.message, `The parameter cannot be converted to a numeric value: ${literal}`);
      }
    }
    const stored = await h.client.send(new GetItemCommand({ TableName: 'Limits', Key: { pk: { S: 'spaced' } } }));
    assert.equal(stored.Item, undefined);
  });

  test('documents nest 32 levels on every write surface, counting the attribute as level 1', async () => {
    await put({ pk: { S: 'deep' }, data: deepMap(31) });
    const writes: (() => Promise<unknown>)[] = [
      () => put({ pk: { S: 'too-deep' }, data: deepMap(32) }),
      () => h.client.send(new BatchWriteItemCommand({ RequestItems: { Limits: [{ PutRequest: { Item: { pk: { S: 'too-deep' }, data: deepMap(32) } } }] } })),
      () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Limits', Item: { pk: { S: 'too-deep' }, data: deepMap(32) } } }] })),
    ];
    for (const write of writes) {
      const error = await errorOf(write);
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, NESTING);
    }
    // UpdateItem checks its ExpressionAttributeValues' depth up front too: 31 levels reach the
    // condition (which fails), 32 are refused.
    const update = (deep: AttributeValue) =>
      h.client.send(
        new UpdateItemCommand({
          TableName: 'Limits',
          Key: { pk: { S: 'deep' } },
          UpdateExpression: 'SET touched = :t',
          ConditionExpression: '#d = :deep',
          ExpressionAttributeNames: { '#d': 'absent' },
          ExpressionAttributeValues: { ':t': { S: 'y' }, ':deep': deep },
        }),
      );
    assert.equal((await errorOf(() => update(deepMap(31)))).name, 'ConditionalCheckFailedException');
    const refused = await errorOf(() => update(deepMap(32)));
    assert.equal(refused.name, 'ValidationException');
    // Enveloped, as PutItem's and UpdateItem's request checks are, but without "ExpressionAttributeValues contains invalid value".
    assert.equal(refused.message, `1 validation error detected: ${NESTING}`);
  });

  test('far deeper documents are refused in the service’s order too, not as unreadable requests', async () => {
    for (const depth of [63, 64, 100, 300]) {
      const surfaces: (() => Promise<unknown>)[] = [
        () => put({ pk: { S: 'deeper' }, data: deepMap(depth) }),
        () => put({ pk: { S: 'deeper' }, data: deepList(depth) }),
        () => h.client.send(new BatchWriteItemCommand({ RequestItems: { Limits: [{ PutRequest: { Item: { pk: { S: 'deeper' }, data: deepMap(depth) } } }] } })),
        () => h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Limits', Item: { pk: { S: 'deeper' }, data: deepMap(depth) } } }] })),
      ];
      for (const write of surfaces) {
        const error = await errorOf(write);
        assert.equal(error.name, 'ValidationException', `${depth} levels`);
        assert.equal(error.message, NESTING);
      }
      // The request's constraint errors come before the document's depth.
      const unnamed = await errorOf(() => h.client.send(new PutItemCommand({ TableName: undefined, Item: { pk: { S: 'deeper' }, data: deepMap(depth) } })));
      assert.equal(unnamed.message, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    }
  });
});
