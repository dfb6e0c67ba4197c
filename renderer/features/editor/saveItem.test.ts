import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertText, parseItem, putInput } from './saveItem.ts';
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
