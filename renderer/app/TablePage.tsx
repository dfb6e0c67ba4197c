import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { publishTab, useTabPlace } from './navigation.ts';
import { ItemsView } from '../features/items/ItemsView.tsx';
import { Spinner } from '../shared/ui.tsx';
import { tableKey, type TableRef } from './selection.ts';
import '../shared/views.css';

// Views beyond Items load on first use, so the initial bundle stays the items workbench.
const QueryView = lazy(() => import('../features/query/QueryView.tsx').then((m) => ({ default: m.QueryView })));
const IndexesView = lazy(() => import('../features/indexes/IndexesView.tsx').then((m) => ({ default: m.IndexesView })));
const StreamsView = lazy(() => import('../features/streams/StreamsView.tsx').then((m) => ({ default: m.StreamsView })));
const TriggersView = lazy(() => import('../features/triggers/TriggersView.tsx').then((m) => ({ default: m.TriggersView })));
const TtlView = lazy(() => import('../features/ttl/TtlView.tsx').then((m) => ({ default: m.TtlView })));
const CapacityView = lazy(() => import('../features/capacity/CapacityView.tsx').then((m) => ({ default: m.CapacityView })));
const SimilarView = lazy(() => import('../features/similar/SimilarView.tsx').then((m) => ({ default: m.SimilarView })));
const SettingsView = lazy(() => import('../features/settings/SettingsView.tsx').then((m) => ({ default: m.SettingsView })));

export const TABLE_TABS = [
  { id: 'items', label: 'Items' },
  { id: 'query', label: 'Query' },
  { id: 'indexes', label: 'Indexes' },
  { id: 'similar', label: 'Similar' },
  { id: 'streams', label: 'Streams' },
  { id: 'triggers', label: 'Triggers' },
  { id: 'ttl', label: 'TTL' },
  { id: 'capacity', label: 'Capacity' },
  { id: 'settings', label: 'Settings' },
] as const;

export type TableTab = (typeof TABLE_TABS)[number]['id'];

function tableTabOf(text: string): TableTab {
  return TABLE_TABS.some((t) => t.id === text) ? (text as TableTab) : 'items';
}

/**
 * A table's page: its header (from the items view) and tabs for Items, Query, Indexes, Similar, Streams,
 * Triggers, TTL, Capacity and Settings. Each page (a workbench tab; a table can have several)
 * keeps its own shown tab. The page in front follows links made elsewhere through the navigation
 * store (`showTab`: a message's link to a tab and a control on it) and reports its tab there for
 * the URL. The items body, and the query builder once opened, stay mounted while another tab is
 * shown, so loaded pages, a built query, its results and scroll positions survive a visit
 * elsewhere. Tabs follow the WAI-ARIA tabs pattern: one tab stop, arrow keys (and Home/End) move
 * between tabs and select them.
 */
export function TablePage({
  table,
  pageKey,
  active,
  pageSize,
  onDeleteTable,
  onChanged,
}: {
  table: TableRef;
  /** The workbench tab's key: element ids and a pending query are per page. */
  pageKey: string;
  /** Whether this page is the one in front (another may be shown beside it). */
  active: boolean;
  pageSize: number;
  onDeleteTable(): void;
  onChanged(): void;
}) {
  const place = useTabPlace();
  const [tab, setTab] = useState<TableTab>(() => (active ? tableTabOf(place.tab) : 'items'));
  const seenRequest = useRef(place.request);
  // A link followed while this page is in front shows its tab; links made while it was behind are not for it.
  useEffect(() => {
    if (place.request === seenRequest.current) return;
    seenRequest.current = place.request;
    if (active) setTab(tableTabOf(place.tab));
  }, [active, place]);
  useEffect(() => {
    if (active) publishTab(tab);
  }, [active, tab]);
  const [queryOpened, setQueryOpened] = useState(false);
  if (tab === 'query' && !queryOpened) setQueryOpened(true);
  const [describeVersion, setDescribeVersion] = useState(0);
  const tabRefs = useRef(new Map<TableTab, HTMLButtonElement>());
  const key = tableKey(table.connection.id, table.namespace, table.tableName);
  const idFor = (id: TableTab, part: 'tab' | 'panel') => `table-${part}-${id}-${pageKey}`;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABLE_TABS.findIndex((t) => t.id === tab);
    let next = index;
    if (event.key === 'ArrowRight') next = (index + 1) % TABLE_TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABLE_TABS.length) % TABLE_TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABLE_TABS.length - 1;
    else return;
    event.preventDefault();
    const id = TABLE_TABS[next]!.id;
    setTab(id);
    tabRefs.current.get(id)?.focus();
  };

  const changed = () => {
    setDescribeVersion((v) => v + 1);
    onChanged();
  };

  let view: ReactNode = null;
  if (tab === 'indexes') view = <IndexesView table={table} onChanged={changed} />;
  else if (tab === 'similar') view = <SimilarView table={table} />;
  else if (tab === 'streams') view = <StreamsView table={table} onChanged={changed} />;
  else if (tab === 'triggers') view = <TriggersView table={table} />;
  else if (tab === 'ttl') view = <TtlView table={table} />;
  else if (tab === 'capacity') view = <CapacityView table={table} />;
  else if (tab === 'settings') view = <SettingsView table={table} onChanged={changed} />;

  const renderBody = (itemsBody: ReactNode) => (
    <>
      <div className="table-tabs" role="tablist" aria-label={`${table.tableName} views`} onKeyDown={onKeyDown}>
        {TABLE_TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) tabRefs.current.set(t.id, el);
              else tabRefs.current.delete(t.id);
            }}
            type="button"
            role="tab"
            id={idFor(t.id, 'tab')}
            aria-selected={tab === t.id}
            aria-controls={idFor(t.id, 'panel')}
            tabIndex={tab === t.id ? 0 : -1}
            className={`table-tab${tab === t.id ? ' on' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={idFor('items', 'panel')} aria-labelledby={idFor('items', 'tab')} hidden={tab !== 'items'}>
        {itemsBody}
      </div>
      {queryOpened ? (
        <div className="tab-panel view-panel" role="tabpanel" id={idFor('query', 'panel')} aria-labelledby={idFor('query', 'tab')} hidden={tab !== 'query'}>
          <Suspense
            fallback={
              <div className="empty-state">
                <Spinner label="Loading view" />
              </div>
            }
          >
            <div key={key} className="view-body">
              <QueryView table={table} pageKey={pageKey} pageSize={pageSize} />
            </div>
          </Suspense>
        </div>
      ) : null}
      {view ? (
        <div className="tab-panel view-panel" role="tabpanel" id={idFor(tab, 'panel')} aria-labelledby={idFor(tab, 'tab')}>
          <Suspense
            fallback={
              <div className="empty-state">
                <Spinner label="Loading view" />
              </div>
            }
          >
            {/* Keyed by table: a view's state (a query, a stream cursor) belongs to one table. */}
            <div key={key} className="view-body">
              {view}
            </div>
          </Suspense>
        </div>
      ) : null}
    </>
  );

  return (
    <ItemsView
      key={key}
      table={table}
      pageSize={pageSize}
      onDeleteTable={onDeleteTable}
      onChanged={onChanged}
      renderBody={renderBody}
      describeVersion={describeVersion}
      active={active}
    />
  );
}
