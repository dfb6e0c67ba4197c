import { useMemo, useState } from 'react';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Field, Spinner } from '../../shared/ui.tsx';
import { useTableDescription } from '../../shared/useTableDescription.ts';
import { useVectorSearchStatus, vectorSearchLabel } from '../indexes/vectorSearchStatus.ts';
import type { IndexedTable } from '../indexes/IndexesView.tsx';
import { attributeType, keyNamesOf, rowIdOf, typedValue } from '../items/tableSchema.ts';
import { CodePanel } from '../query/CodePanel.tsx';
import { codeTargetOf, type CodeLanguage } from '../query/codegen.ts';
import { VectorMap } from './VectorMap.tsx';
import { emptySimilarForm, generateSearch, parseVector, toSearchInput, toSearchSpec, vectorOf, type SearchSpec, type SimilarForm } from './similarModel.ts';

interface SearchResult {
  Item: Item;
  Score: number;
}

const scoreFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

/** A short, readable rendering of an attribute value for the results table. */
function show(value: Item[string] | undefined): string {
  if (!value) return '';
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('BOOL' in value) return String(value.BOOL);
  const text = JSON.stringify(value);
  return text.length > 80 ? text.slice(0, 79) + '…' : text;
}

/**
 * "Similar items": the nearest neighbours of a stored item's vector (or of a pasted one) in one of
 * the table's vector indexes, with their scores, an optional search condition, and the same
 * SearchVectors request as SDK, boto3 and CLI code.
 */
