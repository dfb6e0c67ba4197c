import { useSyncExternalStore } from 'react';

/** A Query or Scan as sent, waiting for the query builder of one table page to show it. */
export interface PendingQuery {
  operation: 'Query' | 'Scan';
  input: Record<string, unknown>;
}

// Outside React: the history asks for a builder that may not be mounted yet.
const pending = new Map<string, PendingQuery>();
const listeners = new Set<() => void>();

/** Asks the query builder of the table page `pageKey` to show `request` (it takes it when it can). */
export function openQueryInBuilder(pageKey: string, request: PendingQuery): void {
  pending.set(pageKey, request);
  for (const listener of listeners) listener();
}

/** Gives the page's request, if any, once: the second value takes it off the list. */
export function usePendingQuery(pageKey: string): [PendingQuery | undefined, () => void] {
  const request = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => pending.get(pageKey),
  );
  return [request, () => pending.delete(pageKey)];
}
