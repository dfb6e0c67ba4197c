import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DataDirectoryInUseError } from './dataDirLock.ts';
import { LmdbStore, StorageError } from './lmdbStore.ts';

const scratch = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('LMDB data directory ownership and status', () => {
  test('a second open of a directory in use is refused with who holds it, and allowed once it is closed', async () => {
    const dataDir = join(scratch, 'owned.dir');
    const owner = await LmdbStore.open(dataDir);
    owner.describeOwner({ endpoint: 'http://127.0.0.1:9999' });
    const refused = await LmdbStore.open(dataDir).then(
      () => assert.fail('the second open must be refused'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof DataDirectoryInUseError);
    assert.equal(refused.owner?.pid, process.pid);
    assert.equal(refused.owner?.endpoint, 'http://127.0.0.1:9999');
    assert.match(refused.message, /owned\.dir is in use by another Dynamo Lens process \(pid \d+, endpoint http:\/\/127\.0\.0\.1:9999/);
    await owner.close();
    const next = await LmdbStore.open(dataDir);
    await next.close();
  });

  test('a path that is a file is refused with the path and what to do', async () => {
    const file = join(scratch, 'a-file');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'not a directory');
    const error = await LmdbStore.open(join(file, 'data')).then(
      () => assert.fail('must fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof StorageError);
    assert.match(error.message, /^Creating the data directory .*a-file\/data failed: .*\. A file is in the way: choose a directory with --data-dir\.$/);
  });

  test('status reports the file size and live and free pages', async () => {
    const store = await LmdbStore.open(join(scratch, 'sized'));
    const value = Buffer.alloc(1000, 7);
    await store.write((w) => {
      for (let i = 0; i < 5000; i++) w.put(Buffer.from(`key-${String(i).padStart(5, '0')}`), value);
    });
    const full = store.status();
    assert.equal(full.kind, 'lmdb');
    if (full.kind !== 'lmdb') return;
    assert.ok(full.livePages * full.pageSize >= 5000 * 1000, 'live pages hold the 5 MB written');
    assert.ok(full.fileBytes >= full.usedPages * full.pageSize * 0.9);
    await store.write((w) => {
      for (let i = 0; i < 5000; i++) w.remove(Buffer.from(`key-${String(i).padStart(5, '0')}`));
    });
    const emptied = store.status();
    if (emptied.kind !== 'lmdb') return;
    assert.ok(emptied.livePages < 10, `live pages after deleting everything: ${emptied.livePages}`);
    assert.ok(emptied.freePages * emptied.pageSize >= 5000 * 1000, 'the deleted pages are free for reuse');
    assert.ok(emptied.fileBytes >= full.fileBytes, 'the file does not shrink');
    await store.close();
  });
});
