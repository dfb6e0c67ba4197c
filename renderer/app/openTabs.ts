import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_OPEN_TABS, type ConnectionInfo, type OpenTab, type Settings } from '../../electron/contract.ts';
import { call } from './client.ts';
import { namespaceLabel, tableKey, TOOL_LABELS, type TableRef, type ToolRef } from './selection.ts';

/** What a workbench tab shows: a table's page (the first, or another `instance` of it) or a per-connection builder. */
export type Place = { kind: 'table'; table: TableRef; instance?: number } | { kind: 'tool'; tool: ToolRef };

/** One tab per builder kind, connection and namespace; a table has one tab per instance (the first has none). */
export function placeKey(place: Place): string {
  if (place.kind === 'table') return `table|${tableKey(place.table.connection.id, place.table.namespace, place.table.tableName)}${place.instance ? `|${place.instance}` : ''}`;
  const { tool, connection, namespace } = place.tool;
  return [tool, connection.id, namespace?.accountId ?? '', namespace?.region ?? ''].join('|');
}

/** `title` for the tab itself; `full` also names the connection (and namespace), for its tooltip and name. */
export function placeLabel(place: Place): { title: string; full: string } {
  const where = place.kind === 'table' ? place.table : place.tool;
  const namespace = where.namespace && where.connection.capabilities.namespaces ? ` · ${namespaceLabel(where.namespace)}` : '';
  const title = place.kind === 'table' ? `${place.table.tableName}${place.instance ? ` · ${place.instance}` : ''}` : TOOL_LABELS[place.tool.tool];
  return { title, full: `${title} (${where.connection.name}${namespace})` };
}

function toOpenTab(place: Place): OpenTab {
  const where = place.kind === 'table' ? place.table : place.tool;
  return {
    kind: place.kind === 'table' ? 'table' : place.tool.tool,
    connectionId: where.connection.id,
    ...(where.namespace ? { namespace: where.namespace } : {}),
    ...(place.kind === 'table' ? { tableName: place.table.tableName, ...(place.instance ? { instance: place.instance } : {}) } : {}),
  };
}

/** A stored tab on a connection that still exists; tabs of removed connections are dropped. */
function fromOpenTab(tab: OpenTab, connections: ConnectionInfo[]): Place | undefined {
  const connection = connections.find((c) => c.id === tab.connectionId);
  if (!connection) return undefined;
  if (tab.kind === 'table') return tab.tableName ? { kind: 'table', table: { connection, namespace: tab.namespace, tableName: tab.tableName }, ...(tab.instance ? { instance: tab.instance } : {}) } : undefined;
  return { kind: 'tool', tool: { tool: tab.kind, connection, namespace: tab.namespace } };
}

interface TabsState {
  tabs: Place[];
  /** The tab in front (keyboard commands and links act on it); null when none is open. */
  front: string | null;
  /** The two tabs shown side by side, left and right (one of them is in front); null when not split. */
  split: [string, string] | null;
}

const NO_TABS: TabsState = { tabs: [], front: null, split: null };

/**
 * Brings `key` to the front. When split, a tab already in a pane just takes the focus; another tab
 * replaces the pane that was in front, so the other pane stays where the user put it.
 */
function bringToFront(state: TabsState, key: string): TabsState {
  const { split, front } = state;
  if (!split || split.includes(key)) return { ...state, front: key };
  return { ...state, front: key, split: split[0] === front ? [key, split[1]] : [split[0], key] };
}

/** Drops the tabs `which` picks; the tab in front stays in front when it survives, else its neighbour comes forward. */
function without(state: TabsState, which: (place: Place, index: number) => boolean): TabsState {
  const keys = state.tabs.map(placeKey);
  const kept = state.tabs.filter((p, i) => !which(p, i));
  const keptKeys = new Set(kept.map(placeKey));
  const split = state.split && state.split.every((k) => keptKeys.has(k)) ? state.split : null;
  if (state.front && keptKeys.has(state.front)) return { tabs: kept, front: state.front, split };
  // The surviving pane of a split comes forward; else the tab that took the closed one's place.
  const survivor = state.split?.find((k) => keptKeys.has(k));
  const at = state.front ? keys.indexOf(state.front) : 0;
  const neighbour = kept[Math.min(at, kept.length - 1)];
  return { tabs: kept, front: survivor ?? (neighbour ? placeKey(neighbour) : null), split };
}

