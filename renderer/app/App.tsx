import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AppCommand, AppInfo, ConnectionInfo, Namespace, Settings } from '../../electron/contract.ts';
import { ConnectionDialog } from '../features/connections/ConnectionDialog.tsx';
import { Sidebar } from '../features/connections/Sidebar.tsx';
import { useConnectionHealth } from '../features/connections/useConnectionHealth.ts';
import { CommandPalette } from '../features/palette/CommandPalette.tsx';
import { CreateTableDialog } from '../features/tables/CreateTableDialog.tsx';
import { DeleteTableDialog } from '../features/tables/DeleteTableDialog.tsx';
import { ConfirmDialog } from '../shared/ConfirmDialog.tsx';
import { Icon } from '../shared/icons.tsx';
import { ErrorNotice, Kbd, MOD, Spinner } from '../shared/ui.tsx';
import { api, call, onBridgeStatus } from './client.ts';
import { CommandProvider, useCommandRegistry, useCommands } from './commands.tsx';
import { hashToPlace, placeToHash } from './deepLink.ts';
import { showTab, useTabPlace } from './navigation.ts';
import { placeKey, placeLabel, useOpenTabs, type Place } from './openTabs.ts';
import { TOOL_LABELS, type TableRef, type ToolRef } from './selection.ts';
import { StoragePill } from './StoragePill.tsx';
import { TablePage } from './TablePage.tsx';
import { WorkbenchTabs } from './WorkbenchTabs.tsx';
import { applyTheme, currentTheme } from './theme.ts';

// Builders load on first use, so the initial bundle stays the items workbench.
const TransactionsView = lazy(() => import('../features/transactions/TransactionsView.tsx').then((m) => ({ default: m.TransactionsView })));
const HistoryView = lazy(() => import('../features/history/HistoryView.tsx').then((m) => ({ default: m.HistoryView })));
const PartiqlView = lazy(() => import('../features/partiql/PartiqlView.tsx').then((m) => ({ default: m.PartiqlView })));
const ModelerView = lazy(() => import('../features/modeler/ModelerView.tsx').then((m) => ({ default: m.ModelerView })));

export function App() {
  return (
    <CommandProvider>
      <Workbench />
    </CommandProvider>
  );
}

type Dialog =
  | { kind: 'create-table'; connection: ConnectionInfo; namespace: Namespace | undefined }
  | { kind: 'delete-table'; table: TableRef }
  | { kind: 'add-connection' }
  | { kind: 'edit-connection'; connection: ConnectionInfo }
  | { kind: 'remove-connection'; connection: ConnectionInfo }
  | { kind: 'palette' }
  | null;

/** Single-key shortcuts work when focus is not in a text field; they mirror the palette's list. */
const KEY_COMMANDS: Record<string, string> = {
  r: 'refresh',
  F5: 'refresh',
  n: 'new-item',
  e: 'edit-item',
  d: 'duplicate-item',
  Delete: 'delete-items',
  t: 'new-table',
};

function isTextEntry(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type));
}

