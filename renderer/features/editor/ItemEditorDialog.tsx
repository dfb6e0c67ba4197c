import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { TableRef } from '../../app/selection.ts';
import { dynamo, RequestError } from '../../app/client.ts';
import { isPlainJsonSafe, type Item } from '../../shared/attributeValues.ts';
import { unitsOf, type CapacityUnits, type ConsumedCapacity } from '../../shared/capacityCost.ts';
import { MOD, ErrorNotice, Modal, Spinner } from '../../shared/ui.tsx';
import { convertText, formatItem, parseItem, putInput, sameKey, type EditorFormat } from './saveItem.ts';
import { SavedMenu } from '../saved/SavedMenu.tsx';
import type { CodeEditorHandle } from './CodeEditor.tsx';

const KEY_TAKEN = 'An item with this key already exists.';

// Monaco stays out of the initial bundle; this chunk loads the first time an editor opens.
const CodeEditor = lazy(() => import('./CodeEditor.tsx'));

/**
 * What the editor opens. Edit and duplicate name the item by its table key only: rows in the grid
 * may hold part of an item (an index's projection), so the editor reads the whole item itself.
 */
export type EditorMode = { kind: 'edit'; key: Item } | { kind: 'duplicate'; key: Item } | { kind: 'create'; template: Item };

/** The whole stored item, read from the base table (never an index) with a consistent read; undefined if it is gone. */
async function readStoredItem(table: TableRef, key: Item): Promise<Item | undefined> {
  const { Item: stored } = await dynamo<{ Item?: Item }>(table.connection.id, 'GetItem', { TableName: table.tableName, Key: key, ConsistentRead: true }, table.namespace);
  return stored;
}

/**
 * Edits one item as DynamoDB JSON or plain JSON. Editing and duplicating start from the whole
 * item as stored now. Saving validates first, then writes with a condition: an edit succeeds only
 * if the stored item still matches what was loaded; a new item only if its key is free. Either
 * refusal is shown here, in DynamoDB's words.
 */