/**
 * The workbench's open tabs, the one in front, and the pair shown side by side, kept in the
 * settings store so they come back after a restart. Opening what is already open brings its tab to
 * the front; "open another" gives a table a second tab (two queries on one table, side by side).
 */
export function useOpenTabs(connections: ConnectionInfo[], settings: Settings | null) {
  const [state, setState] = useState<TabsState>(NO_TABS);
  const restored = useRef(false);

  useEffect(() => {
    if (restored.current || !settings || connections.length === 0) return;
    restored.current = true;
    const stored = settings.openTabs ?? [];
    // Positions refer to the stored list; a tab whose connection is gone leaves a hole, not a shift.
    const places = stored.map((tab) => fromOpenTab(tab, connections));
    const keyAt = (i: number | undefined) => {
      const place = i === undefined ? undefined : places[i];
      return place ? placeKey(place) : null;
    };
    const tabs = places.filter((p): p is Place => p !== undefined);
    const front = keyAt(settings.activeTab) ?? (tabs[0] ? placeKey(tabs[0]) : null);
    const pair = settings.splitTabs?.map(keyAt);
    const split = pair && pair[0] && pair[1] && front && pair.includes(front) ? ([pair[0], pair[1]] as [string, string]) : null;
    setState({ tabs, front, split });
  }, [settings, connections]);

  useEffect(() => {
    if (!restored.current) return;
    const keys = state.tabs.map(placeKey);
    const front = state.front ? keys.indexOf(state.front) : -1;
    const splitTabs = state.split ? (state.split.map((k) => keys.indexOf(k)) as [number, number]) : null;
    // Losing the tab list to a failed write only costs the next start its tabs.
    call('settings/set', { openTabs: state.tabs.map(toOpenTab), activeTab: Math.max(0, front), splitTabs }).catch(() => undefined);
  }, [state]);

  const open = useCallback((place: Place) => setState((current) => withPlace(current, place)), []);

  /** A further tab on `table`, numbered after the ones open, in front (two queries on one table). */
  const openAnother = useCallback(
    (table: TableRef) =>
      setState((current) => {
        const taken = new Set(current.tabs.map(placeKey));
        let instance = 2;
        while (taken.has(placeKey({ kind: 'table', table, instance }))) instance++;
        return withPlace(current, { kind: 'table', table, instance });
      }),
    [],
  );

  /** Closes the tabs `which` picks. */
  const closeWhere = useCallback((which: (place: Place, index: number) => boolean) => setState((current) => without(current, which)), []);

  const focus = useCallback((index: number) => setState((current) => (current.tabs[index] ? bringToFront(current, placeKey(current.tabs[index])) : current)), []);

  /** Shows tab `index` beside the one in front (which keeps the focus); with `index` in front already, nothing changes. */
  const showBeside = useCallback(
    (index: number) =>
      setState((current) => {
        const place = current.tabs[index];
        if (!place || !current.front || placeKey(place) === current.front) return current;
        return { ...current, split: [current.front, placeKey(place)] };
      }),
    [],
  );

  const unsplit = useCallback(() => setState((current) => ({ ...current, split: null })), []);

  const keys = state.tabs.map(placeKey);
  const active = state.front ? keys.indexOf(state.front) : -1;
  return {
    tabs: state.tabs,
    active,
    current: state.tabs[active] as Place | undefined,
    /** Positions of the left and right panes when split. */
    split: state.split ? (state.split.map((k) => keys.indexOf(k)) as [number, number]) : null,
    open,
    openAnother,
    closeWhere,
    focus,
    showBeside,
    unsplit,
  };
}

/** Opens `place` in front: its tab if open (a tool place carrying a request replaces the tab's view), else a new tab. */
function withPlace(current: TabsState, place: Place): TabsState {
  const key = placeKey(place);
  const at = current.tabs.findIndex((p) => placeKey(p) === key);
  if (at >= 0) {
    const tabs = place.kind === 'tool' && place.tool.open ? current.tabs.map((p, i) => (i === at ? place : p)) : current.tabs;
    return bringToFront({ ...current, tabs }, key);
  }
  // At the limit, the new tab takes the last one's place.
  const base = current.tabs.length >= MAX_OPEN_TABS ? without(current, (_, i) => i === current.tabs.length - 1) : current;
  return bringToFront({ ...base, tabs: [...base.tabs, place] }, key);
}
