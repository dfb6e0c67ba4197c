import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson, type Item } from '../../shared/attributeValues.ts';
import { ExportWriter, exportText } from './exportFormats.ts';
import { readAll, type KeyTypes } from './importFormats.ts';

const keys: KeyTypes = { pk: 'S' };
const everyType: Item[] = [
  {
    pk: { S: 'a' },
    zip: { S: '0150' },
    numericText: { S: '42' },
    spaced: { S: ' padded, "quoted"\nline ' },
    n: { N: '12345678901234567890123456789012345678' },
    ok: { BOOL: true },
    none: { NULL: true },
    blob: { B: 'AAE=' },
    ss: { SS: ['x', 'y,z'] },
    ns: { NS: ['1', '-0.5'] },
    bs: { BS: ['AAE=', 'AgM='] },
    list: { L: [{ S: 'x' }, { N: '1.5' }, { NULL: true }] },
    map: { M: { deep: { M: { n: { N: '9007199254740993' } } } } },
  },
  {
    pk: { S: 'b' },
    zip: { S: '0007' },
    numericText: { S: '7' },
    spaced: { S: '' },
    n: { N: '-1' },
    ok: { BOOL: false },
    none: { NULL: true },
    blob: { B: 'AgM=' },
    ss: { SS: ['only'] },
    ns: { NS: ['99'] },
    bs: { BS: ['AAE='] },
    list: { L: [] },
    map: { M: {} },
  },
];

test('CSV export of every type reads back unchanged through CSV import, header types added where needed', () => {
  const text = exportText(everyType, 'csv');
  assert.equal(text.split('\n')[0], 'pk,zip,numericText:S,spaced:S,n,ok,none:NULL,blob:B,ss:SS,ns:NS,bs:BS,list,map');
  const reader = readAll(text, 'csv', keys);
  assert.deepEqual(reader.problems, []);
  assert.deepEqual(reader.items, everyType);
});

test('CSV export finds columns as pages come, or writes only the chosen ones', () => {
  const writer = new ExportWriter('csv');
  const body = writer.page([{ pk: { S: 'a' } }]) + writer.page([{ pk: { S: 'b' }, late: { N: '1' } }]);
  const { before, after } = writer.finish();
  assert.deepEqual(readAll(before + body + after, 'csv', keys).items, [{ pk: { S: 'a' } }, { pk: { S: 'b' }, late: { N: '1' } }]);
  assert.equal(exportText(everyType, 'csv', ['pk', 'n']), 'pk,n\na,12345678901234567890123456789012345678\nb,-1\n');
});

test('JSON exports: DynamoDB JSON array and lines read back whole, plain JSON keeps every digit', () => {
  for (const format of ['dynamodb-array', 'dynamodb-lines'] as const) {
    const reader = readAll(exportText(everyType, format), format, keys);
    assert.deepEqual(reader.items, everyType, format);
  }
  assert.deepEqual(parseJson(exportText([], 'dynamodb-array')), []);
  const plain = exportText([everyType[0]!], 'plain-array');
  assert.match(plain, /"n":12345678901234567890123456789012345678/);
  assert.deepEqual(readAll(plain, 'plain-array', keys).items[0]!.map, everyType[0]!.map);
});
