import { useEffect, useRef, useState } from 'react';
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
/** How often the local engine's table list is compared with what the sidebar shows. */
export const LOCAL_POLL_MS = 3000;

/** Every table name of a connection, namespace by namespace: what the tree shows, as one string. */
async function tableNamesOf(connection: ConnectionInfo): Promise<string> {
  const namespaces = await call('namespaces', { connectionId: connection.id });
  const lists = await Promise.all(
    namespaces.map(async (n) => {
      const namespace = connection.capabilities.namespaces ? { accountId: n.accountId, region: n.region } : undefined;
      const names: string[] = [];
      let start: string | undefined;
      do {
        const page = await dynamo<{ TableNames?: string[]; LastEvaluatedTableName?: string }>(connection.id, 'ListTables', start ? { ExclusiveStartTableName: start } : {}, namespace);
        names.push(...(page.TableNames ?? []));
        start = page.LastEvaluatedTableName;
      } while (start);
      return `${n.accountId}/${n.region}:${names.join(',')}`;
    }),
  );
  return lists.join('|');
}

/**
 * Loads a connection's namespaces and their tables, then fills in item counts as DescribeTable
 * answers arrive, so the list appears at once and the counts follow.
 */
export function useConnectionTree(connection: ConnectionInfo, expanded: boolean, version: number): ConnectionTree {
  const [tree, setTree] = useState<ConnectionTree>({ groups: [], loading: true });
  // Bumped when the local engine's tables changed behind the app's back (an SDK, the CLI).
  const [outsideChanges, setOutsideChanges] = useState(0);
  const shown = useRef<string | null>(null);

  // The local engine answers ListTables in-process, so watching it costs little; remote services
  // are refreshed by hand (the sidebar's refresh button), not polled.
  useEffect(() => {
    if (!expanded || connection.kind !== 'local') return;
    let stopped = false;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible' || shown.current === null) return;
      tableNamesOf(connection).then(
        (names) => {
          if (!stopped && shown.current !== null && names !== shown.current) setOutsideChanges((n) => n + 1);
        },
        () => undefined,
      );
    }, LOCAL_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [connection, expanded]);

  useEffect(() => {
    if (!expanded) return;
    let cancelled = false;
    shown.current = null;
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
        if (!cancelled) shown.current = groups.map((g) => `${g.namespace.accountId}/${g.namespace.region}:${g.tables.map((t) => t.name).join(',')}`).join('|');
      } catch (error) {
        if (!cancelled) setTree({ groups: [], loading: false, error });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [connection.id, connection.capabilities.namespaces, expanded, version, outsideChanges]);

  return tree;
}
