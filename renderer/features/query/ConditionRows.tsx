import { Icon } from '../../shared/icons.tsx';
import { FILTER_OPERATORS, operandCount, type FilterRow, type ValueType } from './queryModel.ts';

export const VALUE_TYPES: { id: ValueType; label: string }[] = [
  { id: 'S', label: 'String' },
  { id: 'N', label: 'Number' },
  { id: 'BOOL', label: 'Boolean' },
  { id: 'NULL', label: 'Null' },
];

/**
 * Condition rows joined by AND (attribute, operator, typed value): the query builder's filters and
 * the transaction builder's conditions. `noun` names the rows for people and for assistive tech
 * ("Filter 1", "Filter attribute"…).
 */
export function ConditionRows({ rows, onChange, noun }: { rows: FilterRow[]; onChange(rows: FilterRow[]): void; noun: string }) {
  const setRow = (index: number, patch: Partial<FilterRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <>
      {rows.map((row, index) => (
        <div className="query-row filter-row" key={index} role="group" aria-label={`${noun} ${index + 1}`}>
          <span className="row-label">{index === 0 ? noun : 'and'}</span>
          <input aria-label={`${noun} attribute`} placeholder="attribute" value={row.attribute} onChange={(e) => setRow(index, { attribute: e.target.value })} size={12} />
          <select aria-label={`${noun} operator`} value={row.operator} onChange={(e) => setRow(index, { operator: e.target.value as FilterRow['operator'] })}>
            {FILTER_OPERATORS.map((op) => (
              <option key={op} value={op}>
                {op.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          {operandCount(row.operator) > 0 ? (
            <>
              <select aria-label={`${noun} value type`} value={row.type} onChange={(e) => setRow(index, { type: e.target.value as ValueType })}>
                {VALUE_TYPES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
              {row.type !== 'NULL' ? <input aria-label={`${noun} value`} placeholder="value" value={row.value} onChange={(e) => setRow(index, { value: e.target.value })} size={12} /> : null}
              {row.operator === 'BETWEEN' ? (
                <input aria-label={`${noun} upper bound`} placeholder="and" value={row.value2} onChange={(e) => setRow(index, { value2: e.target.value })} size={12} />
              ) : null}
            </>
          ) : null}
          <button type="button" className="icon-button" aria-label={`Remove ${noun.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </>
  );
}
