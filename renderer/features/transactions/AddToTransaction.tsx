import { useEffect, useRef, useState } from 'react';
import { useCommandRegistry } from '../../app/commands.tsx';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { Icon } from '../../shared/icons.tsx';
import type { TableDescription } from '../items/tableSchema.ts';
import { addToDraft, draftScope } from './draft.ts';
import { emptyAction, keyFields, type WriteKind } from './transactionModel.ts';
import './transactions.css';

const KINDS: { kind: Exclude<WriteKind, 'Put'>; label: string }[] = [
  { kind: 'Update', label: 'as Updates' },
  { kind: 'Delete', label: 'as Deletes' },
  { kind: 'ConditionCheck', label: 'as Condition checks' },
];

/**
 * "Add to transaction" for selected rows (items grid, query results): each row becomes an action
 * on its key in the connection's transaction draft, and the builder is one click away.
 */
export function AddToTransaction({ table, description, items }: { table: TableRef; description: TableDescription; items: Item[] }) {
  const [open, setOpen] = useState(false);
  const [added, setAdded] = useState<number | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const registry = useCommandRegistry();
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const add = (kind: Exclude<WriteKind, 'Put'>) => {
    addToDraft(
      draftScope(table.connection.id, table.namespace),
      items.map((item) => ({ ...emptyAction(kind, table.tableName), key: keyFields(item, description) })),
    );
    setAdded(items.length);
    setOpen(false);
  };

  return (
    <div className="menu-anchor tx-add-anchor" ref={ref}>
      <button type="button" className="button" aria-expanded={open} aria-haspopup="true" disabled={items.length === 0} onClick={() => setOpen(!open)}>
        <Icon name="plus" size={14} /> Add to transaction
      </button>
      {open ? (
        <div className="popover" role="menu" aria-label="Add to transaction" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {KINDS.map(({ kind, label }) => (
            <button key={kind} type="button" role="menuitem" className="menu-item" onClick={() => add(kind)}>
              {items.length} {items.length === 1 ? 'item' : 'items'} {label}
            </button>
          ))}
        </div>
      ) : null}
      {added !== null ? (
        <span className="added-note" role="status">
          Added {added} to the transaction ·{' '}
          <button type="button" className="link-button" onClick={() => registry.run('open-transactions')}>
            Open builder
          </button>
        </span>
      ) : null}
    </div>
  );
}
