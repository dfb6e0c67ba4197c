import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson, type Item } from '../../shared/attributeValues.ts';
import { detectFormat, exportText, ImportReader, readAll, toItem, type KeyTypes } from './importFormats.ts';

const keys: KeyTypes = { pk: 'S', sk: 'N' };

test('detects each format from its first records', () => {
  assert.equal(detectFormat('[{"pk": "a", "sk": 1}]'), 'plain-array');
  assert.equal(detectFormat('\ufeff  [\n {"pk": {"S": "a"}, "sk": {"N": "1"}}\n]'), 'dynamodb-array');
  assert.equal(detectFormat('{"pk": "a", "sk": 1}\n{"pk": "b", "sk": 2}\n'), 'plain-lines');
  assert.equal(detectFormat('{"pk": {"S": "a"}, "sk": {"N": "1"}}\n'), 'dynamodb-lines');
  assert.equal(detectFormat('{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\n{"Item":{"pk":{"S":"b"},"sk":{"N":"2"}}}\n'), 's3-export');
  // Plain items whose values happen to be objects are still plain when most of them are not typed.
  assert.equal(detectFormat('[{"pk": "a", "sk": 1, "m": {"S": "x"}}, {"pk": "b", "sk": 2}]'), 'plain-array');
  assert.equal(detectFormat('[]'), 'plain-array');
  assert.equal(detectFormat('pk,sk\na,1\n'), null);
  assert.equal(detectFormat(''), null);
});

test("the app's own Export (a DynamoDB JSON array, one item per line) reads back as it was written", () => {
  const items: Item[] = [
    { pk: { S: 'a' }, sk: { N: '1' }, tags: { SS: ['x', 'y'] }, blob: { B: 'AAE=' } },
    { pk: { S: 'b]' }, sk: { N: '2' }, m: { M: { nested: { L: [{ NULL: true }, { BOOL: false }] } } } },
  ];
  const text = exportText(items);
  assert.equal(text.split('\n').length, 5, 'one item per line');
  assert.deepEqual(parseJson(text), items);
  assert.deepEqual(readAll(exportText([]), detectFormat(exportText([]))!, keys).items, []);
  assert.equal(detectFormat(text), 'dynamodb-array');
  const reader = readAll(text, 'dynamodb-array', keys);
  assert.deepEqual(reader.items, items);
  assert.equal(reader.problemCount, 0);
  // Pretty-printed (the older export) reads the same.
  assert.deepEqual(readAll(JSON.stringify(items, null, 2), 'dynamodb-array', keys).items, items);
});

test('plain JSON converts with DynamoDB rules: arrays to L, objects to M, null to NULL', () => {
  const item = toItem(parseJson('{"pk": "a", "sk": 1.5, "ok": true, "none": null, "list": [1, "two", [false]], "map": {"deep": {"n": -3}}}'), 'plain-array', keys);
  assert.deepEqual(item, {
    pk: { S: 'a' },
    sk: { N: '1.5' },
    ok: { BOOL: true },
    none: { NULL: true },
    list: { L: [{ N: '1' }, { S: 'two' }, { L: [{ BOOL: false }] }] },
    map: { M: { deep: { M: { n: { N: '-3' } } } } },
  });
});

test('plain JSON numbers are stored with every digit, in array and JSON Lines files alike', () => {
  const record = '{"pk": "A", "sk": 1, "total": 12345678901234567890123456789012345678, "price": 0.1000000000000000000000000000000000001, "big": 9007199254740993, "list": [1.50, -0e0, 1E+3]}';
  const expected = {
    pk: { S: 'A' },
    sk: { N: '1' },
    total: { N: '12345678901234567890123456789012345678' },
    price: { N: '0.1000000000000000000000000000000000001' },
    big: { N: '9007199254740993' },
    // As DynamoDB stores them: no redundant zeros, no exponent, no negative zero.
    list: { L: [{ N: '1.5' }, { N: '0' }, { N: '1000' }] },
  };
  assert.deepEqual(readAll(`[${record}]`, 'plain-array', keys).items, [expected]);
  assert.deepEqual(readAll(`${record}\n`, 'plain-lines', keys).items, [expected]);
});

test('plain JSON numbers DynamoDB would refuse are problems in its words, before anything is sent', () => {
  const reader = readAll(
    ['{"pk": "a", "sk": 123456789012345678901234567890123456789}', '{"pk": "b", "sk": 1, "m": {"x": [1e126]}}', '{"pk": "c", "sk": 1e-131}'].join('\n'),
    'plain-lines',
    keys,
  );
  assert.deepEqual(reader.problems, [
    { where: 'line 1', reason: 'sk: Attempting to store more than 38 significant digits in a Number' },
    { where: 'line 2', reason: 'm.x[0]: Number overflow. Attempting to store a number with magnitude larger than supported range' },
    { where: 'line 3', reason: 'sk: Number underflow. Attempting to store a number with magnitude smaller than supported range' },
  ]);
  const typed = readAll('{"pk": {"S": "a"}, "sk": {"N": "1"}, "ns": {"NS": ["1", "1e126"]}}', 'dynamodb-lines', keys);
  assert.deepEqual(typed.problems, [{ where: 'line 1', reason: 'ns: Number overflow. Attempting to store a number with magnitude larger than supported range' }]);
});

