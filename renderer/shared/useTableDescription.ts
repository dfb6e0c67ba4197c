import { useCallback, useEffect, useState } from 'react';
import { dynamo } from '../app/client.ts';
import type { TableRef } from '../app/selection.ts';
import type { TableDescription } from '../features/items/tableSchema.ts';

/**
 * DescribeTable for a view, re-read on `reload()` and, while `pollWhile(description)` holds, every
 * `pollMs` (an index backfilling, a stream being enabled): views show status changes without a
 * manual refresh.
 */
export function useTableDescription<T extends TableDescription = TableDescription>(
  table: TableRef,
  pollWhile?: (description: T) => boolean,
  pollMs = 700,
) {
  const [description, setDescription] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const { Table } = await dynamo<{ Table: T }>(table.connection.id, 'DescribeTable', { TableName: table.tableName }, table.namespace);
        if (stopped) return;
        setDescription(Table);
        setError(null);
        if (pollWhile?.(Table)) timer = setTimeout(() => void read(), pollMs);
      } catch (err) {
        if (!stopped) setError(err);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // pollWhile is a predicate literal in callers; polling restarts on reload() instead.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, version, pollMs]);

  return { description, error, reload };
}
