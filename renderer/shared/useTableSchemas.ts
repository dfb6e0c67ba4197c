import { useEffect, useState } from 'react';
import type { ConnectionInfo, Namespace } from '../../electron/contract.ts';
import { dynamo } from '../app/client.ts';
import type { TableDescription } from '../features/items/tableSchema.ts';

/** Describing every table ("all") stops here, so a connection with thousands stays responsive. */
const MAX_DESCRIBED = 100;

/**
 * The tables of a connection (in a namespace) and the descriptions of those asked for: builders
 * that span tables type each key field from its own table's schema; the PartiQL editor completes
 * index names of all of them.
 */
export function useTableSchemas(connection: ConnectionInfo, namespace: Namespace | undefined, wanted: string[] | 'all') {
  const [tableNames, setTableNames] = useState<string[] | null>(null);
  const [descriptions, setDescriptions] = useState<Record<string, TableDescription>>({});
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      try {
        const names: string[] = [];
        let start: string | undefined;
        do {
          const page = await dynamo<{ TableNames?: string[]; LastEvaluatedTableName?: string }>(connection.id, 'ListTables', start ? { ExclusiveStartTableName: start } : {}, namespace);
          names.push(...(page.TableNames ?? []));
          start = page.LastEvaluatedTableName;
        } while (start);
        if (!stopped) setTableNames(names);
      } catch (err) {
        if (!stopped) setError(err);
      }
    })();
    return () => {
      stopped = true;
    };
  }, [connection, namespace]);

  const names = wanted === 'all' ? (tableNames ?? []).slice(0, MAX_DESCRIBED) : wanted;
  const missing = [...new Set(names)].filter((name) => name && !descriptions[name]);
  const missingKey = missing.join('\u0000');
  useEffect(() => {
    if (!missing.length) return;
    let stopped = false;
    void Promise.all(
      missing.map(async (name) => {
        try {
          const { Table } = await dynamo<{ Table: TableDescription }>(connection.id, 'DescribeTable', { TableName: name }, namespace);
          if (!stopped) setDescriptions((d) => ({ ...d, [name]: Table }));
        } catch {
          // A table that cannot be described is reported on its action by the local checks.
        }
      }),
    );
    return () => {
      stopped = true;
    };
    // `missing` is derived from wanted and descriptions; its key says when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection, namespace, missingKey]);

  return { tableNames, descriptions, error };
}