test('a key given twice in one record is a problem, not silently the last value', () => {
  const reader = readAll('{"pk": "a", "sk": 1, "sk": 2}', 'plain-lines', keys);
  assert.equal(reader.items.length, 0);
  assert.match(reader.problems[0]!.reason, /^not valid JSON: Duplicate key 'sk'/);
});

test('S3 export lines unwrap their Item; blank lines are skipped', () => {
  const text = '{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}\n\n{"Item":{"pk":{"S":"b"},"sk":{"N":"2"},"v":{"NS":["1","2"]}}}';
  const reader = readAll(text, 's3-export', keys);
  assert.deepEqual(reader.items, [
    { pk: { S: 'a' }, sk: { N: '1' } },
    { pk: { S: 'b' }, sk: { N: '2' }, v: { NS: ['1', '2'] } },
  ]);
  const wrong = readAll('{"pk":{"S":"a"},"sk":{"N":"1"}}', 's3-export', keys);
  assert.deepEqual(wrong.problems, [{ where: 'line 1', reason: 'expected {"Item": {...}} as written by DynamoDB Export to S3' }]);
});

test('problems name the record (line or index) and the reason; valid records are kept', () => {
  const text = [
    '{"pk": "a", "sk": 1}',
    '{"pk": "b"}',
    '{"pk": 7, "sk": 2}',
    '{"pk": "", "sk": 3}',
    '{"pk": "c", "sk": "4"}',
    'not json',
    '[1, 2]',
    '{"pk": "d", "sk": 5}',
  ].join('\n');
  const reader = readAll(text, 'plain-lines', keys);
  assert.deepEqual(reader.items.map((i) => i.pk), [{ S: 'a' }, { S: 'd' }]);
  assert.equal(reader.records, 8);
  assert.equal(reader.problemCount, 6);
  assert.deepEqual(
    reader.problems.slice(0, 5).map((p) => `${p.where}: ${p.reason}`),
    [
      'line 2: key attribute "sk" is missing',
      'line 3: key attribute "pk" must be a string (S), found a number (N)',
      'line 4: key attribute "pk" must not be empty',
      'line 5: key attribute "sk" must be a number (N), found a string (S)',
      'line 6: not valid JSON: ' + errorOf(() => parseJson('not json')),
    ],
  );
  assert.deepEqual(reader.problems[5], { where: 'line 7', reason: 'expected an object of attributes, found an array' });

  const typed = readAll('[{"pk": {"S": "a"}, "sk": {"N": "x"}},\n {"pk": {"S": "b"}, "sk": {"N": "1"}, "bad": {"Q": 1}}]', 'dynamodb-array', keys);
  assert.deepEqual(typed.problems, [
    { where: 'item 1 (line 1)', reason: 'sk: N must be a number written as a string, e.g. {"N": "42"}' },
    { where: 'item 2 (line 2)', reason: 'bad: "Q" is not a DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS)' },
  ]);
});

test('array splitting copes with brackets in strings, bad elements and a truncated file', () => {
  const reader = readAll('[{"pk": "a]}\\"[", "sk": 1}, {"pk": "b", "sk": 2 oops}, {"pk": "c", "sk": 3}]', 'plain-array', keys);
  assert.deepEqual(reader.items.map((i) => i.pk), [{ S: 'a]}"[' }, { S: 'c' }]);
  assert.equal(reader.problems[0]?.where, 'item 2 (line 1)');
  assert.match(reader.problems[0]!.reason, /^not valid JSON/);

  const truncated = readAll('[\n{"pk": "a", "sk": 1},\n{"pk": "b", "sk"', 'plain-array', keys);
  assert.deepEqual(truncated.items.map((i) => i.pk), [{ S: 'a' }]);
  assert.deepEqual(truncated.problems, [{ where: 'line 3', reason: 'item 2 is never closed' }]);

  const unclosed = readAll('[{"pk": "a", "sk": 1}', 'plain-array', keys);
  assert.equal(unclosed.items.length, 1);
  assert.deepEqual(unclosed.problems, [{ where: 'line 1', reason: 'the array is never closed with ]' }]);

  assert.deepEqual(readAll('{"pk": "a"}', 'plain-array', keys).problems, [{ where: 'line 1', reason: 'the file does not start with [' }]);
});

test('reads in bounded steps, reporting progress, and keeps only the first problems', () => {
  const lines = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? '{"pk": 1}' : JSON.stringify({ pk: `k${i}`, sk: i })));
  const reader = new ImportReader(lines.join('\n'), 'plain-lines', keys);
  let steps = 0;
  let last = 0;
  while (!reader.read(100)) {
    steps++;
    assert.ok(reader.progress >= last && reader.progress <= 1);
    last = reader.progress;
  }
  assert.ok(steps >= 9, `read in ${steps} steps`);
  assert.equal(reader.progress, 1);
  assert.equal(reader.items.length, 900);
  assert.equal(reader.problemCount, 100);
  assert.equal(reader.problems.length, 50);
});

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}
