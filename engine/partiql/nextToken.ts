/**
 * ExecuteStatement's NextToken: an opaque string carrying the LastEvaluatedKey of the page before,
 * bound to the statement and parameters it came from so it cannot resume a different query.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, Item } from '../types.ts';
import { validationError } from '../errors.ts';
import { MESSAGES } from './errors.ts';

interface TokenBody {
  /** Fingerprint of the statement and its parameters. */
  f: string;
  /** The ExclusiveStartKey of the next page. */
  k: Item;
}

export function requestFingerprint(statement: string, parameters: AttributeValue[] | undefined): string {
  return createHash('sha256')
    .update(statement)
    .update('\u0000')
    .update(JSON.stringify(parameters ?? []))
    .digest('base64url')
    .slice(0, 22);
}

export function encodeNextToken(fingerprint: string, lastEvaluatedKey: Item): string {
  const body: TokenBody = { f: fingerprint, k: lastEvaluatedKey };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The start key a NextToken carries, or DynamoDB's "Invalid NextToken" / mismatch errors. */
export function decodeNextToken(token: string, fingerprint: string): Item {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw validationError(MESSAGES.invalidNextToken);
  }
  const candidate = body as Partial<TokenBody> | null;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.f !== 'string' || !candidate.k || typeof candidate.k !== 'object') {
    throw validationError(MESSAGES.invalidNextToken);
  }
  if (candidate.f !== fingerprint) throw validationError(MESSAGES.nextTokenMismatch);
  return candidate.k;
}
