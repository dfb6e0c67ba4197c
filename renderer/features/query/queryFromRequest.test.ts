import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TableDescription } from '../items/tableSchema.ts';
import { keyNamesOf } from '../items/tableSchema.ts';
import { schemaFor, toReadRequest, EMPTY_READ_FORM } from '../items/readRequest.ts';
import { formFromRequest, UnsupportedRequest } from './queryFromRequest.ts';
import { EMPTY_QUERY_FORM, emptyFilter, toInput, toSpec, type QueryForm } from './queryModel.ts';

const TABLE = {
  TableName: 'Orders',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
} as unknown as TableDescription;

const keysOf = (indexName: string) => keyNamesOf(schemaFor(TABLE, indexName));

/** The form the builder would show for the request `form` sends. */
function roundTrip(form: QueryForm): QueryForm {
  return formFromRequest(form.operation, toInput(toSpec(TABLE, form)), keysOf);
}

const row = (patch: Partial<ReturnType<typeof emptyFilter>>) => ({ ...emptyFilter(), ...patch });

describe('a Query or Scan from the history back in the query builder', () => {
  test('every shape the builder writes reads back as the same request', () => {
    const forms: QueryForm[] = [
      { ...EMPTY_QUERY_FORM, partitionValue: 'USER#1' },
      { ...EMPTY_QUERY_FORM, partitionValue: 'u', sortOperator: 'BETWEEN', sortValue: '10', sortValue2: '20', scanIndexForward: false, limit: '5', projection: 'pk, total, a-b' },
      { ...EMPTY_QUERY_FORM, indexName: 'byStatus', partitionValue: 'OPEN' },
      {
        ...EMPTY_QUERY_FORM,
        operation: 'Scan',
        filterJoin: 'OR',
        filters: [
          row({ attribute: 'status', operator: '<>', value: 'CLOSED' }),
          row({ attribute: 'address.city', operator: 'begins_with', value: 'Lon' }),
          row({ attribute: 'items[2].qty', operator: '>=', type: 'N', value: '3' }),
          row({ attribute: '"user.email"', operator: 'contains', value: '@' }),
          row({ attribute: 'tags', size: true, operator: 'BETWEEN', type: 'N', value: '1', value2: '4' }),
          row({ attribute: 'color', operator: 'IN', value: 'red, "navy, dark", " spaced"' }),
          row({ attribute: 'deleted', operator: 'attribute_not_exists' }),
          row({ attribute: 'meta', operator: 'attribute_type', value: 'M' }),
          row({ attribute: 'active', operator: '=', type: 'BOOL', value: 'true' }),
          row({ attribute: 'gone', operator: '=', type: 'NULL' }),
        ],
      },
    ];
    for (const form of forms) {
      const back = roundTrip(form);
      assert.deepEqual(toInput(toSpec(TABLE, back)), toInput(toSpec(TABLE, form)), JSON.stringify(form));
    }
  });

  test("the items view's read bar requests read back too", () => {
    const { operation, input } = toReadRequest(TABLE, {
      ...EMPTY_READ_FORM,
      mode: 'query',
      partitionValue: 'USER#1',
      sortOperator: 'between',
      sortValue: '1',
      sortValue2: '9',
      filters: [row({ attribute: 'status', operator: '=', value: 'OPEN' })],
    });
    const form = formFromRequest(operation as 'Query', input, keysOf);
    assert.deepEqual(
      { partition: form.partitionValue, sort: [form.sortOperator, form.sortValue, form.sortValue2], filters: form.filters.map((f) => [f.attribute, f.operator, f.value]) },
      { partition: 'USER#1', sort: ['BETWEEN', '1', '9'], filters: [['status', '=', 'OPEN']] },
    );
  });

  test('what the form cannot hold is refused with the reason', () => {
    const values = { ':a': { S: 'x' }, ':b': { S: 'y' }, ':l': { L: [] } };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ FilterExpression: 'NOT #s = :a', ExpressionAttributeNames: { '#s': 's' } }, /uses NOT/],
      [{ FilterExpression: '(a = :a OR b = :b) AND c = :a' }, /brackets/],
      [{ FilterExpression: 'a = :a OR b = :b AND c = :a' }, /mixes AND and OR/],
      [{ FilterExpression: 'a = :l' }, /type L/],
      [{ FilterExpression: '#missing = :a' }, /#missing is not in ExpressionAttributeNames/],
      [{ FilterExpression: 'a = :a AND' }, /ends in the middle/],
      [{ ScanFilter: {} }, /legacy parameter ScanFilter/],
      [{ ProjectionExpression: 'a.b' }, /nested path/],
    ];
    for (const [input, reason] of cases) {
      assert.throws(() => formFromRequest('Scan', { TableName: 'Orders', ExpressionAttributeValues: values, ...input }, keysOf), (error: unknown) => error instanceof UnsupportedRequest && reason.test(error.message), JSON.stringify(input));
    }
    assert.throws(() => formFromRequest('Query', { TableName: 'Orders', KeyConditionExpression: 'other = :a', ExpressionAttributeValues: values }, keysOf), /names other, not a key of the table/);
  });

  test('a long hostile expression is read in one pass', () => {
    const many = Array.from({ length: 20_000 }, () => 'a = :a').join(' AND ');
    const form = formFromRequest('Scan', { TableName: 'Orders', FilterExpression: many, ExpressionAttributeValues: { ':a': { S: 'x' } } }, keysOf);
    assert.equal(form.filters.length, 20_000);
    assert.throws(() => formFromRequest('Scan', { TableName: 'Orders', FilterExpression: `${'('.repeat(50_000)}a = :a` }, keysOf), UnsupportedRequest);
  });
});
