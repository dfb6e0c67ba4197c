import { useMemo, useState } from 'react';
import type { ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { useCommands } from '../../app/commands.tsx';
import { namespaceLabel, tableKey, TOOL_LABELS, type TableRef, type ToolRef } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import { useConnectionTree } from './useConnectionTree.ts';

export interface SidebarProps {
  connections: ConnectionInfo[];
  selected: TableRef | null;
  /** The builder on show, if any (it takes the place of the selected table). */
  tool: ToolRef | null;
  version: number;
  onSelect(table: TableRef): void;
  onOpenTool(tool: ToolRef): void;
  onCreateTable(connection: ConnectionInfo, namespace: Namespace | undefined): void;
  onAddConnection(): void;
  onEditConnection(connection: ConnectionInfo): void;
  onRemoveConnection(connection: ConnectionInfo): void;
  /** Reloads every connection's tables (tables created or deleted outside the app). */
  onRefresh(): void;
}

const countFormat = new Intl.NumberFormat();

export function Sidebar(props: SidebarProps) {
  const [filter, setFilter] = useState('');
  return (
    <nav className="sidebar" aria-label="Connections and tables">
      <div className="sidebar-header">
        <span className="sidebar-title">Connections</span>
        <button type="button" className="icon-button" aria-label="Refresh tables" title="Refresh tables" onClick={props.onRefresh}>
          <Icon name="refresh" size={14} />
        </button>
        <button type="button" className="icon-button" aria-label="Add connection" title="Add connection" onClick={props.onAddConnection}>
          <Icon name="plus" />
        </button>
      </div>
      <div className="sidebar-filter">
        <Icon name="search" size={14} />
        <input
          type="search"
          placeholder="Filter tables"
          aria-label="Filter tables"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      <div className="sidebar-tree">
        {props.connections.map((connection) => (
          <ConnectionNode key={connection.id} connection={connection} filter={filter.trim().toLowerCase()} {...props} />
        ))}
      </div>
    </nav>
  );
}

function ConnectionNode({ connection, filter, selected, tool, version, onSelect, onOpenTool, onCreateTable, onEditConnection, onRemoveConnection }: SidebarProps & { connection: ConnectionInfo; filter: string }) {
  const [expanded, setExpanded] = useState(true);
  const tree = useConnectionTree(connection, expanded, version);
  const groups = useMemo(
    () => tree.groups.map((g) => ({ ...g, tables: filter ? g.tables.filter((t) => t.name.toLowerCase().includes(filter)) : g.tables })),
    [tree.groups, filter],
  );
  useCommands(
    `tables:${connection.id}`,
    tree.groups.flatMap((group) =>
      group.tables.map((t) => ({
        id: `open-table:${connection.id}:${group.namespace.accountId}:${group.namespace.region}:${t.name}`,
        title: `Open ${t.name}${connection.capabilities.namespaces ? ` (${namespaceLabel(group.namespace)})` : ''}`,
        group: connection.name,
        run: () => onSelect({ connection, namespace: connection.capabilities.namespaces ? group.namespace : undefined, tableName: t.name }),
      })),
    ),
    [tree.groups, connection],
  );
  const selectedKey = tool ? '' : selected ? tableKey(selected.connection.id, selected.namespace, selected.tableName) : '';
  const toolKey = tool ? tableKey(tool.connection.id, tool.namespace, tool.tool) : '';
  const showGroups = connection.capabilities.namespaces;

  return (
    <section className="connection" aria-label={connection.name}>
      <div className="connection-row">
        <button type="button" className="tree-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          <Icon name={expanded ? 'chevronDown' : 'chevronRight'} size={14} />
          <Icon name={connection.kind === 'local' ? 'database' : 'cloud'} size={15} />
          <span className="connection-name">{connection.name}</span>
        </button>
        <span className="connection-meta" title={connection.endpointUrl ?? connection.region}>
          {connection.kind === 'local' ? (connection.endpointUrl ? new URL(connection.endpointUrl).host : 'embedded') : connection.region}
        </span>
        {!connection.builtIn ? (
          <>
            <button type="button" className="icon-button subtle" aria-label={`Edit connection ${connection.name}`} title="Edit connection" onClick={() => onEditConnection(connection)}>
              <Icon name="edit" size={13} />
            </button>
            <button type="button" className="icon-button subtle" aria-label={`Remove connection ${connection.name}`} title="Remove connection" onClick={() => onRemoveConnection(connection)}>
              <Icon name="close" size={13} />
            </button>
          </>
        ) : null}
      </div>
      {expanded ? (
        <div className="connection-body">
          {tree.error ? <ErrorNotice error={tree.error} /> : null}
          {tree.loading && groups.length === 0 ? (
            <div className="tree-note">
              <Spinner label="Loading tables" /> Loading tables…
            </div>
          ) : null}
          {groups.map((group) => {
            const namespace = showGroups ? group.namespace : undefined;
            return (
              <div className="namespace" key={`${group.namespace.accountId}|${group.namespace.region}`}>
                {showGroups ? (
                  <div className="namespace-row">
                    <span className="namespace-label" title={`Account ${group.namespace.accountId}, region ${group.namespace.region}`}>
                      {namespaceLabel(group.namespace)}
                    </span>
                    <button
                      type="button"
                      className="icon-button subtle"
                      aria-label={`Create table in ${namespaceLabel(group.namespace)}`}
                      title="Create table"
                      onClick={() => onCreateTable(connection, namespace)}
                    >
                      <Icon name="plus" size={13} />
                    </button>
                  </div>
                ) : (
                  <div className="namespace-row">
                    <span className="namespace-label">Tables</span>
                    <button type="button" className="icon-button subtle" aria-label={`Create table on ${connection.name}`} title="Create table" onClick={() => onCreateTable(connection, undefined)}>
                      <Icon name="plus" size={13} />
                    </button>
                  </div>
                )}
                <ul className="table-list tool-list" aria-label={showGroups ? `Builders in ${namespaceLabel(group.namespace)}` : `Builders on ${connection.name}`}>
                  {(Object.keys(TOOL_LABELS) as ToolRef['tool'][]).map((name) => (
                    <li key={name}>
                      <button
                        type="button"
                        className="table-entry tool-entry"
                        aria-current={tableKey(connection.id, namespace, name) === toolKey ? 'true' : undefined}
                        onClick={() => onOpenTool({ tool: name, connection, namespace })}
                      >
                        <Icon name="command" size={14} />
                        <span className="table-name">{TOOL_LABELS[name]}</span>
                      </button>
                    </li>
                  ))}
                </ul>
                {group.error ? <ErrorNotice error={group.error} /> : null}
                <ul className="table-list" aria-label={showGroups ? `Tables in ${namespaceLabel(group.namespace)}` : `Tables on ${connection.name}`}>
                  {group.tables.map((table) => {
                    const key = tableKey(connection.id, namespace, table.name);
                    return (
                      <li key={table.name}>
                        <button
                          type="button"
                          className="table-entry"
                          aria-current={key === selectedKey ? 'true' : undefined}
                          onClick={() => onSelect({ connection, namespace, tableName: table.name })}
                        >
                          <Icon name="table" size={14} />
                          <span className="table-name">{table.name}</span>
                          <span className="table-count" aria-label={table.itemCount === undefined ? undefined : `${table.itemCount} items`}>
                            {table.itemCount === undefined ? '' : countFormat.format(table.itemCount)}
                          </span>
                        </button>
                      </li>
                    );
                  })}
                  {!group.loading && group.tables.length === 0 ? (
                    <li className="tree-note">{filter ? 'No matching tables' : 'No tables yet'}</li>
                  ) : null}
                </ul>
              </div>
            );
          })}
        </div>
      ) : null}
    </section>
  );
}
