import { useCallback, useEffect, useMemo, useState } from 'react';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { CapacityCost } from '../../shared/CapacityCost.tsx';
import { addUnits, NO_UNITS, unitsOf, type CapacityUnits, type ConsumedCapacity } from '../../shared/capacityCost.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import { useTableDescription } from '../../shared/useTableDescription.ts';
import { ItemGrid, type GridColumnsState } from '../items/ItemGrid.tsx';
import { schemaFor } from '../items/readRequest.ts';
import { SavedMenu } from '../saved/SavedMenu.tsx';
import { AddToTransaction } from '../transactions/AddToTransaction.tsx';
import { allKeyAttributes, attributeType, indexKeyRoles, keyNamesOf, rowIdOf } from '../items/tableSchema.ts';
import { CodePanel } from './CodePanel.tsx';
import { codeTargetOf, generate, type CodeLanguage } from './codegen.ts';
import { ConditionRows } from './ConditionRows.tsx';
import { usePendingQuery } from './pendingQuery.ts';
import { formFromRequest, UnsupportedRequest } from './queryFromRequest.ts';
import {
  EMPTY_QUERY_FORM,
  emptyFilter,
  KEY_OPERATORS,
  QueryFormError,
  toInput,
  toSpec,
  type QueryForm,
  type QuerySpec,
} from './queryModel.ts';

const EMPTY_COLUMNS: GridColumnsState = { visibility: {}, order: [], sizing: {} };
const countFormat = new Intl.NumberFormat();

interface Results {
  items: Item[];
  attributes: string[];
  lastEvaluatedKey?: Item;
  scannedCount: number;
  /** Capacity every page so far consumed. */
  consumed: CapacityUnits;
  spec: QuerySpec;
}

/**
 * Builds a Query or Scan from a form, runs it, and shows the same request as SDK, boto3 and CLI
 * code. A request reopened from the history arrives through the page's pending query.
 */
