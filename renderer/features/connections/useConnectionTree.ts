import { useEffect, useState } from 'react';
import type { ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { call, dynamo } from '../../app/client.ts';

export interface TableEntry {
  name: string;
  itemCount?: number;
  status?: string;
}

export interface NamespaceGroup {
  namespace: Namespace;
  tables: TableEntry[];
  loading: boolean;
  error?: unknown;
}

export interface ConnectionTree {
  groups: NamespaceGroup[];
  loading: boolean;
  error?: unknown;
}

const DESCRIBE_CONCURRENCY = 6;

/**
 * Loads a connection's namespaces and their tables, then fills in item counts as DescribeTable
 * answers arrive, so the list appears at once and the counts follow.
 */
export function useConnectionTree(connection: ConnectionInfo, expanded: boolean, version: number): ConnectionTree {
  const [tree, setTree] = useState<ConnectionTree>({ groups: [], loading: true });

  useEffect(() => {
    if (!expanded) return;
    let cancelled = false;
    setTree((t) => ({ ...t, loading: true }));
    void (async () => {
      try {
        const namespaces = await call('namespaces', { connectionId: connection.id });
        const groups: NamespaceGroup[] = namespaces.map((n) => ({
          namespace: { accountId: n.accountId, region: n.region },
          tables: [],
          loading: true,
        }));
        const publish = () => !cancelled && setTree({ groups: groups.map((g) => ({ ...g, tables: [...g.tables] })), loading: groups.some((g) => g.loading) });
        publish();
        await Promise.all(
          groups.map(async (group) => {
            const namespace = connection.capabilities.namespaces ? group.namespace : undefined;
            try {
              let start: string | undefined;
              do {
                const page = await dynamo<{ TableNames?: string[]; LastEvaluatedTableName?: string }>(
                  connection.id,
                  'ListTables',
                  start ? { ExclusiveStartTableName: start } : {},
                  namespace,
                );
                group.tables.push(...(page.TableNames ?? []).map((name) => ({ name })));
                start = page.LastEvaluatedTableName;
              } while (start && !cancelled);
            } catch (error) {
              group.error = error;
            }
            group.loading = false;
            publish();
            const queue = [...group.tables];
            const worker = async () => {
              for (let entry = queue.shift(); entry && !cancelled; entry = queue.shift()) {
                try {
                  const { Table } = await dynamo<{ Table?: { ItemCount?: number; TableStatus?: string } }>(
                    connection.id,
                    'DescribeTable',
                    { TableName: entry.name },
                    namespace,
                  );
                  entry.itemCount = Table?.ItemCount;
                  entry.status = Table?.TableStatus;
                } catch {
                  // A table deleted meanwhile simply shows no count.
                }
              }
            };
            await Promise.all(Array.from({ length: DESCRIBE_CONCURRENCY }, worker));
            publish();
          }),
        );
      } catch (error) {
        if (!cancelled) setTree({ groups: [], loading: false, error });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [connection.id, connection.capabilities.namespaces, expanded, version]);

  return tree;
}
