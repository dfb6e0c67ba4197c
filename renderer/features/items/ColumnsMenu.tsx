import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../shared/icons.tsx';
import type { GridColumnsState } from './ItemGrid.tsx';

/**
 * Show, hide and reorder columns from the keyboard (the header also supports drag and drop).
 * A search narrows the list, and Show all / Hide all act on the columns listed, so a table of 300
 * attributes comes down to the few wanted in two steps. Hide all leaves the table's key showing.
 */
export function ColumnsMenu({
  columnIds,
  state,
  onChange,
  keepShown = [],
}: {
  columnIds: string[];
  state: GridColumnsState;
  onChange(state: GridColumnsState): void;
  /** Columns Hide all leaves visible (the table's key), so rows stay recognisable. */
  keepShown?: string[];
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const ordered = state.order.length ? [...state.order.filter((id) => columnIds.includes(id)), ...columnIds.filter((id) => !state.order.includes(id))] : columnIds;
  const needle = search.trim().toLowerCase();
  const listed = needle ? ordered.filter((id) => id.toLowerCase().includes(needle)) : ordered;
  const setListed = (shown: boolean) => {
    const visibility = { ...state.visibility };
    for (const id of listed) visibility[id] = shown || keepShown.includes(id);
    onChange({ ...state, visibility });
  };
  const move = (id: string, delta: number) => {
    const order = [...ordered];
    const i = order.indexOf(id);
    const j = i + delta;
    if (j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    onChange({ ...state, order });
  };

  return (
    <div className="menu-anchor" ref={ref}>
      <button type="button" className="button" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen(!open)}>
        <Icon name="columns" size={14} /> Columns
      </button>
      {open ? (
        <div className="popover columns-menu" role="group" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <input
            type="search"
            className="columns-search"
            aria-label="Search columns"
            placeholder={`Search ${ordered.length} columns`}
            value={search}
            autoFocus
            onChange={(e) => setSearch(e.target.value)}
          />
          <div className="popover-actions">
            <button type="button" className="link-button" onClick={() => setListed(true)} title={needle ? 'Show the columns listed' : 'Show every column'}>
              Show all
            </button>
            <button type="button" className="link-button" onClick={() => setListed(false)} title={needle ? 'Hide the columns listed' : "Hide every column but the table's key"}>
              Hide all
            </button>
            <button type="button" className="link-button" onClick={() => onChange({ visibility: {}, order: [], sizing: {} })}>
              Reset layout
            </button>
          </div>
          <ul>
            {listed.length === 0 ? <li className="muted">No column matches</li> : null}
            {listed.map((id) => (
              <li key={id}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={state.visibility[id] !== false}
                    onChange={(e) => onChange({ ...state, visibility: { ...state.visibility, [id]: e.target.checked } })}
                  />
                  <span>{id}</span>
                </label>
                <button type="button" className="icon-button subtle" aria-label={`Move ${id} left`} onClick={() => move(id, -1)}>
                  ↑
                </button>
                <button type="button" className="icon-button subtle" aria-label={`Move ${id} right`} onClick={() => move(id, 1)}>
                  ↓
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
