import { useMemo, useState } from 'react';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Modal } from '../../shared/ui.tsx';
import type { TableDescription } from '../items/tableSchema.ts';
import { codeTargetOf, type CodeLanguage } from '../query/codegen.ts';
import { emptyFilter, FILTER_OPERATORS, operandCount, QueryFormError, type FilterRow, type ValueType } from '../query/queryModel.ts';
import { generateUpdate } from './updateCodegen.ts';
import { emptyUpdateRow, SET_MODES, toUpdateInput, toUpdateSpec, UPDATE_ACTIONS, type UpdateRow, type UpdateSpec, type UpdateValueType } from './updateModel.ts';

const VALUE_TYPES: { id: UpdateValueType; label: string }[] = [
  { id: 'S', label: 'String' },
  { id: 'N', label: 'Number' },
  { id: 'BOOL', label: 'Boolean' },
  { id: 'NULL', label: 'Null' },
  { id: 'JSON', label: 'DynamoDB JSON' },
];
const CONDITION_TYPES: { id: ValueType; label: string }[] = VALUE_TYPES.filter((t): t is { id: ValueType; label: string } => t.id !== 'JSON');
const LANGUAGES: { id: CodeLanguage; label: string }[] = [
  { id: 'javascript', label: 'JavaScript' },
  { id: 'python', label: 'Python' },
  { id: 'cli', label: 'AWS CLI' },
];
const JSON_PLACEHOLDER = '{"L": [{"S": "new"}]}  or  {"SS": ["a", "b"]}';

/** The key as `name = value` pairs, for the dialog's heading line. */
function keyText(key: Item): string {
  return Object.entries(key)
    .map(([name, value]) => `${name} = ${'S' in value ? JSON.stringify(value.S) : 'N' in value ? value.N : JSON.stringify(value)}`)
    .join(', ');
}

/**
 * Changes attributes of one item without rewriting it: SET (plain, list_append either way,
 * if_not_exists), REMOVE, ADD and DELETE on nested paths, under an optional condition made of the
 * query builder's condition rows. Shows the UpdateItem request as it will be sent, and the same
 * update as code; DynamoDB's refusal (a failed condition, a bad path) is shown in place.
 */