function Workbench() {
  const [connections, setConnections] = useState<ConnectionInfo[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [startupError, setStartupError] = useState<unknown>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [treeVersion, setTreeVersion] = useState(0);
  const [bridge, setBridge] = useState<'connecting' | 'open' | 'closed'>('open');
  // Until the URL's place has been looked for, the URL must not be overwritten by the empty start.
  const [placeRestored, setPlaceRestored] = useState(false);
  const registry = useCommandRegistry();
  const tabPlace = useTabPlace();

  /** Opens the table and tab the URL names, if its connection exists. */
  const goToHash = useCallback((list: ConnectionInfo[]) => {
    const place = hashToPlace(location.hash);
    const connection = place && list.find((c) => c.id === place.connectionId);
    if (place && connection) {
      setSelected({ connection, namespace: connection.capabilities.namespaces ? place.namespace : undefined, tableName: place.tableName });
      showTab(place.tab);
    }
  }, []);

  useEffect(() => {
    onBridgeStatus(setBridge);
    void (async () => {
      try {
        const [list, loadedSettings, appInfo] = await Promise.all([call('connections/list', null), call('settings/get', null), call('app/info', null)]);
        setConnections(list);
        setSettings(loadedSettings);
        applyTheme(loadedSettings.theme);
        setInfo(appInfo);
        goToHash(list);
      } catch (error) {
        setStartupError(error);
      }
      setPlaceRestored(true);
    })();
    const offConnections = api.on('connections/changed', setConnections);
    const offSettings = api.on('settings/changed', (next) => {
      setSettings(next);
      applyTheme(next.theme);
    });
    const offCommand = api.on('app/command', ({ command }: { command: AppCommand }) => {
      if (command === 'palette') setDialog({ kind: 'palette' });
      else registry.run(command);
    });
    return () => {
      offConnections();
      offSettings();
      offCommand();
    };
    // The registry object is stable for the app's lifetime.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Tables and builders open as tabs; the one in front is `selected` or `tool`.
  const tabs = useOpenTabs(connections, settings);
  const selected = tabs.current?.kind === 'table' ? tabs.current.table : null;
  const tool = tabs.current?.kind === 'tool' ? tabs.current.tool : null;
  const setSelected = (table: TableRef | null) => (table ? tabs.open({ kind: 'table', table }) : tabs.closeWhere((_, i) => i === tabs.active));

  // The URL follows the place (replacing, not adding history entries), so a reload comes back here.
  useEffect(() => {
    if (!placeRestored) return;
    const hash = selected ? placeToHash({ connectionId: selected.connection.id, ...(selected.namespace ? { namespace: selected.namespace } : {}), tableName: selected.tableName, tab: tabPlace.tab }) : '';
    if (location.hash !== hash) history.replaceState(null, '', hash || `${location.pathname}${location.search}`);
  }, [placeRestored, selected, tabPlace.tab]);

  // A link edited or pasted into the address bar of the open page.
  useEffect(() => {
    const onHashChange = () => goToHash(connections);
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [connections, goToHash]);

  const local = connections.find((c) => c.kind === 'local');
  // The connection in view (the selected table's, else the local engine), as the list now has it.
  const current = (selected && connections.find((c) => c.id === selected.connection.id)) ?? local;
  const health = useConnectionHealth(current);
  const refreshTree = useCallback(() => setTreeVersion((v) => v + 1), []);
  const toggleTheme = async () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    try {
      setSettings(await call('settings/set', { theme: next }));
    } catch {
      // The theme still switches for this session.
    }
  };
  const openToolRef = (next: ToolRef) => {
    setShowHistory(false);
    tabs.open({ kind: 'tool', tool: next });
  };
  /** Opens a builder on the selected table's connection and namespace (the local engine's default otherwise). */
  /** The selected table's connection and namespace, else the local engine's default namespace. */
  const currentPlace = (): { connection: ConnectionInfo; namespace: Namespace | undefined } | undefined => {
    const connection = selected?.connection ?? local;
    if (!connection) return undefined;
    const namespace = selected?.connection === connection ? selected.namespace : connection.capabilities.namespaces ? { accountId: '000000000000', region: connection.region } : undefined;
    return { connection, namespace };
  };
  const openTool = (name: ToolRef['tool']) => {
    const place = currentPlace();
    if (place) openToolRef({ tool: name, ...place });
  };
  const newTable = () => {
    const place = currentPlace();
    if (place) setDialog({ kind: 'create-table', ...place });
  };

  useCommands(
    'shell',
    [
      { id: 'palette', title: 'Command palette', group: 'General', shortcut: `${MOD}+K`, run: () => setDialog({ kind: 'palette' }) },
      { id: 'new-table', title: 'Create table', group: 'Tables', shortcut: 'T', run: newTable },
      { id: 'add-connection', title: 'Add connection', group: 'Connections', run: () => setDialog({ kind: 'add-connection' }) },
      { id: 'refresh-tables', title: 'Refresh table list', group: 'Tables', run: refreshTree },
      { id: 'toggle-theme', title: 'Toggle light/dark theme', group: 'General', run: () => void toggleTheme() },
      { id: 'theme-system', title: 'Theme: follow system', group: 'General', run: () => void call('settings/set', { theme: 'system' }) },
      { id: 'open-transactions', title: 'Open the transaction builder', group: 'Builders', run: () => openTool('transactions') },
      { id: 'open-partiql', title: 'Open the PartiQL editor', group: 'Builders', run: () => openTool('partiql') },
      { id: 'open-modeler', title: 'Open the data modeler', group: 'Builders', run: () => openTool('modeler') },
      { id: 'open-history', title: 'Show the request history', group: 'Builders', run: () => setShowHistory(true) },
    ],
    [selected, local],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setDialog((d) => (d?.kind === 'palette' ? null : { kind: 'palette' }));
        return;
      }
      if (document.querySelector('dialog[open]')) return;
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'r') {
        event.preventDefault();
        registry.run('refresh');
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey || isTextEntry(event.target)) return;
      const command = KEY_COMMANDS[event.key] ?? (event.key === 'Backspace' ? 'delete-items' : undefined);
      if (command && registry.run(command)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [registry]);

  // Tabs that have been shown; a closed tab is forgotten, so opening it again starts afresh.
  const shownTabs = useRef(new Set<string>());
  const openKeys = new Set(tabs.tabs.map(placeKey));
  for (const key of shownTabs.current) if (!openKeys.has(key)) shownTabs.current.delete(key);

  const renderTab = (tab: Place, key: string, active: boolean): ReactNode => {
    if (tab.kind === 'table') {
      return (
        <TablePage
          table={tab.table}
          pageKey={key}
          active={active}
          pageSize={settings?.pageSize ?? 200}
          onDeleteTable={() => setDialog({ kind: 'delete-table', table: tab.table })}
          onChanged={refreshTree}
        />
      );
    }
    const { tool } = tab;
    return (
      <Suspense
        fallback={
          <div className="empty-state">
            <Spinner label="Loading builder" />
          </div>
        }
      >
        {tool.tool === 'transactions' ? (
          <TransactionsView connection={tool.connection} namespace={tool.namespace} />
        ) : tool.tool === 'modeler' ? (
          <ModelerView connection={tool.connection} namespace={tool.namespace} onChanged={refreshTree} />
        ) : (
          // A request reopened from the history starts the editor afresh with it.
          <PartiqlView key={tool.open ? openedRequestId(tool.open) : 'editor'} connection={tool.connection} namespace={tool.namespace} {...(tool.open ? { initial: tool.open } : {})} />
        )}
      </Suspense>
    );
  };

  // What the breadcrumbs name: the open builder, else the selected table (nothing over the history).
  const place = showHistory ? null : (tool ?? selected);

  return (
    <div className="workbench">
      <header className="topbar">
        <div className="brand">
          <img src="./icon.svg" alt="" width={20} height={20} />
          <span>Dynamo Lens</span>
        </div>
        <nav className="breadcrumbs" aria-label="Location">
          {place ? (
            <>
              <span>{place.connection.name}</span>
              {place.namespace && place.connection.capabilities.namespaces ? (
                <>
                  <Icon name="chevronRight" size={12} />
                  <span>{place.namespace.region}</span>
                </>
              ) : null}
              <Icon name="chevronRight" size={12} />
              <strong>{tool ? TOOL_LABELS[tool.tool] : selected?.tableName}</strong>
            </>
          ) : null}
        </nav>
        <button type="button" className="palette-button" onClick={() => setDialog({ kind: 'palette' })} aria-label="Open command palette">
          <Icon name="search" size={14} />
          <span>Search commands and tables</span>
          <Kbd keys={`${MOD}+K`} />
        </button>
        <span className="topbar-spacer" />
        {current && current.kind === 'remote' ? (
          <span
            className={`endpoint-pill${health.state === 'down' ? ' down' : ''}`}
            role="status"
            aria-label={`${current.name}: ${current.endpointUrl ?? `AWS ${current.region}`}, ${health.state === 'down' ? 'unreachable' : health.state === 'up' ? 'reachable' : 'checking'}`}
            title={health.state === 'down' ? String((health.error as Error)?.message ?? health.error) : `The endpoint of ${current.name}`}
          >
            <span className="dot" /> {current.endpointUrl ?? `AWS ${current.region}`}
            {health.state === 'down' ? ' · unreachable' : ''}
          </span>
        ) : info?.localEndpointUrl ? (
          <span className="endpoint-pill" title="The local engine's DynamoDB endpoint for SDKs and the AWS CLI">
            <span className="dot" /> {info.localEndpointUrl}
          </span>
        ) : info?.localEndpointNote ? (
          <span className="endpoint-pill off" title={info.localEndpointNote}>
            Endpoint off
          </span>
        ) : null}
        {info?.storage ? <StoragePill storage={info.storage} /> : null}
        <button type="button" className="icon-button" aria-label="Request history" title="Request history" aria-pressed={showHistory} onClick={() => setShowHistory(!showHistory)}>
          <Icon name="history" />
        </button>
        <button type="button" className="icon-button" aria-label="Toggle light or dark theme" title="Toggle theme" onClick={() => void toggleTheme()}>
          <Icon name={settings && currentTheme() === 'dark' ? 'sun' : 'moon'} />
        </button>
      </header>
      {info?.storage?.problem ? (
        <div className="banner" role="alert">
          {info.storage.problem}
        </div>
      ) : null}
      {bridge === 'closed' ? (
        <div className="banner" role="alert">
          Lost the connection to <code>dynamo-lens serve</code>. Restart it and open the new URL it prints.
        </div>
      ) : null}
      <div className="workbench-body">
        <Sidebar
          connections={connections}
          selected={showHistory ? null : selected}
          tool={showHistory ? null : tool}
          version={treeVersion}
          onSelect={(table) => {
            setShowHistory(false);
            setSelected(table);
          }}
          onOpenTool={openToolRef}
          onCreateTable={(connection, namespace) => setDialog({ kind: 'create-table', connection, namespace })}
          onAddConnection={() => setDialog({ kind: 'add-connection' })}
          onEditConnection={(connection) => setDialog({ kind: 'edit-connection', connection })}
          onRemoveConnection={(connection) => setDialog({ kind: 'remove-connection', connection })}
          onRefresh={refreshTree}
        />
        <main className="main">
          {startupError ? <ErrorNotice error={startupError} /> : null}
          {showHistory ? null : (
            <WorkbenchTabs
              tabs={tabs.tabs}
              active={tabs.active}
              split={tabs.split}
              onFocus={tabs.focus}
              onClose={(index) => tabs.closeWhere((_, i) => i === index)}
              onShowBeside={tabs.showBeside}
              onUnsplit={tabs.unsplit}
              {...(selected ? { onOpenAnother: () => tabs.openAnother(selected) } : {})}
            />
          )}
          {showHistory ? (
            <Suspense
              fallback={
                <div className="empty-state">
                  <Spinner label="Loading history" />
                </div>
              }
            >
              <HistoryView
                connections={connections}
                onOpenTool={openToolRef}
                onOpenTable={(table) => {
                  setShowHistory(false);
                  setSelected(table);
                }}
              />
            </Suspense>
          ) : null}
          {/* Every tab shown once stays mounted, so a built query, its results and scroll positions survive a visit elsewhere. */}
          <div className={`workbench-panes${tabs.split ? ' split' : ''}`} hidden={showHistory || tabs.tabs.length === 0}>
            {tabs.tabs.map((tab, index) => {
              const key = placeKey(tab);
              const pane = tabs.split ? tabs.split.indexOf(index) : index === tabs.active ? 0 : -1;
              if (pane >= 0) shownTabs.current.add(key);
              if (!shownTabs.current.has(key)) return null;
              return (
                <div
                  key={key}
                  role="region"
                  aria-label={placeLabel(tab).full}
                  className={`workbench-pane${index === tabs.active ? ' front' : ''}`}
                  hidden={pane < 0}
                  style={{ order: pane }}
                  // Working in the pane beside brings it to the front (shortcuts and links then act on it).
                  onPointerDownCapture={index === tabs.active ? undefined : () => tabs.focus(index)}
                >
                  {renderTab(tab, key, index === tabs.active)}
                </div>
              );
            })}
          </div>
          {showHistory || tabs.tabs.length ? null : <Welcome onCreateTable={newTable} endpointUrl={info?.localEndpointUrl} />}
        </main>
      </div>

      {dialog?.kind === 'palette' ? <CommandPalette onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'add-connection' || dialog?.kind === 'edit-connection' ? (
        <ConnectionDialog
          {...(dialog.kind === 'edit-connection' ? { existing: dialog.connection } : {})}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            // The open table keeps its place on the edited connection, now with its new settings.
            if (selected?.connection.id === saved.id) setSelected({ ...selected, connection: saved });
            refreshTree();
          }}
        />
      ) : null}
      {dialog?.kind === 'remove-connection' ? (
        <ConfirmDialog
          title={`Remove connection ${dialog.connection.name}?`}
          confirmLabel="Remove connection"
          onClose={() => setDialog(null)}
          onConfirm={() => {
            const { connection } = dialog;
            setDialog(null);
            void call('connections/remove', { id: connection.id }).then(() => {
              tabs.closeWhere((place) => (place.kind === 'table' ? place.table : place.tool).connection.id === connection.id);
            });
          }}
        >
          Remove the connection <strong>{dialog.connection.name}</strong>? Its saved keys are forgotten too. Its tables are not touched.
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'create-table' ? (
        <CreateTableDialog
          connection={dialog.connection}
          namespace={dialog.namespace}
          onClose={() => setDialog(null)}
          onCreated={(tableName) => {
            refreshTree();
            setSelected({ connection: dialog.connection, namespace: dialog.namespace, tableName });
          }}
        />
      ) : null}
      {dialog?.kind === 'delete-table' ? (
        <DeleteTableDialog
          table={dialog.table}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            setDialog(null);
            setSelected(null);
            refreshTree();
          }}
        />
      ) : null}
    </div>
  );
}

