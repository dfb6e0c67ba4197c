import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capacityTexts, costPerMillionRequests, unitsOf } from './capacityCost.ts';

test('plain responses count as the caller says; transactions carry their own split', () => {
  assert.deepEqual(unitsOf({ TableName: 't', CapacityUnits: 1.5 }, 'read'), { read: 1.5, write: 0 });
  assert.deepEqual(unitsOf([{ CapacityUnits: 2 }, { CapacityUnits: 3 }], 'write'), { read: 0, write: 5 });
  assert.deepEqual(unitsOf([{ CapacityUnits: 4, WriteCapacityUnits: 4 }, { CapacityUnits: 2, ReadCapacityUnits: 2 }], 'read'), { read: 2, write: 4 });
  assert.deepEqual(unitsOf(undefined, 'read'), { read: 0, write: 0 });
});

test('a million requests of half a read unit and two write units cost $1.3125 on demand', () => {
  assert.equal(costPerMillionRequests({ read: 0.5, write: 2 }), 0.5 * 0.125 + 2 * 0.625);
});

test('texts round units and show the price to a hundredth of a cent', () => {
  assert.deepEqual(capacityTexts({ read: 0.5, write: 2 }), { read: '0.5 RCU', write: '2 WCU', price: '≈ $1.3125 per million such requests (on-demand estimate)' });
});
