import type { ConnectionInfo, Namespace } from '../../electron/contract.ts';

/** The table the user is looking at. */
export interface TableRef {
  connection: ConnectionInfo;
  namespace: Namespace | undefined;
  tableName: string;
}

export function tableKey(connectionId: string, namespace: Namespace | undefined, tableName: string): string {
  return [connectionId, namespace?.accountId ?? '', namespace?.region ?? '', tableName].join('|');
}

export function namespaceLabel(namespace: Namespace): string {
  return namespace.accountId ? `${namespace.region} · ${namespace.accountId}` : namespace.region;
}

/** A per-connection builder opened from the sidebar (for the local engine, per namespace). */
export interface ToolRef {
  tool: 'transactions' | 'partiql' | 'modeler';
  connection: ConnectionInfo;
  namespace: Namespace | undefined;
  /** What the builder opens with (a request reopened from the history), in the builder's own shape. */
  open?: Record<string, unknown>;
}

export const TOOL_LABELS: Record<ToolRef['tool'], string> = { transactions: 'Transactions', partiql: 'PartiQL', modeler: 'Modeler' };
