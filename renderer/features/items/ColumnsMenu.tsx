import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../shared/icons.tsx';
import type { GridColumnsState } from './ItemGrid.tsx';

/** Show, hide and reorder columns from the keyboard (the header also supports drag and drop). */
export function ColumnsMenu({ columnIds, state, onChange }: { columnIds: string[]; state: GridColumnsState; onChange(state: GridColumnsState): void }) {
  const [open, setOpen] = useState(false);
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
          <div className="popover-actions">
            <button type="button" className="link-button" onClick={() => onChange({ ...state, visibility: {} })}>
              Show all
            </button>
            <button type="button" className="link-button" onClick={() => onChange({ visibility: {}, order: [], sizing: {} })}>
              Reset layout
            </button>
          </div>
          <ul>
            {ordered.map((id) => (
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
