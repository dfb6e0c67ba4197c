/**
 * TransactWriteItems' ClientRequestToken, kept in the store beside the data it protects:
 *
 *   0x04 id                  -> at (8 bytes, BE) + request fingerprint (16 bytes)
 *   0x05 at (8 bytes, BE) id -> empty: the records in order of expiry
 *
 * where id is 16 bytes of SHA-256 over the caller's account, region and token. Records are
 * small and fixed-size on purpose: at thousands of transactions a second the window holds
 * millions of them.
 *
 * A token is recorded in the same atomic write as its transaction, so after a crash or restart
 * it is there exactly when the transaction's changes are, and a retry within the window (what
 * every SDK does after a timeout) is answered without applying the changes twice.
 *
 * A lookup is one B-tree read. Expired records are removed a few at a time by the writes that
 * record new tokens, oldest first through the expiry order, so the cost per transaction stays
 * constant however many tokens the window holds.
 */
import { createHash } from 'node:crypto';
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

const ID_BYTES = 16;

export interface TokenRecord {
  /** When the request completed (milliseconds since the epoch). */
  at: number;
  /** A digest of the request the token was first used with. */
  fingerprint: Buffer;
}

/** A digest of a request, to tell a retry from a different request with the same token. */
export function requestFingerprint(request: unknown): Buffer {
  return createHash('sha256').update(JSON.stringify(request)).digest().subarray(0, ID_BYTES);
}

/** Tokens are the caller's: one account and region's tokens never answer another's requests. */
function tokenKey(scope: string, token: string): Buffer {
  const key = Buffer.allocUnsafe(1 + ID_BYTES);
  key[0] = TOKENS;
  createHash('sha256').update(`${scope}\u0000${token}`).digest().copy(key, 1, 0, ID_BYTES);
  return key;
}

function expiryKey(at: number, key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(9 + ID_BYTES);
  out[0] = TOKEN_EXPIRY;
  out.writeBigUInt64BE(BigInt(at), 1);
  key.copy(out, 9, 1);
  return out;
}

function readRecord(raw: Buffer | undefined): TokenRecord | undefined {
  return raw ? { at: Number(raw.readBigUInt64BE(0)), fingerprint: raw.subarray(8) } : undefined;
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
  record(w: KvWriter, scope: string, token: string, fingerprint: Buffer, now: number): void {
    const key = tokenKey(scope, token);
    const expired = readRecord(w.get(key));
    if (expired) w.remove(expiryKey(expired.at, key));
    const value = Buffer.allocUnsafe(8 + fingerprint.length);
    value.writeBigUInt64BE(BigInt(now), 0);
    fingerprint.copy(value, 8);
    w.put(key, value);
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
