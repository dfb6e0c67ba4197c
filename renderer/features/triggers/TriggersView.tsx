import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { FailedBatch, TriggerHandler, TriggerInfo, TriggerInvocation, TriggerSettings } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Field, Spinner } from '../../shared/ui.tsx';

/** Lambda's defaults for a DynamoDB event source mapping (and a function's Timeout and MemorySize). */
const DEFAULTS: TriggerSettings = {
  BatchSize: 100,
  MaximumBatchingWindowInSeconds: 0,
  StartingPosition: 'TRIM_HORIZON',
  MaximumRetryAttempts: -1,
  MaximumRecordAgeInSeconds: -1,
  BisectBatchOnFunctionError: false,
  FunctionResponseTypes: [],
  Timeout: 3,
  MemorySize: 128,
};

const count = new Intl.NumberFormat();

function handlerText(handler: TriggerHandler): string {
  return handler.kind === 'module' ? `${handler.path}${handler.exportName ? `#${handler.exportName}` : ''}` : handler.command;
}

function age(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Stream triggers: local handlers run on the table's stream records as Lambda would run a
 * function behind an event source mapping. The list of the table's triggers with their state;
 * a form to create or edit one; per trigger its invocations (with logs and the event) and the
 * failed-records list with re-drive. Refreshed every second while shown.
 */
export function TriggersView({ table }: { table: TableRef }) {
  const [triggers, setTriggers] = useState<TriggerInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<TriggerInfo | 'new' | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const supported = table.connection.capabilities.streamTriggers;

  const read = useCallback(async () => {
    const list = await call('triggers/list', { connectionId: table.connection.id, tableName: table.tableName, ...(table.namespace ? { namespace: table.namespace } : {}) });
    setTriggers(list);
    setSelected((current) => (current && list.some((t) => t.definition.id === current) ? current : (list[0]?.definition.id ?? null)));
  }, [table]);

  useEffect(() => {
    if (!supported) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        await read();
        if (!stopped) setError(null);
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = setTimeout(() => void tick(), 1000);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [read, supported, version]);

  if (!supported) {
    return (
      <div className="capability-note">
        <Icon name="alert" />
        <span>Stream triggers are not available on this connection.</span>
      </div>
    );
  }
  if (!triggers) return error ? <ErrorNotice error={error} /> : <div className="empty-state"><Spinner label="Loading triggers" /></div>;

  const current = triggers.find((t) => t.definition.id === selected);
  const changed = () => setVersion((v) => v + 1);

  return (
    <div className="triggers-view">
      <section className="view-section" aria-label="Triggers">
        <h2>
          Triggers
          <span className="toolbar-spacer" />
          <button type="button" className="button primary small" onClick={() => setEditing('new')}>
            <Icon name="plus" size={11} /> New trigger
          </button>
        </h2>
        <p className="view-note">
          Each trigger runs a handler on this table&apos;s stream records, in order, in batches, as Lambda would: a JavaScript or TypeScript module exporting{' '}
          <code>handler(event, context)</code> (run in a worker thread), or a command that reads the event as JSON on stdin.
          {table.connection.kind === 'remote' ? ' On this connection the stream is read through its DynamoDB Streams endpoint; the handler runs on this machine.' : ''}
        </p>
        <ErrorNotice error={error} />
        {triggers.length === 0 ? (
          <p role="status">No triggers on this table yet.</p>
        ) : (
          <table className="data-table" aria-label="Triggers of this table">
            <thead>
              <tr>
                <th>Function</th>
                <th>Handler</th>
                <th>State</th>
                <th className="num">Iterator age</th>
                <th className="num">Records</th>
                <th className="num">Invocations</th>
                <th className="num">Errors</th>
                <th className="num">Failed batches</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {triggers.map((t) => (
                <TriggerRow key={t.definition.id} trigger={t} selected={t.definition.id === selected} onSelect={() => setSelected(t.definition.id)} onEdit={() => setEditing(t)} onChanged={changed} />
              ))}
            </tbody>
          </table>
        )}
      </section>

      {editing ? (
        <TriggerForm
          table={table}
          trigger={editing === 'new' ? undefined : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) setSelected(saved.definition.id);
            changed();
          }}
        />
      ) : null}

      {current ? <TriggerDetails key={current.definition.id} trigger={current} onChanged={changed} /> : null}
    </div>
  );
}

