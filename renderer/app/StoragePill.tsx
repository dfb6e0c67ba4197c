import type { StorageInfo } from '../../electron/contract.ts';
import { formatBytes } from '../shared/ui.tsx';

/** Where the local engine keeps its data and how big it is, in the top bar. */
export function StoragePill({ storage }: { storage: StorageInfo }) {
  if (storage.kind === 'memory') {
    return (
      <span className={`endpoint-pill${storage.problem ? ' off' : ''}`} data-testid="storage-pill" title="The local engine keeps its data in memory: it is gone when the app exits">
        In memory · {formatBytes(storage.valueBytes)}
      </span>
    );
  }
  const { pageSize } = storage;
  const title =
    `LMDB in ${storage.dataDir}\n` +
    `File on disk: ${formatBytes(storage.fileBytes)} (it never shrinks)\n` +
    `Live data: ${formatBytes(storage.livePages * pageSize)}\n` +
    `Free pages, reused before the file grows: ${formatBytes(storage.freePages * pageSize)}`;
  return (
    <span className="endpoint-pill" data-testid="storage-pill" title={title}>
      LMDB · {formatBytes(storage.fileBytes)} ({formatBytes(storage.livePages * pageSize)} live)
    </span>
  );
}
