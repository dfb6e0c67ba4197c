/**
 * The transaction being built, one per connection and namespace, kept outside any view: the items
 * grid and the query results add actions to it while the builder is closed, and the builder finds
 * them when it opens. It lives for the session (saved operations are another matter).
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { Namespace } from '../../../electron/contract.ts';
import type { ActionForm, TransactionForm } from './transactionModel.ts';

const EMPTY: TransactionForm = { mode: 'write', actions: [], token: '' };
const drafts = new Map<string, TransactionForm>();
const listeners = new Set<() => void>();

export function draftScope(connectionId: string, namespace: Namespace | undefined): string {
  return [connectionId, namespace?.accountId ?? '', namespace?.region ?? ''].join('|');
}

/** Replaces a scope's draft (a request reopened from the history). */
export function setDraft(scope: string, next: TransactionForm): void {
  drafts.set(scope, next);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Appends write actions to a scope's draft; a TransactGetItems draft is replaced by a write one. */
export function addToDraft(scope: string, actions: ActionForm[]): void {
  const current = drafts.get(scope) ?? EMPTY;
  setDraft(scope, { ...current, mode: 'write', actions: current.mode === 'write' ? [...current.actions, ...actions] : actions });
}

export function useDraft(scope: string): [TransactionForm, (update: (form: TransactionForm) => TransactionForm) => void] {
  const form = useSyncExternalStore(subscribe, () => drafts.get(scope) ?? EMPTY);
  const update = useCallback((change: (form: TransactionForm) => TransactionForm) => setDraft(scope, change(drafts.get(scope) ?? EMPTY)), [scope]);
  return [form, update];
}
