import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_OPEN_TABS, type ConnectionInfo, type OpenTab, type Settings } from '../../electron/contract.ts';
import { call } from './client.ts';
import { namespaceLabel, tableKey, TOOL_LABELS, type TableRef, type ToolRef } from './selection.ts';

/** What a workbench tab shows: a table's page or a per-connection builder. */
export type Place = { kind: 'table'; table: TableRef } | { kind: 'tool'; tool: ToolRef };

/** One tab per table, and one per builder kind, connection and namespace. */
export function placeKey(place: Place): string {
  if (place.kind === 'table') return `table|${tableKey(place.table.connection.id, place.table.namespace, place.table.tableName)}`;
  const { tool, connection, namespace } = place.tool;
  return [tool, connection.id, namespace?.accountId ?? '', namespace?.region ?? ''].join('|');
}

/** `title` for the tab itself; `full` also names the connection (and namespace), for its tooltip and name. */
export function placeLabel(place: Place): { title: string; full: string } {
  const where = place.kind === 'table' ? place.table : place.tool;
  const namespace = where.namespace && where.connection.capabilities.namespaces ? ` · ${namespaceLabel(where.namespace)}` : '';
  const title = place.kind === 'table' ? place.table.tableName : TOOL_LABELS[place.tool.tool];
  return { title, full: `${title} (${where.connection.name}${namespace})` };
}

function toOpenTab(place: Place): OpenTab {
  const where = place.kind === 'table' ? place.table : place.tool;
  return {
    kind: place.kind === 'table' ? 'table' : place.tool.tool,
    connectionId: where.connection.id,
    ...(where.namespace ? { namespace: where.namespace } : {}),
    ...(place.kind === 'table' ? { tableName: place.table.tableName } : {}),
  };
}

/** A stored tab on a connection that still exists; tabs of removed connections are dropped. */
function fromOpenTab(tab: OpenTab, connections: ConnectionInfo[]): Place | undefined {
  const connection = connections.find((c) => c.id === tab.connectionId);
  if (!connection) return undefined;
  if (tab.kind === 'table') return tab.tableName ? { kind: 'table', table: { connection, namespace: tab.namespace, tableName: tab.tableName } } : undefined;
  return { kind: 'tool', tool: { tool: tab.kind, connection, namespace: tab.namespace } };
}

/**
 * The workbench's open tabs and the one in front, kept in the settings store so they come back
 * after a restart. Opening what is already open brings its tab to the front.
 */
export function useOpenTabs(connections: ConnectionInfo[], settings: Settings | null) {
  const [tabs, setTabs] = useState<Place[]>([]);
  const [active, setActive] = useState(-1);
  const restored = useRef(false);

  useEffect(() => {
    if (restored.current || !settings || connections.length === 0) return;
    restored.current = true;
    const places = (settings.openTabs ?? []).flatMap((tab) => fromOpenTab(tab, connections) ?? []);
    setTabs(places);
    setActive(places.length ? Math.min(settings.activeTab ?? 0, places.length - 1) : -1);
  }, [settings, connections]);

  useEffect(() => {
    if (!restored.current) return;
    // Losing the tab list to a failed write only costs the next start its tabs.
    call('settings/set', { openTabs: tabs.map(toOpenTab), activeTab: Math.max(0, active) }).catch(() => undefined);
  }, [tabs, active]);

  const open = useCallback((place: Place) => {
    setTabs((current) => {
      const at = current.findIndex((p) => placeKey(p) === placeKey(place));
      // A place carrying what to open with (a request from the history) replaces the tab's view.
      if (at >= 0) {
        setActive(at);
        return place.kind === 'tool' && place.tool.open ? current.map((p, i) => (i === at ? place : p)) : current;
      }
      if (current.length >= MAX_OPEN_TABS) {
        setActive(current.length - 1);
        return [...current.slice(0, -1), place];
      }
      setActive(current.length);
      return [...current, place];
    });
  }, []);

  /** Closes the tabs `which` picks; the tab in front stays in front when it survives. */
  const closeWhere = useCallback(
    (which: (place: Place, index: number) => boolean) => {
      setTabs((current) => {
        const front = current[active];
        const kept = current.filter((p, i) => !which(p, i));
        const stillThere = front ? kept.indexOf(front) : -1;
        setActive(stillThere >= 0 ? stillThere : Math.min(active, kept.length - 1));
        return kept;
      });
    },
    [active],
  );

  return { tabs, active, current: tabs[active] as Place | undefined, open, closeWhere, focus: setActive };
}
