import { useEffect, useState } from 'react';
import type { BackfillProgress } from '../../../electron/contract.ts';
import { call, dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Field, formatBytes, Spinner } from '../../shared/ui.tsx';
import { useTableDescription } from '../../shared/useTableDescription.ts';
import { attributeType, keyNamesOf, type IndexDescription, type TableDescription } from '../items/tableSchema.ts';
import {
  emptyGsiForm,
  emptyVectorIndexForm,
  isProvisioned,
  toCreateGsiInput,
  toCreateVectorIndexInput,
  toDeleteGsiInput,
  toDeleteVectorIndexInput,
  type DistanceFunction,
  type GsiForm,
  type KeyType,
  type VectorIndexForm,
} from './indexInput.ts';
import { TypedConfirmDialog } from '../../shared/TypedConfirmDialog.tsx';
import { useVectorSearchStatus, vectorSearchLabel } from './vectorSearchStatus.ts';

interface IndexDetail extends IndexDescription {
  IndexStatus?: string;
  Backfilling?: boolean;
  IndexSizeBytes?: number;
}

export interface VectorIndexDetail {
  IndexName: string;
  VectorAttribute: { AttributeName: string };
  Dimensions: number;
  DistanceFunction: DistanceFunction;
  SearchSchema?: { AttributeName: string; SearchSchemaElementType: 'HASH' | 'INLINE_FILTER' }[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  IndexStatus?: string;
  Backfilling?: boolean;
  ItemCount?: number;
  IndexSizeBytes?: number;
}

export interface IndexedTable extends TableDescription {
  GlobalSecondaryIndexes?: IndexDetail[];
  LocalSecondaryIndexes?: IndexDetail[];
  VectorIndexes?: VectorIndexDetail[];
}

const countFormat = new Intl.NumberFormat();
const TYPES: { id: KeyType; label: string }[] = [
  { id: 'S', label: 'String' },
  { id: 'N', label: 'Number' },
  { id: 'B', label: 'Binary' },
];

const bytes = (n: number | undefined): string => (n === undefined ? '—' : formatBytes(n));

const settling = (t: IndexedTable) =>
  t.TableStatus === 'UPDATING' ||
  [...(t.GlobalSecondaryIndexes ?? []), ...(t.LocalSecondaryIndexes ?? []), ...(t.VectorIndexes ?? [])].some((i) => i.IndexStatus && i.IndexStatus !== 'ACTIVE');

const DISTANCES: { id: DistanceFunction; label: string }[] = [
  { id: 'COSINE', label: 'Cosine' },
  { id: 'EUCLIDEAN', label: 'Euclidean' },
  { id: 'DOT_PRODUCT', label: 'Dot product' },
];

/** The table's secondary indexes: schema, projection, status and size; create and delete GSIs. */
export function IndexesView({ table, onChanged }: { table: TableRef; onChanged(): void }) {
  const { description, error, reload } = useTableDescription<IndexedTable>(table, settling);
  const [form, setForm] = useState<GsiForm>(emptyGsiForm);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [vectorForm, setVectorForm] = useState<VectorIndexForm>(emptyVectorIndexForm);
  const [creatingVector, setCreatingVector] = useState(false);
  const [vectorError, setVectorError] = useState<unknown>(null);
  const [deletingVector, setDeletingVector] = useState<string | null>(null);
  const setVector = (patch: Partial<VectorIndexForm>) => setVectorForm((f) => ({ ...f, ...patch }));
  const [progress, setProgress] = useState<Record<string, BackfillProgress>>({});
  const showProgress = table.connection.capabilities.backfillProgress;
  const set = (patch: Partial<GsiForm>) => setForm((f) => ({ ...f, ...patch }));
  const busy = description ? settling(description) : false;

  useEffect(() => {
    if (!showProgress || !busy) return;
    let stopped = false;
    void call('insights/backfill', { connectionId: table.connection.id, tableName: table.tableName, ...(table.namespace ? { namespace: table.namespace } : {}) })
      .then((p) => !stopped && setProgress(p))
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [showProgress, busy, description, table]);
  const searchStatus = useVectorSearchStatus(table, description, (description?.VectorIndexes?.length ?? 0) > 0);

  if (error) return <ErrorNotice error={error} />;
  if (!description) {
    return (
      <div className="empty-state">
        <Spinner label="Loading indexes" />
      </div>
    );
  }

  const indexes = [
    ...(description.GlobalSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'GSI' as const })),
    ...(description.LocalSecondaryIndexes ?? []).map((i) => ({ ...i, kind: 'LSI' as const })),
  ];

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      await dynamo(table.connection.id, 'UpdateTable', toCreateGsiInput(description, form), table.namespace);
      setForm(emptyGsiForm());
      reload();
      onChanged();
    } catch (err) {
      setCreateError(err);
    } finally {
      setCreating(false);
    }
  };

  const createVector = async (event: React.FormEvent) => {
    event.preventDefault();
    setCreatingVector(true);
    setVectorError(null);
    try {
      await dynamo(table.connection.id, 'UpdateTable', toCreateVectorIndexInput(description.TableName, vectorForm), table.namespace);
      setVectorForm(emptyVectorIndexForm());
      reload();
      onChanged();
    } catch (err) {
      setVectorError(err);
    } finally {
      setCreatingVector(false);
    }
  };
  const vectors = description.VectorIndexes ?? [];

  const keyCell = (name: string | undefined) =>
    name ? (
      <>
        <code>{name}</code> <span className="type-tag">{attributeType(description, name)}</span>
      </>
    ) : (
      <span className="type-tag">—</span>
    );

  return (
    <div className="indexes-view">
      <section className="view-section" aria-label="Secondary indexes">
        <h2>Secondary indexes</h2>
        {indexes.length === 0 ? (
          <p>This table has no secondary indexes. A global secondary index lets you query by other attributes.</p>
        ) : (
          <table className="data-table" aria-label="Indexes">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Partition key</th>
                <th>Sort key</th>
                <th>Projection</th>
                <th>Status</th>
                <th className="num">Items</th>
                <th className="num">Size</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {indexes.map((index) => {
                const keys = keyNamesOf(index.KeySchema);
                const status = index.IndexStatus ?? 'ACTIVE';
                const backfill = progress[index.IndexName];
                return (
                  <tr key={index.IndexName} aria-label={`Index ${index.IndexName}`}>
                    <td>
                      <strong>{index.IndexName}</strong>
                    </td>
                    <td>{index.kind}</td>
                    <td>{keyCell(keys.partition)}</td>
                    <td>{keyCell(keys.sort)}</td>
                    <td>
                      {index.Projection?.ProjectionType ?? 'ALL'}
                      {index.Projection?.NonKeyAttributes?.length ? <div className="type-tag">{index.Projection.NonKeyAttributes.join(', ')}</div> : null}
                    </td>
                    <td>
                      <span className={`badge ${status === 'ACTIVE' ? 'ok' : 'busy'}`}>{status}</span>
                      {index.Backfilling ? (
                        <div className="type-tag">
                          Backfilling
                          {showProgress && backfill ? ` · ${countFormat.format(backfill.scanned)} of ${countFormat.format(description.ItemCount ?? 0)} items` : '…'}
                        </div>
                      ) : null}
                    </td>
                    <td className="num">{index.ItemCount === undefined ? '—' : countFormat.format(index.ItemCount)}</td>
                    <td className="num">{bytes(index.IndexSizeBytes)}</td>
                    <td>
                      {index.kind === 'GSI' ? (
                        // DynamoDB deletes an index that is still backfilling (CREATING with Backfilling true), which cancels the backfill.
                        index.Backfilling ? (
                          <button type="button" className="button small" aria-label={`Cancel backfill of ${index.IndexName}`} title="Delete the index, which stops its backfill" onClick={() => setDeleting(index.IndexName)}>
                            <Icon name="stop" size={11} /> Cancel
                          </button>
                        ) : (
                          <button type="button" className="icon-button" aria-label={`Delete index ${index.IndexName}`} title="Delete index" disabled={status !== 'ACTIVE'} onClick={() => setDeleting(index.IndexName)}>
                            <Icon name="trash" size={14} />
                          </button>
                        )
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <p className="view-note" style={{ marginTop: 10 }}>
          Local secondary indexes can only be defined when a table is created.
        </p>
      </section>

      <section className="view-section" aria-label="Create global secondary index">
        <h2>Create a global secondary index</h2>
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <Field label="Index name">
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} required spellCheck={false} />
          </Field>
          <Field label="Index partition key">
            <div className="key-inputs">
              <input aria-label="Index partition key" value={form.partitionKey} onChange={(e) => set({ partitionKey: e.target.value })} required spellCheck={false} />
              <select aria-label="Index partition key type" value={form.partitionType} onChange={(e) => set({ partitionType: e.target.value as KeyType })}>
                {TYPES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            </div>
          </Field>
          <Field label="Index sort key (optional)">
            <div className="key-inputs">
              <input aria-label="Index sort key" value={form.sortKey} onChange={(e) => set({ sortKey: e.target.value })} spellCheck={false} />
              <select aria-label="Index sort key type" value={form.sortType} onChange={(e) => set({ sortType: e.target.value as KeyType })}>
                {TYPES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            </div>
          </Field>
          <Field label="Projection">
            <select value={form.projection} onChange={(e) => set({ projection: e.target.value as GsiForm['projection'] })}>
              <option value="ALL">All attributes</option>
              <option value="KEYS_ONLY">Keys only</option>
              <option value="INCLUDE">Keys and chosen attributes</option>
            </select>
          </Field>
          {form.projection === 'INCLUDE' ? (
            <Field label="Included attributes">
              <input value={form.nonKeyAttributes} onChange={(e) => set({ nonKeyAttributes: e.target.value })} placeholder="a, b, c" />
            </Field>
          ) : null}
          {isProvisioned(description) ? (
            <>
              <Field label="Read units">
                <input type="number" min={1} value={form.readCapacity} onChange={(e) => set({ readCapacity: Number(e.target.value) })} style={{ width: 80 }} />
              </Field>
              <Field label="Write units">
                <input type="number" min={1} value={form.writeCapacity} onChange={(e) => set({ writeCapacity: Number(e.target.value) })} style={{ width: 80 }} />
              </Field>
            </>
          ) : null}
          <button type="submit" className="button primary" disabled={creating || !form.name.trim() || !form.partitionKey.trim()}>
            <Icon name="plus" size={13} /> Create index
          </button>
        </form>
        <ErrorNotice error={createError} onDismiss={() => setCreateError(null)} />
      </section>

      <section className="view-section" aria-label="Vector indexes">
        <h2>Vector indexes</h2>
        {vectors.length === 0 ? (
          <p>This table has no vector index. A vector index makes items searchable by similarity of an embedding attribute (SearchVectors).</p>
        ) : (
          <table className="data-table" aria-label="Vector index list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Vector attribute</th>
                <th className="num">Dimensions</th>
                <th>Distance</th>
                <th>Search schema</th>
                <th>Status</th>
                <th className="num">Items</th>
                <th className="num">Size</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {vectors.map((index) => {
                const status = index.IndexStatus ?? 'ACTIVE';
                const backfill = progress[index.IndexName];
                return (
                  <tr key={index.IndexName} aria-label={`Vector index ${index.IndexName}`}>
                    <td>
                      <strong>{index.IndexName}</strong>
                    </td>
                    <td>
                      <code>{index.VectorAttribute.AttributeName}</code>
                    </td>
                    <td className="num">{countFormat.format(index.Dimensions)}</td>
                    <td>{DISTANCES.find((d) => d.id === index.DistanceFunction)?.label ?? index.DistanceFunction}</td>
                    <td>
                      {(index.SearchSchema ?? []).map((e) => (
                        <div key={e.AttributeName}>
                          <code>{e.AttributeName}</code> <span className="type-tag">{e.SearchSchemaElementType === 'HASH' ? 'partition' : 'filter'}</span>
                        </div>
                      ))}
                      {index.SearchSchema?.length ? null : <span className="type-tag">—</span>}
                    </td>
                    <td>
                      <span className={`badge ${status === 'ACTIVE' ? 'ok' : 'busy'}`}>{status}</span>
                      {index.Backfilling !== undefined ? (
                        <div className="type-tag">
                          {index.Backfilling ? 'Backfilling' : 'Allocating'}
                          {index.Backfilling && showProgress && backfill ? ` · ${countFormat.format(backfill.scanned)} of ${countFormat.format(description.ItemCount ?? 0)} items` : '…'}
                        </div>
                      ) : null}
                      {status === 'ACTIVE' && searchStatus[index.IndexName] ? (
                        <div className="type-tag" aria-label={`How ${index.IndexName} is searched`}>
                          {vectorSearchLabel(searchStatus[index.IndexName]!)}
                        </div>
                      ) : null}
                    </td>
                    <td className="num">{index.ItemCount === undefined ? '—' : countFormat.format(index.ItemCount)}</td>
                    <td className="num">{bytes(index.IndexSizeBytes)}</td>
                    <td>
                      <button type="button" className="icon-button" aria-label={`Delete vector index ${index.IndexName}`} title="Delete vector index" disabled={index.Backfilling === false} onClick={() => setDeletingVector(index.IndexName)}>
                        <Icon name="trash" size={14} />
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section className="view-section" aria-label="Create vector index">
        <h2>Create a vector index</h2>
        {isProvisioned(description) ? (
          <p className="view-note">Vector indexes need on-demand capacity: switch the table to on-demand in its Settings first.</p>
        ) : null}
        <form className="inline-form" onSubmit={(e) => void createVector(e)}>
          <Field label="Vector index name">
            <input value={vectorForm.name} onChange={(e) => setVector({ name: e.target.value })} required spellCheck={false} />
          </Field>
          <Field label="Vector attribute">
            <input value={vectorForm.attribute} onChange={(e) => setVector({ attribute: e.target.value })} required spellCheck={false} />
          </Field>
          <Field label="Dimensions">
            <input type="number" min={1} max={4096} value={vectorForm.dimensions} onChange={(e) => setVector({ dimensions: Number(e.target.value) })} style={{ width: 90 }} />
          </Field>
          <Field label="Distance function">
            <select value={vectorForm.distance} onChange={(e) => setVector({ distance: e.target.value as DistanceFunction })}>
              {DISTANCES.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Vector projection">
            <select value={vectorForm.projection} onChange={(e) => setVector({ projection: e.target.value as VectorIndexForm['projection'] })}>
              <option value="ALL">All attributes</option>
              <option value="KEYS_ONLY">Keys only</option>
            </select>
          </Field>
          <button type="submit" className="button primary" disabled={creatingVector || !vectorForm.name.trim() || !vectorForm.attribute.trim()}>
            <Icon name="plus" size={13} /> Create vector index
          </button>
        </form>
        <ErrorNotice error={vectorError} onDismiss={() => setVectorError(null)} />
      </section>

      {deletingVector ? (
        <TypedConfirmDialog
          formId="delete-vector-index"
          title={`Delete vector index ${deletingVector}?`}
          name={deletingVector}
          actionLabel="Delete vector index"
          action={() => dynamo(table.connection.id, 'UpdateTable', toDeleteVectorIndexInput(table.tableName, deletingVector), table.namespace)}
          onClose={() => setDeletingVector(null)}
          onDone={() => {
            setDeletingVector(null);
            reload();
            onChanged();
          }}
        >
          This deletes the vector index <strong>{deletingVector}</strong> of {table.tableName}. Similarity searches that use it will fail. The table's items keep their vectors.
        </TypedConfirmDialog>
      ) : null}

      {deleting ? (
        <DeleteIndexDialog
          table={table}
          indexName={deleting}
          backfilling={Boolean(description.GlobalSecondaryIndexes?.find((i) => i.IndexName === deleting)?.Backfilling)}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            reload();
            onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

/** Deleting an index drops its data and cannot be undone, so the user types its name. */
function DeleteIndexDialog({ table, indexName, backfilling, onClose, onDeleted }: { table: TableRef; indexName: string; backfilling: boolean; onClose(): void; onDeleted(): void }) {
  return (
    <TypedConfirmDialog
      formId="delete-index"
      title={`Delete index ${indexName}?`}
      name={indexName}
      actionLabel="Delete index"
      action={() => dynamo(table.connection.id, 'UpdateTable', toDeleteGsiInput(table.tableName, indexName), table.namespace)}
      onClose={onClose}
      onDone={onDeleted}
    >
      This deletes the global secondary index <strong>{indexName}</strong> of {table.tableName}
      {backfilling ? ', which is still backfilling: the backfill stops' : ''}. Queries that use it will fail. The table's items are not touched.
    </TypedConfirmDialog>
  );
}
