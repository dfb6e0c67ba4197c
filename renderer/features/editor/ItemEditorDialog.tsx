import { lazy, Suspense, useRef, useState } from 'react';
import type { TableRef } from '../../app/selection.ts';
import { dynamo, RequestError } from '../../app/client.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { MOD, ErrorNotice, Modal, Spinner } from '../../shared/ui.tsx';
import { convertText, formatItem, parseItem, putInput, sameKey, type EditorFormat } from './saveItem.ts';
import type { CodeEditorHandle } from './CodeEditor.tsx';

// Monaco stays out of the initial bundle; this chunk loads the first time an editor opens.
const CodeEditor = lazy(() => import('./CodeEditor.tsx'));

export type EditorMode = { kind: 'edit'; item: Item } | { kind: 'create'; template: Item; title: string };

/**
 * Edits one item as DynamoDB JSON or plain JSON. Saving validates first, then writes with a
 * condition: an edit succeeds only if the stored item still matches what was loaded; a new item
 * only if its key is free. Either refusal is shown here, in DynamoDB's words.
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
  onSaved(item: Item): void;
}) {
  const keyNames = Object.keys(keyTypes);
  const [original, setOriginal] = useState<Item | undefined>(mode.kind === 'edit' ? mode.item : undefined);
  const [format, setFormat] = useState<EditorFormat>('dynamodb');
  const initialText = formatItem(mode.kind === 'edit' ? mode.item : mode.template, 'dynamodb');
  const text = useRef(initialText);
  const editor = useRef<CodeEditorHandle>(null);
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);

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
    setError(null);
    setConflict(false);
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
      await dynamo(table.connection.id, 'PutItem', putInput(table.tableName, item, keyNames, original), table.namespace);
      onSaved(item);
    } catch (err) {
      if (err instanceof RequestError && err.code === 'ConditionalCheckFailedException') {
        setConflict(true);
        setError(
          new RequestError(
            err.code,
            original
              ? `${err.message}. Someone changed or deleted this item after you opened it; your edit was not saved.`
              : `${err.message}. An item with this key already exists; nothing was overwritten.`,
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
      const key = Object.fromEntries(keyNames.map((k) => [k, original[k]!]));
      const { Item: current } = await dynamo<{ Item?: Item }>(table.connection.id, 'GetItem', { TableName: table.tableName, Key: key, ConsistentRead: true }, table.namespace);
      if (!current) {
        setError(new Error('The item no longer exists. Saving now would need Duplicate to create it again.'));
        return;
      }
      setOriginal(current);
      const value = formatItem(current, format === 'plain' ? 'plain' : 'dynamodb');
      text.current = value;
      editor.current?.setValue(value);
      setConflict(false);
      setError(null);
    } catch (err) {
      setError(err);
    }
  };

  const title = mode.kind === 'edit' ? `Edit item in ${table.tableName}` : mode.title;
  return (
    <Modal
      title={title}
      wide
      className="editor-modal"
      onClose={onClose}
      footer={
        <>
          <div className="segmented" role="radiogroup" aria-label="Editor format">
            <button type="button" role="radio" aria-checked={format === 'dynamodb'} className={format === 'dynamodb' ? 'on' : ''} onClick={() => switchFormat('dynamodb')}>
              DynamoDB JSON
            </button>
            <button type="button" role="radio" aria-checked={format === 'plain'} className={format === 'plain' ? 'on' : ''} onClick={() => switchFormat('plain')}>
              Plain JSON
            </button>
          </div>
          <span className="footer-note">{MOD}+S saves</span>
          {conflict && original ? (
            <button type="button" className="button" onClick={() => void reloadCurrent()}>
              Load current version
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={busy} onClick={() => void save()}>
            {busy ? 'Saving…' : mode.kind === 'edit' ? 'Save item' : 'Create item'}
          </button>
        </>
      }
    >
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <div className="editor-host">
        <Suspense
          fallback={
            <div className="editor-loading">
              <Spinner label="Loading editor" /> Loading editor…
            </div>
          }
        >
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
    </Modal>
  );
}
