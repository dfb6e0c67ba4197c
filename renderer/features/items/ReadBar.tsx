import { useState } from 'react';
import { Icon } from '../../shared/icons.tsx';
import { ConditionRows } from '../query/ConditionRows.tsx';
import { emptyFilter, filterConditions, QueryFormError } from '../query/queryModel.ts';
import { schemaFor, type ReadForm, type SortOperator } from './readRequest.ts';
import { keyNamesOf, type TableDescription } from './tableSchema.ts';

/** Scan or Query controls: index, key condition, and the query builder's filter rows. */
export function ReadBar({ table, initial, onRun }: { table: TableDescription; initial: ReadForm; onRun(form: ReadForm): void }) {
  const [form, setForm] = useState<ReadForm>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<ReadForm>) => {
    setProblem(null);
    setForm((f) => ({ ...f, ...patch }));
  };
  const keys = keyNamesOf(schemaFor(table, form.indexName));
  const indexes = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])];
  const isQuery = form.mode === 'query';

  return (
    <form
      className="read-bar"
      aria-label="Read items"
      onSubmit={(e) => {
        e.preventDefault();
        try {
          filterConditions(form.filters);
        } catch (err) {
          if (!(err instanceof QueryFormError)) throw err;
          return setProblem(err.message);
        }
        onRun(form);
      }}
    >
      <div className="query-row">
        <div className="segmented" role="radiogroup" aria-label="Read mode">
          {(['scan', 'query'] as const).map((mode) => (
            <button key={mode} type="button" role="radio" aria-checked={form.mode === mode} className={form.mode === mode ? 'on' : ''} onClick={() => set({ mode })}>
              {mode === 'scan' ? 'Scan' : 'Query'}
            </button>
          ))}
        </div>
        <select aria-label="Table or index" value={form.indexName} onChange={(e) => set({ indexName: e.target.value })}>
          <option value="">Table: {table.TableName}</option>
          {indexes.map((i) => (
            <option key={i.IndexName} value={i.IndexName}>
              Index: {i.IndexName}
            </option>
          ))}
        </select>
        {isQuery ? (
          <>
            <label className="inline-field">
              <span>{keys.partition} =</span>
              <input aria-label={`Partition key ${keys.partition}`} required value={form.partitionValue} onChange={(e) => set({ partitionValue: e.target.value })} />
            </label>
            {keys.sort ? (
              <label className="inline-field">
                <span>{keys.sort}</span>
                <select aria-label="Sort key condition" value={form.sortOperator} onChange={(e) => set({ sortOperator: e.target.value as SortOperator })}>
                  {(['=', '<', '<=', '>', '>=', 'between', 'begins_with'] as const).map((op) => (
                    <option key={op} value={op}>
                      {op === 'begins_with' ? 'begins with' : op}
                    </option>
                  ))}
                </select>
                <input aria-label={`Sort key ${keys.sort}`} value={form.sortValue} onChange={(e) => set({ sortValue: e.target.value })} placeholder="any" />
                {form.sortOperator === 'between' ? (
                  <input aria-label={`Sort key ${keys.sort} upper bound`} value={form.sortValue2} onChange={(e) => set({ sortValue2: e.target.value })} />
                ) : null}
              </label>
            ) : null}
          </>
        ) : null}
        <button type="button" className="button subtle" onClick={() => set({ filters: [...form.filters, emptyFilter()] })}>
          <Icon name="plus" size={13} /> Add filter
        </button>
        <span className="toolbar-spacer" />
        {problem ? (
          <span className="form-problem" role="alert">
            {problem}
          </span>
        ) : null}
        <button type="submit" className="button primary">
          <Icon name="play" size={13} /> Run
        </button>
      </div>
      <ConditionRows rows={form.filters} onChange={(filters) => set({ filters })} noun="Filter" join={form.filterJoin} onJoinChange={(filterJoin) => set({ filterJoin })} />
    </form>
  );
}
