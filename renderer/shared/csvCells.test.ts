import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellTypeGuessedRight, csvCellText, csvCellValue, csvColumns, csvColumnTypeFor, csvRowItem, type CellValue } from './csvCells.ts';

test('cells are typed by what they hold: canonical numbers, booleans, JSON lists and objects, else strings', () => {
  assert.deepEqual(csvCellValue('42', undefined), { N: '42' });
  assert.deepEqual(csvCellValue('-1.5e3', undefined), { N: '-1.5e3' });
  assert.deepEqual(csvCellValue('0150', undefined), { S: '0150' });
  assert.deepEqual(csvCellValue('true', undefined), { BOOL: true });
  assert.deepEqual(csvCellValue('[1, "a", null]', undefined), { L: [{ N: '1' }, { S: 'a' }, { NULL: true }] });
  assert.deepEqual(csvCellValue('{"n": 12345678901234567890123456789012345678}', undefined), { M: { n: { N: '12345678901234567890123456789012345678' } } });
  assert.deepEqual(csvCellValue('[not json', undefined), { S: '[not json' });
  assert.equal(csvCellValue('', undefined), undefined);
});

test('a header suffix fixes the column type, and a cell that does not fit says why', () => {
  assert.deepEqual(csvColumns(['pk', 'zip:S', 'tags:ss', 'odd:name', 'n:N']), [
    { name: 'pk' },
    { name: 'zip', type: 'S' },
    { name: 'tags', type: 'SS' },
    { name: 'odd:name' },
    { name: 'n', type: 'N' },
  ]);
  assert.deepEqual(csvCellValue('', 'S'), { S: '' });
  assert.deepEqual(csvCellValue('', 'NULL'), { NULL: true });
  assert.deepEqual(csvCellValue('[1, 2.50]', 'NS'), { NS: ['1', '2.50'] });
  assert.throws(() => csvCellValue('yes', 'BOOL'), /"yes" is not true or false/);
  assert.throws(() => csvCellValue('[1]', 'M'), /an M cell is a JSON object/);
  assert.throws(() => csvRowItem([{ name: 'ok', type: 'BOOL' }], ['maybe'], 'row 3'), /^Error: row 3, column ok: "maybe" is not true or false$/);
});

test('every type written as a cell reads back as it was under the header type chosen for its column', () => {
  const values: CellValue[] = [
    { S: '0150' },
    { S: '42' },
    { S: ' padded ' },
    { S: '[1]' },
    { N: '12345678901234567890123456789012345678' },
    { N: '-0.001' },
    { BOOL: false },
    { NULL: true },
    { B: 'AAE=' },
    { SS: ['a', 'b,c', 'd"e'] },
    { NS: ['1', '99999999999999999999999999999999999999'] },
    { BS: ['AAE=', 'AgM='] },
    { L: [{ S: 'x' }, { N: '1.5' }, { L: [] }, { M: { deep: { NULL: true } } }] },
    { M: { a: { BOOL: true }, n: { N: '9007199254740993' } } },
  ];
  for (const value of values) {
    const type = csvColumnTypeFor(new Set(Object.keys(value)), cellTypeGuessedRight(value), true);
    assert.deepEqual(csvCellValue(csvCellText(value), type), value, JSON.stringify(value));
  }
  // A sparse string column stays untyped: a typed S column would read a missing cell as "".
  assert.equal(csvColumnTypeFor(new Set(['S']), false, false), undefined);
  assert.equal(csvColumnTypeFor(new Set(['S', 'N']), false, true), undefined);
});