export function SimilarView({ table }: { table: TableRef }) {
  const { description, error: describeError } = useTableDescription<IndexedTable>(table);
  const [form, setForm] = useState<SimilarForm>(emptySimilarForm);
  const [language, setLanguage] = useState<CodeLanguage>('javascript');
  const [results, setResults] = useState<{ items: SearchResult[]; spec: SearchSpec; bytes?: number } | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const set = (patch: Partial<SimilarForm>) => setForm((f) => ({ ...f, ...patch }));
  const target = useMemo(() => codeTargetOf(table.connection, table.namespace), [table]);
  // Read again after every search: a large index may have been clustered meanwhile.
  const searchStatus = useVectorSearchStatus(table, results, (description?.VectorIndexes?.length ?? 0) > 0);

  if (describeError) return <ErrorNotice error={describeError} />;
  if (!description) {
    return (
      <div className="empty-state">
        <Spinner label="Loading table" />
      </div>
    );
  }
  const indexes = description.VectorIndexes ?? [];
  if (indexes.length === 0) {
    return (
      <div className="empty-state muted">
        <p>This table has no vector index. Create one in the Indexes tab to search for similar items.</p>
      </div>
    );
  }
  const index = indexes.find((i) => i.IndexName === form.indexName) ?? indexes[0];
  const keys = keyNamesOf(description.KeySchema);
  const keyNames = [keys.partition, keys.sort].filter((k): k is string => Boolean(k));
  const pasted = form.source === 'vector' ? parseVector(form.vectorText) : undefined;
  // The code sample needs a vector: the pasted one, or the chosen item's once a search has read it.
  const codeSpec = typeof pasted === 'object' ? toSearchSpec(description.TableName, { ...form, indexName: index.IndexName }, pasted) : results?.spec;
  const code = codeSpec ? generateSearch(language, codeSpec, target) : null;

  const search = async (event: React.FormEvent) => {
    event.preventDefault();
    setRunning(true);
    setRunError(null);
    try {
      let vector: number[];
      if (form.source === 'vector') {
        if (typeof pasted === 'string' || !pasted) throw new Error(pasted ?? 'Paste a vector');
        vector = pasted;
      } else {
        const Key = Object.fromEntries(keyNames.map((name) => [name, typedValue(attributeType(description, name), form.key[name] ?? '')]));
        const { Item } = await dynamo<{ Item?: Item }>(table.connection.id, 'GetItem', { TableName: description.TableName, Key }, table.namespace);
        if (!Item) throw new Error('No item has that key.');
        const found = vectorOf(Item, index.VectorAttribute.AttributeName);
        if (!found) throw new Error(`That item has no vector in ${index.VectorAttribute.AttributeName} (a list of numbers).`);
        vector = found;
      }
      const spec = toSearchSpec(description.TableName, { ...form, indexName: index.IndexName }, vector);
      const output = await dynamo<{ SearchResults?: SearchResult[]; ConsumedCapacity?: { VectorSearchRequestBytes?: number } }>(
        table.connection.id,
        'SearchVectors',
        toSearchInput(spec),
        table.namespace,
      );
      setResults({ items: output.SearchResults ?? [], spec, ...(output.ConsumedCapacity?.VectorSearchRequestBytes !== undefined ? { bytes: output.ConsumedCapacity.VectorSearchRequestBytes } : {}) });
    } catch (err) {
      setRunError(err);
    } finally {
      setRunning(false);
    }
  };

  const attributes = results ? [...new Set(results.items.flatMap((r) => Object.keys(r.Item)))].sort((a, b) => Number(keyNames.includes(b)) - Number(keyNames.includes(a))) : [];
  const ascending = index.DistanceFunction !== 'DOT_PRODUCT';

  return (
    <div className="query-view similar-view">
      <form className="query-form inline-form" aria-label="Similar items search" onSubmit={(e) => void search(e)}>
        <Field label="Vector index">
          <select value={index.IndexName} onChange={(e) => set({ indexName: e.target.value })}>
            {indexes.map((i) => (
              <option key={i.IndexName} value={i.IndexName}>
                {i.IndexName} ({i.DistanceFunction.toLowerCase()}, {i.Dimensions} dims)
              </option>
            ))}
          </select>
        </Field>
        <Field label="Search with">
          <div className="segmented" role="radiogroup" aria-label="Search with">
            {(['item', 'vector'] as const).map((source) => (
              <button key={source} type="button" role="radio" aria-checked={form.source === source} className={form.source === source ? 'on' : ''} onClick={() => set({ source })}>
                {source === 'item' ? 'An item' : 'A vector'}
              </button>
            ))}
          </div>
        </Field>
        {form.source === 'item' ? (
          keyNames.map((name) => (
            <Field key={name} label={`Item ${name}`}>
              <input value={form.key[name] ?? ''} onChange={(e) => set({ key: { ...form.key, [name]: e.target.value } })} required spellCheck={false} />
            </Field>
          ))
        ) : (
          <Field label="Vector (JSON list)">
            <textarea rows={2} cols={40} value={form.vectorText} onChange={(e) => set({ vectorText: e.target.value })} placeholder="[0.12, -0.5, 0.33]" spellCheck={false} />
          </Field>
        )}
        <Field label="Top K">
          <input type="number" min={1} max={100} value={form.topK} onChange={(e) => set({ topK: Number(e.target.value) })} style={{ width: 70 }} />
        </Field>
        <Field label="Condition (optional)" hint={index.SearchSchema?.length ? `On ${index.SearchSchema.map((e) => e.AttributeName).join(', ')}` : 'This index has no search schema'}>
          <input value={form.condition} onChange={(e) => set({ condition: e.target.value })} placeholder="tenant = :t" spellCheck={false} disabled={!index.SearchSchema?.length} />
        </Field>
        {form.condition.trim()
          ? [...new Set(form.condition.match(/:[A-Za-z0-9_]+/g) ?? [])].map((name) => {
              const entry = form.values.find((v) => v.name === name) ?? { name, type: 'S' as const, value: '' };
              const update = (patch: Partial<typeof entry>) => set({ values: [...form.values.filter((v) => v.name !== name), { ...entry, ...patch }] });
              return (
                <Field key={name} label={`Value ${name}`}>
                  <div className="key-inputs">
                    <input aria-label={`Value ${name}`} value={entry.value} onChange={(e) => update({ value: e.target.value })} spellCheck={false} />
                    <select aria-label={`Type of ${name}`} value={entry.type} onChange={(e) => update({ type: e.target.value as 'S' | 'N' })}>
                      <option value="S">String</option>
                      <option value="N">Number</option>
                    </select>
                  </div>
                </Field>
              );
            })
          : null}
        <button type="submit" className="button primary" disabled={running}>
          <Icon name="play" size={12} /> Find similar
        </button>
      </form>
      <ErrorNotice error={runError} onDismiss={() => setRunError(null)} />

      <div className="query-split">
        <div className="query-results">
          {results ? (
            <>
              <div className="similar-results">
              <table className="data-table" aria-label="Similar items">
                <thead>
                  <tr>
                    <th className="num">#</th>
                    <th className="num">Score ({ascending ? 'lower is closer' : 'higher is closer'})</th>
                    {attributes.map((name) => (
                      <th key={name}>{name}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {results.items.map((result, rank) => (
                    <tr key={rank} aria-label={`Result ${rank + 1}`}>
                      <td className="num">{rank + 1}</td>
                      <td className="num">{scoreFormat.format(result.Score)}</td>
                      {attributes.map((name) => (
                        <td key={name}>{show(result.Item[name])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              <VectorMap table={table} description={description} vectorAttribute={index.VectorAttribute.AttributeName} neighbours={new Set(results.items.map((r) => rowIdOf(r.Item, description)))} />
              </div>
              <footer className="status-bar" aria-label="Search status">
                <span>
                  <strong>{results.items.length}</strong> of top {results.spec.topK}
                </span>
                {results.bytes !== undefined ? <span>{results.bytes.toLocaleString()} vector search bytes</span> : null}
                {results.items.length === 0 ? <span className="status-more">No items in the index match</span> : null}
                {searchStatus[results.spec.indexName] ? (
                  <span title="Scores are always exact. An approximate search reads the clusters nearest the vector, so a neighbour filed in another cluster can be missed.">
                    {vectorSearchLabel(searchStatus[results.spec.indexName]!)}
                  </span>
                ) : null}
              </footer>
            </>
          ) : (
            <div className="empty-state muted">{running ? <Spinner label="Searching" /> : <p>Pick an item (or paste a vector) and find its nearest neighbours.</p>}</div>
          )}
        </div>
        <CodePanel
          language={language}
          onLanguage={setLanguage}
          code={code}
          placeholder={typeof pasted === 'string' ? pasted : 'Run a search to see it as code (the sample carries the item’s vector).'}
          note={<>SearchVectors goes to the endpoint configured, like every other operation: no extra SDK setting is needed.</>}
        />
      </div>
    </div>
  );
}
