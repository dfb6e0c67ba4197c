import {
  columnOrderingFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  createSortedRowModel,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnOrderState,
  type ColumnSizingState,
  type ColumnVisibilityState,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { stringify as stringifyLossless } from 'lossless-json';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { toPlainJson } from '../../shared/csvCells.ts';
import { compareValues, preview, type AttributeValue, type Item } from '../../shared/attributeValues.ts';
import { ValueCell } from './cells.tsx';
import { GridContextMenu, type MenuAction } from './GridContextMenu.tsx';
import { inlineTypeOf, parseInlineValue, type InlineType } from './inlineEdit.ts';
import type { IndexKeyRole } from './tableSchema.ts';

const features = tableFeatures({
  columnVisibilityFeature,
  columnOrderingFeature,
  columnSizingFeature,
  columnResizingFeature,
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
});

type Features = typeof features;
export type GridColumn = ColumnDef<Features, Item>;

export const ROW_HEIGHT = 30;
const SELECT_COLUMN_WIDTH = 36;

export interface GridColumnsState {
  visibility: ColumnVisibilityState;
  order: ColumnOrderState;
  sizing: ColumnSizingState;
}

export interface ItemGridProps {
  items: Item[];
  attributes: string[];
  keyAttributes: string[];
  getRowId(item: Item): string;
  selection: ReadonlySet<string>;
  onSelectionChange(selection: Set<string>): void;
  onOpen(item: Item): void;
  /** Called when the user scrolls near the end of the loaded rows. */
  onNearEnd(): void;
  columns: GridColumnsState;
  onColumnsChange(columns: GridColumnsState): void;
  footer: React.ReactNode;
  label: string;
  /**
   * Table key attributes: marked as the key, and not edited in place (a new key is a new item).
   * The other key attributes are index keys, marked as such. Without it every key attribute is the table's.
   */
  tableKeyAttributes?: string[];
  /** The secondary indexes each index key attribute keys, for its marker. */
  indexKeys?: Record<string, IndexKeyRole[]>;
  /**
   * Saves one edited scalar cell; resolves true when the edit is done (saved, or refused with the
   * reason shown by the caller), false to keep editing.
   */
  onEditCell?(item: Item, attribute: string, value: AttributeValue): Promise<boolean>;
  /** Row actions offered by the context menu besides copying (which it always offers). */
  rowActions?: { duplicate(item: Item): void; delete(items: Item[]): void; keyOf(item: Item): Item };
  /** Says what was copied (or why not). */
  onCopied?(message: string): void;
}

/** Items as DynamoDB JSON or plain JSON (numbers with every digit; sets as lists): one object, or a list of several. */
export function itemsAsText(items: Item[], as: 'dynamodb' | 'plain'): string {
  const convert = (item: Item) => (as === 'dynamodb' ? item : Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlainJson(v)])));
  const data = items.length === 1 ? convert(items[0]!) : items.map(convert);
  return as === 'dynamodb' ? JSON.stringify(data, null, 2) : (stringifyLossless(data, null, 2) ?? '');
}

/**
 * The items grid: a virtualized @tanstack/react-table with key attributes first, type-aware cells,
 * client-side sorting of loaded rows, column show/hide/resize/reorder and multi-select.
 * Only the rows and columns in view (plus a little overscan) are in the DOM, so 20,000 loaded
 * rows of 300 attributes scroll like 30 rows of 10.
 */
