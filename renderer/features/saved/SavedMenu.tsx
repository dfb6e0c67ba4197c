import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectionInfo, Namespace, SavedOperation, SavedOperationKind } from '../../../electron/contract.ts';
import { api, call } from '../../app/client.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice } from '../../shared/ui.tsx';
import './saved.css';

/**
 * A builder's saved operations: save the current one under a name, reopen, rename or delete one,
 * and export or import them as JSON. Kept by the backend beside the settings, so they survive
 * restarts; query builder operations and saved items belong to their table.
 */
export function SavedMenu({
  kind,
  connection,
  namespace,
  tableName,
  current,
  onOpen,
}: {
  kind: SavedOperationKind;
  connection: ConnectionInfo;
  namespace: Namespace | undefined;
  tableName?: string;
  /** The builder's state to save. */
  current(): Record<string, unknown>;
  onOpen(body: Record<string, unknown>): void;
}) {
  const [open, setOpen] = useState(false);
  const [operations, setOperations] = useState<SavedOperation[]>([]);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const all = await call('saved/list', { connectionId: connection.id });
      setOperations(all.filter((o) => o.kind === kind && ((kind !== 'query' && kind !== 'item') || o.tableName === tableName) && sameNamespace(o.namespace, namespace)));
    } catch (err) {
      setError(err);
    }
  }, [connection.id, kind, tableName, namespace]);
  useEffect(() => {
    void load();
    return api.on('saved/changed', () => void load());
  }, [load]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    }
  };
  const base = { kind, connectionId: connection.id, ...(namespace ? { namespace } : {}), ...(tableName ? { tableName } : {}) };
  const save = () =>
    attempt(async () => {
      await call('saved/save', { ...base, name, body: current() });
      setName('');
    });
  const rename = (operation: SavedOperation, newName: string) =>
    attempt(async () => {
      await call('saved/save', { ...operation, name: newName });
      setRenaming(null);
    });
  const exportAll = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(operations.map(({ name: n, body }) => ({ name: n, kind, ...(tableName ? { tableName } : {}), body })), null, 2)], { type: 'application/json' }));
    link.download = `${kind}-operations.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
  const importFile = (file: File) =>
    attempt(async () => {
      const parsed: unknown = JSON.parse(await file.text());
      if (!Array.isArray(parsed)) throw new Error('The file must hold a JSON list of saved operations');
      for (const entry of parsed as { name?: unknown; kind?: unknown; body?: unknown }[]) {
        if (entry?.kind !== kind) continue;
        await call('saved/save', { ...base, name: String(entry.name ?? 'Imported'), body: entry.body as Record<string, unknown> });
      }
    });

  return (
    <div className="menu-anchor" ref={ref}>
      <button type="button" className="button" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen(!open)}>
        Saved{operations.length ? ` (${operations.length})` : ''}
      </button>
      {open ? (
        <div className="popover saved-menu" role="group" aria-label="Saved operations" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {/* No <form> here: the menu sits inside builders' own forms, and forms cannot nest. */}
          <div className="saved-row">
            <input
              aria-label="Name to save as"
              placeholder="Name this operation"
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                if (name.trim()) void save();
              }}
            />
            <button type="button" className="button small primary" disabled={!name.trim()} onClick={() => void save()}>
              Save
            </button>
          </div>
          <ErrorNotice error={error} onDismiss={() => setError(null)} />
          <ul className="saved-list" aria-label="Saved">
            {operations.map((o) => (
              <li key={o.id} className="saved-row">
                {renaming?.id === o.id ? (
                  <div className="saved-row">
                    <input
                      aria-label="New name"
                      value={renaming.name}
                      onChange={(e) => setRenaming({ id: o.id, name: e.target.value })}
                      onKeyDown={(e) => {
                        if (e.key !== 'Enter') return;
                        e.preventDefault();
                        void rename(o, renaming.name);
                      }}
                      autoFocus
                    />
                    <button type="button" className="button small" onClick={() => void rename(o, renaming.name)}>
                      Rename
                    </button>
                  </div>
                ) : (
                  <>
                    <button
                      type="button"
                      className="link-button saved-name"
                      onClick={() => {
                        onOpen(o.body);
                        setOpen(false);
                      }}
                      title={`Saved ${new Date(o.savedAt).toLocaleString()}`}
                    >
                      {o.name}
                    </button>
                    <button type="button" className="icon-button" aria-label={`Rename ${o.name}`} onClick={() => setRenaming({ id: o.id, name: o.name })}>
                      <Icon name="edit" size={13} />
                    </button>
                    <button type="button" className="icon-button" aria-label={`Delete ${o.name}`} onClick={() => void attempt(() => call('saved/delete', { id: o.id }))}>
                      <Icon name="trash" size={13} />
                    </button>
                  </>
                )}
              </li>
            ))}
            {operations.length === 0 ? <li className="tree-note">Nothing saved here yet.</li> : null}
          </ul>
          <div className="popover-actions">
            <button type="button" className="link-button" onClick={exportAll} disabled={operations.length === 0}>
              Export as JSON
            </button>
            <label className="link-button">
              Import JSON…
              <input type="file" accept=".json,application/json" hidden onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
            </label>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function sameNamespace(a: Namespace | undefined, b: Namespace | undefined): boolean {
  return (a?.accountId ?? '') === (b?.accountId ?? '') && (a?.region ?? '') === (b?.region ?? '');
}
