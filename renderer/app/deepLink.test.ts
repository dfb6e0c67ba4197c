import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashToPlace, placeToHash } from './deepLink.ts';

test('a place round-trips through the hash, odd table names included', () => {
  const local = { connectionId: 'local', namespace: { accountId: '000000000000', region: 'eu-west-1' }, tableName: 'Orders.v2-test_1', tab: 'settings' };
  assert.equal(placeToHash(local), '#/local/000000000000/eu-west-1/Orders.v2-test_1/settings');
  assert.deepEqual(hashToPlace(placeToHash(local)), local);
  const remote = { connectionId: '0b6f6c1e-4a1d-4bb1-9d27-4f1c2f0f4d0a', tableName: 'a/b c#d', tab: 'items' };
  assert.deepEqual(hashToPlace(placeToHash(remote)), remote);
});

test('hashes that name no place are ignored', () => {
  for (const hash of ['', '#', '#/', '#/local/x', '#section', '#/local/0/us-east-1//items', '#/local/%E0%A4%A/us-east-1/T/items', '#/a/b/c/d/e/f']) {
    assert.equal(hashToPlace(hash), null, hash);
  }
});