function TriggerRow({ trigger, selected, onSelect, onEdit, onChanged }: { trigger: TriggerInfo; selected: boolean; onSelect(): void; onEdit(): void; onChanged(): void }) {
  const { definition: d, runtime: r } = trigger;
  const [error, setError] = useState<unknown>(null);
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const badge = r.status === 'polling' ? 'ok' : r.status === 'paused' ? 'off' : 'busy';
  return (
    <tr aria-label={`Trigger ${d.functionName}`} aria-selected={selected} className={selected ? 'selected' : ''} onClick={onSelect}>
      <td>
        <button type="button" className="link-button" onClick={onSelect}>
          {d.functionName}
        </button>
      </td>
      <td>
        <code>{handlerText(d.handler)}</code>
      </td>
      <td>
        <span className={`badge ${badge}`}>{r.status}</span>
        {r.message ? <div className="field-hint">{r.message}</div> : null}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
      </td>
      <td className="num">{age(r.iteratorAgeMs)}</td>
      <td className="num">{count.format(r.recordsDelivered)}</td>
      <td className="num">{count.format(r.invocations)}</td>
      <td className="num">{count.format(r.errors)}</td>
      <td className="num">{count.format(r.failedBatches)}</td>
      <td className="row-actions" onClick={(e) => e.stopPropagation()}>
        <button type="button" className="button small" onClick={() => void act(() => call('triggers/setEnabled', { id: d.id, enabled: !d.enabled }))}>
          {d.enabled ? 'Pause' : 'Resume'}
        </button>
        <button type="button" className="button small" onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="button small danger-text"
          onClick={() => {
            if (window.confirm(`Delete trigger ${d.functionName}? Its invocations and failed records go with it.`)) void act(() => call('triggers/delete', { id: d.id }));
          }}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Create or edit: the handler and Lambda's event source mapping settings, under Lambda's names. */
function TriggerForm({ table, trigger, onDone }: { table: TableRef; trigger?: TriggerInfo; onDone(saved?: TriggerInfo): void }) {
  const initial = trigger?.definition;
  const [kind, setKind] = useState<TriggerHandler['kind']>(initial?.handler.kind ?? 'module');
  const [path, setPath] = useState(initial?.handler.kind === 'module' ? initial.handler.path : '');
  const [exportName, setExportName] = useState(initial?.handler.kind === 'module' ? (initial.handler.exportName ?? '') : '');
  const [command, setCommand] = useState(initial?.handler.kind === 'command' ? initial.handler.command : '');
  const [cwd, setCwd] = useState(initial?.handler.kind === 'command' ? (initial.handler.cwd ?? '') : '');
  const [functionName, setFunctionName] = useState(initial?.functionName ?? '');
  const [settings, setSettings] = useState<TriggerSettings>({ ...DEFAULTS, ...(initial?.settings ?? {}) });
  const [filters, setFilters] = useState((initial?.settings.FilterCriteria?.Filters ?? []).map((f) => f.Pattern ?? '').join('\n'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = <K extends keyof TriggerSettings>(key: K, value: TriggerSettings[K]) => setSettings((s) => ({ ...s, [key]: value }));
  const numberField = (key: keyof TriggerSettings, label: string, hint: string) => (
    <Field label={label} hint={hint}>
      <input type="number" aria-label={label} value={String(settings[key])} onChange={(e) => set(key, Number(e.target.value) as never)} />
    </Field>
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const patterns = filters.split('\n').map((l) => l.trim()).filter(Boolean);
      const { FilterCriteria: _previous, ...rest } = settings;
      const saved = await call('triggers/put', {
        connectionId: table.connection.id,
        tableName: table.tableName,
        ...(table.namespace ? { namespace: table.namespace } : {}),
        ...(initial ? { id: initial.id, enabled: initial.enabled } : {}),
        ...(functionName.trim() ? { functionName: functionName.trim() } : {}),
        handler: kind === 'module' ? { kind, path, ...(exportName.trim() ? { exportName: exportName.trim() } : {}) } : { kind, command, ...(cwd.trim() ? { cwd: cwd.trim() } : {}) },
        settings: { ...rest, ...(patterns.length ? { FilterCriteria: { Filters: patterns.map((Pattern) => ({ Pattern })) } } : {}) },
      });
      onDone(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="view-section" aria-label={initial ? `Edit trigger ${initial.functionName}` : 'New trigger'}>
      <h2>{initial ? `Edit ${initial.functionName}` : 'New trigger'}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-row" role="radiogroup" aria-label="Handler kind">
          <label className="radio">
            <input type="radio" name="handler-kind" checked={kind === 'module'} onChange={() => setKind('module')} /> JavaScript/TypeScript module
          </label>
          <label className="radio">
            <input type="radio" name="handler-kind" checked={kind === 'command'} onChange={() => setKind('command')} /> Command line (event as JSON on stdin)
          </label>
        </div>
        <div className="form-grid" style={{ marginTop: 10 }}>
          {kind === 'module' ? (
            <>
              <Field label="Handler file" hint="Absolute path of a .js, .mjs, .cjs or .ts file">
                <input aria-label="Handler file" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/app/handlers/orders.mjs" required />
              </Field>
              <Field label="Export" hint="The exported function (default handler)">
                <input aria-label="Export" value={exportName} onChange={(e) => setExportName(e.target.value)} placeholder="handler" />
              </Field>
            </>
          ) : (
            <>
              <Field label="Command" hint="Its stdout's last JSON line is the response; other output is its log">
                <input aria-label="Command" value={command} onChange={(e) => setCommand(e.target.value)} placeholder="python3 handlers/orders.py" required />
              </Field>
              <Field label="Working directory">
                <input aria-label="Working directory" value={cwd} onChange={(e) => setCwd(e.target.value)} />
              </Field>
            </>
          )}
          <Field label="Function name" hint="What the handler sees as context.functionName">
            <input aria-label="Function name" value={functionName} onChange={(e) => setFunctionName(e.target.value)} placeholder={`${table.tableName}-trigger`} />
          </Field>
          <Field label="Starting position">
            <select aria-label="Starting position" value={settings.StartingPosition} onChange={(e) => set('StartingPosition', e.target.value as TriggerSettings['StartingPosition'])}>
              <option value="TRIM_HORIZON">TRIM_HORIZON (oldest record)</option>
              <option value="LATEST">LATEST (new records only)</option>
            </select>
          </Field>
        </div>
        <div className="form-grid three" style={{ marginTop: 10 }}>
          {numberField('BatchSize', 'Batch size', '1 to 10,000')}
          {numberField('MaximumBatchingWindowInSeconds', 'Batching window (s)', '0 to 300')}
          {numberField('Timeout', 'Timeout (s)', '1 to 900')}
          {numberField('MaximumRetryAttempts', 'Maximum retry attempts', '-1 (until records expire) or 0 to 10,000')}
          {numberField('MaximumRecordAgeInSeconds', 'Maximum record age (s)', '-1 (no limit) or 60 to 604,800')}
          {numberField('MemorySize', 'Memory (MB)', 'The worker\'s heap limit, 128 to 10,240')}
        </div>
        <div className="form-row" style={{ marginTop: 10 }}>
          <label className="checkbox">
            <input type="checkbox" checked={settings.BisectBatchOnFunctionError} onChange={(e) => set('BisectBatchOnFunctionError', e.target.checked)} /> Split batch on error
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={settings.FunctionResponseTypes.includes('ReportBatchItemFailures')}
              onChange={(e) => set('FunctionResponseTypes', e.target.checked ? ['ReportBatchItemFailures'] : [])}
            />{' '}
            Report batch item failures
          </label>
        </div>
        <div style={{ marginTop: 10 }}>
          <Field label="Filter patterns" hint='One Lambda filter pattern (JSON) per line, e.g. {"eventName":["INSERT"]}; a record matching none is skipped'>
            <textarea aria-label="Filter patterns" rows={2} className="mono" value={filters} onChange={(e) => setFilters(e.target.value)} />
          </Field>
        </div>
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        <div className="form-row" style={{ marginTop: 12 }}>
          <button type="submit" className="button primary" disabled={busy}>
            {initial ? 'Save trigger' : 'Create trigger'}
          </button>
          <button type="button" className="button" onClick={() => onDone()}>
            Cancel
          </button>
          {busy ? <Spinner label="Saving trigger" /> : null}
        </div>
      </form>
    </section>
  );
}

function TriggerDetails({ trigger, onChanged }: { trigger: TriggerInfo; onChanged(): void }) {
  const id = trigger.definition.id;
  const [invocations, setInvocations] = useState<TriggerInvocation[]>([]);
  const [failed, setFailed] = useState<FailedBatch[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { invocations: invocationCount, failedBatches } = trigger.runtime;

  // The lists are fetched again whenever the trigger's counters move.
  useEffect(() => {
    let stopped = false;
    void Promise.all([call('triggers/invocations', { id }), call('triggers/failed', { id })]).then(
      ([list, batches]) => {
        if (stopped) return;
        setInvocations(list);
        setFailed(batches);
      },
      (err) => !stopped && setError(err),
    );
    return () => {
      stopped = true;
    };
  }, [id, invocationCount, failedBatches]);

  const redrive = async (batchId?: string) => {
    setError(null);
    try {
      const { succeeded, stillFailing } = await call('triggers/redrive', { id, ...(batchId ? { batchId } : {}) });
      setNotice(`Re-drive: ${succeeded} succeeded, ${stillFailing} still failing.`);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <section className="view-section" aria-label="Invocations">
        <h2>
          Invocations of {trigger.definition.functionName}
          <span className="toolbar-spacer" />
          <span className="view-note">Iterator age {age(trigger.runtime.iteratorAgeMs)}</span>
        </h2>
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {invocations.length === 0 ? (
          <p role="status">No invocations yet: write to the table and they appear here.</p>
        ) : (
          <ol className="invocations" aria-label="Invocations, newest first">
            {invocations.map((inv) => (
              <InvocationEntry key={inv.requestId} invocation={inv} />
            ))}
          </ol>
        )}
      </section>
      <section className="view-section" aria-label="Failed records">
        <h2>
          Failed records
          <span className="toolbar-spacer" />
          {failed.length > 1 ? (
            <button type="button" className="button small" onClick={() => void redrive()}>
              Re-drive all
            </button>
          ) : null}
        </h2>
        {notice ? <p role="status">{notice}</p> : null}
        {failed.length === 0 ? (
          <p className="view-note">Batches that run out of retries or age land here (the on-failure destination), to be sent to the handler again.</p>
        ) : (
          <table className="data-table" aria-label="Failed batches">
            <thead>
              <tr>
                <th>Failed at</th>
                <th>Condition</th>
                <th className="num">Records</th>
                <th className="num">Retries</th>
                <th>Error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {failed.map((batch) => (
                <tr key={batch.id} aria-label={`Failed batch of ${batch.DDBStreamBatchInfo.batchSize}`}>
                  <td>{new Date(batch.failedAt).toLocaleTimeString()}</td>
                  <td>{batch.condition}</td>
                  <td className="num">{batch.DDBStreamBatchInfo.batchSize}</td>
                  <td className="num">{batch.retries}</td>
                  <td>
                    {batch.error ? (
                      <code>
                        {batch.error.errorType}: {batch.error.errorMessage}
                      </code>
                    ) : null}
                    <details>
                      <summary>Records (seq {batch.DDBStreamBatchInfo.startSequenceNumber}…)</summary>
                      <pre className="code-block">{JSON.stringify(batch.records, null, 2)}</pre>
                    </details>
                  </td>
                  <td>
                    <button type="button" className="button small" onClick={() => void redrive(batch.id)}>
                      Re-drive
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function InvocationEntry({ invocation: inv }: { invocation: TriggerInvocation }) {
  const badge = inv.outcome === 'success' ? 'ok' : inv.outcome === 'partial' ? 'busy' : 'remove';
  const summary = `${new Date(inv.startedAt).toLocaleTimeString()} · ${inv.batchSize} record${inv.batchSize === 1 ? '' : 's'} · ${inv.durationMs.toFixed(1)} ms${inv.initDurationMs !== undefined ? ` (init ${inv.initDurationMs.toFixed(0)} ms)` : ''} · ${inv.outcome}${inv.retries ? ` · retry ${inv.retries}` : ''}${inv.redrive ? ' · re-drive' : ''}`;
  return (
    <li className="invocation" aria-label={`Invocation ${summary}`}>
      <details>
        <summary>
          <span className={`badge ${badge}`}>{inv.outcome}</span> {summary}
          {inv.error ? (
            <code className="invocation-error">
              {' '}
              {inv.error.errorType}: {inv.error.errorMessage}
            </code>
          ) : null}
        </summary>
        <div className="invocation-body">
          <h3>Logs</h3>
          <pre className="code-block" aria-label="Logs">{inv.logs.length ? inv.logs.join('\n') : '(no output)'}</pre>
          <h3>Event</h3>
          <pre className="code-block" aria-label="Event">{JSON.stringify(inv.event, null, 2)}</pre>
        </div>
      </details>
    </li>
  );
}
