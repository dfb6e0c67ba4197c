import { useCallback, useEffect, useMemo, useId, useState, type ReactNode } from 'react';
import { dynamo, RequestError } from '../../app/client.ts';
import { useCommands } from '../../app/commands.tsx';
import { namespaceLabel, type TableRef } from '../../app/selection.ts';
import type { AttributeValue, Item } from '../../shared/attributeValues.ts';
import { CapacityCost } from '../../shared/CapacityCost.tsx';
import { capacityTexts } from '../../shared/capacityCost.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import { ItemEditorDialog, type EditorMode } from '../editor/ItemEditorDialog.tsx';
import { AddToTransaction } from '../transactions/AddToTransaction.tsx';
import { newItemTemplate } from '../editor/saveItem.ts';
import { UpdateItemDialog } from '../update/UpdateItemDialog.tsx';
import { ColumnsMenu } from './ColumnsMenu.tsx';
import { DeleteItemsDialog } from './DeleteItemsDialog.tsx';
import { ExportItemsDialog, type ExportSource } from './ExportItemsDialog.tsx';
import { ImportItemsDialog } from './ImportItemsDialog.tsx';
import { inlineUpdateInput } from './inlineEdit.ts';
import { ItemGrid, type GridColumnsState } from './ItemGrid.tsx';
import { ReadBar } from './ReadBar.tsx';
import { EMPTY_READ_FORM, toReadRequest, type ReadForm } from './readRequest.ts';
import { allKeyAttributes, attributeType, indexKeyRoles, keyOf, rowIdOf, type TableDescription } from './tableSchema.ts';
import { useItemPages, type ReadRequest } from './useItemPages.ts';

const countFormat = new Intl.NumberFormat();
/** How long a notice ("Item saved", "Imported 20 items") stays up. */
const NOTICE_MS = 6000;
const EMPTY_COLUMNS: GridColumnsState = { visibility: {}, order: [], sizing: {} };

export interface ItemsViewProps {
  table: TableRef;
  pageSize: number;
  onDeleteTable(): void;
  onChanged(): void;
  /**
   * Wraps the items body (read bar, toolbar, grid, status bar) below the table header: the table
   * page puts its tabs around it. Without it the body is shown as is.
   */
  renderBody?(itemsBody: ReactNode): ReactNode;
  /** Bumped when another view changed the table (an index added), so the header facts are re-read. */
  describeVersion?: number;
  /** Whether this view's workbench tab is in front: only that one answers shortcuts and palette commands. Default true. */
  active?: boolean;
}

