import { useEffect, useState } from 'react';
import type { VectorSearchInsight } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';

/** While a clustering runs, how often its progress is read again. */
const CLUSTERING_POLL_MS = 1000;

const countFormat = new Intl.NumberFormat('en-US');

/**
 * How the local engine searches each vector index of `table`, by index name; read again whenever
 * `revision` changes (a new description) and every second while a clustering runs. Empty for
 * connections that cannot tell (remote services).
 */
export function useVectorSearchStatus(table: TableRef, revision: unknown, hasVectorIndexes: boolean): Record<string, VectorSearchInsight> {
  const [status, setStatus] = useState<Record<string, VectorSearchInsight>>({});
  const available = table.connection.capabilities.vectorSearchStatus && hasVectorIndexes;
  useEffect(() => {
    if (!available) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () =>
      call('insights/vectorSearch', { connectionId: table.connection.id, tableName: table.tableName, ...(table.namespace ? { namespace: table.namespace } : {}) })
        .then((next) => {
          if (stopped) return;
          setStatus(next);
          if (Object.values(next).some((s) => s.clustering)) timer = setTimeout(read, CLUSTERING_POLL_MS);
        })
        .catch(() => undefined);
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [available, revision, table]);
  return available ? status : {};
}

/** One line saying how an index is searched: "Exact search", "Approximate · 316 clusters", or the clustering's progress. */
export function vectorSearchLabel(status: VectorSearchInsight): string {
  const { clustering } = status;
  if (clustering) {
    const step =
      clustering.phase === 'moving'
        ? `moving entries · ${countFormat.format(Math.min(clustering.moved, clustering.entries))} of ${countFormat.format(clustering.entries)}`
        : clustering.phase === 'training'
          ? 'training centroids…'
          : 'sampling vectors…';
    return `Clustering in the background · ${step}`;
  }
  return status.clusters > 0 ? `Approximate search · ${countFormat.format(status.clusters)} clusters` : 'Exact search';
}
