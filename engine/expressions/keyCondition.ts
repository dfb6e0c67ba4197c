/**
 * KeyConditionExpression: the shape checks that need no schema (done when compiling) and the
 * resolution against a table's or index's key schema (done by the query, once it knows the table).
 *
 * Messages and order follow dynalite (validations/index.js checkExpr, actions/query.js) with two
 * later captures from real DynamoDB (paritysuite/dynamodb-conformance, October 2026): structural
 * errors carry the "Invalid KeyConditionExpression: " prefix, and too many conditions for the key
 * reads "The number of query conditions (3) exceeds the number of key attributes defined in the
 * schema (2)".
 */
import { validationError } from '../errors.ts';
import type { AttributeValue } from '../types.ts';
import { typeOf } from '../values.ts';
import type { Condition, Operand } from './ast.ts';

export type SortOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyRange {
  /** The partition key value (with a multi-attribute partition key: the first attribute's). */
  partitionValue: AttributeValue;
  /** The condition on the sort key (with a multi-attribute sort key: on `sortAttribute`). */
  sort?: { op: SortOperator; values: AttributeValue[] };
  /** The partition key as an item fragment: every partition key attribute and its value. */
  partitionKey: Record<string, AttributeValue>;
  /** Multi-attribute keys only: every partition key attribute's value, in key schema order. */
  partitionValues?: AttributeValue[];
  /** Multi-attribute keys only: the equality values of the sort key attributes before `sortAttribute`. */
  sortPrefix?: AttributeValue[];
  /** Multi-attribute keys only: the sort key attribute `sort` applies to. */
  sortAttribute?: string;
}

/** A table's or index's key: one partition key and optional sort key, or (multi-attribute GSI
 *  keys) up to four attributes each. A schema giving hashKeys is resolved from those. */
export type KeySchema =
  | { hashKey: string; rangeKey?: string; attributeTypes: Record<string, 'S' | 'N' | 'B'> }
  | { hashKeys: string[]; rangeKeys?: string[]; attributeTypes: Record<string, 'S' | 'N' | 'B'> };

interface KeyClause {
  attribute: string;
  op: SortOperator;
  values: AttributeValue[];
}

const FLIPPED: Record<string, SortOperator> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function prefixed(message: string): string {
  return 'Invalid KeyConditionExpression: ' + message;
}

/**
 * Checks the shape of a key condition (one condition per attribute, joined by AND, each naming a
 * top-level attribute once) and returns DynamoDB's message for the first problem, or the clauses.
 */
