import { isDynamoDbError } from '../../engine/errors.ts';
import { APP_ERROR, type WireError } from '../contract.ts';

/** A failure raised by Dynamo Lens itself (bad request, unknown connection), already in wire form. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * Reduces any failure to DynamoDB's `{code, message}`. The engine's DynamoDbError and the AWS SDK's
 * service exceptions both carry DynamoDB's type (`code` / `name`) and message; anything else is an
 * internal error whose message is kept and whose stack is dropped, so no trace reaches the UI.
 */
export function toWireError(error: unknown): WireError {
  if (isDynamoDbError(error)) return { code: error.code, message: error.message };
  // The same class loaded twice (a bundled main next to the engine's sources) fails instanceof,
  // so recognise DynamoDbError by its shape too.
  if (error instanceof Error) {
    const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
    if (typeof code === 'string' && typeof statusCode === 'number') return { code, message: error.message };
  }
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    // AWS SDK v3 service exceptions: `name` is the DynamoDB error code and `$metadata` is present.
    if ('$metadata' in error && error.name && error.name !== 'Error') {
      return { code: error.name, message: error.message };
    }
    if (error.name === 'AbortError') return { code: 'AbortError', message: 'The request was cancelled' };
    return { code: APP_ERROR.internal, message: error.message || String(error) };
  }
  return { code: APP_ERROR.internal, message: String(error) };
}
