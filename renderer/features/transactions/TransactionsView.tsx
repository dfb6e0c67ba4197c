import { lazy, Suspense, useMemo, useState } from 'react';
import type { CancellationReason, ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { dynamo, RequestError } from '../../app/client.ts';
import { namespaceLabel } from '../../app/selection.ts';
import { preview, type Item } from '../../shared/attributeValues.ts';
import { CapacityCost } from '../../shared/CapacityCost.tsx';
import { unitsOf, type ConsumedCapacity } from '../../shared/capacityCost.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import '../../shared/views.css';
import { attributeType, keyNamesOf, type TableDescription } from '../items/tableSchema.ts';
import { CodePanel } from '../query/CodePanel.tsx';
import { codeTargetOf } from '../query/codegen.ts';
import type { CodeLanguage } from '../query/codegen.ts';
import { ConditionRows, VALUE_TYPES } from '../query/ConditionRows.tsx';
import { emptyFilter, type ValueType } from '../query/queryModel.ts';
import { SavedMenu } from '../saved/SavedMenu.tsx';
import { draftScope, useDraft } from './draft.ts';
import { generateTransaction } from './transactionCodegen.ts';
import { buildTransaction, emptyAction, emptyUpdate, MAX_ACTIONS, newActionId, WRITE_KINDS, type ActionForm, type ActionKind, type BuiltTransaction, type TransactionForm, type TransactionMode, type UpdateRow } from './transactionModel.ts';
import { useTableSchemas } from '../../shared/useTableSchemas.ts';
import './transactions.css';

// Monaco loads with the first Put action opened, not with the view.
const CodeEditor = lazy(() => import('../editor/CodeEditor.tsx'));

const KIND_LABELS: Record<ActionKind, string> = { Put: 'Put', Update: 'Update', Delete: 'Delete', ConditionCheck: 'Condition check', Get: 'Get' };

interface Sent {
  operation: BuiltTransaction['operation'];
  input: Record<string, unknown>;
  /** The actions as sent, by id: reasons and responses come back in this order. */
  actionIds: string[];
  /** How many times this very request has been sent (a retry with the same token counts up). */
  attempt: number;
}

type Outcome =
  | { kind: 'committed'; sent: Sent; consumed: ConsumedCapacity[]; responses?: (Item | undefined)[]; at: Date }
  | { kind: 'cancelled'; sent: Sent; message: string; reasons: CancellationReason[]; at: Date }
  | { kind: 'failed'; sent: Sent; error: unknown };

/**
 * Builds a TransactWriteItems (Put, Update, Delete, ConditionCheck across the connection's tables)
 * or a TransactGetItems, checks it as the service would before sending, runs it (with a
 * ClientRequestToken that a retry reuses) and shows each action's cancellation reason on the action.
 */
export function TransactionsView({ connection, namespace }: { connection: ConnectionInfo; namespace: Namespace | undefined }) {
  const [form, update] = useDraft(draftScope(connection.id, namespace));
  const schemas = useTableSchemas(
    connection,
    namespace,
    form.actions.map((a) => a.tableName),
  );
  const built = useMemo(() => buildTransaction(form, schemas.descriptions), [form, schemas.descriptions]);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [language, setLanguage] = useState<CodeLanguage>('javascript');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [running, setRunning] = useState(false);
  const target = useMemo(() => codeTargetOf(connection, namespace), [connection, namespace]);
  const code = built.input ? generateTransaction(language, built.operation, built.input, target) : null;

  const setAction = (id: string, patch: Partial<ActionForm>) => update((f) => ({ ...f, actions: f.actions.map((a) => (a.id === id ? { ...a, ...patch } : a)) }));
  const addAction = (kind: ActionKind) => {
    const tableName = form.actions.at(-1)?.tableName ?? schemas.tableNames?.[0] ?? '';
    const action = emptyAction(kind, tableName);
    update((f) => ({ ...f, actions: [...f.actions, action] }));
    setExpanded(action.id);
  };
  const setMode = (mode: TransactionMode) =>
    update((f) => ({
      ...f,
      mode,
      // The keys carry over; the kinds change to the ones this mode allows.
      actions: f.actions.map((a) => ({ ...a, kind: mode === 'get' ? 'Get' : a.kind === 'Get' ? 'ConditionCheck' : a.kind })),
    }));

  const send = async (sent: Sent) => {
    setRunning(true);
    try {
      const output = await dynamo<{ ConsumedCapacity?: ConsumedCapacity[]; Responses?: { Item?: Item }[] }>(connection.id, sent.operation, sent.input, namespace);
      setOutcome({
        kind: 'committed',
        sent,
        consumed: output.ConsumedCapacity ?? [],
        ...(output.Responses ? { responses: output.Responses.map((r) => r.Item) } : {}),
        at: new Date(),
      });
    } catch (error) {
      if (error instanceof RequestError && error.code === 'TransactionCanceledException' && error.cancellationReasons) {
        setOutcome({ kind: 'cancelled', sent, message: error.message, reasons: error.cancellationReasons, at: new Date() });
      } else {
        setOutcome({ kind: 'failed', sent, error });
      }
    } finally {
      setRunning(false);
    }
  };
  const run = () => {
    if (built.input) void send({ operation: built.operation, input: built.input, actionIds: form.actions.map((a) => a.id), attempt: 1 });
  };
  const sentToken = outcome && typeof outcome.sent.input.ClientRequestToken === 'string' ? outcome.sent.input.ClientRequestToken : undefined;

  const reasonFor = (id: string): CancellationReason | undefined => (outcome?.kind === 'cancelled' ? outcome.reasons[outcome.sent.actionIds.indexOf(id)] : undefined);
  const responseFor = (id: string): { item: Item | undefined } | undefined => {
    if (outcome?.kind !== 'committed' || !outcome.responses) return undefined;
    const index = outcome.sent.actionIds.indexOf(id);
    return index < 0 ? undefined : { item: outcome.responses[index] };
  };

  return (
    <section className="tx-view" aria-label="Transaction builder">
      <header className="view-header">
        <div className="view-title">
          <h1>Transactions</h1>
          <span className="view-subtitle">
            {connection.name}
            {namespace && connection.capabilities.namespaces ? ` · ${namespaceLabel(namespace)}` : ''}
          </span>
        </div>
      </header>
      <div className="toolbar tx-toolbar" role="toolbar" aria-label="Transaction">
        <div className="segmented" role="radiogroup" aria-label="Transaction kind">
          {(
            [
              ['write', 'TransactWriteItems'],
              ['get', 'TransactGetItems'],
            ] as const
          ).map(([mode, label]) => (
            <button key={mode} type="button" role="radio" aria-checked={form.mode === mode} className={form.mode === mode ? 'on' : ''} onClick={() => setMode(mode)}>
              {label}
            </button>
          ))}
        </div>
        <span className="tx-add" role="group" aria-label="Add action">
          {(form.mode === 'write' ? WRITE_KINDS : (['Get'] as const)).map((kind) => (
            <button key={kind} type="button" className="button subtle" onClick={() => addAction(kind)} disabled={form.actions.length >= MAX_ACTIONS}>
              <Icon name="plus" size={13} /> {KIND_LABELS[kind]}
            </button>
          ))}
        </span>
        <span className="toolbar-spacer" />
        {form.mode === 'write' ? (
          <label className="inline-field">
            <span>ClientRequestToken</span>
            <input aria-label="Client request token" placeholder="none" value={form.token} maxLength={36} size={20} onChange={(e) => update((f) => ({ ...f, token: e.target.value }))} />
            <button type="button" className="button small" onClick={() => update((f) => ({ ...f, token: crypto.randomUUID() }))} title="A fresh token: a retry with it within 10 minutes is applied at most once">
              New token
            </button>
          </label>
        ) : null}
        <SavedMenu
          kind="transaction"
          connection={connection}
          namespace={namespace}
          current={() => ({ ...form })}
          onOpen={(body) => {
            const saved = body as unknown as TransactionForm;
            // Fresh ids: the same saved transaction may be opened twice, and reasons match by id.
            update(() => ({ ...saved, actions: saved.actions.map((a) => ({ ...a, id: newActionId() })) }));
            setOutcome(null);
          }}
        />
        <button type="button" className="button primary" onClick={run} disabled={!built.input || running}>
          <Icon name="play" size={13} /> Run {built.operation}
        </button>
      </div>

      <div className="query-split">
        <div className="tx-main">
          {built.problems.map((problem) => (
            <div key={problem} className="tx-request-problem" role="alert">
              {problem}
            </div>
          ))}
          <OutcomeBanner outcome={outcome} running={running} onRetry={outcome && sentToken ? () => void send({ ...outcome.sent, attempt: outcome.sent.attempt + 1 }) : undefined} token={sentToken} />
          {schemas.error ? <ErrorNotice error={schemas.error} /> : null}
          {form.actions.length === 0 ? (
            <div className="empty-state muted">
              <p>Add actions above, or select items in a table and choose "Add to transaction".</p>
            </div>
          ) : (
            <ol className="tx-actions" aria-label="Actions">
              {form.actions.map((action, index) => (
                <ActionCard
                  key={action.id}
                  action={action}
                  index={index}
                  mode={form.mode}
                  tableNames={schemas.tableNames ?? []}
                  table={schemas.descriptions[action.tableName]}
                  problems={built.actionProblems[action.id] ?? []}
                  reason={reasonFor(action.id)}
                  response={responseFor(action.id)}
                  expanded={expanded === action.id}
                  onToggle={() => setExpanded(expanded === action.id ? null : action.id)}
                  onChange={(patch) => setAction(action.id, patch)}
                  onRemove={() => update((f) => ({ ...f, actions: f.actions.filter((a) => a.id !== action.id) }))}
                />
              ))}
            </ol>
          )}
        </div>
        <CodePanel
          language={language}
          onLanguage={setLanguage}
          code={code}
          placeholder={built.problems[0] ?? (Object.keys(built.actionProblems).length ? 'Fix the problems shown on the actions to see the code.' : '')}
          note={<>Key, item and condition values are written as the document client and boto3 expect them; the CLI takes DynamoDB JSON.</>}
        />
      </div>
    </section>
  );
}

function OutcomeBanner({ outcome, running, onRetry, token }: { outcome: Outcome | null; running: boolean; onRetry: (() => void) | undefined; token: string | undefined }) {
  if (running) {
    return (
      <div className="outcome-banner" role="status">
        <Spinner label="Running" /> Running…
      </div>
    );
  }
  if (!outcome) return null;
  const retry = onRetry ? (
    <button type="button" className="button small" onClick={onRetry} title={`Sends the same request with the token ${token}: DynamoDB applies it at most once within 10 minutes`}>
      <Icon name="refresh" size={12} /> Retry with the same token
    </button>
  ) : null;
  if (outcome.kind === 'failed') {
    return (
      <>
        <ErrorNotice error={outcome.error} />
        {retry ? <div className="outcome-banner">{retry}</div> : null}
      </>
    );
  }
  if (outcome.kind === 'cancelled') {
    return (
      <div className="outcome-banner cancelled" role="status" aria-label="Transaction outcome">
        <strong>Cancelled</strong>
        <span className="outcome-text">
          {outcome.message}. Nothing was applied; each action shows its reason.
          {outcome.sent.attempt > 1 ? ` (sent ${outcome.sent.attempt} times)` : ''}
        </span>
        {retry}
      </div>
    );
  }
  const total = outcome.consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  return (
    <div className="outcome-banner committed" role="status" aria-label="Transaction outcome">
      <div className="outcome-head">
        <strong>{outcome.sent.operation === 'TransactWriteItems' ? 'Committed' : 'Read back'}</strong>
        <span className="outcome-text">
          {outcome.sent.actionIds.length} {outcome.sent.actionIds.length === 1 ? 'action' : 'actions'} at {outcome.at.toLocaleTimeString()}
          {token ? ` with token ${token}` : ''}
          {outcome.sent.attempt > 1 ? ` (sent ${outcome.sent.attempt} times)` : ''}
        </span>
        {retry}
      </div>
      <CapacityCost units={unitsOf(outcome.consumed, outcome.sent.operation === 'TransactWriteItems' ? 'write' : 'read')} label="Transaction cost" />
      {outcome.consumed.length ? (
        <table className="data-table tx-capacity" aria-label="Consumed capacity">
          <thead>
            <tr>
              <th>Table</th>
              <th className="num">Capacity units</th>
              <th className="num">Read</th>
              <th className="num">Write</th>
            </tr>
          </thead>
          <tbody>
            {outcome.consumed.map((c) => (
              <tr key={c.TableName}>
                <td>{c.TableName}</td>
                <td className="num">{c.CapacityUnits ?? '—'}</td>
                <td className="num">{c.ReadCapacityUnits ?? '—'}</td>
                <td className="num">{c.WriteCapacityUnits ?? '—'}</td>
              </tr>
            ))}
            {outcome.consumed.length > 1 ? (
              <tr>
                <td>Total</td>
                <td className="num">{total}</td>
                <td />
                <td />
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function ActionCard({
  action,
  index,
  mode,
  tableNames,
  table,
  problems,
  reason,
  response,
  expanded,
  onToggle,
  onChange,
  onRemove,
}: {
  action: ActionForm;
  index: number;
  mode: TransactionMode;
  tableNames: string[];
  table: TableDescription | undefined;
  problems: string[];
  reason: CancellationReason | undefined;
  response: { item: Item | undefined } | undefined;
  expanded: boolean;
  onToggle(): void;
  onChange(patch: Partial<ActionForm>): void;
  onRemove(): void;
}) {
  const keys = table ? keyNamesOf(table.KeySchema) : undefined;
  const keyNames = keys ? (keys.sort ? [keys.partition, keys.sort] : [keys.partition]) : [];
  const summary = action.kind === 'Put' ? putPreview(action.itemText) : keyNames.map((name) => `${name}=${action.key[name] ?? ''}`).join(', ');
  const failed = reason && reason.Code !== 'None';
  const label = `Action ${index + 1}: ${KIND_LABELS[action.kind]} ${action.tableName}`;
  const setUpdate = (i: number, patch: Partial<UpdateRow>) => onChange({ updates: action.updates.map((row, j) => (j === i ? { ...row, ...patch } : row)) });
  const changeKind = (kind: ActionKind) => {
    // A Put written from the key fields starts with the key already in the item.
    const fromKey = kind === 'Put' && table && action.itemText.trim() === emptyAction('Put').itemText.trim();
    onChange({ kind, ...(fromKey ? { itemText: JSON.stringify(Object.fromEntries(keyNames.map((n) => [n, { [attributeType(table, n)]: action.key[n] ?? '' }])), null, 2) } : {}) });
  };

  return (
    <li className={`tx-action${failed ? ' failed' : ''}${problems.length ? ' invalid' : ''}`} role="group" aria-label={label}>
      <div className="tx-action-head">
        <button type="button" className="tree-toggle tx-toggle" aria-expanded={expanded} onClick={onToggle} aria-label={`${expanded ? 'Collapse' : 'Expand'} action ${index + 1}`}>
          <Icon name={expanded ? 'chevronDown' : 'chevronRight'} size={14} />
          <span className="tx-index">{index + 1}</span>
        </button>
        <select aria-label="Action kind" value={action.kind} onChange={(e) => changeKind(e.target.value as ActionKind)}>
          {(mode === 'write' ? WRITE_KINDS : (['Get'] as const)).map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
        <select aria-label="Table" value={action.tableName} onChange={(e) => onChange({ tableName: e.target.value, key: {} })}>
          {action.tableName && !tableNames.includes(action.tableName) ? <option value={action.tableName}>{action.tableName}</option> : null}
          <option value="">Choose a table…</option>
          {tableNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <span className="tx-summary mono">{summary}</span>
        {reason ? (
          <span className={`badge ${failed ? 'remove' : 'ok'}`} aria-label="Cancellation reason code">
            {reason.Code}
          </span>
        ) : null}
        <span className="toolbar-spacer" />
        <button type="button" className="icon-button" aria-label={`Remove action ${index + 1}`} onClick={onRemove}>
          <Icon name="close" size={14} />
        </button>
      </div>

      {problems.length ? (
        <ul className="tx-problems" aria-label={`Problems with action ${index + 1}`}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {failed ? (
        <div className="reason-note" role="note" aria-label={`Why action ${index + 1} failed`}>
          <strong>{reason.Code}</strong>
          {reason.Message ? <span>{reason.Message}</span> : null}
          {reason.Item ? <pre className="item-json" aria-label="Item when the condition failed">{JSON.stringify(reason.Item, null, 2)}</pre> : null}
        </div>
      ) : null}
      {response ? (
        <div className="tx-response" aria-label={`Item read by action ${index + 1}`}>
          {response.item ? <pre className="item-json">{JSON.stringify(response.item, null, 2)}</pre> : <span className="view-note">No item with this key.</span>}
        </div>
      ) : null}

      {expanded ? (
        <div className="tx-action-body">
          {!table ? (
            <p className="view-note">{action.tableName ? <Spinner label="Loading table" /> : 'Choose a table to fill in the key.'}</p>
          ) : action.kind === 'Put' ? (
            <div className="editor-host tx-editor">
              <Suspense fallback={<div className="editor-loading"><Spinner label="Loading editor" /> Loading editor…</div>}>
                <CodeEditor key={action.id} initialValue={action.itemText} format="dynamodb" onChange={(itemText) => onChange({ itemText })} onSave={() => undefined} label={`Item to put (action ${index + 1})`} />
              </Suspense>
            </div>
          ) : (
            <div className="query-row">
              {keyNames.map((name) => (
                <label key={name} className="inline-field">
                  <span>
                    <Icon name="key" size={12} /> {name} <small className="type-tag">{attributeType(table, name)}</small>
                  </span>
                  <input aria-label={`Key ${name}`} value={action.key[name] ?? ''} onChange={(e) => onChange({ key: { ...action.key, [name]: e.target.value } })} size={16} />
                </label>
              ))}
            </div>
          )}

          {action.written ? (
            <WrittenFields action={action} onChange={onChange} />
          ) : action.kind === 'Update' ? (
            <>
              {action.updates.map((row, i) => (
                <div className="query-row filter-row" key={i} role="group" aria-label={`Update ${i + 1}`}>
                  <select aria-label="Update action" value={row.action} onChange={(e) => setUpdate(i, { action: e.target.value as UpdateRow['action'] })}>
                    <option value="SET">SET</option>
                    <option value="REMOVE">REMOVE</option>
                    <option value="ADD">ADD (number)</option>
                  </select>
                  <input aria-label="Update attribute" placeholder="attribute" value={row.attribute} onChange={(e) => setUpdate(i, { attribute: e.target.value })} size={12} />
                  {row.action === 'SET' ? (
                    <>
                      <span>=</span>
                      <select aria-label="Update value type" value={row.type} onChange={(e) => setUpdate(i, { type: e.target.value as ValueType })}>
                        {VALUE_TYPES.map((t) => (
                          <option key={t.id} value={t.id}>
                            {t.label}
                          </option>
                        ))}
                      </select>
                    </>
                  ) : null}
                  {row.action !== 'REMOVE' && !(row.action === 'SET' && row.type === 'NULL') ? (
                    <input aria-label="Update value" placeholder={row.action === 'ADD' ? 'number to add' : 'value'} value={row.value} onChange={(e) => setUpdate(i, { value: e.target.value })} size={12} />
                  ) : null}
                  <button type="button" className="icon-button" aria-label={`Remove update ${i + 1}`} onClick={() => onChange({ updates: action.updates.filter((_, j) => j !== i) })}>
                    <Icon name="close" size={14} />
                  </button>
                </div>
              ))}
              <div className="query-row">
                <button type="button" className="button subtle" onClick={() => onChange({ updates: [...action.updates, emptyUpdate()] })}>
                  <Icon name="plus" size={13} /> Add update
                </button>
              </div>
            </>
          ) : null}

          {action.written ? null : action.kind === 'Get' ? (
            <label className="inline-field">
              <span>Projection</span>
              <input aria-label="Projection" placeholder="all attributes" value={action.projection} onChange={(e) => onChange({ projection: e.target.value })} size={22} />
            </label>
          ) : (
            <>
              <ConditionRows rows={action.conditions} onChange={(conditions) => onChange({ conditions })} noun="Condition" />
              <div className="query-row">
                <button type="button" className="button subtle" onClick={() => onChange({ conditions: [...action.conditions, emptyFilter()] })}>
                  <Icon name="plus" size={13} /> Add condition
                </button>
                <label className="checkbox">
                  <input type="checkbox" checked={action.returnOldOnFailure} onChange={(e) => onChange({ returnOldOnFailure: e.target.checked })} />
                  Return the item if the condition fails (ALL_OLD)
                </label>
              </div>
            </>
          )}
        </div>
      ) : null}
    </li>
  );
}

/** Expressions as written (a request reopened from the history), editable as text. */
function WrittenFields({ action, onChange }: { action: ActionForm; onChange(patch: Partial<ActionForm>): void }) {
  const written = action.written!;
  const set = (patch: Partial<typeof written>) => onChange({ written: { ...written, ...patch } });
  const field = (label: string, value: string | undefined, key: 'update' | 'condition' | 'projection') => (
    <label className="inline-field tx-written">
      <span>{label}</span>
      <input aria-label={label} className="mono" value={value ?? ''} onChange={(e) => set({ [key]: e.target.value })} />
    </label>
  );
  return (
    <div className="tx-written-fields">
      {action.kind === 'Update' ? field('Update expression', written.update, 'update') : null}
      {action.kind === 'Get' ? field('Projection expression', written.projection, 'projection') : field('Condition expression', written.condition, 'condition')}
      {written.names || written.values ? (
        <pre className="item-json" aria-label="Expression names and values">{JSON.stringify({ ExpressionAttributeNames: written.names, ExpressionAttributeValues: written.values }, null, 2)}</pre>
      ) : null}
      <div className="query-row">
        {action.kind !== 'Get' ? (
          <label className="checkbox">
            <input type="checkbox" checked={action.returnOldOnFailure} onChange={(e) => onChange({ returnOldOnFailure: e.target.checked })} />
            Return the item if the condition fails (ALL_OLD)
          </label>
        ) : null}
        <button type="button" className="link-button" onClick={() => onChange({ written: undefined })}>
          Build the expressions from rows instead
        </button>
      </div>
    </div>
  );
}

function putPreview(text: string): string {
  try {
    const item = JSON.parse(text) as Item;
    return Object.entries(item)
      .map(([name, value]) => `${name}: ${preview(value, 30)}`)
      .join(', ');
  } catch {
    return text.slice(0, 120);
  }
}
