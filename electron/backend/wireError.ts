import { isDynamoDbError } from '../../engine/errors.ts';
import { APP_ERROR, type CancellationReason, type WireError } from '../contract.ts';
import { fromSdkShapes } from './remoteDynamo.ts';

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
  if (isDynamoDbError(error)) return withReasons({ code: error.code, message: error.message }, error.extra?.CancellationReasons);
  // The same class loaded twice (a bundled main next to the engine's sources) fails instanceof,
  // so recognise DynamoDbError by its shape too.
  if (error instanceof Error) {
    const { code, statusCode, extra } = error as Error & { code?: unknown; statusCode?: unknown; extra?: Record<string, unknown> };
    if (typeof code === 'string' && typeof statusCode === 'number') return withReasons({ code, message: error.message }, extra?.CancellationReasons);
  }
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    // AWS SDK v3 service exceptions: `name` is the DynamoDB error code and `$metadata` is present;
    // TransactionCanceledException carries its reasons with items in the SDK's shapes (bytes).
    if ('$metadata' in error && error.name && error.name !== 'Error') {
      const reasons = (error as Error & { CancellationReasons?: unknown }).CancellationReasons;
      return withReasons({ code: error.name, message: error.message }, reasons && fromSdkShapes(reasons));
    }
    if (error.name === 'AbortError') return { code: 'AbortError', message: 'The request was cancelled' };
    return { code: APP_ERROR.internal, message: error.message || String(error) };
  }
  return { code: APP_ERROR.internal, message: String(error) };
}

/** Keeps a cancelled transaction's per-action reasons, when the error has them. */
function withReasons(wire: WireError, reasons: unknown): WireError {
  return Array.isArray(reasons) ? { ...wire, cancellationReasons: reasons as CancellationReason[] } : wire;
}
