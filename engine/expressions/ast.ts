/**
 * The compiled forms of DynamoDB expressions: names and values already resolved, every static check
 * done. These are plain JSON-able objects so they can be cached or logged.
 */
import type { AttributeValue } from '../types.ts';

/** One step of a document path: a map key (or top-level attribute name) or a list index. */
export type PathElement = string | number;
/** A document path such as `a.b[1].c` -> ['a', 'b', 1, 'c']. The first element is always a string. */
export type DocumentPath = PathElement[];

/** Which request parameter an expression came from; used to prefix errors found while evaluating. */
export type ExpressionName =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression'
  | 'SearchConditionExpression';

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A value-producing operand of a condition or of a SET action. */
export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand }
  // The three below only occur in UpdateExpression SET actions.
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: Operand }
  | { kind: 'list_append'; first: Operand; second: Operand }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Operand; right: Operand };

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'attribute_exists'; path: DocumentPath }
  | { kind: 'attribute_not_exists'; path: DocumentPath }
  | { kind: 'attribute_type'; path: DocumentPath; type: Operand; expression: ExpressionName }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; member: Operand };

export type UpdateAction =
  | { action: 'SET'; path: DocumentPath; value: Operand }
  | { action: 'REMOVE'; path: DocumentPath }
  | { action: 'ADD'; path: DocumentPath; value: AttributeValue }
  | { action: 'DELETE'; path: DocumentPath; value: AttributeValue };

export interface Update {
  /** Actions in the order they were written. */
  actions: UpdateAction[];
  /** Compiled from legacy AttributeUpdates, whose ADD/DELETE type errors read differently. */
  legacy?: boolean;
}
