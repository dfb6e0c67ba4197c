import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HISTORY_LIMIT, RequestHistory } from './history.ts';

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
