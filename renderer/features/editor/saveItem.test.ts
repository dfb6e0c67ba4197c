import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertText, formatItem, parseItem, putInput } from './saveItem.ts';
import { toCreateTableInput, emptyForm, emptyIndex } from '../tables/createTableInput.ts';
import { compareValues } from '../../shared/attributeValues.ts';

const keyTypes = { pk: 'S' as const };

test('an edit is conditioned on every loaded attribute; a new item on a free key', () => {
  const original = { pk: { S: 'a' }, n: { N: '1' }, tags: { SS: ['x'] } };
  const edit = putInput('T', { ...original, n: { N: '2' } }, ['pk'], original);
  assert.equal(edit.ConditionExpression, 'attribute_exists(#k0) AND #a0 = :a0 AND #a1 = :a1');
  assert.deepEqual(edit.ExpressionAttributeNames, { '#k0': 'pk', '#a0': 'n', '#a1': 'tags' });
  assert.deepEqual(edit.ExpressionAttributeValues, { ':a0': { N: '1' }, ':a1': { SS: ['x'] } });
  const create = putInput('T', original, ['pk'], undefined);
  assert.equal(create.ConditionExpression, 'attribute_not_exists(#k0)');
});

test('validation names the bad path and checks key types', () => {
  assert.throws(() => parseItem('{"pk": {"S": "a"}, "n": {"N": "x"}}', 'dynamodb', keyTypes), /n: N must be a number/);
  assert.throws(() => parseItem('{"pk": {"N": "1"}}', 'dynamodb', keyTypes), /must be of type S/);
  assert.throws(() => parseItem('{"n": 1}', 'plain', keyTypes), /"pk" is missing/);
  assert.deepEqual(parseItem('{"pk": "a", "m": {"x": [1, true, null]}}', 'plain', keyTypes), {
    pk: { S: 'a' },
    m: { M: { x: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }] } } },
  });
});

test('plain JSON is refused for items it cannot express', () => {
  assert.throws(() => convertText('{"pk": {"S": "a"}, "s": {"SS": ["x"]}}', 'dynamodb', 'plain', keyTypes), /cannot express/);
});

const ISSUE_ITEM = '{"pk":"A","total":12345678901234567890123456789012345678,"price":0.1000000000000000000000000000000000001,"big":9007199254740993}';
const ISSUE_NUMBERS = { total: { N: '12345678901234567890123456789012345678' }, price: { N: '0.1000000000000000000000000000000000001' }, big: { N: '9007199254740993' } };

test('plain JSON is read losslessly: every digit DynamoDB keeps reaches the item', () => {
  assert.deepEqual(parseItem(ISSUE_ITEM, 'plain', keyTypes), { pk: { S: 'A' }, ...ISSUE_NUMBERS });
  assert.deepEqual(parseItem('{"pk": "A", "deep": {"l": [0.00000000000000000000000000000000000000001, -98765432109876543210.5]}}', 'plain', keyTypes).deep, {
    M: { l: { L: [{ N: '0.00000000000000000000000000000000000000001' }, { N: '-98765432109876543210.5' }] } },
  });
});

test('switching formats keeps every digit, both ways', () => {
  const dynamo = convertText(ISSUE_ITEM, 'plain', 'dynamodb', keyTypes);
  assert.deepEqual(JSON.parse(dynamo), { pk: { S: 'A' }, ...ISSUE_NUMBERS });
  const plain = convertText(dynamo, 'dynamodb', 'plain', keyTypes);
  assert.match(plain, /"total": 12345678901234567890123456789012345678,/);
  assert.match(plain, /"price": 0.1000000000000000000000000000000000001,/);
  assert.match(plain, /"big": 9007199254740993\n/);
  assert.deepEqual(parseItem(plain, 'plain', keyTypes), parseItem(ISSUE_ITEM, 'plain', keyTypes));
  // Numbers written as DynamoDB JSON allows but JSON does not (+5, .5, 5.) show as DynamoDB stores them.
  assert.equal(convertText('{"pk": {"S": "A"}, "a": {"N": "+5"}, "b": {"N": ".5"}, "c": {"N": "5."}, "d": {"N": "1e3"}}', 'dynamodb', 'plain', keyTypes), formatItem(
    { pk: { S: 'A' }, a: { N: '5' }, b: { N: '0.5' }, c: { N: '5' }, d: { N: '1000' } },
    'plain',
  ));
});

test("numbers DynamoDB would refuse are stopped before sending, in DynamoDB's words", () => {
  assert.throws(() => parseItem('{"pk": "A", "n": 123456789012345678901234567890123456789}', 'plain', keyTypes), {
    message: 'n: Attempting to store more than 38 significant digits in a Number',
  });
  assert.throws(() => parseItem('{"pk": "A", "n": [1e126]}', 'plain', keyTypes), {
    message: 'n[0]: Number overflow. Attempting to store a number with magnitude larger than supported range',
  });
  assert.throws(() => parseItem('{"pk": {"S": "A"}, "n": {"N": "1e-131"}}', 'dynamodb', keyTypes), {
    message: 'n: Number underflow. Attempting to store a number with magnitude smaller than supported range',
  });
  assert.throws(() => parseItem('{"pk": {"S": "A"}, "n": {"NS": ["1", "1234567890123456789012345678901234567890"]}}', 'dynamodb', keyTypes), {
    message: 'n: Attempting to store more than 38 significant digits in a Number',
  });
  assert.throws(() => convertText('{"pk": "A", "n": 1e126}', 'plain', 'dynamodb', keyTypes), /Number overflow/);
});

test('a key written twice is an error, and absurd nesting is refused rather than crashing', () => {
  assert.throws(() => parseItem('{"pk": "A", "n": 1, "n": 2}', 'plain', keyTypes), /Not valid JSON: Duplicate key 'n'/);
  assert.throws(() => parseItem('{"pk": "A", "n": ' + '['.repeat(200_000) + ']'.repeat(200_000) + '}', 'plain', keyTypes), /nested too deeply/);
});

test('numbers sort numerically, beyond double precision', () => {
  assert.ok(compareValues({ N: '9' }, { N: '10' }) < 0);
  assert.ok(compareValues({ N: '12345678901234567890123' }, { N: '12345678901234567890124' }) < 0);
  assert.ok(compareValues({ N: '-1' }, { N: '0.5' }) < 0);
});

test('the create-table form becomes CreateTable input with each key defined once', () => {
  const form = { ...emptyForm(), tableName: 'Orders', sortKey: { name: 'sk', type: 'N' as const } };
  form.globalIndexes = [{ ...emptyIndex('global', 0), partitionKey: { name: 'sk', type: 'N' }, projection: 'INCLUDE', nonKeyAttributes: 'a, b' }];
  form.streamView = 'NEW_IMAGE';
  const input = toCreateTableInput(form);
  assert.deepEqual(input.AttributeDefinitions, [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ]);
  assert.deepEqual((input.GlobalSecondaryIndexes as { Projection: unknown }[])[0]!.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] });
  assert.deepEqual(input.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  assert.equal(input.ProvisionedThroughput, undefined);
});
