import { Icon } from '../../shared/icons.tsx';
import { ATTRIBUTE_TYPES, emptyFilter, FILTER_OPERATORS, operandCount, SIZE_OPERATORS, type FilterJoin, type FilterRow, type ValueType } from './queryModel.ts';

const TYPES: { id: ValueType; label: string }[] = [
  { id: 'S', label: 'String' },
  { id: 'N', label: 'Number' },
  { id: 'B', label: 'Binary (base64)' },
  { id: 'BOOL', label: 'Boolean' },
  { id: 'NULL', label: 'Null' },
];

/**
 * The filter conditions of a Scan or Query, shared by the Items tab and the Query tab: each row a
 * document path (or its size), a comparator or function, and values typed by the user, never
 * guessed; the rows joined by AND or OR. queryModel's filterConditions reads them.
 */
export function FilterRows({
  rows,
  join,
  onChange,
  firstLabel = 'Filter',
}: {
  rows: readonly FilterRow[];
  join: FilterJoin;
  onChange(rows: FilterRow[], join: FilterJoin): void;
  firstLabel?: string;
}) {
  const setRow = (index: number, patch: Partial<FilterRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)), join);
  return (
    <>
      {rows.map((row, index) => {
        const operators = row.size ? SIZE_OPERATORS : FILTER_OPERATORS;
        const count = operandCount(row.operator);
        const typed = count > 0 && row.operator !== 'attribute_type';
        return (
          <div className="query-row filter-row" key={index} role="group" aria-label={`Filter ${index + 1}`}>
            {index === 1 ? (
              <select className="row-label" aria-label="Match" value={join} onChange={(e) => onChange([...rows], e.target.value as FilterJoin)}>
                <option value="AND">and</option>
                <option value="OR">or</option>
              </select>
            ) : (
              <span className="row-label">{index === 0 ? firstLabel : join.toLowerCase()}</span>
            )}
            <select
              aria-label="Filter on"
              value={row.size ? 'size' : 'value'}
              onChange={(e) => {
                const size = e.target.value === 'size';
                setRow(index, { size, ...(size && !SIZE_OPERATORS.includes(row.operator) ? { operator: '=' } : {}) });
              }}
            >
              <option value="value">value of</option>
              <option value="size">size of</option>
            </select>
            <input aria-label="Filter attribute" placeholder="attribute or a.b[0]" value={row.attribute} onChange={(e) => setRow(index, { attribute: e.target.value })} size={14} />
            <select aria-label="Filter operator" value={row.operator} onChange={(e) => setRow(index, { operator: e.target.value as FilterRow['operator'] })}>
              {operators.map((op) => (
                <option key={op} value={op}>
                  {op.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
            {row.operator === 'attribute_type' ? (
              <select aria-label="Filter value" value={row.value} onChange={(e) => setRow(index, { value: e.target.value })}>
                <option value="">type…</option>
                {ATTRIBUTE_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            ) : null}
            {typed && row.size ? <span className="type-tag">Number</span> : null}
            {typed && !row.size ? (
              <select aria-label="Filter value type" value={row.type} onChange={(e) => setRow(index, { type: e.target.value as ValueType })}>
                {TYPES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            ) : null}
            {typed && (row.size || row.type !== 'NULL') ? (
              <input
                aria-label="Filter value"
                placeholder={row.operator === 'IN' ? 'a, b, "c, d"' : 'value'}
                value={row.value}
                onChange={(e) => setRow(index, { value: e.target.value })}
                size={row.operator === 'IN' ? 20 : 12}
              />
            ) : null}
            {row.operator === 'BETWEEN' && (row.size || row.type !== 'NULL') ? (
              <>
                <span>and</span>
                <input aria-label="Filter upper bound" placeholder="value" value={row.value2} onChange={(e) => setRow(index, { value2: e.target.value })} size={12} />
              </>
            ) : null}
            <button type="button" className="icon-button" aria-label={`Remove filter ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index), join)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        );
      })}
    </>
  );
}

/** The button that adds a filter row. */
export function AddFilterButton({ rows, join, onChange }: { rows: readonly FilterRow[]; join: FilterJoin; onChange(rows: FilterRow[], join: FilterJoin): void }) {
  return (
    <button type="button" className="button subtle" onClick={() => onChange([...rows, emptyFilter()], join)}>
      <Icon name="plus" size={13} /> Add filter
    </button>
  );
}
