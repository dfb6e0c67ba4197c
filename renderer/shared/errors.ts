/** Plain-words lead-ins for DynamoDB's error codes; DynamoDB's own message is always shown after. */
const PLAIN_WORDS: Record<string, string> = {
  ResourceNotFoundException: 'That table or index does not exist.',
  ResourceInUseException: 'That table already exists or is busy.',
  ValidationException: 'DynamoDB rejected the request as invalid.',
  ConditionalCheckFailedException: 'The item changed since you loaded it, so it was not overwritten.',
  TransactionCanceledException: 'The transaction was cancelled.',
  ProvisionedThroughputExceededException: 'The table is over its provisioned throughput.',
  LimitExceededException: 'A DynamoDB limit was reached.',
  SerializationException: 'The request could not be read.',
  UnknownOperationException: 'This service does not support that operation.',
  UnrecognizedClientException: 'The credentials were not accepted.',
  AccessDeniedException: 'These credentials are not allowed to do that.',
  ItemCollectionSizeLimitExceededException: 'An item collection grew past 10 GB.',
  InternalServerError: 'DynamoDB had an internal error.',
  InvalidParameterValueException: 'A trigger setting is outside what Lambda allows.',
  UnknownConnection: 'That connection no longer exists.',
  BadRequest: 'The request is incomplete.',
  Disconnected: 'The connection to the app was lost.',
  EndpointUnreachable: 'The endpoint is unreachable.',
  ConfirmationRequired: 'Existing tables would change.',
  InternalError: 'Something went wrong inside Dynamo Lens.',
};

export function plainWords(code: string): string {
  return PLAIN_WORDS[code] ?? 'The request failed.';
}
