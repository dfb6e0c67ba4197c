import { useState } from 'react';
import type { AccessPattern, AccessPatternResult, AccessPatternRun, FilterOperator, ModelTable, SortKeyOperator } from '../../../electron/contract.ts';
import { Icon } from '../../shared/icons.tsx';
import { analyzeAccessPattern } from '../../shared/modeler/analysis.ts';
import { keyShape } from '../../shared/modeler/requests.ts';

const OPERATIONS: AccessPattern['operation'][] = ['GetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'];
const WRITES = new Set<AccessPattern['operation']>(['PutItem', 'UpdateItem', 'DeleteItem']);
const SORT_OPERATORS: SortKeyOperator[] = ['begins_with', '=', '<', '<=', '>', '>=', 'between'];
const FILTER_OPERATORS: FilterOperator[] = ['=', '<>', '<', '<=', '>', '>=', 'begins_with', 'contains', 'attribute_exists', 'attribute_not_exists'];
/** A filter that throws away more than this share of what it read is flagged. */
const DISCARD_FLAG = 0.5;

const units = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * Every access pattern with the index it uses, its key condition and its measured cost from the
 * latest run (and what changed since the run before); a Scan is flagged with why and the index
 * that would serve it, which one click adds to the model.
 */
export function AccessPatternBoard({ table, runs, onChange }: { table: ModelTable; runs: AccessPatternRun[]; onChange(table: ModelTable): void }) {
  const [latest, previous] = runs;
  const [editing, setEditing] = useState<number | null>(null);
  /** Replaces a pattern; a new name follows into the transactions that run it. */
  const replace = (index: number, next: AccessPattern) => {
    const old = table.accessPatterns[index]!.name;
    const renamed = (p: AccessPattern) => (p.transactItems?.includes(old) ? { ...p, transactItems: p.transactItems.map((n) => (n === old ? next.name : n)) } : p);
    onChange({ ...table, accessPatterns: table.accessPatterns.map((p, i) => (i === index ? next : renamed(p))) });
    setEditing(null);
  };
  const resultOf = (run: AccessPatternRun | undefined, name: string) => run?.results.find((r) => r.pattern === name);
  return (
    <div className="modeler-scroll">
      {latest ? (
        <p className="view-note board-note">
          Measured {new Date(latest.ranAt).toLocaleString()} {previous ? '· changes are against the run before' : ''}
        </p>
      ) : (
        <p className="view-note board-note">Run the access patterns to measure them against the committed tables.</p>
      )}
      <table className="data-table board" aria-label="Access patterns">
        <thead>
          <tr>
            <th>Access pattern</th>
            <th>Operation</th>
            <th>Uses</th>
            <th>Key condition</th>
            <th>Returned / read</th>
            <th>Capacity</th>
            <th>Latency</th>
            <th>Flags</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {table.accessPatterns.map((pattern, index) => {
            const analysis = analyzeAccessPattern(table, pattern);
            const result = resultOf(latest, pattern.name);
            const before = resultOf(previous, pattern.name);
            const entityIndex = table.entities.findIndex((e) => e.name === pattern.entity);
            return (
              <tr key={index} aria-label={pattern.name} className={analysis.scan ? 'flagged' : ''}>
                <td>
                  <span className={`entity-dot entity-${Math.max(0, entityIndex) % 8}`} />
                  <strong>{pattern.name}</strong>
                  {pattern.entity ? <div className="view-note">{pattern.entity}</div> : null}
                </td>
                <td className="mono">{pattern.operation}</td>
                <td className="mono" aria-label="Uses">
                  {analysis.target}
                </td>
                <td className="mono key-condition" aria-label="Key condition">
                  {analysis.keyCondition ?? '—'}
                  {pattern.filter?.length ? <div className="view-note">filter: {pattern.filter.map((f) => `${f.attribute} ${f.operator} ${f.value ?? ''}`).join(' AND ')}</div> : null}
                </td>
                <Measured result={result} before={before} />
                <td aria-label="Flags">
                  <Flags table={table} pattern={pattern} result={result} onChange={onChange} />
                </td>
                <td className="row-actions">
                  <button type="button" className="icon-button" aria-label={`Edit access pattern ${pattern.name}`} aria-pressed={editing === index} onClick={() => setEditing(editing === index ? null : index)}>
                    <Icon name="edit" size={13} />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove access pattern ${pattern.name}`}
                    onClick={() => {
                      setEditing(null);
                      onChange({ ...table, accessPatterns: table.accessPatterns.filter((_, i) => i !== index) });
                    }}
                  >
                    <Icon name="trash" size={13} />
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing !== null && table.accessPatterns[editing] ? (
        <PatternForm key={`edit-${editing}`} table={table} editing={table.accessPatterns[editing]} onSubmit={(pattern) => replace(editing, pattern)} onCancel={() => setEditing(null)} />
      ) : (
        <PatternForm key="new" table={table} onSubmit={(pattern) => onChange({ ...table, accessPatterns: [...table.accessPatterns, pattern] })} />
      )}
    </div>
  );
}

function Measured({ result, before }: { result: AccessPatternResult | undefined; before: AccessPatternResult | undefined }) {
  if (!result) {
    return (
      <>
        <td className="view-note">not run</td>
        <td />
        <td />
      </>
    );
  }
  if (result.error) {
    return (
      <td colSpan={3} className="run-error" aria-label="Run error">
        <strong>{result.error.code}</strong> {result.error.message}
      </td>
    );
  }
  const capacity = (r: AccessPatternResult) => [r.readUnits ? `${units(r.readUnits)} RCU` : '', r.writeUnits ? `${units(r.writeUnits)} WCU` : ''].filter(Boolean).join(' · ') || '0';
  const changed = before && !before.error && capacity(before) !== capacity(result);
  const write = !['GetItem', 'Query', 'Scan'].includes(result.operation);
  return (
    <>
      <td aria-label="Returned and read" className="numeric">
        {write ? '—' : `${result.itemsReturned} / ${result.itemsRead}${result.morePages ? '+' : ''}`}
      </td>
      <td aria-label="Capacity" className="numeric">
        {capacity(result)}
        {changed ? <div className="view-note">was {capacity(before)}</div> : null}
      </td>
      <td aria-label="Latency" className="numeric">
        {result.latencyMs.toFixed(1)} ms
      </td>
    </>
  );
}

function Flags({ table, pattern, result, onChange }: { table: ModelTable; pattern: AccessPattern; result: AccessPatternResult | undefined; onChange(table: ModelTable): void }) {
  const scan = analyzeAccessPattern(table, pattern).scan;
  const discarded = result && !result.error && result.itemsRead > 0 ? 1 - result.itemsReturned / result.itemsRead : 0;
  if (!scan && discarded <= DISCARD_FLAG) return <span className="badge ok">Key</span>;
  const suggested = scan?.newIndex;
  return (
    <div className="flag" role="note" aria-label={`Why ${pattern.name} is flagged`}>
      {scan ? <span className="badge remove">Scan</span> : <span className="badge busy">Filter</span>}
      <span>{scan ? scan.reason : `The filter discarded ${Math.round(discarded * 100)}% of the items read`}</span>
      {scan && discarded > 0 ? <span>The last run returned {Math.round((1 - discarded) * 100)}% of the items it read.</span> : null}
      {scan?.existingIndex ? <span>Query {scan.existingIndex} with {scan.keyCondition}.</span> : null}
      {suggested ? (
        <span className="suggestion">
          Suggested index: <strong className="mono">{suggested.name}</strong> ({suggested.partitionKey.name}
          {suggested.sortKey ? `, ${suggested.sortKey.name}` : ''}), then Query {scan.keyCondition}.
          {table.globalSecondaryIndexes.some((i) => i.name === suggested.name) ? null : (
            <button type="button" className="button small" onClick={() => onChange({ ...table, globalSecondaryIndexes: [...table.globalSecondaryIndexes, suggested] })}>
              Add {suggested.name}
            </button>
          )}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A new access pattern, or (with `editing`) a change to one. The key condition starts from the
 * entity's key templates for the index chosen. The form edits the first filter condition; others a
 * pattern has (from a file) are kept as they are.
 */
function PatternForm({ table, editing, onSubmit, onCancel }: { table: ModelTable; editing?: AccessPattern; onSubmit(pattern: AccessPattern): void; onCancel?(): void }) {
  const [name, setName] = useState(editing?.name ?? '');
  const [operation, setOperation] = useState<AccessPattern['operation']>(editing?.operation ?? 'Query');
  const [entity, setEntity] = useState(editing ? (editing.entity ?? '') : (table.entities[0]?.name ?? ''));
  const [index, setIndex] = useState(editing?.index ?? '');
  const [partition, setPartition] = useState<string | null>(editing?.keyCondition?.partition ?? null);
  const [sortOperator, setSortOperator] = useState<SortKeyOperator | ''>(editing?.keyCondition?.sort?.operator ?? '');
  const [sortValue, setSortValue] = useState(editing?.keyCondition?.sort?.value ?? '');
  const [sortTo, setSortTo] = useState(editing?.keyCondition?.sort?.to ?? '');
  const [filterAttribute, setFilterAttribute] = useState(editing?.filter?.[0]?.attribute ?? '');
  const [filterOperator, setFilterOperator] = useState<FilterOperator>(editing?.filter?.[0]?.operator ?? '=');
  const [filterValue, setFilterValue] = useState(editing?.filter?.[0]?.value ?? '');
  const [descending, setDescending] = useState(editing?.scanIndexForward === false);
  const [limit, setLimit] = useState(editing?.limit === undefined ? '' : String(editing.limit));
  const [updates, setUpdates] = useState(editing?.updateAttributes?.join(', ') ?? '');
  const [steps, setSteps] = useState<string[]>(editing?.transactItems ?? []);

  const shape = keyShape(table, index || undefined);
  const templates = table.entities.find((e) => e.name === entity)?.keyTemplates ?? {};
  const partitionText = partition ?? (shape ? (templates[shape.partitionKey.name] ?? '') : '');
  const isRead = operation === 'Query' || operation === 'Scan';
  const problem = !name.trim() ? 'Name the access pattern' : table.accessPatterns.some((p) => p !== editing && p.name === name.trim()) ? 'Another access pattern has that name' : operation === 'Query' && !partitionText ? 'A Query needs the partition key value' : operation === 'TransactWriteItems' && steps.length === 0 ? 'Pick the writes the transaction runs' : '';

  const submit = () => {
    // What the form does not show (a description, example parameters) stays as it was.
    const pattern: AccessPattern = {
      ...(editing?.description ? { description: editing.description } : {}),
      name: name.trim(),
      operation,
      ...(entity ? { entity } : {}),
      ...(editing?.exampleParameters ? { exampleParameters: editing.exampleParameters } : {}),
    };
    if (isRead && index) pattern.index = index;
    if (operation === 'Query') {
      pattern.keyCondition = { partition: partitionText, ...(sortOperator ? { sort: { operator: sortOperator, value: sortValue, ...(sortOperator === 'between' ? { to: sortTo } : {}) } } : {}) };
      if (descending) pattern.scanIndexForward = false;
    }
    const otherFilters = editing?.filter?.slice(1) ?? [];
    if (isRead && (filterAttribute || otherFilters.length)) {
      pattern.filter = [...(filterAttribute ? [{ attribute: filterAttribute, operator: filterOperator, ...(filterOperator.startsWith('attribute_') ? {} : { value: filterValue }) }] : []), ...otherFilters];
    }
    if (isRead && Number.parseInt(limit, 10) > 0) pattern.limit = Number.parseInt(limit, 10);
    if (operation === 'UpdateItem') pattern.updateAttributes = updates.split(',').map((u) => u.trim()).filter(Boolean);
    if (operation === 'TransactWriteItems') pattern.transactItems = steps;
    onSubmit(pattern);
    setSteps([]);
    setName('');
    setPartition(null);
    setSortOperator('');
    setSortValue('');
    setSortTo('');
    setFilterAttribute('');
    setFilterValue('');
  };

  return (
    <form
      className="view-section new-pattern"
      aria-label={editing ? `Edit access pattern ${editing.name}` : 'New access pattern'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) submit();
      }}
    >
      <div className="query-row">
        <input aria-label="Access pattern name" placeholder="e.g. Orders of a user by date" value={name} size={28} onChange={(e) => setName(e.target.value)} />
        <select aria-label="Operation" value={operation} onChange={(e) => setOperation(e.target.value as AccessPattern['operation'])}>
          {OPERATIONS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
        <select aria-label="Entity" value={entity} onChange={(e) => setEntity(e.target.value)}>
          <option value="">(any entity)</option>
          {table.entities.map((e) => (
            <option key={e.name}>{e.name}</option>
          ))}
        </select>
        {isRead ? (
          <select aria-label="Index" value={index} onChange={(e) => setIndex(e.target.value)}>
            <option value="">Table {table.name}</option>
            {[...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].map((i) => (
              <option key={i.name} value={i.name}>
                Index {i.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      {operation === 'Query' && shape ? (
        <div className="query-row">
          <span className="row-label mono">{shape.partitionKey.name} =</span>
          <input aria-label="Partition key value" className="mono" value={partitionText} size={24} onChange={(e) => setPartition(e.target.value)} />
          {shape.sortKey ? (
            <>
              <span className="mono">{shape.sortKey.name}</span>
              <select aria-label="Sort key condition" value={sortOperator} onChange={(e) => setSortOperator(e.target.value as SortKeyOperator | '')}>
                <option value="">(any)</option>
                {SORT_OPERATORS.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
              {sortOperator ? <input aria-label="Sort key value" className="mono" value={sortValue} size={20} onChange={(e) => setSortValue(e.target.value)} /> : null}
              {sortOperator === 'between' ? <input aria-label="Sort key upper value" className="mono" value={sortTo} size={20} onChange={(e) => setSortTo(e.target.value)} /> : null}
            </>
          ) : null}
          <label className="checkbox">
            <input type="checkbox" checked={descending} onChange={(e) => setDescending(e.target.checked)} /> Descending
          </label>
        </div>
      ) : null}
      {isRead ? (
        <div className="query-row">
          <span className="row-label">Filter</span>
          <input aria-label="Filter attribute" placeholder="attribute" value={filterAttribute} size={14} onChange={(e) => setFilterAttribute(e.target.value)} />
          <select aria-label="Filter operator" value={filterOperator} onChange={(e) => setFilterOperator(e.target.value as FilterOperator)}>
            {FILTER_OPERATORS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
          {filterOperator.startsWith('attribute_') ? null : <input aria-label="Filter value" className="mono" placeholder="{parameter} or text" value={filterValue} size={16} onChange={(e) => setFilterValue(e.target.value)} />}
          <label className="inline-field">
            <span>Limit</span>
            <input aria-label="Limit" type="number" min={1} value={limit} style={{ width: 70 }} onChange={(e) => setLimit(e.target.value)} />
          </label>
        </div>
      ) : null}
      {operation === 'TransactWriteItems' ? (
        <div className="query-row" role="group" aria-label="Writes in the transaction">
          <span className="row-label">All or none</span>
          {table.accessPatterns.filter((p) => WRITES.has(p.operation)).map((p) => (
            <label key={p.name} className="checkbox">
              <input type="checkbox" checked={steps.includes(p.name)} onChange={(e) => setSteps(e.target.checked ? [...steps, p.name] : steps.filter((s) => s !== p.name))} /> {p.name}
            </label>
          ))}
          {table.accessPatterns.some((p) => WRITES.has(p.operation)) ? null : <span className="view-note">Add Put, Update or Delete patterns first.</span>}
        </div>
      ) : null}
      {operation === 'UpdateItem' ? (
        <div className="query-row">
          <span className="row-label">Sets</span>
          <input aria-label="Attributes to update" placeholder="status, updatedAt" value={updates} size={30} onChange={(e) => setUpdates(e.target.value)} />
        </div>
      ) : null}
      <div className="query-row">
        <button type="submit" className="button" disabled={Boolean(problem)}>
          {editing ? (
            'Save access pattern'
          ) : (
            <>
              <Icon name="plus" size={13} /> Add access pattern
            </>
          )}
        </button>
        {onCancel ? (
          <button type="button" className="button subtle" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {problem && name ? <span className="form-problem">{problem}</span> : null}
        <span className="view-note">Values in braces, like {'{userId}'}, are the pattern's parameters.</span>
      </div>
    </form>
  );
}