/** One builder per connection, namespace and kind: switching among them starts each afresh. */
const openedRequests = new WeakMap<object, number>();
let openedRequestCount = 0;
/** A number per request reopened from the history, so each reopening remounts the editor with it. */
function openedRequestId(request: object): number {
  const known = openedRequests.get(request);
  if (known !== undefined) return known;
  openedRequests.set(request, ++openedRequestCount);
  return openedRequestCount;
}

function Welcome({ onCreateTable, endpointUrl }: { onCreateTable(): void; endpointUrl: string | undefined }) {
  return (
    <div className="welcome">
      <img src="./icon.svg" alt="" width={56} height={56} />
      <h1>Dynamo Lens</h1>
      <p>Pick a table on the left, or create one in the local engine.</p>
      <div className="welcome-actions">
        <button type="button" className="button primary" onClick={onCreateTable}>
          <Icon name="plus" size={14} /> Create table
        </button>
      </div>
      <ul className="welcome-keys">
        <li>
          <Kbd keys={`${MOD}+K`} /> Command palette
        </li>
        <li>
          <Kbd keys="N" /> New item · <Kbd keys="Enter" /> Edit · <Kbd keys="Del" /> Delete · <Kbd keys="R" /> Refresh
        </li>
      </ul>
      {endpointUrl ? (
        <p className="welcome-endpoint">
          SDKs and the AWS CLI can use the local engine at <code>{endpointUrl}</code>
        </p>
      ) : null}
    </div>
  );
}
