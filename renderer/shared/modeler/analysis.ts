/**
 * What an access pattern costs by its shape, before it runs: whether a key serves it or it needs a
 * Scan, and for a Scan the index that would serve it instead.
 */
import type { AccessPattern, ModelIndex, ModelKeyType, ModelTable } from '../../../electron/contract.ts';
import { attributeType, findEntity, keyShape } from './requests.ts';

export interface ScanSuggestion {
  /** Why the pattern reads the whole table (or index). */
  reason: string;
  /** An index the table already has whose key fits the filter: query it instead. */
  existingIndex?: string;
  /** A new global secondary index that would turn the Scan into a Query. */
  newIndex?: ModelIndex;
  /** The Query that index allows, in words. */
  keyCondition?: string;
}

export interface AccessPatternAnalysis {
  /** The index read, or the table's name when none. */
  target: string;
  /** The key condition in words, for the board (`PK = "USER#{userId}" AND begins_with(SK, "ORDER#")`). */
  keyCondition?: string;
  /** Set when the pattern needs a Scan: why, and what would serve it instead. */
  scan?: ScanSuggestion;
}

const RANGE_OPERATORS = new Set(['<', '<=', '>', '>=', 'begins_with']);

export function analyzeAccessPattern(table: ModelTable, pattern: AccessPattern): AccessPatternAnalysis {
  const shape = keyShape(table, pattern.index);
  const target = pattern.index ?? table.name;
  if (pattern.operation === 'Query' && pattern.keyCondition && shape) {
    const sort = pattern.keyCondition.sort;
    const sortText = !sort || !shape.sortKey
      ? ''
      : sort.operator === 'begins_with'
        ? ` AND begins_with(${shape.sortKey.name}, "${sort.value}")`
        : sort.operator === 'between'
          ? ` AND ${shape.sortKey.name} BETWEEN "${sort.value}" AND "${sort.to ?? ''}"`
          : ` AND ${shape.sortKey.name} ${sort.operator} "${sort.value}"`;
    return { target, keyCondition: `${shape.partitionKey.name} = "${pattern.keyCondition.partition}"${sortText}` };
  }
  if (pattern.operation === 'TransactWriteItems') return { target: table.name, keyCondition: `all or none: ${(pattern.transactItems ?? []).join(', ')}` };
  if (pattern.operation !== 'Scan') {
    const entity = findEntity(table, pattern.entity);
    const keyText = [table.partitionKey, table.sortKey].flatMap((k) => (k ? [`${k.name} = "${entity?.keyTemplates[k.name] ?? '?'}"`] : [])).join(' AND ');
    return { target: table.name, keyCondition: keyText };
  }
  return { target, scan: suggestIndex(table, pattern) };
}

/**
 * For a Scan: an equality filter can become an index's partition key, and a range filter (or a
 * second equality) its sort key. When an index already has that partition key, query it instead.
 */
function suggestIndex(table: ModelTable, pattern: AccessPattern): ScanSuggestion {
  const entity = findEntity(table, pattern.entity);
  const filters = pattern.filter ?? [];
  const scalar = (name: string): ModelKeyType | undefined => {
    const type = attributeType(table, entity, name);
    return type === 'S' || type === 'N' || type === 'B' ? type : undefined;
  };
  const equality = filters.filter((f) => f.operator === '=' && scalar(f.attribute));
  const reads = pattern.index ? `index ${pattern.index}` : `table ${table.name}`;
  if (equality.length === 0) {
    return {
      reason: filters.length
        ? `Scan reads every item of ${reads} and its filter has no equality condition on a string, number or binary attribute to key an index on`
        : `Scan reads every item of ${reads}`,
    };
  }
  const partition = equality[0]!.attribute;
  const sortCandidate = filters.find((f) => f.attribute !== partition && scalar(f.attribute) && (RANGE_OPERATORS.has(f.operator) || f.operator === '='));
  const reason = `Scan reads every item of ${reads} and the filter discards those whose ${partition} does not match; no key of the table or its indexes is ${partition}`;
  const condition = `${partition} = "${equality[0]!.value ?? ''}"${sortCandidate ? ` AND ${sortCandidate.attribute} ${sortCandidate.operator === 'begins_with' ? 'begins with' : sortCandidate.operator} "${sortCandidate.value ?? ''}"` : ''}`;
  if (table.partitionKey.name === partition) {
    return { reason: `Scan reads every item of ${reads}, but the table itself is keyed on ${partition}: query it`, keyCondition: condition };
  }
  const existing = table.globalSecondaryIndexes.find((index) => index.partitionKey.name === partition);
  if (existing) {
    return { reason: `Scan reads every item of ${reads}, but index ${existing.name} is keyed on ${partition}: query it`, existingIndex: existing.name, keyCondition: condition };
  }
  const name = sortCandidate ? `${partition}-${sortCandidate.attribute}-index` : `${partition}-index`;
  return {
    reason,
    newIndex: {
      name,
      partitionKey: { name: partition, type: scalar(partition)! },
      ...(sortCandidate ? { sortKey: { name: sortCandidate.attribute, type: scalar(sortCandidate.attribute)! } } : {}),
      projection: { type: 'ALL' },
    },
    keyCondition: condition,
  };
}
