import { useCallback, useEffect, useState } from 'react';
import type { ConnectionInfo, HistoryEntry } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import { showTab } from '../../app/navigation.ts';
import { placeKey } from '../../app/openTabs.ts';
import type { TableRef, ToolRef } from '../../app/selection.ts';
import { copyText } from '../../shared/clipboard.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice } from '../../shared/ui.tsx';
import '../../shared/views.css';
import { bodyFromRequest } from '../partiql/partiqlScript.ts';
import { codeTargetOf, shellQuote } from '../query/codegen.ts';
import { openQueryInBuilder } from '../query/pendingQuery.ts';
import { draftScope, setDraft } from '../transactions/draft.ts';
import { formFromRequest } from '../transactions/transactionModel.ts';
import './history.css';

const TRANSACTIONS = new Set(['TransactWriteItems', 'TransactGetItems']);
const PARTIQL = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);
const READS = new Set(['Query', 'Scan']);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Any request as one AWS CLI line: `--cli-input-json` takes the request exactly as it was sent. */
export function cliLine(entry: HistoryEntry, connection: ConnectionInfo | undefined): string {
  const command = entry.operation.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  const args = [`aws dynamodb ${command}`, `  --cli-input-json ${shellQuote(JSON.stringify(entry.request))}`];
  if (connection) {
    const target = codeTargetOf(connection, entry.namespace);
    args.push(`  --region ${target.region}`);
    if (target.endpointUrl) args.push(`  --endpoint-url ${target.endpointUrl}`);
  }
  return args.join(' \\\n') + '\n';
}

/**
 * Every data request the app sent, newest first: what, where, how long, what it cost and how it
 * ended, with the exact request and response, a way back into the builder and a CLI line.
 */
export function HistoryView({ connections, onOpenTool, onOpenTable }: { connections: ConnectionInfo[]; onOpenTool(tool: ToolRef): void; onOpenTable(table: TableRef): void }) {
  const [search, setSearch] = useState('');
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);

  const load = useCallback(async () => {
    try {
      setEntries(await call('history/list', { search }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [search]);
  useEffect(() => {
    void load();
  }, [load]);

  const selected = entries.find((e) => e.id === selectedId) ?? null;
  const connectionOf = (entry: HistoryEntry) => connections.find((c) => c.id === entry.connectionId);
  const openInBuilder = (entry: HistoryEntry) => {
    const connection = connectionOf(entry);
    if (!connection) return;
    if (READS.has(entry.operation)) {
      // The table's first tab shows it in its Query tab (the builder reads the request back into its form).
      const namespace = entry.namespace ?? (connection.capabilities.namespaces ? { accountId: '000000000000', region: connection.region } : undefined);
      const table: TableRef = { connection, namespace, tableName: String(entry.request.TableName ?? '') };
      openQueryInBuilder(placeKey({ kind: 'table', table }), { operation: entry.operation as 'Query' | 'Scan', input: entry.request });
      onOpenTable(table);
      showTab('query');
      return;
    }
    if (PARTIQL.has(entry.operation)) {
      onOpenTool({ tool: 'partiql', connection, namespace: entry.namespace, open: { ...bodyFromRequest(entry.operation, entry.request) } });
      return;
    }
    setDraft(draftScope(connection.id, entry.namespace), formFromRequest(entry.operation, entry.request));
    onOpenTool({ tool: 'transactions', connection, namespace: entry.namespace });
  };

  return (
    <section className="history-view" aria-label="Request history">
      <header className="view-header">
        <div className="view-title">
          <h1>Request history</h1>
          <span className="view-subtitle">The latest 1,000 data requests sent to any connection (not the app's own List and Describe calls)</span>
        </div>
      </header>
      <div className="toolbar" role="toolbar" aria-label="History">
        <input type="search" aria-label="Search history" placeholder="Search operation, table, connection or error" value={search} onChange={(e) => setSearch(e.target.value)} size={40} />
        <span className="toolbar-spacer" />
        <button type="button" className="button" onClick={() => void load()} aria-label="Refresh history">
          <Icon name="refresh" size={14} />
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            void call('history/clear', null).then(() => {
              setSelectedId(null);
              return load();
            })
          }
        >
          <Icon name="trash" size={14} /> Clear
        </button>
      </div>
      <ErrorNotice error={error} />
      <div className="history-split">
        <div className="history-list">
          <table className="data-table" aria-label="Requests">
            <thead>
              <tr>
                <th>Time</th>
                <th>Connection</th>
                <th>Operation</th>
                <th>Tables</th>
                <th className="num">ms</th>
                <th className="num">Capacity</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} className={entry.id === selectedId ? 'selected' : ''} aria-selected={entry.id === selectedId} onClick={() => setSelectedId(entry.id)}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setSelectedId(entry.id)} aria-label={`Request ${entry.id}: ${entry.operation}`}>
                      {timeFormat.format(entry.startedAt)}
                    </button>
                  </td>
                  <td>{connectionOf(entry)?.name ?? entry.connectionId}</td>
                  <td>{entry.operation}</td>
                  <td>{entry.tables.join(', ')}</td>
                  <td className="num">{entry.durationMs.toFixed(1)}</td>
                  <td className="num">{entry.capacityUnits ?? '—'}</td>
                  <td>{entry.error ? <span className="badge remove">{entry.error.code}</span> : <span className="badge ok">OK</span>}</td>
                </tr>
              ))}
              {entries.length === 0 ? (
                <tr>
                  <td colSpan={7} className="view-note">
                    {search ? 'No request matches.' : 'No requests yet.'}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {selected ? (
          <aside className="history-detail" aria-label="Request detail">
            <div className="query-row">
              <strong>{selected.operation}</strong>
              <span className="view-note">{new Date(selected.startedAt).toLocaleString()}</span>
              <span className="toolbar-spacer" />
              {(TRANSACTIONS.has(selected.operation) || PARTIQL.has(selected.operation) || READS.has(selected.operation)) && connectionOf(selected) ? (
                <button type="button" className="button small" onClick={() => openInBuilder(selected)}>
                  Open in builder
                </button>
              ) : null}
              <button
                type="button"
                className="button small"
                onClick={() =>
                  void copyText(cliLine(selected, connectionOf(selected))).then(() => {
                    setCopied(true);
                    setTimeout(() => setCopied(false), 1500);
                  })
                }
              >
                <Icon name="copy" size={12} /> {copied ? 'Copied' : 'Copy as AWS CLI'}
              </button>
            </div>
            <h2>Request</h2>
            <pre className="item-json" aria-label="Request JSON">{JSON.stringify(selected.request, null, 2)}</pre>
            <h2>{selected.error ? 'Error' : 'Response'}</h2>
            <pre className="item-json" aria-label={selected.error ? 'Error JSON' : 'Response JSON'}>
              {selected.error ? JSON.stringify(selected.error, null, 2) : selected.response ? JSON.stringify(selected.response, null, 2) : selected.responseOmitted}
            </pre>
          </aside>
        ) : null}
      </div>
    </section>
  );
}