export function UpdateItemDialog({
  table,
  description,
  itemKey,
  onClose,
  onUpdated,
}: {
  table: TableRef;
  description: TableDescription;
  itemKey: Item;
  onClose(): void;
  onUpdated(item: Item): void;
}) {
  const [rows, setRows] = useState<UpdateRow[]>([emptyUpdateRow()]);
  const [conditions, setConditions] = useState<FilterRow[]>([]);
  const [language, setLanguage] = useState<CodeLanguage>('javascript');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const built = useMemo((): { spec: UpdateSpec; input: Record<string, unknown> } | { problem: string } => {
    try {
      const spec = toUpdateSpec(description, itemKey, rows, conditions);
      return { spec, input: toUpdateInput(spec) };
    } catch (err) {
      if (err instanceof QueryFormError) return { problem: err.message };
      throw err;
    }
  }, [description, itemKey, rows, conditions]);

  const { connection } = table;
  const target = useMemo(() => codeTargetOf(connection, table.namespace), [connection, table.namespace]);
  const code = 'spec' in built ? generateUpdate(language, built.spec, target) : null;

  const setRow = (index: number, patch: Partial<UpdateRow>) => setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const setCondition = (index: number, patch: Partial<FilterRow>) => setConditions(conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!('input' in built)) return;
    setBusy(true);
    setError(null);
    try {
      const { Attributes } = await dynamo<{ Attributes?: Item }>(connection.id, 'UpdateItem', built.input, table.namespace);
      onUpdated(Attributes ?? itemKey);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const request = 'input' in built ? built.input : null;
  return (
    <Modal
      title={`Update item in ${table.tableName}`}
      onClose={onClose}
      wide
      className="update-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="update-item" className="button primary" disabled={!request || busy}>
            {busy ? 'Updating…' : 'Update item'}
          </button>
        </>
      }
    >
      <form id="update-item" aria-label="Update builder" className="update-form" onSubmit={(e) => void submit(e)}>
        <p className="update-key">
          Key <code>{keyText(itemKey)}</code>
        </p>
        {rows.map((row, index) => (
          <div className="query-row" key={index} role="group" aria-label={`Action ${index + 1}`}>
            <select aria-label="Action" value={row.action} onChange={(e) => setRow(index, { action: e.target.value as UpdateRow['action'] })}>
              {UPDATE_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
            <input aria-label="Attribute path" placeholder="path, e.g. address.lines[0]" value={row.path} spellCheck={false} onChange={(e) => setRow(index, { path: e.target.value })} size={22} />
            {row.action === 'SET' ? (
              <select aria-label="Set mode" value={row.mode} onChange={(e) => setRow(index, { mode: e.target.value as UpdateRow['mode'] })}>
                {SET_MODES.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.label}
                  </option>
                ))}
              </select>
            ) : null}
            {row.action !== 'REMOVE' ? (
              <>
                <select aria-label="Value type" value={row.type} onChange={(e) => setRow(index, { type: e.target.value as UpdateValueType })}>
                  {VALUE_TYPES.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </select>
                {row.type !== 'NULL' ? (
                  <input
                    aria-label="Value"
                    className={row.type === 'JSON' ? 'mono update-json' : undefined}
                    placeholder={row.type === 'JSON' ? JSON_PLACEHOLDER : 'value'}
                    value={row.value}
                    spellCheck={false}
                    onChange={(e) => setRow(index, { value: e.target.value })}
                    size={row.type === 'JSON' ? 34 : 16}
                  />
                ) : null}
              </>
            ) : null}
            <button type="button" className="icon-button" aria-label={`Remove action ${index + 1}`} disabled={rows.length === 1} onClick={() => setRows(rows.filter((_, i) => i !== index))}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
        <div className="query-row">
          <button type="button" className="button subtle" onClick={() => setRows([...rows, emptyUpdateRow()])}>
            <Icon name="plus" size={13} /> Add action
          </button>
        </div>

        {conditions.map((row, index) => (
          <div className="query-row filter-row" key={index} role="group" aria-label={`Condition ${index + 1}`}>
            <span className="row-label">{index === 0 ? 'Only if' : 'and'}</span>
            <input aria-label="Condition attribute" placeholder="attribute" value={row.attribute} onChange={(e) => setCondition(index, { attribute: e.target.value })} size={12} />
            <select aria-label="Condition operator" value={row.operator} onChange={(e) => setCondition(index, { operator: e.target.value as FilterRow['operator'] })}>
              {FILTER_OPERATORS.map((op) => (
                <option key={op} value={op}>
                  {op.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
            {operandCount(row.operator) > 0 ? (
              <>
                <select aria-label="Condition value type" value={row.type} onChange={(e) => setCondition(index, { type: e.target.value as ValueType })}>
                  {CONDITION_TYPES.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </select>
                {row.type !== 'NULL' ? <input aria-label="Condition value" placeholder="value" value={row.value} onChange={(e) => setCondition(index, { value: e.target.value })} size={12} /> : null}
                {row.operator === 'BETWEEN' ? (
                  <input aria-label="Condition upper bound" placeholder="and" value={row.value2} onChange={(e) => setCondition(index, { value2: e.target.value })} size={12} />
                ) : null}
              </>
            ) : null}
            <button type="button" className="icon-button" aria-label={`Remove condition ${index + 1}`} onClick={() => setConditions(conditions.filter((_, i) => i !== index))}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
        <div className="query-row">
          <button type="button" className="button subtle" onClick={() => setConditions([...conditions, emptyFilter()])}>
            <Icon name="plus" size={13} /> Add condition
          </button>
        </div>
      </form>

      <div className="update-panels">
        <section className="update-panel" aria-label="Request">
          <h3>UpdateItem request</h3>
          {request ? (
            <pre className="code-block" tabIndex={0}>
              <code>{JSON.stringify(request, null, 2)}</code>
            </pre>
          ) : (
            <p className="code-placeholder">{'problem' in built ? built.problem : ''}</p>
          )}
        </section>
        <section className="update-panel" aria-label="Generated code">
          <header className="code-header">
            <div className="segmented" role="radiogroup" aria-label="Code language">
              {LANGUAGES.map((l) => (
                <button key={l.id} type="button" role="radio" aria-checked={language === l.id} className={language === l.id ? 'on' : ''} onClick={() => setLanguage(l.id)}>
                  {l.label}
                </button>
              ))}
            </div>
          </header>
          {code ? (
            <pre className="code-block" tabIndex={0}>
              <code>{code}</code>
            </pre>
          ) : null}
        </section>
      </div>
      <ErrorNotice error={error} />
    </Modal>
  );
}
