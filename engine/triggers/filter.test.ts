/** Lambda's filter pattern syntax, rule by rule, on records in the handler's shape. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilterCriteria } from './filter.ts';

const record = {
  eventName: 'MODIFY',
  dynamodb: {
    Keys: { pk: { S: 'USER#42' } },
    NewImage: { pk: { S: 'USER#42' }, email: { S: 'Ada@Example.com' }, total: { N: '250.5' }, tags: { SS: ['a', 'b'] }, ok: { BOOL: true } },
  },
};

function matches(pattern: unknown): boolean {
  return compileFilterCriteria({ Filters: [{ Pattern: JSON.stringify(pattern) }] })!(record);
}

describe('event filter patterns', () => {
  test('value lists, nesting and lists in the record', () => {
    assert.equal(matches({ eventName: ['INSERT', 'MODIFY'] }), true);
    assert.equal(matches({ eventName: ['INSERT'] }), false);
    assert.equal(matches({ dynamodb: { NewImage: { ok: { BOOL: [true] } } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { tags: { SS: ['b'] } } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { missing: { S: ['x'] } } } }), false);
  });

  test('prefix, suffix, equals-ignore-case and their combinations', () => {
    assert.equal(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: 'USER#' }] } } } }), true);
    assert.equal(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: 'user#' }] } } } }), false);
    assert.equal(matches({ dynamodb: { Keys: { pk: { S: [{ prefix: { 'equals-ignore-case': 'user#' } }] } } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { email: { S: [{ suffix: '@example.com' }] } } } }), false);
    assert.equal(matches({ dynamodb: { NewImage: { email: { S: [{ suffix: { 'equals-ignore-case': '@example.com' } }] } } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { email: { S: [{ 'equals-ignore-case': 'ada@example.COM' }] } } } }), true);
  });

  test('anything-but, numeric ranges on DynamoDB number strings, exists', () => {
    assert.equal(matches({ eventName: [{ 'anything-but': ['REMOVE', 'INSERT'] }] }), true);
    assert.equal(matches({ eventName: [{ 'anything-but': 'MODIFY' }] }), false);
    assert.equal(matches({ eventName: [{ 'anything-but': { prefix: 'MOD' } }] }), false);
    assert.equal(matches({ eventName: [{ 'anything-but': { 'equals-ignore-case': ['modify'] } }] }), false);
    assert.equal(matches({ dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 100, '<=', 250.5] }] } } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { total: { N: [{ numeric: ['<', 100] }] } } } }), false);
    assert.equal(matches({ dynamodb: { NewImage: { total: { N: [{ numeric: ['=', 250.5] }] } } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { email: { S: [{ numeric: ['>', 0] }] } } } }), false);
    assert.equal(matches({ dynamodb: { OldImage: [{ exists: false }] } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { ok: [{ exists: true }] } } }), true);
    assert.equal(matches({ dynamodb: { NewImage: { gone: [{ exists: true }] } } }), false);
  });

  test('$or at any level, and several filters as alternatives', () => {
    assert.equal(matches({ $or: [{ eventName: ['INSERT'] }, { dynamodb: { NewImage: { ok: { BOOL: [true] } } } }] }), true);
    assert.equal(matches({ eventName: ['MODIFY'], dynamodb: { $or: [{ Keys: { pk: { S: ['nope'] } } }, { NewImage: { ok: { BOOL: [false] } } }] } }), false);
    const either = compileFilterCriteria({ Filters: [{ Pattern: '{"eventName":["INSERT"]}' }, { Pattern: '{"eventName":["MODIFY"]}' }] })!;
    assert.equal(either(record), true);
    assert.equal(compileFilterCriteria({ Filters: [] }), undefined);
  });

  test('malformed patterns are refused, nesting is bounded', () => {
    const refused = { name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.' };
    for (const pattern of ['not json', '[]', '{}', '{"a":"b"}', '{"a":[]}', '{"a":[{"prefix":1}]}', '{"a":[{"numeric":[">","1"]}]}', '{"a":[{"wat":1}]}', '{"$or":[{"a":["b"]}]}']) {
      assert.throws(() => compileFilterCriteria({ Filters: [{ Pattern: pattern }] }), refused, pattern);
    }
    const deep = '{"a":'.repeat(40) + '["x"]' + '}'.repeat(40);
    assert.throws(() => compileFilterCriteria({ Filters: [{ Pattern: deep }] }), refused);
    assert.throws(() => compileFilterCriteria({ Filters: Array.from({ length: 6 }, () => ({ Pattern: '{"a":["b"]}' })) }), { name: 'InvalidParameterValueException' });
  });
});