export function ItemGrid(props: ItemGridProps) {
  const { items, attributes, keyAttributes, getRowId, selection, onSelectionChange, onOpen, onNearEnd, columns, onColumnsChange } = props;
  const [sorting, setSorting] = useState<SortingState>([]);
  const anchor = useRef<string | null>(null);
  const [activeRowId, setActiveRowId] = useState<string | null>(null);
  const [activeColumn, setActiveColumn] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ rowId: string; column: string } | null>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; index: number; column: string } | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  const columnDefs = useMemo<GridColumn[]>(() => {
    const others = attributes.filter((a) => !keyAttributes.includes(a));
    return [...keyAttributes, ...others].map(
      (name): GridColumn => ({
        id: name,
        accessorFn: (item: Item) => item[name],
        header: name,
        size: keyAttributes.includes(name) ? 180 : 160,
        minSize: 60,
        maxSize: 1200,
        sortFn: (a, b, id) => compareValues(a.original[id], b.original[id]),
        sortUndefined: 'last',
        meta: { isKey: keyAttributes.includes(name) },
      }) as GridColumn,
    );
  }, [attributes, keyAttributes]);

  const table = useTable({
    features,
    columns: columnDefs,
    data: items,
    getRowId: (item: Item) => getRowId(item),
    state: { sorting, columnVisibility: columns.visibility, columnOrder: columns.order, columnSizing: columns.sizing },
    onSortingChange: setSorting,
    onColumnVisibilityChange: (updater) =>
      onColumnsChange({ ...columns, visibility: typeof updater === 'function' ? updater(columns.visibility) : updater }),
    onColumnOrderChange: (updater) => onColumnsChange({ ...columns, order: typeof updater === 'function' ? updater(columns.order) : updater }),
    onColumnSizingChange: (updater) => onColumnsChange({ ...columns, sizing: typeof updater === 'function' ? updater(columns.sizing) : updater }),
    columnResizeMode: 'onChange',
    enableSortingRemoval: true,
  });

  const rows = table.getRowModel().rows;
  const visibleColumns = table.getVisibleLeafColumns();
  const totalWidth = SELECT_COLUMN_WIDTH + visibleColumns.reduce((sum, c) => sum + c.getSize(), 0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]!.id,
  });
  const virtualRows = virtualizer.getVirtualItems();

  // Columns are virtualized too: a table with 300 attributes draws only the columns in view
  // (plus a few either side), and spacers keep the row as wide as all of them.
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: visibleColumns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => visibleColumns[index]!.getSize(),
    paddingStart: SELECT_COLUMN_WIDTH,
    overscan: 3,
    getItemKey: (index) => visibleColumns[index]!.id,
  });
  const virtualColumns = columnVirtualizer.getVirtualItems();
  const firstColumn = virtualColumns[0]?.index ?? 0;
  const lastColumn = virtualColumns.length ? virtualColumns[virtualColumns.length - 1]!.index : -1;
  const columnsBefore = virtualColumns.length ? virtualColumns[0]!.start - SELECT_COLUMN_WIDTH : 0;
  const columnsAfter = virtualColumns.length ? columnVirtualizer.getTotalSize() - virtualColumns[virtualColumns.length - 1]!.end : 0;
  const lastVisible = virtualRows.length ? virtualRows[virtualRows.length - 1]!.index : -1;

  useEffect(() => {
    if (rows.length === 0 || lastVisible >= rows.length - 40) onNearEnd();
  }, [lastVisible, rows.length, onNearEnd]);

  const rowIndexById = useMemo(() => new Map(rows.map((r, i) => [r.id, i])), [rows]);

  const select = (rowId: string, event: { shiftKey: boolean; metaKey: boolean; ctrlKey: boolean }) => {
    const toggle = event.metaKey || event.ctrlKey;
    if (event.shiftKey && anchor.current !== null && rowIndexById.has(anchor.current)) {
      const from = rowIndexById.get(anchor.current)!;
      const to = rowIndexById.get(rowId)!;
      const next = new Set(toggle ? selection : []);
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) next.add(rows[i]!.id);
      onSelectionChange(next);
    } else if (toggle) {
      const next = new Set(selection);
      if (next.has(rowId)) next.delete(rowId);
      else next.add(rowId);
      onSelectionChange(next);
      anchor.current = rowId;
    } else {
      onSelectionChange(new Set([rowId]));
      anchor.current = rowId;
    }
    setActiveRowId(rowId);
  };

  // Rows are memoized and only re-render when their own props change, so scrolling mounts the
  // few rows entering the view instead of re-rendering every visible one. Handlers go through a
  // ref to stay stable across renders.
  const editable = (item: Item, column: string) =>
    props.onEditCell !== undefined && !(props.tableKeyAttributes ?? keyAttributes).includes(column) && inlineTypeOf(item[column]) !== undefined;
  const startEdit = (rowId: string, column: string) => {
    const row = rows[rowIndexById.get(rowId) ?? -1];
    if (row && editable(row.original, column)) setEditing({ rowId, column });
  };
  const endEdit = () => {
    setEditing(null);
    gridRef.current?.focus();
  };
  const copy = (text: string, what: string) =>
    void navigator.clipboard.writeText(text).then(
      () => props.onCopied?.(`Copied ${what}`),
      () => props.onCopied?.(`Could not copy ${what}: the browser refused the clipboard`),
    );
  const copyRows = (chosen: Item[], as: 'dynamodb' | 'plain') =>
    copy(itemsAsText(chosen, as), `${chosen.length === 1 ? 'the item' : `${chosen.length} items`} as ${as === 'dynamodb' ? 'DynamoDB JSON' : 'plain JSON'}`);
  const chosenRows = () => {
    const selected = rows.filter((r) => selection.has(r.id)).map((r) => r.original);
    if (selected.length) return selected;
    const active = activeRowId !== null ? rows[rowIndexById.get(activeRowId) ?? -1] : undefined;
    return active ? [active.original] : [];
  };

  const handlerState = useRef({ select, onOpen, rows, endEdit, onEditCell: props.onEditCell });
  handlerState.current = { select, onOpen, rows, endEdit, onEditCell: props.onEditCell };
  const rowHandlers = useMemo<RowHandlers>(
    () => ({
      click: (rowId, column, event) => {
        handlerState.current.select(rowId, event);
        setActiveColumn(column);
      },
      toggle: (rowId, shiftKey) => handlerState.current.select(rowId, { shiftKey, metaKey: true, ctrlKey: true }),
      open: (index) => handlerState.current.onOpen(handlerState.current.rows[index]!.original),
      menu: (index, column, x, y) => {
        setActiveRowId(handlerState.current.rows[index]!.id);
        setActiveColumn(column);
        setMenu({ x, y, index, column });
      },
      commit: async (index, column, value) => (await handlerState.current.onEditCell?.(handlerState.current.rows[index]!.original, column, value)) ?? true,
      endEdit: () => handlerState.current.endEdit(),
    }),
    [],
  );
  const sizes = visibleColumns.map((c) => `${c.id}:${c.getSize()}`).join('|');
  // A resized, hidden or moved column changes the offsets of those after it.
  useEffect(() => columnVirtualizer.measure(), [sizes, columnVirtualizer]);
  const cellLayout = useMemo<CellLayout>(
    () => ({
      columns: visibleColumns.slice(firstColumn, lastColumn + 1).map((c, i) => ({ id: c.id, index: firstColumn + i, size: c.getSize(), isKey: keyAttributes.includes(c.id) })),
      before: columnsBefore,
      after: columnsAfter,
    }),
    // `sizes` captures every change of visible columns, order and widths; the rest is the window in view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sizes, keyAttributes, firstColumn, lastColumn, columnsBefore, columnsAfter],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const current = activeRowId !== null && rowIndexById.has(activeRowId) ? rowIndexById.get(activeRowId)! : -1;
    let next = current;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, current + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, current - 1);
    else if (event.key === 'PageDown') next = Math.min(rows.length - 1, current + 20);
    else if (event.key === 'PageUp') next = Math.max(0, current - 20);
    else if (event.key === 'Home' && (event.ctrlKey || event.metaKey)) next = 0;
    else if (event.key === 'End' && (event.ctrlKey || event.metaKey)) next = rows.length - 1;
    else if (event.key === 'F2' && current >= 0 && activeColumn) {
      event.preventDefault();
      startEdit(rows[current]!.id, activeColumn);
      return;
    } else if (event.key.toLowerCase() === 'c' && (event.ctrlKey || event.metaKey)) {
      const chosen = chosenRows();
      if (!chosen.length) return;
      event.preventDefault();
      copyRows(chosen, event.shiftKey ? 'plain' : 'dynamodb');
      return;
    } else if (event.key === 'Enter' && current >= 0) {
      event.preventDefault();
      onOpen(rows[current]!.original);
      return;
    } else if (event.key === ' ' && current >= 0) {
      event.preventDefault();
      select(rows[current]!.id, { shiftKey: false, metaKey: true, ctrlKey: true });
      return;
    } else if (event.key.toLowerCase() === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSelectionChange(new Set(rows.map((r) => r.id)));
      return;
    } else return;
    event.preventDefault();
    const id = rows[next]!.id;
    if (event.shiftKey) select(id, { shiftKey: true, metaKey: false, ctrlKey: false });
    else select(id, { shiftKey: false, metaKey: false, ctrlKey: false });
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const dragColumn = useRef<string | null>(null);
  const allSelected = rows.length > 0 && selection.size === rows.length;

  return (
    <div
      ref={gridRef}
      className="grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      aria-colcount={visibleColumns.length + 1}
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-activedescendant={activeRowId !== null && rowIndexById.has(activeRowId) ? `row-${rowIndexById.get(activeRowId)}` : undefined}
    >
      <div className="grid-scroll" ref={scrollRef}>
        <div className="grid-head" role="rowgroup" style={{ width: totalWidth }}>
          <div className="grid-row grid-header-row" role="row" aria-rowindex={1}>
            <div className="grid-cell select-cell" role="columnheader" aria-colindex={1} style={{ width: SELECT_COLUMN_WIDTH }}>
              <input
                type="checkbox"
                aria-label="Select all loaded items"
                checked={allSelected}
                ref={(el) => {
                  if (el) el.indeterminate = selection.size > 0 && !allSelected;
                }}
                onChange={() => onSelectionChange(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
              />
            </div>
            {columnsBefore > 0 ? <div className="grid-spacer" style={{ width: columnsBefore }} aria-hidden="true" /> : null}
            {table.getHeaderGroups()[0]!.headers.slice(firstColumn, lastColumn + 1).map((header, offset) => {
              const sorted = header.column.getIsSorted();
              const isKey = keyAttributes.includes(header.column.id);
              const isTableKey = (props.tableKeyAttributes ?? keyAttributes).includes(header.column.id);
              return (
                <div
                  key={header.id}
                  className={`grid-cell header-cell${isKey ? ' key-column' : ''}${dragColumn.current === header.column.id ? ' dragging' : ''}`}
                  role="columnheader"
                  aria-colindex={firstColumn + offset + 2}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                  style={{ width: header.getSize() }}
                  draggable
                  onDragStart={(e) => {
                    dragColumn.current = header.column.id;
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onDragOver={(e) => e.preventDefault()}
                  onDrop={(e) => {
                    e.preventDefault();
                    const moving = dragColumn.current;
                    dragColumn.current = null;
                    if (!moving || moving === header.column.id) return;
                    const order = table.getAllLeafColumns().map((c) => c.id).filter((id) => id !== moving);
                    order.splice(order.indexOf(header.column.id), 0, moving);
                    table.setColumnOrder(order);
                  }}
                >
                  <button
                    type="button"
                    className="header-button"
                    onClick={header.column.getToggleSortingHandler()}
                    title={`Sort loaded items by ${header.column.id}`}
                  >
                    {isTableKey ? (
                      <span className="key-marker" aria-label="table key attribute" title="Key of the table">
                        ⚷
                      </span>
                    ) : isKey ? (
                      <IndexKeyMarker roles={props.indexKeys?.[header.column.id] ?? []} />
                    ) : null}
                    <span className="header-label">{header.column.id}</span>
                    <span className="sort-marker" aria-hidden="true">
                      {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                    </span>
                  </button>
                  <div
                    className={`resize-handle${header.column.getIsResizing() ? ' resizing' : ''}`}
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={`Resize column ${header.column.id}`}
                    onMouseDown={header.getResizeHandler()}
                    onTouchStart={header.getResizeHandler()}
                    onDoubleClick={() => header.column.resetSize()}
                    onClick={(e) => e.stopPropagation()}
                  />
                </div>
              );
            })}
            {columnsAfter > 0 ? <div className="grid-spacer" style={{ width: columnsAfter }} aria-hidden="true" /> : null}
          </div>
        </div>
        <div className="grid-body" role="rowgroup" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
          {virtualRows.map((virtualRow) => {
            const row = rows[virtualRow.index]!;
            return (
              <GridRow
                key={row.id}
                rowId={row.id}
                index={virtualRow.index}
                item={row.original}
                columns={cellLayout}
                selected={selection.has(row.id)}
                active={row.id === activeRowId}
                handlers={rowHandlers}
                editingColumn={editing?.rowId === row.id ? editing.column : undefined}
              />
            );
          })}
        </div>
        <div className="grid-footer" style={{ width: Math.max(totalWidth, 0) }}>
          {props.footer}
        </div>
      </div>
      {menu && rows[menu.index] ? (
        <GridContextMenu x={menu.x} y={menu.y} onClose={() => setMenu(null)} actions={menuActions(rows[menu.index]!.original, rows[menu.index]!.id, menu.column)} />
      ) : null}
    </div>
  );

  function menuActions(item: Item, rowId: string, column: string): MenuAction[] {
    const value = item[column];
    const chosen = selection.has(rowId) ? rows.filter((r) => selection.has(r.id)).map((r) => r.original) : [item];
    const many = chosen.length > 1 ? `${chosen.length} items` : '';
    const actions = props.rowActions;
    return [
      ...(props.onEditCell ? [{ label: `Edit ${column} here`, run: () => startEdit(rowId, column), disabled: !editable(item, column) }] : []),
      { label: 'Edit item…', run: () => onOpen(item) },
      ...(actions
        ? [
            { label: 'Duplicate item…', run: () => actions.duplicate(item) },
            { label: many ? `Delete ${many}…` : 'Delete item…', run: () => actions.delete(chosen) },
            { label: 'Copy key', run: () => copy(JSON.stringify(actions.keyOf(item)), 'the key as DynamoDB JSON') },
          ]
        : []),
      { label: `Copy ${column} value`, run: () => value && copy(inlineTypeOf(value) ? preview(value) : JSON.stringify(value), `the value of ${column}`), disabled: !value },
      { label: many ? `Copy ${many} as DynamoDB JSON` : 'Copy as DynamoDB JSON', run: () => copyRows(chosen, 'dynamodb') },
      { label: many ? `Copy ${many} as plain JSON` : 'Copy as plain JSON', run: () => copyRows(chosen, 'plain') },
    ];
  }
}

/** Marks an attribute that keys a secondary index (and not the table): GSI, LSI, or IDX for both, with the index names. */
function IndexKeyMarker({ roles }: { roles: IndexKeyRole[] }) {
  const kinds = new Set(roles.map((role) => role.kind));
  const names = roles.map((role) => role.indexName).join(', ');
  return (
    <span className="index-key-marker" aria-label={`index key attribute${names ? ` (${names})` : ''}`} title={names ? `Key of index ${names}` : 'Key of an index'}>
      {kinds.size === 1 ? [...kinds][0] : 'IDX'}
    </span>
  );
}

/** The columns a row draws (those in view), and the widths of the columns left out either side. */
interface CellLayout {
  columns: { id: string; index: number; size: number; isKey: boolean }[];
  before: number;
  after: number;
}

interface RowHandlers {
  click(rowId: string, column: string | null, event: { shiftKey: boolean; metaKey: boolean; ctrlKey: boolean }): void;
  toggle(rowId: string, shiftKey: boolean): void;
  open(index: number): void;
  menu(index: number, column: string, x: number, y: number): void;
  commit(index: number, column: string, value: AttributeValue): Promise<boolean>;
  endEdit(): void;
}

/** One grid row. Its position depends only on its index (fixed row height), so it stays put in memo. */
const GridRow = memo(function GridRow({
  rowId,
  index,
  item,
  columns,
  selected,
  active,
  handlers,
  editingColumn,
}: {
  rowId: string;
  index: number;
  item: Item;
  columns: CellLayout;
  selected: boolean;
  active: boolean;
  handlers: RowHandlers;
  /** The column whose cell is being edited in place, if any. */
  editingColumn: string | undefined;
}) {
  return (
    <div
      id={`row-${index}`}
      className={`grid-row${selected ? ' selected' : ''}${active ? ' active' : ''}${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
      onClick={(e) => handlers.click(rowId, (e.target as HTMLElement).closest<HTMLElement>('[data-column]')?.dataset.column ?? null, e)}
      onDoubleClick={(e) => {
        if (!(e.target as HTMLElement).closest('.inline-editor')) handlers.open(index);
      }}
      onContextMenu={(e) => {
        const column = (e.target as HTMLElement).closest<HTMLElement>('[data-column]')?.dataset.column;
        if (!column) return;
        e.preventDefault();
        handlers.menu(index, column, e.clientX, e.clientY);
      }}
    >
      <div className="grid-cell select-cell" role="gridcell" aria-colindex={1} style={{ width: SELECT_COLUMN_WIDTH }}>
        <input
          type="checkbox"
          aria-label="Select item"
          checked={selected}
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            handlers.toggle(rowId, e.shiftKey);
          }}
          onChange={() => undefined}
        />
      </div>
      {columns.before > 0 ? <div className="grid-spacer" style={{ width: columns.before }} aria-hidden="true" /> : null}
      {columns.columns.map((column) => (
        <div
          key={column.id}
          className={`grid-cell${column.isKey ? ' key-column' : ''}`}
          role="gridcell"
          aria-colindex={column.index + 2}
          data-column={column.id}
          style={{ width: column.size }}
        >
          {editingColumn === column.id ? (
            <InlineEditor attribute={column.id} value={item[column.id]!} onCommit={(value) => handlers.commit(index, column.id, value)} onDone={handlers.endEdit} />
          ) : (
            <ValueCell value={item[column.id]} />
          )}
        </div>
      ))}
      {columns.after > 0 ? <div className="grid-spacer" style={{ width: columns.after }} aria-hidden="true" /> : null}
    </div>
  );
});

/**
 * A scalar cell edited in place, keeping its type: text for S, a checked number for N (DynamoDB's
 * message when it would refuse it), true/false for BOOL. Enter saves; Escape or leaving the cell
 * drops the edit.
 */
function InlineEditor({
  attribute,
  value,
  onCommit,
  onDone,
}: {
  attribute: string;
  value: AttributeValue;
  onCommit(value: AttributeValue): Promise<boolean>;
  onDone(): void;
}) {
  const type = inlineTypeOf(value) as InlineType;
  const [text, setText] = useState(() => preview(value));
  const [problem, setProblem] = useState<string | null>(null);
  const saving = useRef(false);
  const save = async (typed: string) => {
    let next: AttributeValue;
    try {
      next = parseInlineValue(type, typed);
    } catch (error) {
      setProblem((error as Error).message);
      return;
    }
    saving.current = true;
    const done = await onCommit(next);
    saving.current = false;
    if (done) onDone();
  };
  const common = {
    className: `inline-editor${problem ? ' invalid' : ''}`,
    'aria-label': `New value of ${attribute} (${type})`,
    'aria-invalid': problem ? true : undefined,
    title: problem ?? `${type} · Enter saves, Escape cancels`,
    autoFocus: true,
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      event.stopPropagation();
      if (event.key === 'Enter') {
        event.preventDefault();
        void save(text);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        onDone();
      }
    },
    onBlur: () => {
      if (!saving.current) onDone();
    },
    onClick: (event: React.MouseEvent) => event.stopPropagation(),
  };
  return (
    <>
      {type === 'BOOL' ? (
        <select {...common} value={text} onChange={(event) => void save(event.target.value)}>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input
          {...common}
          value={text}
          inputMode={type === 'N' ? 'decimal' : undefined}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
          }}
        />
      )}
      {problem ? (
        <span className="inline-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
