/**
 * Shard iterators. The service's look like "<stream arn>|1|<opaque base64>"; ours carry the
 * shard, the next sequence number to read and the time of issue in the opaque part, so they need
 * no server-side state and keep working across an engine restart.
 */
import { validationError } from '../errors.ts';

export interface IteratorPosition {
  streamArn: string;
  shardId: string;
  /** The next sequence number to read. */
  position: number;
  /** Epoch milliseconds of issue: iterators expire 15 minutes later. */
  issuedAt: number;
}

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export function encodeIterator(it: IteratorPosition): string {
  const payload = Buffer.from(JSON.stringify({ s: it.shardId, p: it.position, t: it.issuedAt })).toString('base64');
  return `${it.streamArn}|1|${payload}`;
}

export function decodeIterator(text: string): IteratorPosition {
  const invalid = () => validationError('Invalid ShardIterator');
  const cut = text.lastIndexOf('|');
  const head = cut > 0 ? text.slice(0, cut) : '';
  if (!head.endsWith('|1')) throw invalid();
  const streamArn = head.slice(0, -2);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(text.slice(cut + 1), 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { s, p, t } = (payload ?? {}) as { s?: unknown; p?: unknown; t?: unknown };
  if (!streamArn.includes('/stream/') || typeof s !== 'string' || !Number.isSafeInteger(p) || typeof t !== 'number' || (p as number) < 0) {
    throw invalid();
  }
  return { streamArn, shardId: s, position: p as number, issuedAt: t };
}