export function ItemsView({ table, pageSize, onDeleteTable, onChanged, renderBody, describeVersion, active = true }: ItemsViewProps) {
  const [description, setDescription] = useState<TableDescription | null>(null);
  const [describeError, setDescribeError] = useState<unknown>(null);
  const [readForm, setReadForm] = useState<ReadForm>(EMPTY_READ_FORM);
  const [columns, setColumns] = useState<GridColumnsState>(EMPTY_COLUMNS);
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [editor, setEditor] = useState<EditorMode | null>(null);
  const [deleting, setDeleting] = useState<Item[] | null>(null);
  const [updating, setUpdating] = useState<Item | null>(null);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState<ExportSource | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const describe = useCallback(async () => {
    try {
      const { Table } = await dynamo<{ Table: TableDescription }>(table.connection.id, 'DescribeTable', { TableName: table.tableName }, table.namespace);
      setDescription(Table);
      setDescribeError(null);
    } catch (error) {
      setDescribeError(error);
    }
  }, [table]);

  useEffect(() => {
    setDescription(null);
    setDescribeError(null);
    setReadForm(EMPTY_READ_FORM);
    setColumns(EMPTY_COLUMNS);
    setSelection(new Set());
    setNotice(null);
    setActionError(null);
    void describe();
  }, [describe]);

  useEffect(() => {
    if (describeVersion) void describe();
  }, [describeVersion, describe]);

  // A notice reports what just happened; it is stale once the user has had time to read it.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const request = useMemo<ReadRequest | null>(() => (description ? toReadRequest(description, readForm) : null), [description, readForm]);
  const pages = useItemPages(table.connection, table.namespace, request, pageSize);
  const { items, attributes, lastEvaluatedKey, loading, error, scannedCount, cancelled } = pages.state;

  const keyAttributes = useMemo(() => (description ? allKeyAttributes(description) : []), [description]);
  const keyTypes = useMemo(
    () => (description ? Object.fromEntries(description.KeySchema.map((k) => [k.AttributeName, attributeType(description, k.AttributeName)])) : {}),
    [description],
  );
  const getRowId = useCallback((item: Item) => (description ? rowIdOf(item, description) : ''), [description]);
  const selectedItems = useMemo(() => items.filter((item) => selection.has(getRowId(item))), [items, selection, getRowId]);

  const hasMore = lastEvaluatedKey !== undefined;
  const onNearEnd = useCallback(() => {
    if (hasMore && !loading && !cancelled && !error) pages.loadMore();
  }, [hasMore, loading, cancelled, error, pages]);

  const refresh = () => {
    setSelection(new Set());
    void describe();
    pages.reload();
  };
  const newItem = () => description && setEditor({ kind: 'create', template: newItemTemplate(keyTypes) });
  // Rows may hold only an index's projection: the editor is given the key and reads the whole item.
  const editItem = (item: Item) => description && setEditor({ kind: 'edit', key: keyOf(item, description) });
  const editSelected = () => selectedItems[0] && editItem(selectedItems[0]);
  const duplicateSelected = () => description && selectedItems[0] && setEditor({ kind: 'duplicate', key: keyOf(selectedItems[0], description) });
  const updateSelected = () => description && selectedItems[0] && setUpdating(keyOf(selectedItems[0], description));
  const deleteSelected = () => description && selectedItems.length > 0 && setDeleting(selectedItems.map((item) => keyOf(item, description)));

  /** Exports the selection as it is, or else every item the current read matches (paging, with progress). */
  const exportItems = () => {
    if (selectedItems.length) setExporting({ kind: 'selection', items: selectedItems });
    else if (request) {
      const approximateTotal = request.operation === 'Scan' && !request.input.FilterExpression && !request.input.IndexName ? description?.ItemCount : undefined;
      setExporting({ kind: 'read', request, approximateTotal });
    }
  };
  const columnIds = [...keyAttributes, ...attributes.filter((a) => !keyAttributes.includes(a))];
  const visibleColumns = (columns.order.length ? [...columns.order, ...columnIds.filter((id) => !columns.order.includes(id))] : columnIds).filter(
    (id) => columnIds.includes(id) && columns.visibility[id] !== false,
  );
  const importItems = () => description && setImporting(true);

  /**
   * Saves a cell edited in the grid: only that attribute changes, and only if it still holds what
   * the grid showed. A change made elsewhere meanwhile is refused; the row then shows the item as
   * stored, and the notice says what happened.
   */
  const editCell = async (item: Item, attribute: string, value: AttributeValue): Promise<boolean> => {
    if (!description) return false;
    const key = keyOf(item, description);
    const id = getRowId(item);
    setActionError(null);
    try {
      const { Attributes } = await dynamo<{ Attributes: Item }>(
        table.connection.id,
        'UpdateItem',
        inlineUpdateInput(table.tableName, key, attribute, item[attribute]!, value),
        table.namespace,
      );
      // Rows read from an index hold only its projection: keep the row's own attributes, updated.
      pages.replaceItem((existing) => getRowId(existing) === id, request?.input.IndexName ? { ...item, [attribute]: Attributes[attribute]! } : Attributes);
      setNotice(`Saved ${attribute}`);
      return true;
    } catch (error) {
      if (!(error instanceof RequestError && error.code === 'ConditionalCheckFailedException')) {
        setActionError(error);
        return false;
      }
      const { Item: stored } = await dynamo<{ Item?: Item }>(table.connection.id, 'GetItem', { TableName: table.tableName, Key: key, ConsistentRead: true }, table.namespace);
      if (stored) pages.replaceItem((existing) => getRowId(existing) === id, request?.input.IndexName ? { ...item, ...pick(stored, Object.keys(item)) } : stored);
      else pages.removeItems((existing) => getRowId(existing) === id);
      setActionError(
        new RequestError(
          error.code,
          stored
            ? `${attribute} was not saved: it was changed elsewhere since this row was read (it is now ${stored[attribute] ? JSON.stringify(stored[attribute]) : 'removed'}). The row shows the stored item.`
            : `${attribute} was not saved: the item was deleted elsewhere since this row was read.`,
        ),
      );
      return true;
    }
  };

  // Each open items view registers under its own name; only the one in front offers commands.
  const commandOwner = `items-${useId()}`;
  useCommands(
    commandOwner,
    active
      ? [
        { id: 'refresh', title: 'Refresh items', group: 'Items', shortcut: 'R', run: refresh },
        { id: 'new-item', title: 'New item', group: 'Items', shortcut: 'N', run: newItem },
        { id: 'edit-item', title: 'Edit selected item', group: 'Items', shortcut: 'Enter', run: editSelected },
        { id: 'duplicate-item', title: 'Duplicate selected item', group: 'Items', shortcut: 'D', run: duplicateSelected },
        { id: 'update-item', title: 'Update attributes of the selected item', group: 'Items', run: updateSelected },
        { id: 'delete-items', title: 'Delete selected items', group: 'Items', shortcut: 'Del', run: deleteSelected },
        { id: 'export-items', title: 'Export items (JSON or CSV)', group: 'Items', run: exportItems },
        { id: 'import-items', title: 'Import items from a file', group: 'Items', run: importItems },
        { id: 'delete-table', title: `Delete table ${table.tableName}`, group: 'Table', run: onDeleteTable },
        ]
      : [],
    [active, table, description, selectedItems, items, request],
  );

  const itemCount = description?.ItemCount;
  const footer = loading ? (
    <div className="grid-more" role="status">
      <Spinner label="Loading items" /> Loading {items.length ? 'more ' : ''}items…
    </div>
  ) : hasMore ? (
    <div className="grid-more">
      More items available{cancelled ? ' (stopped)' : ''}.{' '}
      <button type="button" className="link-button" onClick={pages.loadMore}>
        Load more
      </button>
    </div>
  ) : items.length ? (
    <div className="grid-more done">All {countFormat.format(items.length)} matching items loaded.</div>
  ) : null;

  const itemsBody = (
      description ? (
        <>
          <ReadBar key={`${table.connection.id}|${table.tableName}`} table={description} initial={readForm} onRun={(form) => setReadForm({ ...form })} />
          <div className="toolbar" role="toolbar" aria-label="Item actions">
            <button type="button" className="button" onClick={newItem}>
              <Icon name="plus" size={14} /> New item
            </button>
            <button type="button" className="button" onClick={editSelected} disabled={selectedItems.length !== 1}>
              <Icon name="edit" size={14} /> Edit
            </button>
            <button type="button" className="button" onClick={updateSelected} disabled={selectedItems.length !== 1} title="Change attributes with an UpdateExpression">
              <Icon name="edit" size={14} /> Update…
            </button>
            <button type="button" className="button" onClick={duplicateSelected} disabled={selectedItems.length !== 1}>
              <Icon name="copy" size={14} /> Duplicate
            </button>
            <button type="button" className="button" onClick={deleteSelected} disabled={selectedItems.length === 0}>
              <Icon name="trash" size={14} /> Delete{selectedItems.length > 1 ? ` ${selectedItems.length}` : ''}
            </button>
            <AddToTransaction table={table} description={description} items={selectedItems} />
            <span className="toolbar-spacer" />
            <button type="button" className="button" onClick={importItems}>
              <Icon name="upload" size={14} /> Import
            </button>
            <button
              type="button"
              className="button"
              onClick={exportItems}
              disabled={items.length === 0}
              title={selectedItems.length ? 'Export the selected items' : `Export every item this ${request?.operation ?? 'Scan'} matches`}
            >
              <Icon name="download" size={14} /> Export{selectedItems.length ? ` ${selectedItems.length}` : ''}
            </button>
            <ColumnsMenu columnIds={columnIds} state={columns} onChange={setColumns} keepShown={description.KeySchema.map((k) => k.AttributeName)} />
            <button type="button" className="button" onClick={refresh} aria-label="Refresh items" title="Refresh (R)">
              <Icon name="refresh" size={14} />
            </button>
          </div>
          {notice ? (
            <div className="info-notice" role="status">
              {notice}
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
                <Icon name="close" size={12} />
              </button>
            </div>
          ) : null}
          <ErrorNotice error={actionError} onDismiss={() => setActionError(null)} />
          <ErrorNotice error={error} />
          <ItemGrid
            label={`Items of ${table.tableName}`}
            items={items}
            attributes={attributes}
            keyAttributes={keyAttributes}
            getRowId={getRowId}
            selection={selection}
            onSelectionChange={setSelection}
            onOpen={editItem}
            onNearEnd={onNearEnd}
            columns={columns}
            onColumnsChange={setColumns}
            footer={footer}
            tableKeyAttributes={description.KeySchema.map((k) => k.AttributeName)}
            indexKeys={indexKeyRoles(description)}
            onEditCell={editCell}
            rowActions={{
              duplicate: (item) => setEditor({ kind: 'duplicate', key: keyOf(item, description) }),
              delete: (chosen) => setDeleting(chosen.map((item) => keyOf(item, description))),
              keyOf: (item) => keyOf(item, description),
            }}
            onCopied={setNotice}
          />
          <footer className="status-bar" aria-label="Read status">
            <span>
              <strong>{countFormat.format(items.length)}</strong> loaded
              {selection.size ? ` · ${countFormat.format(selection.size)} selected` : ''}
            </span>
            <span>{countFormat.format(scannedCount)} read by {request?.operation ?? 'Scan'}</span>
            <CapacityCost units={pages.state.consumed} />
            <span className="status-more">{hasMore ? 'More items available' : items.length ? 'End of results' : loading ? '' : 'No items'}</span>
            <span className="toolbar-spacer" />
            {loading ? (
              <span className="scan-progress" role="status" aria-label="Reading items">
                <span className="progress-bar" aria-hidden="true">
                  <span />
                </span>
                Reading… {countFormat.format(scannedCount)} read
                <button type="button" className="button small" onClick={pages.cancel}>
                  <Icon name="stop" size={11} /> Cancel
                </button>
              </span>
            ) : null}
          </footer>
        </>
      ) : !describeError ? (
        <div className="empty-state">
          <Spinner label="Loading table" />
        </div>
      ) : null
  );

  return (
    <section className="items-view" aria-label={`Items of ${table.tableName}`}>
      <header className="view-header">
        <div className="view-title">
          <h1>{table.tableName}</h1>
          <span className="view-subtitle">
            {table.connection.name}
            {table.namespace && table.connection.capabilities.namespaces ? ` · ${namespaceLabel(table.namespace)}` : ''}
          </span>
        </div>
        {description ? (
          <dl className="table-facts">
            <div>
              <dt>Partition key</dt>
              <dd>
                {description.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName}{' '}
                <small>{attributeType(description, description.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '')}</small>
              </dd>
            </div>
            {description.KeySchema.find((k) => k.KeyType === 'RANGE') ? (
              <div>
                <dt>Sort key</dt>
                <dd>
                  {description.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName}{' '}
                  <small>{attributeType(description, description.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName ?? '')}</small>
                </dd>
              </div>
            ) : null}
            <div>
              <dt>Items</dt>
              <dd>{itemCount === undefined ? '—' : countFormat.format(itemCount)}</dd>
            </div>
            <div>
              <dt>Indexes</dt>
              <dd>{(description.GlobalSecondaryIndexes?.length ?? 0) + (description.LocalSecondaryIndexes?.length ?? 0)}</dd>
            </div>
            <div>
              <dt>Capacity</dt>
              <dd>{description.BillingModeSummary?.BillingMode === 'PROVISIONED' || (!description.BillingModeSummary && description.ProvisionedThroughput?.ReadCapacityUnits) ? 'Provisioned' : 'On-demand'}</dd>
            </div>
          </dl>
        ) : null}
        <button type="button" className="button subtle danger-text" onClick={onDeleteTable}>
          <Icon name="trash" size={14} /> Delete table
        </button>
      </header>

      {describeError ? <ErrorNotice error={describeError} /> : null}

      {renderBody ? renderBody(itemsBody) : itemsBody}

      {editor && description ? (
        <ItemEditorDialog
          table={table}
          mode={editor}
          keyTypes={keyTypes}
          onClose={() => setEditor(null)}
          onSaved={(item, consumed) => {
            const id = getRowId(item);
            pages.replaceItem((existing) => getRowId(existing) === id, item);
            // The edit is done: a selection left on the row would catch the next Delete or Enter unawares.
            setSelection(new Set());
            setEditor(null);
            setNotice(`${editor.kind === 'edit' ? 'Item saved' : 'Item created'} · ${Object.values(capacityTexts(consumed)).join(' · ')}`);
            if (editor.kind !== 'edit') {
              onChanged();
              void describe();
            }
          }}
        />
      ) : null}
      {updating && description ? (
        <UpdateItemDialog
          table={table}
          description={description}
          itemKey={updating}
          onClose={() => setUpdating(null)}
          onUpdated={(item) => {
            const id = getRowId(item);
            pages.replaceItem((existing) => getRowId(existing) === id, item);
            setSelection(new Set());
            setUpdating(null);
            setNotice('Item updated');
          }}
        />
      ) : null}
      {importing && description ? (
        <ImportItemsDialog
          table={table}
          keyTypes={keyTypes}
          onClose={(written) => {
            setImporting(false);
            if (written > 0) {
              setNotice(`Imported ${countFormat.format(written)} ${written === 1 ? 'item' : 'items'}`);
              refresh();
              onChanged();
            }
          }}
        />
      ) : null}
      {exporting ? (
        <ExportItemsDialog
          table={table}
          source={exporting}
          visibleColumns={visibleColumns}
          onDone={(text) => {
            setExporting(null);
            setNotice(text);
          }}
          onClose={() => setExporting(null)}
        />
      ) : null}
      {deleting ? (
        <DeleteItemsDialog
          table={table}
          keys={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={(deletedKeys) => {
            const gone = new Set(deletedKeys.map(getRowId));
            pages.removeItems((item) => gone.has(getRowId(item)));
            setSelection(new Set());
            setDeleting(null);
            setNotice(`Deleted ${deletedKeys.length} ${deletedKeys.length === 1 ? 'item' : 'items'}`);
            onChanged();
            void describe();
          }}
        />
      ) : null}
    </section>
  );
}

function pick(item: Item, names: string[]): Item {
  return Object.fromEntries(names.filter((name) => item[name]).map((name) => [name, item[name]!]));
}
