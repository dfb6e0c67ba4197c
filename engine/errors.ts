/**
 * DynamoDB's errors, word for word. Each error carries the `__type` the service sends, its HTTP
 * status and its message. Build them through the factories below so each text exists once.
 *
 * Real DynamoDB namespaces its errors differently by origin: request validation and serialization
 * come from the Coral framework (`com.amazon.coral.validate#ValidationException`,
 * `com.amazon.coral.service#SerializationException`), service errors from the DynamoDB model
 * (`com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`). SDKs read the part after `#`.
 */
const DYNAMODB_NS = 'com.amazonaws.dynamodb.v20120810#';
const CORAL_VALIDATE_NS = 'com.amazon.coral.validate#';
const CORAL_SERVICE_NS = 'com.amazon.coral.service#';

export class DynamoDbError extends Error {
  /** Extra top-level members of the error body (e.g. CancellationReasons, Item). */
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    /** The short error code, e.g. "ValidationException". */
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    readonly namespace = DYNAMODB_NS,
    extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
    this.extra = extra;
  }

  get type(): string {
    return this.namespace + this.code;
  }

  /** The JSON body DynamoDB sends for this error. */
  toJSON(): Record<string, unknown> {
    // SerializationException and AccessDeniedException are sent with a capitalised `Message`.
    const body: Record<string, unknown> = { __type: this.type };
    if (this.message) body[CAPITALISED_MESSAGE.has(this.code) ? 'Message' : 'message'] = this.message;
    if (this.extra) Object.assign(body, this.extra);
    return body;
  }
}

const CAPITALISED_MESSAGE = new Set(['SerializationException', 'AccessDeniedException']);

export function validationError(message: string): DynamoDbError {
  return new DynamoDbError('ValidationException', message, 400, CORAL_VALIDATE_NS);
}

/**
 * The same failure inside the "1 validation error detected: " envelope, in which the service
 * reports some checks it makes after the request's shape (see the item writes in items.ts).
 */
export function inValidationEnvelope(error: unknown): unknown {
  if (!(error instanceof DynamoDbError) || error.code !== 'ValidationException') return error;
  return validationError(`1 validation error detected: ${error.message}`);
}

export function serializationError(message?: string): DynamoDbError {
  return new DynamoDbError('SerializationException', message ?? '', 400, CORAL_SERVICE_NS);
}

export function unknownOperationError(): DynamoDbError {
  return new DynamoDbError('UnknownOperationException', '', 400, CORAL_SERVICE_NS);
}

/**
 * The authorisation refusal DynamoDB sends for a table ARN that names no table the caller can
 * reach: such a table has no resource-based policy to allow the action. The body's shape is the
 * service's (`{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: ... is
 * not authorized to perform: dynamodb:PutItem on resource: ..."}`); the local engine has no IAM
 * principal, so the account's root stands in for the caller.
 */
export function accessDenied(accountId: string, operation: string, resourceArn: string): DynamoDbError {
  return new DynamoDbError(
    'AccessDeniedException',
    `User: arn:aws:iam::${accountId}:root is not authorized to perform: dynamodb:${operation} on resource: ${resourceArn} because no resource-based policy allows the dynamodb:${operation} action`,
    400,
    CORAL_SERVICE_NS,
  );
}

export function resourceNotFound(message = 'Requested resource not found'): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', message);
}

export function tableNotFound(tableName: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Table: ${tableName} not found`);
}

export function resourceInUse(message: string): DynamoDbError {
  return new DynamoDbError('ResourceInUseException', message);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): DynamoDbError {
  return new DynamoDbError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    DYNAMODB_NS,
    item ? { Item: item } : undefined,
  );
}

export function limitExceeded(message: string): DynamoDbError {
  return new DynamoDbError('LimitExceededException', message);
}

export function provisionedThroughputExceeded(): DynamoDbError {
  return new DynamoDbError(
    'ProvisionedThroughputExceededException',
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  );
}

export function internalServerError(): DynamoDbError {
  return new DynamoDbError('InternalServerError', 'Internal server error', 500);
}

export function isDynamoDbError(e: unknown): e is DynamoDbError {
  return e instanceof DynamoDbError;
}
