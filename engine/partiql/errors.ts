/**
 * PartiQL's error texts, each in one place. Sources, in order of trust: statements pinned against
 * real DynamoDB (the "wasn't well formed" details, aliasing, index and transaction wording), then
 * DynamoDB Local's message table (`ddb.partiql.shared.exceptions.ValidationExceptionMessages`,
 * which the service shares), then the developer guide.
 */
import { DynamoDbError, validationError } from '../errors.ts';

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

/**
 * A statement the parser cannot read. Real DynamoDB details include "Unexpected token after
 * expression", "Unexpected term", "Unexpected keyword", "Unexpected operator", "Expected
 * identifier for simple path", "Missing right-hand side expression of infix operator", and an
 * empty detail for characters or literals the tokenizer cannot read.
 */
export function malformed(detail: string): DynamoDbError {
  return validationError(NOT_WELL_FORMED + detail);
}

export const MESSAGES = {
  unexpectedTokenAfterExpression: 'Unexpected token after expression',
  unexpectedTerm: 'Unexpected term',
  unexpectedKeyword: 'Unexpected keyword',
  unexpectedOperator: 'Unexpected operator',
  expectedIdentifierForPath: 'Expected identifier for simple path',
  missingRightHandSide: 'Missing right-hand side expression of infix operator',
  expectedTypeName: 'Expected type name',
  expectedDataManipulation: 'Expected data manipulation',
  expectedKeyword: 'Expected keyword',
  expectedToken: 'Expected token',
  // Our own detail: the service's limit on statement length (8192) stops deep nesting first, so
  // it has no text for this; the parser needs the bound to stay iterative-safe.
  nestingTooDeep: 'Nesting depth exceeded',

  aliasing: 'Aliasing is not supported',
  incompleteKey: 'Where clause does not contain a mandatory equality on all key attributes',
  parameterCount: "Number of parameters in request and statement don't match.",
  fromPathTooLong: 'A path may contain at most 2 components in the FROM clause',
  emptyPathComponent: 'Path component cannot be an empty string',
  noSuchIndex: 'The table does not have the specified index',
  consistentReadOnGsi: 'Strongly consistent read is not supported on Global Secondary Indexes',
  operationOnIndex: 'This operation is not supported on an index',
  duplicateItem: 'Duplicate primary key exists in table',
  insertMultiple: 'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
  insertItemSyntax: 'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
  insertReturning: 'RETURNING is not supported in INSERT',
  missingOutsideIs: 'MISSING must be compared using IS operator',
  emptyBag: 'Empty bags are not supported',
  bagType: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
  starAndOthers: "Other attributes should not be present in the projection when '*' is used.",
  existsOutsideTransaction: 'EXISTS can only be used in ExecuteTransaction write requests.',
  invalidNextToken: 'Invalid NextToken',
  nextTokenMismatch: 'NextToken does not match request',
  orderByWithoutWhere: 'Must have WHERE clause in the statement when using ORDER BY clause.',
  orderByWithoutHashKey: 'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
  batchMixed: 'Read and write requests together in the same batch is not supported.',
  transactionMixed: 'ExecuteTransaction API does not support both read and write operations in the same request.',
  transactionReturning: 'RETURNING clause is not supported in ExecuteTransaction.',
  // Real DynamoDB, eu-west-1, 2026-09 (paritysuite tier2/partiql/executeStatementIndex.test.ts):
  // index-qualified members get it too.
  batchReadKey: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
  // The texts engine/values.ts gives any attribute value; a parameter's 32-bit reading reaches them too.
  numberOverflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  numberUnderflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  multiAttributeIndex: 'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.',
  transactionReadKey: 'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
  transactionReadIndex: 'Reads on indices are not supported within transactions.',
  transactionExistsKey: 'EXISTS() must contain a single item read with additional condition',
  transactionIndex: 'Operations on indices are not supported in transactions',
} as const;

export const formatted = {
  duplicateIdentifier: (name: string) => `Duplicate identifiers in select clause: ${name}`,
  unrecognizedFunction: (name: string, at: string) => `Unrecognized function: ${name} at ${at}`,
  operandCount: (name: string, count: number) =>
    `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
  documentPathRequired: (name: string) => `Operator or function requires a document path; operator or function: ${name}`,
  unsupportedClause: (name: string) => `Unsupported clause: ${name}`,
  unsupportedIsType: (name: string) =>
    `Unsupported data type for IS operator: ${name}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
  multipleKeyConditions: (key: string) => `Multiple conditions on same key ${key}. Only single item Update/Insert/Delete are supported`,
  orderByNotKey: (name: string) => `Variable reference ${name} in ORDER BY clause must be part of the primary key`,
  duplicateTupleKey: (key: string, path: string) => `Duplicate keys in tuple. Key: ${key} under ${path}`,
  invalidDeleteReturning: (clause: string) => `Invalid returning clause: RETURNING ${clause}. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
  unprojectedFilter: (index: string, names: string[]) =>
    `One or more parameter values were invalid: Secondary index ${index} does not project one or more filter attributes: [${names.join(', ')}]`,
  unprojectedSelect: (index: string, names: string[]) =>
    `One or more parameter values were invalid: Global secondary index ${index} does not project [${names.join(', ')}]`,
  unconvertibleNumber: (text: string) => `The parameter cannot be converted to a numeric value: ${text}`,
  inTransaction: (index: number, message: string) => `Validation failed in TransactStatements[${index}]: ${message}`,
};

export function partiqlValidation(message: string): DynamoDbError {
  return validationError(message);
}

/** INSERT of a key that exists: its own error type, not ConditionalCheckFailedException. */
export function duplicateItemError(): DynamoDbError {
  return new DynamoDbError('DuplicateItemException', MESSAGES.duplicateItem);
}
