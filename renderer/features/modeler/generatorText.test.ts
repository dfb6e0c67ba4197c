import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelGenerator } from '../../../electron/contract.ts';
import { generatorOptions, parseGenerator } from './generatorText.ts';

describe('generator options text', () => {
  test('each kind reads its options and writes them back', () => {
    const cases: [ModelGenerator['kind'], string, ModelGenerator][] = [
      ['sequence', 'USER-', { kind: 'sequence', prefix: 'USER-' }],
      ['date', '2024-01-01..2024-12-31', { kind: 'date', from: '2024-01-01', to: '2024-12-31' }],
      ['number', '-5..500.5', { kind: 'number', min: -5, max: 500.5 }],
      ['enum', 'OPEN, SHIPPED', { kind: 'enum', values: ['OPEN', 'SHIPPED'] }],
      ['boolean', '0.3', { kind: 'boolean', trueShare: 0.3 }],
      ['constant', 'x', { kind: 'constant', value: 'x' }],
      ['reference', 'Customer.customerId ^1.2', { kind: 'reference', entity: 'Customer', attribute: 'customerId', skew: 1.2 }],
      ['reference', 'Customer.customerId', { kind: 'reference', entity: 'Customer', attribute: 'customerId' }],
    ];
    for (const [kind, text, generator] of cases) {
      assert.deepEqual(parseGenerator(kind, text), generator, text);
      assert.equal(generatorOptions(generator), text);
    }
  });

  test('settings the text does not hold are kept from the generator it replaces', () => {
    assert.deepEqual(parseGenerator('number', '0..10', { kind: 'number', min: 1, max: 2, distribution: 'normal', decimals: 2 }), { kind: 'number', min: 0, max: 10, distribution: 'normal', decimals: 2 });
    assert.deepEqual(parseGenerator('date', '2024-01-01..2024-02-01', { kind: 'date', from: 'x', to: 'y', format: 'epochSeconds' }), { kind: 'date', from: '2024-01-01', to: '2024-02-01', format: 'epochSeconds' });
  });

  test('text that does not read says how to write it', () => {
    assert.deepEqual(parseGenerator('number', '10..1'), { problem: 'Numbers are written min..max, e.g. 0..500' });
    assert.deepEqual(parseGenerator('date', 'soon..later'), { problem: 'Dates are written from..to, e.g. 2024-01-01..2024-12-31' });
    assert.deepEqual(parseGenerator('enum', ' , '), { problem: 'An enum needs values separated by commas' });
    assert.deepEqual(parseGenerator('reference', 'Customer'), { problem: 'A reference is written Entity.attribute, optionally ^skew' });
    assert.deepEqual(parseGenerator('boolean', '2'), { problem: 'The share of true is a number from 0 to 1' });
  });
});
