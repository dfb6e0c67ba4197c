/**
 * TransactWriteItems' ClientRequestToken, kept in the store beside the data it protects:
 *
 *   0x04 scope token                 -> { fingerprint, at } JSON
 *   0x05 at (8 bytes, BE) scope token -> empty: the records in order of expiry
 *
 * A token is recorded in the same atomic write as its transaction, so after a crash or restart
 * it is there exactly when the transaction's changes are, and a retry within the window (what
 * every SDK does after a timeout) is answered without applying the changes twice.
 *
 * A lookup is one B-tree read. Expired records are removed a few at a time by the writes that
 * record new tokens, oldest first through the expiry order, so the cost per transaction stays
 * constant however many tokens the window holds.
 */
import type { KvStore, KvWriter } from './storage/kv.ts';

const TOKENS = 0x04;
const TOKEN_EXPIRY = 0x05;
/** Records of expired tokens removed by each write that records a token (at most). */
const SWEEP_PER_WRITE = 4;

/**
 * "A client request token is valid for 10 minutes after the first request that uses it is
 * completed. After 10 minutes, any request with the same client token is treated as a new
 * request." (TransactWriteItems, ClientRequestToken.)
 */
export const CLIENT_REQUEST_TOKEN_WINDOW_MS = 10 * 60 * 1000;

export interface TokenRecord {
  /** A digest of the request the token was first used with. */
  fingerprint: string;
  /** When that request completed (milliseconds since the epoch). */
  at: number;
}

/** Tokens are the caller's: one account and region's tokens never answer another's requests. */
function tokenKey(scope: string, token: string): Buffer {
  return Buffer.concat([Buffer.from([TOKENS]), Buffer.from(`${scope}\u0000${token}`, 'utf8')]);
}

function expiryKey(at: number, key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(9 + key.length - 1);
  out[0] = TOKEN_EXPIRY;
  out.writeBigUInt64BE(BigInt(at), 1);
  key.copy(out, 9, 1);
  return out;
}

function readRecord(raw: Buffer | undefined): TokenRecord | undefined {
  return raw ? (JSON.parse(raw.toString('utf8')) as TokenRecord) : undefined;
}

export class ClientRequestTokens {
  constructor(
    private readonly store: KvStore,
    private readonly windowMs: number,
  ) {}

  /** Inside a write: the token's record while it is within its window. */
  find(w: KvWriter, scope: string, token: string, now: number): TokenRecord | undefined {
    const record = readRecord(w.get(tokenKey(scope, token)));
    return record && now - record.at < this.windowMs ? record : undefined;
  }

  /** Inside the transaction's own write: records the token, and retires a few expired ones. */
  record(w: KvWriter, scope: string, token: string, fingerprint: string, now: number): void {
    const key = tokenKey(scope, token);
    const expired = readRecord(w.get(key));
    if (expired) w.remove(expiryKey(expired.at, key));
    w.put(key, Buffer.from(JSON.stringify({ fingerprint, at: now } satisfies TokenRecord)));
    w.put(expiryKey(now, key), Buffer.alloc(0));
    this.retireExpired(w, now);
  }

  private retireExpired(w: KvWriter, now: number): void {
    const start = Buffer.from([TOKEN_EXPIRY]);
    const end = Buffer.alloc(9);
    end[0] = TOKEN_EXPIRY;
    end.writeBigUInt64BE(BigInt(Math.max(0, now - this.windowMs + 1)), 1);
    const due: Buffer[] = [];
    for (const { key } of this.store.range(start, end)) {
      due.push(key);
      if (due.length === SWEEP_PER_WRITE) break;
    }
    for (const entry of due) {
      w.remove(entry);
      const key = Buffer.concat([Buffer.from([TOKENS]), entry.subarray(9)]);
      // The token may have been used again since (a new record with its own expiry entry).
      if (readRecord(w.get(key))?.at === Number(entry.readBigUInt64BE(1))) w.remove(key);
    }
  }
}
