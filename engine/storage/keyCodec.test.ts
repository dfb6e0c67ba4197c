import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareNumbers, compareStrings, normalizeNumber } from '../values.ts';
import { encodeKeyValue, encodePrefix, prefixEnd } from './keyCodec.ts';

function randomNumber(rng: () => number): string {
  const sign = rng() < 0.5 ? '-' : '';
  const digits = Array.from({ length: 1 + Math.floor(rng() * 38) }, () => Math.floor(rng() * 10)).join('');
  const exponent = Math.floor(rng() * 240) - 120;
  const result = normalizeNumber(`${sign}${digits}e${exponent}`);
  return 'value' in result ? result.value : '0';
}

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

test('number encoding orders exactly as numeric value, across signs and magnitudes', () => {
  const rng = seeded(42);
  const numbers = Array.from({ length: 3000 }, () => randomNumber(rng));
  numbers.push('0', '1', '-1', '10', '100', '0.001', '-0.001', '9.9999999999999999999999999999999999999e125', '-1e-130', '1e-130');
  for (let i = 0; i < numbers.length - 1; i++) {
    const a = numbers[i];
    const b = numbers[i + 1];
    const byValue = Math.sign(compareNumbers(a, b));
    const byBytes = Math.sign(Buffer.compare(encodeKeyValue({ N: a }), encodeKeyValue({ N: b })));
    assert.equal(byBytes, byValue, `${a} vs ${b}`);
  }
});

test('equal numbers written differently encode identically', () => {
  assert.deepEqual(encodeKeyValue({ N: '150' }), encodeKeyValue({ N: '1.5e2' }));
  assert.deepEqual(encodeKeyValue({ N: '0.50' }), encodeKeyValue({ N: '.5' }));
  assert.deepEqual(encodeKeyValue({ N: '-0' }), encodeKeyValue({ N: '0' }));
});

test('string encoding orders by UTF-8 bytes and is self-delimiting', () => {
  const strings = ['', 'a', 'a\u0000', 'a\u0000b', 'ab', 'abc', 'b', 'é', '\u{1F600}', 'Z', 'zz', '\uffff'];
  for (const a of strings) {
    for (const b of strings) {
      const expected = Math.sign(compareStrings(a, b));
      // Self-delimiting: appending bytes after the encoding never changes the order of distinct values.
      const left = Buffer.concat([encodeKeyValue({ S: a }), Buffer.from([0xff, 0xff])]);
      const right = Buffer.concat([encodeKeyValue({ S: b }), Buffer.from([0x00])]);
      if (a !== b) assert.equal(Math.sign(Buffer.compare(left, right)), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
});

test('a string prefix encodes to a byte prefix of every string that begins with it', () => {
  const prefix = encodePrefix({ S: 'ORDER#' });
  for (const s of ['ORDER#', 'ORDER#1', 'ORDER#\u0000x']) {
    const encoded = encodeKeyValue({ S: s });
    assert.ok(encoded.subarray(0, prefix.length).equals(prefix), s);
    assert.ok(Buffer.compare(encoded, prefixEnd(prefix)) < 0);
  }
  assert.ok(!encodeKeyValue({ S: 'ORDER' }).subarray(0, prefix.length).equals(prefix));
});

test('binary values order by their bytes', () => {
  const values = [Buffer.from([]), Buffer.from([0]), Buffer.from([0, 0]), Buffer.from([0, 1]), Buffer.from([1]), Buffer.from([255])];
  for (let i = 0; i < values.length - 1; i++) {
    const a = encodeKeyValue({ B: values[i].toString('base64') });
    const b = encodeKeyValue({ B: values[i + 1].toString('base64') });
    assert.equal(Buffer.compare(a, b), -1);
  }
});
