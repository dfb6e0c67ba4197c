import assert from 'node:assert/strict';
import { test } from 'node:test';
// Test-only reach into the engine: the UI keeps its own copy of DynamoDB's number rules (it may
// not import engine code), and this holds that copy to the engine's answers and messages.
import { normalizeNumber } from '../../engine/values.ts';
import { checkNumber, decomposeDecimal, NUMBER_OVERFLOW, NUMBER_UNDERFLOW, TOO_MANY_DIGITS } from './dynamoNumbers.ts';

const NINES_38 = '9'.repeat(38);

const CASES = [
  // Accepted, and written as DynamoDB stores them.
  '0', '-0', '0.0', '00012', '+5', '.5', '5.', '-1.50', '1e3', '1E+3', '12.5e-3', ' 7 ',
  '12345678901234567890123456789012345678',
  '-12345678901234567890123456789012345678',
  '0.1000000000000000000000000000000000001',
  '9007199254740993',
  `${NINES_38}e88`,
  `0.${NINES_38}e126`,
  '1e-130',
  '1.5e-130',
  `1${'0'.repeat(125)}`,
  '1230000000000000000000000000000000000000000000000000',
  // Refused: digits, range, zero with a written exponent, syntax.
  '123456789012345678901234567890123456789',
  '0.12345678901234567890123456789012345678901',
  '1e126',
  `${NINES_38}9e87`,
  '-1e126',
  '1e-131',
  '0.9e-130',
  '0e126',
  '0e-131',
  '0e125',
  '1e99999999999',
  '1e-99999999999',
  '1e9223372036854775807',
  '1e9223372036854775808',
  '',
  'abc',
  '1..2',
  '1e',
  '--1',
  '0x10',
  'NaN',
  'Infinity',
  `1${'0'.repeat(1000)}`,
];

test("the UI's number check gives the engine's answer, value or message, for every case", () => {
  for (const text of CASES) assert.deepEqual(checkNumber(text), normalizeNumber(text), JSON.stringify(text));
});

test('numbers DynamoDB refuses get its own messages', () => {
  assert.deepEqual(checkNumber('123456789012345678901234567890123456789'), { error: TOO_MANY_DIGITS });
  assert.deepEqual(checkNumber('1E+126'), { error: NUMBER_OVERFLOW });
  assert.deepEqual(checkNumber('1E-131'), { error: NUMBER_UNDERFLOW });
  assert.deepEqual(checkNumber('ten'), { error: 'The parameter cannot be converted to a numeric value: ten' });
});

test('numbers keep every digit: no double is involved', () => {
  assert.deepEqual(checkNumber('12345678901234567890123456789012345678'), { value: '12345678901234567890123456789012345678' });
  assert.deepEqual(checkNumber('0.1000000000000000000000000000000000001'), { value: '0.1000000000000000000000000000000000001' });
  assert.deepEqual(checkNumber('9007199254740993'), { value: '9007199254740993' });
  assert.deepEqual(decomposeDecimal('-012.50e1'), { sign: -1, digits: '125', exponent: 3 });
  assert.deepEqual(decomposeDecimal('0.000'), { sign: 0, digits: '', exponent: 0 });
});

test('agrees with the engine on 5,000 generated numbers (seeded)', () => {
  let seed = 20_261_010;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const digits = (max: number) => Array.from({ length: random(max) }, () => (random(4) === 0 ? '0' : String(random(10)))).join('');
  for (let i = 0; i < 5000; i++) {
    const sign = ['', '-', '+'][random(3)]!;
    const exponent = random(3) === 0 ? `${'eE'[random(2)]}${['', '-', '+'][random(3)]}${random(2) ? random(200) : digits(25)}` : '';
    const text = `${sign}${digits(45)}${random(2) ? '.' : ''}${digits(45)}${exponent}`;
    assert.deepEqual(checkNumber(text), normalizeNumber(text), JSON.stringify(text));
  }
});
