import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item } from '../types.ts';
import { applyUpdate, checkExpressionParams, evaluateCondition, projectItem, resolveKeyCondition } from './index.ts';
import { compileLegacy } from './legacy.ts';

function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.equal((e as Error).name, 'ValidationException');
    assert.equal((e as Error).message, message);
    return true;
  });
}

const item: Item = { a: { S: 'x' }, n: { N: '5' }, ss: { SS: ['p', 'q'] }, 'a.b': { S: 'dotted' } };

describe('Expected', () => {
  it('compiles Value, Exists and ComparisonOperator forms, ANDed by default', () => {
    const { condition } = compileLegacy({ Expected: { a: { Value: { S: 'x' } }, gone: { Exists: false }, n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '4' }] } } });
    assert.equal(evaluateCondition(condition!, item), true);
    const { condition: failing } = compileLegacy({ Expected: { a: { Value: { S: 'y' } }, n: { ComparisonOperator: 'NOT_NULL' } } });
    assert.equal(evaluateCondition(failing!, item), false);
    const { condition: either } = compileLegacy({ Expected: { a: { Value: { S: 'y' } }, n: { ComparisonOperator: 'NOT_NULL' } }, ConditionalOperator: 'OR' });
    assert.equal(evaluateCondition(either!, item), true);
  });

  it('treats names as top-level attributes, dots included', () => {
    const { condition } = compileLegacy({ Expected: { 'a.b': { Value: { S: 'dotted' } } } });
    assert.equal(evaluateCondition(condition!, item), true);
  });

  it('validates with DynamoDB texts', () => {
    throwsValidation(
      () => compileLegacy({ Expected: { a: { Value: { S: 'x' }, AttributeValueList: [{ S: 'x' }] } } }),
      'One or more parameter values were invalid: Value and AttributeValueList cannot be used together for Attribute: a',
    );
    throwsValidation(
      () => compileLegacy({ Expected: { a: { Exists: true, ComparisonOperator: 'NULL' } } }),
      'One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: a',
    );
    throwsValidation(() => compileLegacy({ Expected: { a: {} } }), 'One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a');
    throwsValidation(() => compileLegacy({ Expected: { a: { Exists: true } } }), 'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a');
    throwsValidation(
      () => compileLegacy({ Expected: { a: { Exists: false, Value: { S: 'x' } } } }),
      'One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a',
    );
    throwsValidation(
      () => compileLegacy({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } }),
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    );
    throwsValidation(
      () => compileLegacy({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '3' }, { N: '1' }] } } }),
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
    throwsValidation(
      () => compileLegacy({ Expected: { a: { ComparisonOperator: 'EQ' } } }),
      'One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a',
    );
  });
});

describe('AttributeUpdates', () => {
  it('PUT, DELETE, ADD numbers, sets and lists', () => {
    const { update } = compileLegacy({
      AttributeUpdates: {
        a: { Action: 'PUT', Value: { S: 'new' } },
        n: { Action: 'ADD', Value: { N: '2' } },
        ss: { Action: 'DELETE', Value: { SS: ['p'] } },
        l: { Action: 'ADD', Value: { L: [{ S: 'z' }] } },
        'a.b': { Action: 'DELETE' },
      },
    });
    assert.deepEqual(applyUpdate(update!, item), { a: { S: 'new' }, n: { N: '7' }, ss: { SS: ['q'] }, l: { L: [{ S: 'z' }] } });
  });

  it('reports type mismatches in its own words', () => {
    const { update } = compileLegacy({ AttributeUpdates: { a: { Action: 'ADD', Value: { N: '1' } } } });
    throwsValidation(() => applyUpdate(update!, item), 'Type mismatch for attribute to update');
  });

  it('validates actions against values', () => {
    throwsValidation(
      () => compileLegacy({ AttributeUpdates: { a: { Action: 'PUT' } } }),
      'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified',
    );
    throwsValidation(
      () => compileLegacy({ AttributeUpdates: { a: { Action: 'DELETE', Value: { S: 'x' } } } }),
      'One or more parameter values were invalid: DELETE action with value is not supported for the type S',
    );
    throwsValidation(
      () => compileLegacy({ AttributeUpdates: { a: { Action: 'ADD', Value: { S: 'x' } } } }),
      'One or more parameter values were invalid: ADD action is not supported for the type S',
    );
  });
});

describe('filters, key conditions and AttributesToGet', () => {
  it('compiles QueryFilter/ScanFilter with type checks', () => {
    const { filter } = compileLegacy({ ScanFilter: { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'q' }] }, a: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'y' }] } } });
    assert.equal(evaluateCondition(filter!, item), true);
    throwsValidation(
      () => compileLegacy({ QueryFilter: { a: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['x'] }] } } }),
      'One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type',
    );
    throwsValidation(
      () => compileLegacy({ ScanFilter: { a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'x' }, { N: '1' }] } } }),
      'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
    );
  });

  it('compiles KeyConditions for resolveKeyCondition', () => {
    const { keyCondition } = compileLegacy({
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'a' }] } },
    });
    assert.deepEqual(resolveKeyCondition(keyCondition!, { hashKey: 'pk', rangeKey: 'sk', attributeTypes: { pk: 'S', sk: 'S' } }), {
      partitionValue: { S: 'p' },
      partitionKey: { pk: { S: 'p' } },
      sort: { op: 'BEGINS_WITH', values: [{ S: 'a' }] },
    });
    throwsValidation(
      () => compileLegacy({ KeyConditions: { pk: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'p' }] } } }),
      'Attempted conditional constraint is not an indexable operation',
    );
    throwsValidation(
      () => compileLegacy({ KeyConditions: { a: { ComparisonOperator: 'NULL' }, b: { ComparisonOperator: 'NULL' }, c: { ComparisonOperator: 'NULL' } } }),
      'Conditions can be of length 1 or 2 only',
    );
  });

  it('mixes KeyConditions with a FilterExpression', () => {
    const compiled = compileLegacy({
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
      FilterExpression: 'a = :a',
      ExpressionAttributeValues: { ':a': { S: 'x' } },
    });
    assert.ok(compiled.keyCondition);
    assert.equal(evaluateCondition(compiled.filter!, item), true);
  });

  it('AttributesToGet projects top-level names and refuses duplicates', () => {
    const { projection } = compileLegacy({ AttributesToGet: ['a.b', 'n', 'absent'] });
    assert.deepEqual(projectItem(item, projection!), { 'a.b': { S: 'dotted' }, n: { N: '5' } });
    throwsValidation(() => compileLegacy({ AttributesToGet: ['a', 'a'] }), 'One or more parameter values were invalid: Duplicate value in attribute name: a');
  });

  it('refuses mixing expression and non-expression parameters', () => {
    throwsValidation(
      () => checkExpressionParams({ AttributesToGet: ['a'], ProjectionExpression: 'a' }, ['ProjectionExpression'], ['AttributesToGet']),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
    throwsValidation(
      () => checkExpressionParams({ UpdateExpression: 'SET a = :v', AttributeUpdates: {} }, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
    );
    // KeyConditions may go with a FilterExpression when there is no KeyConditionExpression.
    checkExpressionParams(
      { KeyConditions: {}, FilterExpression: 'a = :a' },
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
    );
  });
});