export function keyConditionClauses(condition: Condition): KeyClause[] | string {
  const clauses: KeyClause[] = [];
  const seen = new Set<string>();
  const visit = (node: Condition): string | undefined => {
    switch (node.kind) {
      case 'and':
        return visit(node.left) ?? visit(node.right);
      case 'or':
      case 'not':
      case 'in':
        return prefixed('Invalid operator used in KeyConditionExpression: ' + node.kind.toUpperCase());
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'attribute_type':
      case 'contains':
        return prefixed('Invalid operator used in KeyConditionExpression: ' + node.kind);
      case 'compare':
        if (node.op === '<>') return prefixed('Invalid operator used in KeyConditionExpression: <>');
        return clause(node.op, [node.left, node.right]);
      case 'between':
        if (node.operand.kind !== 'path') {
          return prefixed('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
        }
        return clause('BETWEEN', [node.operand, node.low, node.high]);
      case 'begins_with':
        if (node.operand.kind !== 'path') {
          return prefixed('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
        }
        return clause('BEGINS_WITH', [node.operand, node.prefix]);
    }
  };
  const clause = (op: string, args: Operand[]): string | undefined => {
    let attribute: string | undefined;
    let attributeIndex = 0;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg.kind === 'path') {
        if (attribute !== undefined) return prefixed('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
        if (arg.path.length > 1) return prefixed('KeyConditionExpressions cannot have conditions on nested attributes');
        attribute = arg.path[0] as string;
        attributeIndex = i;
      } else if (arg.kind !== 'value') {
        return prefixed('KeyConditionExpressions cannot contain nested operations');
      }
    }
    if (attribute === undefined) return prefixed('Invalid condition in KeyConditionExpression: No key attribute specified');
    if (seen.has(attribute)) return prefixed('KeyConditionExpressions must only contain one condition per key');
    seen.add(attribute);
    const values = args.filter((_, i) => i !== attributeIndex).map((a) => (a as { value: AttributeValue }).value);
    // `:v < sk` is `sk > :v`.
    const sortOp = attributeIndex === 0 ? (op as SortOperator) : FLIPPED[op];
    clauses.push({ attribute, op: sortOp, values });
    return undefined;
  };
  return visit(condition) ?? clauses;
}

const SCHEMA_TYPE_MISMATCH = 'One or more parameter values were invalid: Condition parameter type does not match schema type';

export function resolveKeyCondition(keyCondition: Condition, schema: KeySchema): KeyRange {
  const clauses = keyConditionClauses(keyCondition);
  if (typeof clauses === 'string') throw validationError(clauses);
  if ('hashKeys' in schema && (schema.hashKeys.length > 1 || (schema.rangeKeys?.length ?? 0) > 1)) {
    return resolveMultiAttribute(clauses, schema);
  }
  const hashKey = 'hashKeys' in schema ? schema.hashKeys[0] : schema.hashKey;
  const rangeKey = 'hashKeys' in schema ? schema.rangeKeys?.[0] : schema.rangeKey;
  const attributeTypes = schema.attributeTypes;
  const keyCount = rangeKey === undefined ? 1 : 2;
  if (clauses.length > Math.max(2, keyCount)) {
    throw validationError(
      `The number of query conditions (${clauses.length}) exceeds the number of key attributes defined in the schema (${keyCount})`,
    );
  }
  const byAttribute = new Map(clauses.map((c) => [c.attribute, c]));
  const checkTypes = (clause: KeyClause, attribute: string) => {
    const type = attributeTypes[attribute];
    if (clause.values.some((v) => typeOf(v) !== type)) throw validationError(SCHEMA_TYPE_MISMATCH);
  };

  // Partition key: present, of the schema's type, and compared with '='.
  if (rangeKey === undefined && clauses.length > 1) throw validationError('Query key condition not supported');
  const hash = byAttribute.get(hashKey);
  if (!hash) throw validationError('Query condition missed key schema element: ' + hashKey);
  checkTypes(hash, hashKey);
  if (hash.op !== '=') throw validationError('Query key condition not supported');

  const partition = { partitionValue: hash.values[0], partitionKey: { [hashKey]: hash.values[0] } };
  if (rangeKey === undefined) return partition;
  const range = byAttribute.get(rangeKey);
  if (!range) {
    if (clauses.length > 1) throw validationError('Query condition missed key schema element: ' + rangeKey);
    return partition;
  }
  checkTypes(range, rangeKey);
  return { ...partition, sort: { op: range.op, values: range.values } };
}

/**
 * Multi-attribute keys (a GSI whose partition key and sort key each have up to four attributes):
 * every partition key attribute needs an equality; the sort key attributes must be named as a
 * prefix without gaps, and only the last one named may carry a range condition. Real DynamoDB's
 * message for a gap: "RANGE key attributes b must have equality conditions specified in the query
 * because a condition is present on key attribute c" (paritysuite multiAttributeGsiKey.test.ts).
 */
function resolveMultiAttribute(
  clauses: KeyClause[],
  schema: { hashKeys: string[]; rangeKeys?: string[]; attributeTypes: Record<string, 'S' | 'N' | 'B'> },
): KeyRange {
  const hashKeys = schema.hashKeys;
  const rangeKeys = schema.rangeKeys ?? [];
  const keyCount = hashKeys.length + rangeKeys.length;
  if (clauses.length > Math.max(2, keyCount)) {
    throw validationError(
      `The number of query conditions (${clauses.length}) exceeds the number of key attributes defined in the schema (${keyCount})`,
    );
  }
  const byAttribute = new Map(clauses.map((c) => [c.attribute, c]));
  const checkTypes = (clause: KeyClause, attribute: string) => {
    const type = schema.attributeTypes[attribute];
    if (clause.values.some((v) => typeOf(v) !== type)) throw validationError(SCHEMA_TYPE_MISMATCH);
  };

  const partitionValues: AttributeValue[] = [];
  const partitionKey: Record<string, AttributeValue> = {};
  for (const attribute of hashKeys) {
    const clause = byAttribute.get(attribute);
    if (!clause) throw validationError('Query condition missed key schema element: ' + attribute);
    checkTypes(clause, attribute);
    if (clause.op !== '=') throw validationError('Query key condition not supported');
    partitionValues.push(clause.values[0]);
    partitionKey[attribute] = clause.values[0];
  }
  for (const clause of clauses) {
    if (!hashKeys.includes(clause.attribute) && !rangeKeys.includes(clause.attribute)) {
      const missing = rangeKeys.find((k) => !byAttribute.has(k)) ?? clause.attribute;
      throw validationError('Query condition missed key schema element: ' + missing);
    }
  }

  let last = -1;
  rangeKeys.forEach((attribute, i) => {
    if (byAttribute.has(attribute)) last = i;
  });
  const range: KeyRange = { partitionValue: partitionValues[0], partitionKey, partitionValues };
  if (last < 0) return range;
  const notEqual = rangeKeys.slice(0, last).filter((k) => byAttribute.get(k)?.op !== '=');
  if (notEqual.length > 0) {
    throw validationError(
      `RANGE key attributes ${notEqual.join(', ')} must have equality conditions specified in the query because a condition is present on key attribute ${rangeKeys[last]}`,
    );
  }
  const sortPrefix: AttributeValue[] = [];
  for (let i = 0; i <= last; i++) {
    const clause = byAttribute.get(rangeKeys[i])!;
    checkTypes(clause, rangeKeys[i]);
    if (i < last) sortPrefix.push(clause.values[0]);
  }
  const lastClause = byAttribute.get(rangeKeys[last])!;
  return { ...range, sortPrefix, sortAttribute: rangeKeys[last], sort: { op: lastClause.op, values: lastClause.values } };
}
