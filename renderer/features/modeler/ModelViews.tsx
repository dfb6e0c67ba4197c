import { useMemo, useState } from 'react';
import type { Item, ModelTable } from '../../../electron/contract.ts';
import { compareValues, preview } from '../../shared/attributeValues.ts';
import { keyAttributes, keyShape } from '../../shared/modeler/requests.ts';
import type { SampleItem } from '../../shared/modeler/sampleData.ts';
import { ErrorNotice } from '../../shared/ui.tsx';

type Samples = { items: SampleItem[] } | { error: unknown };
/** Rows drawn in a facet or preview; enough to see item collections without drawing thousands. */
const ROWS_SHOWN = 200;

const colourOf = (table: ModelTable, entity: string) => `entity-${Math.max(0, table.entities.findIndex((e) => e.name === entity)) % 8}`;

/**
 * The sample items seen through one entity or one index, as NoSQL Workbench's facets show them:
 * the index's partition key first, its items grouped under it (an item collection) and ordered by
 * its sort key, then the attributes the index holds.
 */
export function FacetsView({ table, samples }: { table: ModelTable; samples: Samples }) {
  const [through, setThrough] = useState(`entity:${table.entities[0]?.name ?? ''}`);
  const [kind, name] = [through.slice(0, through.indexOf(':')), through.slice(through.indexOf(':') + 1)];
  const shape = keyShape(table, kind === 'index' ? name : undefined);
  const facet = useMemo(() => {
    if (!('items' in samples) || !shape) return { rows: [] as SampleItem[], columns: [] as string[], total: 0 };
    const index = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].find((i) => i.name === name);
    const keys = [shape.partitionKey.name, ...(shape.sortKey ? [shape.sortKey.name] : [])];
    const tableKeys = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
    const rows = samples.items
      .filter((s) => (kind === 'entity' ? s.entity === name : keys.every((k) => s.item[k] !== undefined)))
      .sort((a, b) => compareValues(a.item[keys[0]!], b.item[keys[0]!]) || compareValues(a.item[keys[1]!], b.item[keys[1]!]));
    // An index holds its keys, the table's keys and what it projects.
    const projected = (attribute: string) => !index || index.projection.type === 'ALL' || tableKeys.includes(attribute) || (index.projection.type === 'INCLUDE' && (index.projection.nonKeyAttributes ?? []).includes(attribute));
    const others = new Set<string>();
    for (const { item } of rows.slice(0, ROWS_SHOWN)) for (const attribute of Object.keys(item)) if (!keys.includes(attribute) && projected(attribute)) others.add(attribute);
    return { rows: rows.slice(0, ROWS_SHOWN), columns: [...keys, ...others], total: rows.length };
  }, [samples, shape, table, kind, name]);

  if ('error' in samples) return <ErrorNotice error={samples.error} />;
  const partitionKey = shape?.partitionKey.name ?? '';
  return (
    <div className="modeler-scroll">
      <div className="query-row facet-picker">
        <label className="inline-field">
          <span>View through</span>
          <select aria-label="View through" value={through} onChange={(e) => setThrough(e.target.value)}>
            {table.entities.map((e) => (
              <option key={e.name} value={`entity:${e.name}`}>
                Entity {e.name}
              </option>
            ))}
            {[...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].map((i) => (
              <option key={i.name} value={`index:${i.name}`}>
                Index {i.name}
              </option>
            ))}
          </select>
        </label>
        <span className="view-note">
          {facet.total} items{facet.total > ROWS_SHOWN ? `, the first ${ROWS_SHOWN} shown` : ''}, grouped by {partitionKey}
        </span>
      </div>
      <table className="data-table facet" aria-label="Facet">
        <thead>
          <tr>
            {facet.columns.map((c, i) => (
              <th key={c} className={i < (shape?.sortKey ? 2 : 1) ? 'key-column' : ''}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {facet.rows.map((sample, row) => {
            const first = row === 0 || compareValues(facet.rows[row - 1]!.item[partitionKey], sample.item[partitionKey]) !== 0;
            let span = 1;
            while (first && row + span < facet.rows.length && compareValues(facet.rows[row + span]!.item[partitionKey], sample.item[partitionKey]) === 0) span++;
            return (
              <tr key={row} className={colourOf(table, sample.entity)}>
                {first ? (
                  <th rowSpan={span} scope="rowgroup" className="partition-cell mono">
                    {preview(sample.item[partitionKey])}
                  </th>
                ) : null}
                {facet.columns.slice(1).map((c) => (
                  <td key={c} className="mono">
                    {preview(sample.item[c], 40)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Every entity's item shape side by side: its key templates under each key, then its attributes, coloured by entity. */
export function AggregateView({ table }: { table: ModelTable }) {
  const keys = [...keyAttributes(table).keys()];
  return (
    <div className="modeler-scroll">
      <table className="data-table aggregate" aria-label={`Aggregate view of ${table.name}`}>
        <thead>
          <tr>
            <th>Entity</th>
            {keys.map((k) => (
              <th key={k} className="key-column mono">
                {k}
              </th>
            ))}
            <th>Attributes</th>
          </tr>
        </thead>
        <tbody>
          {table.entities.map((entity) => (
            <tr key={entity.name} className={colourOf(table, entity.name)} aria-label={entity.name}>
              <th scope="row">{entity.name}</th>
              {keys.map((k) => (
                <td key={k} className="mono">
                  {entity.keyTemplates[k] ?? ''}
                </td>
              ))}
              <td>
                {entity.attributes.map((a) => (
                  <span key={a.name} className="attribute-chip">
                    {a.name} <span className="type-tag">{a.type}</span>
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What committing with this seed would write: the counts per entity and the items themselves. */
export function SamplePreview({ table, samples, seed, onChange }: { table: ModelTable; samples: Samples; seed: number; onChange(table: ModelTable): void }) {
  if ('error' in samples) return <ErrorNotice error={samples.error} />;
  const counts = new Map<string, number>();
  for (const { entity } of samples.items) counts.set(entity, (counts.get(entity) ?? 0) + 1);
  return (
    <div className="modeler-scroll">
      <section className="view-section" aria-label="Sample data">
        <div className="query-row">
          <strong aria-label="Sample item count">{samples.items.length} items</strong>
          <span className="view-note">with seed {seed}; the same seed makes the same items</span>
        </div>
        <div className="query-row">
          {table.entities.map((entity, i) => (
            <label key={entity.name} className={`inline-field entity-count entity-${i % 8}`}>
              <span>{entity.name}</span>
              <input
                aria-label={`Sample items of ${entity.name}`}
                type="number"
                min={0}
                value={entity.sampleCount ?? 10}
                style={{ width: 80 }}
                onChange={(e) => onChange({ ...table, entities: table.entities.map((x) => (x === entity ? { ...x, sampleCount: Math.max(0, Number.parseInt(e.target.value, 10) || 0) } : x)) })}
              />
              {counts.get(entity.name) !== (entity.sampleCount ?? 10) ? <span className="view-note">({counts.get(entity.name) ?? 0} with distinct keys)</span> : null}
            </label>
          ))}
        </div>
      </section>
      <ol className="sample-items" aria-label="Sample items">
        {samples.items.slice(0, ROWS_SHOWN).map((sample, i) => (
          <li key={i} className={colourOf(table, sample.entity)}>
            <span className="sample-entity">{sample.entity}</span>
            <code>{itemLine(sample.item)}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

function itemLine(item: Item): string {
  return Object.entries(item)
    .map(([name, value]) => `${name}: ${preview(value, 40)}`)
    .join('  ·  ');
}