export function QueryView({ table, pageKey, pageSize }: { table: TableRef; pageKey: string; pageSize: number }) {
  const { description, error: describeError } = useTableDescription(table);
  const [form, setForm] = useState<QueryForm>(EMPTY_QUERY_FORM);
  const [language, setLanguage] = useState<CodeLanguage>('javascript');
  const [paging, setPaging] = useState(false);
  const [results, setResults] = useState<Results | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [columns, setColumns] = useState<GridColumnsState>(EMPTY_COLUMNS);
  const [reopenProblem, setReopenProblem] = useState<string | null>(null);
  const set = (patch: Partial<QueryForm>) => setForm((f) => ({ ...f, ...patch }));

  const [pending, takePending] = usePendingQuery(pageKey);
  useEffect(() => {
    if (!pending || !description) return;
    takePending();
    try {
      setForm(formFromRequest(pending.operation, pending.input, (indexName) => keyNamesOf(schemaFor(description, indexName))));
      setResults(null);
      setReopenProblem(null);
    } catch (err) {
      if (!(err instanceof UnsupportedRequest)) throw err;
      setReopenProblem(`This ${pending.operation} cannot be shown in the builder: ${err.message}. The history keeps the request as it was sent, with a CLI line to run it.`);
    }
  }, [pending, description, takePending]);

  const built = useMemo((): { spec: QuerySpec } | { problem: string } | null => {
    if (!description) return null;
    try {
      return { spec: toSpec(description, form) };
    } catch (err) {
      if (err instanceof QueryFormError) return { problem: err.message };
      throw err;
    }
  }, [description, form]);

  const target = useMemo(() => codeTargetOf(table.connection, table.namespace), [table]);

  const code = built && 'spec' in built ? generate(language, built.spec, target, { paging }) : null;

  const run = useCallback(
    async (spec: QuerySpec, startKey?: Item, previous?: Results) => {
      setRunning(true);
      setRunError(null);
      try {
        const input = toInput(spec);
        // Without a Limit of its own, a page of results is the app's page size.
        const output = await dynamo<{ Items?: Item[]; LastEvaluatedKey?: Item; ScannedCount?: number; ConsumedCapacity?: ConsumedCapacity }>(
          table.connection.id,
          spec.operation,
          { ...input, ReturnConsumedCapacity: 'TOTAL', ...(spec.limit === undefined ? { Limit: pageSize } : {}), ...(startKey ? { ExclusiveStartKey: startKey } : {}) },
          table.namespace,
        );
        const page = output.Items ?? [];
        const items = previous ? previous.items.concat(page) : page;
        const seen = new Set(previous?.attributes ?? []);
        const attributes = [...(previous?.attributes ?? [])];
        for (const item of page) {
          for (const name in item) {
            if (seen.has(name)) continue;
            seen.add(name);
            attributes.push(name);
          }
        }
        setResults({
          items,
          attributes,
          ...(output.LastEvaluatedKey ? { lastEvaluatedKey: output.LastEvaluatedKey } : {}),
          scannedCount: (previous?.scannedCount ?? 0) + (output.ScannedCount ?? page.length),
          consumed: addUnits(previous?.consumed ?? NO_UNITS, unitsOf(output.ConsumedCapacity, 'read')),
          spec,
        });
        if (!previous) setSelection(new Set());
      } catch (err) {
        setRunError(err);
      } finally {
        setRunning(false);
      }
    },
    [table, pageSize],
  );

  if (describeError) return <ErrorNotice error={describeError} />;
  if (!description) {
    return (
      <div className="empty-state">
        <Spinner label="Loading table" />
      </div>
    );
  }

  const keys = keyNamesOf(schemaFor(description, form.indexName));
  const indexes = [...(description.GlobalSecondaryIndexes ?? []), ...(description.LocalSecondaryIndexes ?? [])];
  const isQuery = form.operation === 'Query';
  const keyAttributes = allKeyAttributes(description);

  return (
    <div className="query-view">
      {reopenProblem ? (
        <div className="info-notice" role="alert">
          <span>{reopenProblem}</span>
          <button type="button" className="link-button" onClick={() => setReopenProblem(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <form
        className="query-form"
        aria-label="Query builder"
        onSubmit={(event) => {
          event.preventDefault();
          if (built && 'spec' in built) void run(built.spec);
        }}
      >
        <div className="query-row">
          <div className="segmented" role="radiogroup" aria-label="Operation">
            {(['Query', 'Scan'] as const).map((op) => (
              <button key={op} type="button" role="radio" aria-checked={form.operation === op} className={form.operation === op ? 'on' : ''} onClick={() => set({ operation: op })}>
                {op}
              </button>
            ))}
          </div>
          <select aria-label="Table or index" value={form.indexName} onChange={(e) => set({ indexName: e.target.value, sortOperator: '' })}>
            <option value="">Table: {description.TableName}</option>
            {indexes.map((i) => (
              <option key={i.IndexName} value={i.IndexName}>
                Index: {i.IndexName}
              </option>
            ))}
          </select>
          {isQuery ? (
            <>
              <label className="inline-field">
                <span>
                  <Icon name="key" size={12} /> {keys.partition} <small className="type-tag">{attributeType(description, keys.partition)}</small> =
                </span>
                <input aria-label="Partition key value" value={form.partitionValue} onChange={(e) => set({ partitionValue: e.target.value })} placeholder="value" />
              </label>
              {keys.sort ? (
                <label className="inline-field">
                  <span>
                    {keys.sort} <small className="type-tag">{attributeType(description, keys.sort)}</small>
                  </span>
                  <select aria-label="Sort key condition" value={form.sortOperator} onChange={(e) => set({ sortOperator: e.target.value as QueryForm['sortOperator'] })}>
                    <option value="">any</option>
                    {KEY_OPERATORS.map((op) => (
                      <option key={op} value={op}>
                        {op}
                      </option>
                    ))}
                  </select>
                  {form.sortOperator ? <input aria-label="Sort key value" value={form.sortValue} onChange={(e) => set({ sortValue: e.target.value })} size={12} /> : null}
                  {form.sortOperator === 'BETWEEN' ? (
                    <>
                      <span>and</span>
                      <input aria-label="Sort key upper bound" value={form.sortValue2} onChange={(e) => set({ sortValue2: e.target.value })} size={12} />
                    </>
                  ) : null}
                </label>
              ) : null}
            </>
          ) : null}
        </div>

        <ConditionRows rows={form.filters} onChange={(filters) => set({ filters })} noun="Filter" join={form.filterJoin ?? 'AND'} onJoinChange={(filterJoin) => set({ filterJoin })} />

        <div className="query-row">
          <button type="button" className="button subtle" onClick={() => set({ filters: [...form.filters, emptyFilter()] })}>
            <Icon name="plus" size={13} /> Add filter
          </button>
          <label className="inline-field">
            <span>Projection</span>
            <input aria-label="Projection" placeholder="all attributes" value={form.projection} onChange={(e) => set({ projection: e.target.value })} size={22} />
          </label>
          {isQuery ? (
            <label className="inline-field">
              <span>Order</span>
              <select aria-label="Sort order" value={form.scanIndexForward ? 'asc' : 'desc'} onChange={(e) => set({ scanIndexForward: e.target.value === 'asc' })}>
                <option value="asc">Ascending</option>
                <option value="desc">Descending</option>
              </select>
            </label>
          ) : null}
          <label className="inline-field">
            <span>Limit</span>
            <input aria-label="Limit" inputMode="numeric" placeholder="none" value={form.limit} onChange={(e) => set({ limit: e.target.value })} size={6} />
          </label>
          <span className="toolbar-spacer" />
          {built && 'problem' in built ? <span className="form-problem">{built.problem}</span> : null}
          <SavedMenu kind="query" connection={table.connection} namespace={table.namespace} tableName={table.tableName} current={() => ({ ...form })} onOpen={(body) => setForm({ ...EMPTY_QUERY_FORM, ...(body as Partial<QueryForm>) })} />
          <button type="submit" className="button primary" disabled={!built || 'problem' in built || running}>
            <Icon name="play" size={13} /> Run {form.operation}
          </button>
        </div>
      </form>

      <div className="query-split">
        <div className="query-results">
          <ErrorNotice error={runError} onDismiss={() => setRunError(null)} />
          {results ? (
            <>
              <ItemGrid
                label="Query results"
                items={results.items}
                attributes={results.attributes}
                keyAttributes={keyAttributes.filter((k) => results.attributes.includes(k))}
                tableKeyAttributes={description.KeySchema.map((k) => k.AttributeName)}
                indexKeys={indexKeyRoles(description)}
                getRowId={(item) => rowIdOf(item, description)}
                selection={selection}
                onSelectionChange={setSelection}
                onOpen={() => undefined}
                onNearEnd={() => undefined}
                columns={columns}
                onColumnsChange={setColumns}
                footer={
                  results.lastEvaluatedKey ? (
                    <div className="grid-more">
                      More results available.{' '}
                      <button type="button" className="link-button" disabled={running} onClick={() => void run(results.spec, results.lastEvaluatedKey, results)}>
                        Next page
                      </button>
                    </div>
                  ) : results.items.length ? (
                    <div className="grid-more done">End of results.</div>
                  ) : null
                }
              />
              <footer className="status-bar" aria-label="Query status">
                <span>
                  <strong>{countFormat.format(results.items.length)}</strong> returned
                </span>
                <span>{countFormat.format(results.scannedCount)} read by {results.spec.operation}</span>
                <CapacityCost units={results.consumed} />
                {results.items.length === 0 ? <span className="status-more">No matching items</span> : null}
                <span className="toolbar-spacer" />
                <AddToTransaction table={table} description={description} items={results.items.filter((item) => selection.has(rowIdOf(item, description)))} />
                {running ? <Spinner label="Running" /> : null}
              </footer>
            </>
          ) : (
            <div className="empty-state muted">{running ? <Spinner label="Running" /> : <p>Build a {form.operation} above and run it; the results appear here.</p>}</div>
          )}
        </div>

        <CodePanel
          language={language}
          onLanguage={setLanguage}
          code={code}
          placeholder={built && 'problem' in built ? built.problem : ''}
          options={
            language !== 'cli' ? (
              <label className="inline-field" title="Read every page, following LastEvaluatedKey (the AWS CLI does this by itself)">
                <input type="checkbox" checked={paging} onChange={(e) => setPaging(e.target.checked)} /> All pages
              </label>
            ) : null
          }
          note={
            <>
              Every attribute name goes through an #alias, so reserved words such as <code>status</code> or <code>name</code> need no care.
            </>
          }
        />
      </div>
    </div>
  );
}