export function ItemEditorDialog({
  table,
  mode,
  keyTypes,
  onClose,
  onSaved,
}: {
  table: TableRef;
  mode: EditorMode;
  keyTypes: Record<string, 'S' | 'N' | 'B'>;
  onClose(): void;
  /** `consumed`: the write units the save cost, as the endpoint reported them. */
  onSaved(item: Item, consumed: CapacityUnits): void;
}) {
  const keyNames = Object.keys(keyTypes);
  /** Editing only: the stored item, which the put-if-unchanged condition compares against. */
  const [original, setOriginal] = useState<Item | undefined>(undefined);
  /** The editor's first text, once the item to start from is known (at once for a new item). */
  const [initialText, setInitialText] = useState<string | null>(mode.kind === 'create' ? formatItem(mode.template, 'dynamodb') : null);
  /** Why there is nothing to edit: the item is gone, or reading it failed. */
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [format, setFormat] = useState<EditorFormat>('dynamodb');
  const text = useRef(initialText ?? '');
  const editor = useRef<CodeEditorHandle>(null);
  const [error, setError] = useState<unknown>(null);
  /** Why the last save was refused by its condition: the stored item changed, or a new item's key is taken. */
  const [conflict, setConflict] = useState<'changed' | 'key-taken' | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (mode.kind === 'create') return;
    let stale = false;
    readStoredItem(table, mode.key).then(
      (stored) => {
        if (stale) return;
        if (!stored) {
          setLoadProblem(new Error(`This item is no longer stored in ${table.tableName}: it was deleted after the list was read. Refresh the list to see what is stored now.`));
          return;
        }
        if (mode.kind === 'edit') setOriginal(stored);
        text.current = formatItem(stored, 'dynamodb');
        setInitialText(text.current);
      },
      (err: unknown) => !stale && setLoadProblem(err),
    );
    return () => void (stale = true);
  }, [table, mode]);

  const switchFormat = (next: EditorFormat) => {
    try {
      const converted = convertText(text.current, format, next, keyTypes);
      text.current = converted;
      editor.current?.setValue(converted);
      setFormat(next);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };

  const save = async () => {
    if (initialText === null) return;
    setError(null);
    setConflict(null);
    let item: Item;
    try {
      item = parseItem(text.current, format, keyTypes);
      if (original && !sameKey(item, original, keyNames)) {
        throw new Error(`Key attributes (${keyNames.join(', ')}) cannot change while editing. Use Duplicate to copy the item to a new key.`);
      }
    } catch (err) {
      setError(err);
      return;
    }
    setBusy(true);
    try {
      const output = await dynamo<{ ConsumedCapacity?: ConsumedCapacity }>(
        table.connection.id,
        'PutItem',
        { ...putInput(table.tableName, item, keyNames, original), ReturnConsumedCapacity: 'TOTAL' },
        table.namespace,
      );
      onSaved(item, unitsOf(output.ConsumedCapacity, 'write'));
    } catch (err) {
      if (err instanceof RequestError && err.code === 'ConditionalCheckFailedException') {
        setConflict(original ? 'changed' : 'key-taken');
        setError(
          new RequestError(
            err.code,
            original
              ? `${err.message}. Someone changed or deleted this item after you opened it; your edit was not saved.`
              : `${err.message}. Nothing was overwritten: change the key to create a new item, or open the stored one with Edit.`,
          ),
        );
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** After a conflict: load what is stored now, so the user can redo the edit on top of it. */
  const reloadCurrent = async () => {
    if (!original) return;
    try {
      const current = await readStoredItem(table, Object.fromEntries(keyNames.map((k) => [k, original[k]!])));
      if (!current) {
        setError(new Error('The item no longer exists. Saving now would need Duplicate to create it again.'));
        return;
      }
      setOriginal(current);
      // Sets and binary have no plain JSON form: show such an item as DynamoDB JSON whatever the toggle said.
      const shownAs = format === 'plain' && isPlainJsonSafe(current) ? 'plain' : 'dynamodb';
      const value = formatItem(current, shownAs);
      text.current = value;
      editor.current?.setValue(value);
      setFormat(shownAs);
      setConflict(null);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };

  /** A saved item text replaces the editor's, in the format the editor is showing. */
  const openSaved = (body: Record<string, unknown>) => {
    if (typeof body.text !== 'string') return;
    const savedFormat: EditorFormat = body.format === 'plain' ? 'plain' : 'dynamodb';
    try {
      const converted = savedFormat === format ? body.text : convertText(body.text, savedFormat, format, keyTypes);
      text.current = converted;
      editor.current?.setValue(converted);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };

  const title = `${mode.kind === 'edit' ? 'Edit' : mode.kind === 'duplicate' ? 'Duplicate' : 'New'} item in ${table.tableName}`;
  const ready = initialText !== null;
  return (
    <Modal
      title={title}
      wide
      className="editor-modal"
      onClose={onClose}
      footer={
        <>
          <div className="segmented" role="radiogroup" aria-label="Editor format">
            <button type="button" role="radio" aria-checked={format === 'dynamodb'} className={format === 'dynamodb' ? 'on' : ''} disabled={!ready} onClick={() => switchFormat('dynamodb')}>
              DynamoDB JSON
            </button>
            <button type="button" role="radio" aria-checked={format === 'plain'} className={format === 'plain' ? 'on' : ''} disabled={!ready} onClick={() => switchFormat('plain')}>
              Plain JSON
            </button>
          </div>
          {ready ? (
            <SavedMenu
              kind="item"
              connection={table.connection}
              namespace={table.namespace}
              tableName={table.tableName}
              current={() => ({ text: text.current, format })}
              onOpen={openSaved}
            />
          ) : null}
          <span className="footer-note">{MOD}+S saves</span>
          {conflict === 'changed' ? (
            <button type="button" className="button" onClick={() => void reloadCurrent()}>
              Load current version
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={busy || !ready} onClick={() => void save()}>
            {busy ? 'Saving…' : mode.kind === 'edit' ? 'Save item' : 'Create item'}
          </button>
        </>
      }
    >
      <ErrorNotice error={error} onDismiss={() => setError(null)} lead={conflict === 'key-taken' ? KEY_TAKEN : undefined} />
      {loadProblem ? (
        <ErrorNotice error={loadProblem} />
      ) : ready ? (
        <div className="editor-host">
          <Suspense fallback={<EditorLoading text="Loading editor…" />}>
            <CodeEditor
              ref={editor}
              initialValue={initialText}
              format={format}
              onChange={(value) => (text.current = value)}
              onSave={() => void save()}
              label={title}
            />
          </Suspense>
        </div>
      ) : (
        <EditorLoading text={`Reading the whole item from ${table.tableName}…`} />
      )}
    </Modal>
  );
}

function EditorLoading({ text }: { text: string }) {
  return (
    <div className="editor-loading">
      <Spinner label={text} /> {text}
    </div>
  );
}
