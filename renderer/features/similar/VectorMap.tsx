import { useEffect, useMemo, useState } from 'react';
import { dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { ErrorNotice, Field, Spinner } from '../../shared/ui.tsx';
import { rowIdOf, type TableDescription } from '../items/tableSchema.ts';
import { vectorOf } from './similarModel.ts';

/** The map reads at most this many items: enough to see the shape of a space, quick to project. */
const MAP_ITEMS = 2000;
const WIDTH = 520;
const HEIGHT = 340;
const PAD = 14;
const PALETTE = ['#3b6fd8', '#d9822b', '#2f9e6e', '#c2417a', '#7b5cc7', '#8a8f2a', '#1f9fb3', '#b5533c', '#5a6b82', '#d4a017', '#6f9a3a', '#a0527d'];

interface Point {
  id: string;
  item: Item;
  x: number;
  y: number;
}

function label(value: Item[string] | undefined): string {
  if (!value) return '(none)';
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('BOOL' in value) return String(value.BOOL);
  return JSON.stringify(value);
}

/**
 * A 2-D map of a vector index's space: the table's items (up to MAP_ITEMS) placed by their first
 * two principal components (computed in a worker), coloured by an attribute, with the last
 * search's neighbours ringed.
 */
export function VectorMap({ table, description, vectorAttribute, neighbours }: { table: TableRef; description: TableDescription; vectorAttribute: string; neighbours: Set<string> }) {
  const [points, setPoints] = useState<Point[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [colourBy, setColourBy] = useState('');

  useEffect(() => setPoints(null), [vectorAttribute]);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await dynamo<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
          table.connection.id,
          'Scan',
          { TableName: description.TableName, Limit: 500, ...(start ? { ExclusiveStartKey: start } : {}) },
          table.namespace,
        );
        for (const item of page.Items ?? []) if (items.length < MAP_ITEMS && vectorOf(item, vectorAttribute)) items.push(item);
        start = page.LastEvaluatedKey;
      } while (start && items.length < MAP_ITEMS);
      const vectors = items.map((item) => vectorOf(item, vectorAttribute)!);
      const dimensions = vectors[0]?.length ?? 0;
      const comparable = items.filter((_, i) => vectors[i].length === dimensions);
      const coordinates = await new Promise<[number, number][]>((resolve, reject) => {
        const worker = new Worker(new URL('./pcaWorker.ts', import.meta.url), { type: 'module' });
        worker.onmessage = (event: MessageEvent<[number, number][]>) => {
          worker.terminate();
          resolve(event.data);
        };
        worker.onerror = (event) => {
          worker.terminate();
          reject(new Error(event.message || 'The map could not be computed'));
        };
        worker.postMessage(vectors.filter((v) => v.length === dimensions));
      });
      setPoints(comparable.map((item, i) => ({ id: rowIdOf(item, description), item, x: coordinates[i][0], y: coordinates[i][1] })));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  // Attributes worth colouring by: scalar values with a handful of distinct values.
  const colourAttributes = useMemo(() => {
    if (!points) return [];
    const values = new Map<string, Set<string>>();
    for (const { item } of points) {
      for (const [name, value] of Object.entries(item)) {
        if (name === vectorAttribute || !('S' in value || 'N' in value || 'BOOL' in value)) continue;
        const seen = values.get(name) ?? new Set<string>();
        seen.add(label(value));
        values.set(name, seen);
      }
    }
    return [...values].filter(([, seen]) => seen.size >= 2 && seen.size <= PALETTE.length).map(([name]) => name);
  }, [points, vectorAttribute]);

  if (!points) {
    return (
      <section className="view-section vector-map" aria-label="Vector map">
        <button type="button" className="button" onClick={() => void load()} disabled={loading}>
          Show the map of this index’s space
        </button>
        {loading ? <Spinner label="Projecting vectors" /> : null}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
      </section>
    );
  }

  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => PAD + ((x - minX) / (maxX - minX || 1)) * (WIDTH - 2 * PAD);
  const sy = (y: number) => HEIGHT - PAD - ((y - minY) / (maxY - minY || 1)) * (HEIGHT - 2 * PAD);
  const categories = colourBy ? [...new Set(points.map((p) => label(p.item[colourBy])))] : [];
  const colourOf = (p: Point) => (colourBy ? PALETTE[categories.indexOf(label(p.item[colourBy])) % PALETTE.length] : PALETTE[0]);
  // Neighbours are drawn last, on top of the others.
  const ordered = [...points].sort((a, b) => Number(neighbours.has(a.id)) - Number(neighbours.has(b.id)));

  return (
    <section className="view-section vector-map" aria-label="Vector map">
      <div className="inline-form">
        <Field label="Colour by">
          <select value={colourBy} onChange={(e) => setColourBy(e.target.value)}>
            <option value="">(one colour)</option>
            {colourAttributes.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <span className="view-note">
          {points.length.toLocaleString()} items on their first two principal components; the last search’s neighbours are ringed.
        </span>
        <button type="button" className="button small" onClick={() => void load()} disabled={loading}>
          Reload
        </button>
      </div>
      <svg className="vector-map-plot" role="img" aria-label={`Map of ${points.length} items`} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        {ordered.map((p) => {
          const near = neighbours.has(p.id);
          return (
            <circle key={p.id} cx={sx(p.x)} cy={sy(p.y)} r={near ? 6 : 3.5} fill={colourOf(p)} fillOpacity={near ? 1 : 0.7} stroke={near ? 'currentColor' : 'none'} strokeWidth={2} data-neighbour={near ? 'true' : undefined}>
              <title>{description.KeySchema.map((k) => label(p.item[k.AttributeName])).join(' / ')}</title>
            </circle>
          );
        })}
      </svg>
      {colourBy ? (
        <ul className="vector-map-legend" aria-label="Legend">
          {categories.map((c, i) => (
            <li key={c}>
              <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} /> {c}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
