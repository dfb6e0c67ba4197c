import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HISTORY_BYTES, HISTORY_LIMIT, RequestHistory } from './history.ts';

test('history is bounded to the latest requests and keeps big responses as a summary', () => {
  const history = new RequestHistory();
  for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
    history.record({ connectionId: 'local', operation: 'GetItem', input: { TableName: `T${i}` }, startedAt: i, durationMs: 1 }, { output: {} });
  }
  const entries = history.list();
  assert.equal(entries.length, HISTORY_LIMIT);
  assert.deepEqual(entries[0]!.tables, [`T${HISTORY_LIMIT + 4}`]);
  assert.deepEqual(entries.at(-1)!.tables, ['T5']);

  const items = Array.from({ length: 2000 }, (_, i) => ({ pk: { S: `item-${i}-${'x'.repeat(40)}` } }));
  history.record({ connectionId: 'local', operation: 'Scan', input: { TableName: 'Big' }, startedAt: 0, durationMs: 1 }, { output: { Items: items, Count: 2000 } });
  const scan = history.list('big')[0]!;
  assert.equal(scan.response, undefined);
  assert.match(scan.responseOmitted ?? '', /^\d+ KB \(2000 items\), not kept$/);
});

test('history keeps large requests whole but drops the oldest entries past its byte budget', () => {
  const history = new RequestHistory();
  const item = { pk: { S: 'x' }, data: { S: 'y'.repeat(390 * 1024) } };
  const transaction = { TransactItems: Array.from({ length: 20 }, () => ({ Put: { TableName: 'T', Item: item } })) };
  const perEntry = JSON.stringify(transaction).length;
  const fits = Math.floor(HISTORY_BYTES / perEntry);
  for (let i = 0; i < fits + 3; i++) {
    history.record({ connectionId: 'local', operation: 'TransactWriteItems', input: transaction, startedAt: i, durationMs: 1 }, { output: {} });
  }
  const entries = history.list();
  assert.equal(entries.length, fits);
  assert.equal(entries[0]!.startedAt, fits + 2, 'the newest are kept');
  assert.deepEqual(entries[0]!.request, transaction, 'whole, so it reopens as sent');
});
