import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { APP_ERROR } from '../contract.ts';
import { AppError } from './wireError.ts';
import type { Credentials } from './secrets.ts';

export interface RemoteTarget {
  region: string;
  endpointUrl?: string;
  profile?: string;
  credentials?: Credentials;
  /** Attempts per call (the SDK retries network failures); 3 unless set. */
  maxAttempts?: number;
}

/**
 * A DynamoDB service reached through the AWS SDK: AWS itself (by profile or keys), or any
 * DynamoDB-compatible endpoint (DynamoDB Local, LocalStack, ScyllaDB Alternator).
 * The SDK is imported on first use so the app starts without loading it.
 */
export class RemoteDynamo {
  private client: DynamoDBClient | undefined;

  constructor(private readonly target: RemoteTarget) {}

  async call(operation: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const sdk = await import('@aws-sdk/client-dynamodb');
    const Command = (sdk as unknown as Record<string, unknown>)[`${operation}Command`];
    if (typeof Command !== 'function') {
      // What DynamoDB itself answers for an X-Amz-Target it does not know.
      throw new AppError('UnknownOperationException', `Unknown operation: ${operation}`);
    }
    this.client ??= this.createClient(sdk.DynamoDBClient);
    const command = new (Command as new (input: unknown) => Parameters<DynamoDBClient['send']>[0])(toSdkShapes(input));
    const output = (await this.client.send(command, { abortSignal: signal }).catch((error: unknown) => {
      throw unreachableOr(error, this.target);
    })) as unknown as Record<string, unknown>;
    const { $metadata: _metadata, ...rest } = output;
    return fromSdkShapes(rest) as Record<string, unknown>;
  }

  close(): void {
    this.client?.destroy();
    this.client = undefined;
  }

  private createClient(Client: typeof DynamoDBClient): DynamoDBClient {
    return new Client(clientConfig(this.target));
  }
}

/**
 * A failure to reach the service at all (refused, unknown host, reset, timed out) as
 * EndpointUnreachable naming where it tried; anything else (DynamoDB's own errors) unchanged.
 * Node reports these as system errors: a `code` such as ECONNREFUSED together with a `syscall`.
 */
export function unreachableOr(error: unknown, target: RemoteTarget): unknown {
  const { code, syscall } = (error ?? {}) as { code?: unknown; syscall?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string') return error;
  const where = target.endpointUrl ?? `DynamoDB in ${target.region}`;
  return new AppError(APP_ERROR.unreachable, `Could not reach ${where}: ${(error as Error).message}`);
}

/** The SDK client configuration for a target; shared by the DynamoDB and DynamoDB Streams clients. */
export function clientConfig(target: RemoteTarget) {
  const { region, endpointUrl, profile, credentials } = target;
  let resolvedCredentials: Credentials | undefined = credentials;
  // Local emulators accept any signature but the SDK refuses to sign without credentials, so
  // give an endpoint with neither keys nor profile placeholder ones instead of a confusing failure.
  if (!resolvedCredentials && !profile && endpointUrl) {
    resolvedCredentials = { accessKeyId: 'dynamo-lens', secretAccessKey: 'dynamo-lens' };
  }
  return {
    region,
    ...(endpointUrl ? { endpoint: endpointUrl } : {}),
    ...(profile ? { profile } : {}),
    ...(resolvedCredentials ? { credentials: resolvedCredentials } : {}),
    maxAttempts: target.maxAttempts ?? 3,
  };
}

/**
 * The wire carries binary attribute values (B, BS) as base64 strings; the SDK wants bytes.
 * An attribute value is the only object whose sole key is "B" with a string (or "BS" with an array
 * of strings): map values are objects and expression names start with "#", so nothing else matches.
 */
export function toSdkShapes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSdkShapes);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[key, inner]] = entries;
    if (key === 'B' && typeof inner === 'string') return { B: Buffer.from(inner, 'base64') };
    if (key === 'BS' && Array.isArray(inner) && inner.every((v) => typeof v === 'string')) {
      return { BS: inner.map((v: string) => Buffer.from(v, 'base64')) };
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, toSdkShapes(v)]));
}

/** Turns the SDK's bytes back into base64 and its Dates into epoch seconds, as the wire has them. */
export function fromSdkShapes(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(fromSdkShapes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromSdkShapes(v)]));
}
