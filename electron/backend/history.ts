import type { HistoryEntry, Namespace, WireError } from '../contract.ts';

/** The most recent requests kept; older ones fall off. */
export const HISTORY_LIMIT = 1000;
/** A response larger than this (as JSON) is kept as a summary, so a few big scans cannot fill memory. */
const MAX_KEPT_RESPONSE = 64 * 1024;
/**
 * Requests are kept whole (a transaction must reopen exactly as sent), but a transaction of 100
 * large Puts is megabytes: beyond this many bytes of kept JSON, the oldest entries go first.
 */
export const HISTORY_BYTES = 32 * 1024 * 1024;

/**
 * Every data request the UI sent to a connection, newest first, bounded. The app's own
 * List and Describe calls (drawing the sidebar, polling a backfill) are not requests the user made
 * and would push theirs out, so they are not recorded.
 */
export class RequestHistory {
  private readonly entries: HistoryEntry[] = [];
  /** Approximate bytes each entry holds (its request and kept response as JSON), by id. */
  private readonly sizes = new Map<number, number>();
  private bytes = 0;
  private nextId = 1;

  static records(operation: string): boolean {
    return !/^(List|Describe)/.test(operation);
  }

  record(
    call: { connectionId: string; namespace?: Namespace | undefined; operation: string; input: Record<string, unknown>; startedAt: number; durationMs: number },
    outcome: { output: Record<string, unknown> } | { error: WireError }): void {
    const entry: HistoryEntry = {
      id: this.nextId++,
      connectionId: call.connectionId,
      ...(call.namespace ? { namespace: call.namespace } : {}),
      operation: call.operation,
      tables: tablesOf(call.input),
      startedAt: call.startedAt,
      durationMs: call.durationMs,
      request: call.input,
      ...('error' in outcome ? { error: outcome.error } : keptResponse(outcome.output)),
    };
    const units = 'output' in outcome ? capacityUnits(outcome.output.ConsumedCapacity) : undefined;
    if (units !== undefined) entry.capacityUnits = units;
    const size = JSON.stringify(entry.request).length + (entry.response ? JSON.stringify(entry.response).length : 0);
    this.entries.unshift(entry);
    this.sizes.set(entry.id, size);
    this.bytes += size;
    // The newest entry always stays, however large.
    while (this.entries.length > 1 && (this.entries.length > HISTORY_LIMIT || this.bytes > HISTORY_BYTES)) {
      const dropped = this.entries.pop()!;
      this.bytes -= this.sizes.get(dropped.id) ?? 0;
      this.sizes.delete(dropped.id);
    }
  }

  /** Entries whose operation, tables, connection or error mention `search` (case-insensitive), newest first. */
  list(search = ''): HistoryEntry[] {
    const needle = search.trim().toLowerCase();
    if (!needle) return [...this.entries];
    return this.entries.filter((e) =>
      [e.operation, e.connectionId, ...e.tables, e.error?.code ?? '', e.error?.message ?? ''].some((text) => text.toLowerCase().includes(needle)),
    );
  }

  clear(): void {
    this.entries.length = 0;
    this.sizes.clear();
    this.bytes = 0;
  }
}

function keptResponse(output: Record<string, unknown>): Pick<HistoryEntry, 'response' | 'responseOmitted'> {
  const size = JSON.stringify(output).length;
  if (size <= MAX_KEPT_RESPONSE) return { response: output };
  const items = Array.isArray(output.Items) ? output.Items.length : undefined;
  return { responseOmitted: `${Math.round(size / 1024)} KB${items === undefined ? '' : ` (${items} items)`}, not kept` };
}

/** The tables a request names: TableName, RequestItems' keys, or each transaction action's table. */
function tablesOf(input: Record<string, unknown>): string[] {
  const names = new Set<string>();
  if (typeof input.TableName === 'string') names.add(input.TableName);
  if (input.RequestItems && typeof input.RequestItems === 'object') for (const name of Object.keys(input.RequestItems)) names.add(name);
  if (Array.isArray(input.TransactItems)) {
    for (const action of input.TransactItems as Record<string, { TableName?: unknown }>[]) {
      for (const member of Object.values(action ?? {})) if (typeof member?.TableName === 'string') names.add(member.TableName);
    }
  }
  return [...names];
}

function capacityUnits(consumed: unknown): number | undefined {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  let total: number | undefined;
  for (const c of list as { CapacityUnits?: unknown }[]) if (typeof c?.CapacityUnits === 'number') total = (total ?? 0) + c.CapacityUnits;
  return total;
}
