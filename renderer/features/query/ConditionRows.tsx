import { Icon } from '../../shared/icons.tsx';
import { ATTRIBUTE_TYPES, FILTER_OPERATORS, operandCount, SIZE_OPERATORS, type FilterJoin, type FilterRow, type ValueType } from './queryModel.ts';

export const VALUE_TYPES: { id: ValueType; label: string }[] = [
  { id: 'S', label: 'String' },
  { id: 'N', label: 'Number' },
  { id: 'BOOL', label: 'Boolean' },
  { id: 'NULL', label: 'Null' },
];

/**
 * Condition rows: the Items tab's and the query builder's filters, and the transaction builder's
 * conditions. Each row is a document path (or its size), a comparator or function, and values
 * typed by the user, never guessed; queryModel's conditionOf reads them. The rows are joined by
 * AND, or by the `join` the caller lets the user choose. `noun` names the rows for people and for
 * assistive tech ("Filter 1", "Filter attribute"…).
 */
export function ConditionRows({
  rows,
  onChange,
  noun,
  join = 'AND',
  onJoinChange,
}: {
  rows: FilterRow[];
  onChange(rows: FilterRow[]): void;
  noun: string;
  join?: FilterJoin;
  /** Offers AND/OR on the second row; without it the rows are joined by AND. */
  onJoinChange?(join: FilterJoin): void;
}) {
  const setRow = (index: number, patch: Partial<FilterRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <>
      {rows.map((row, index) => {
        const operators = row.size ? SIZE_OPERATORS : FILTER_OPERATORS;
        const typed = operandCount(row.operator) > 0 && row.operator !== 'attribute_type';
        const hasValue = typed && (row.size || row.type !== 'NULL');
        return (
          <div className="query-row filter-row" key={index} role="group" aria-label={`${noun} ${index + 1}`}>
            {index === 1 && onJoinChange ? (
              <select className="row-label" aria-label="Match" value={join} onChange={(e) => onJoinChange(e.target.value as FilterJoin)}>
                <option value="AND">and</option>
                <option value="OR">or</option>
              </select>
            ) : (
              <span className="row-label">{index === 0 ? noun : join.toLowerCase()}</span>
            )}
            <select
              aria-label={`${noun} on`}
              value={row.size ? 'size' : 'value'}
              onChange={(e) => {
                const size = e.target.value === 'size';
                setRow(index, { size, ...(size && !SIZE_OPERATORS.includes(row.operator) ? { operator: '=' } : {}) });
              }}
            >
              <option value="value">value of</option>
              <option value="size">size of</option>
            </select>
            <input aria-label={`${noun} attribute`} placeholder="attribute or a.b[0]" value={row.attribute} onChange={(e) => setRow(index, { attribute: e.target.value })} size={14} />
            <select aria-label={`${noun} operator`} value={row.operator} onChange={(e) => setRow(index, { operator: e.target.value as FilterRow['operator'] })}>
              {operators.map((op) => (
                <option key={op} value={op}>
                  {op.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
            {row.operator === 'attribute_type' ? (
              <select aria-label={`${noun} value`} value={row.value} onChange={(e) => setRow(index, { value: e.target.value })}>
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
              <select aria-label={`${noun} value type`} value={row.type} onChange={(e) => setRow(index, { type: e.target.value as ValueType })}>
                {VALUE_TYPES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            ) : null}
            {hasValue ? (
              <input
                aria-label={`${noun} value`}
                placeholder={row.operator === 'IN' ? 'a, b, "c, d"' : 'value'}
                value={row.value}
                onChange={(e) => setRow(index, { value: e.target.value })}
                size={row.operator === 'IN' ? 20 : 12}
              />
            ) : null}
            {row.operator === 'BETWEEN' && hasValue ? (
              <>
                <span>and</span>
                <input aria-label={`${noun} upper bound`} placeholder="value" value={row.value2} onChange={(e) => setRow(index, { value2: e.target.value })} size={12} />
              </>
            ) : null}
            <button type="button" className="icon-button" aria-label={`Remove ${noun.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              <Icon name="close" size={14} />
            </button>
          </div>
        );
      })}
    </>
  );
}
