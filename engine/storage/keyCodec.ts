/**
 * Order-preserving, self-delimiting binary encoding of key values, so a table's items can live in
 * one ordered keyspace: [prefix][hash of partition key][partition key][sort key].
 *
 * S and B: the bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x01. Escaping keeps the
 * terminator below every escaped byte pair, so "ab" < "ab\0" < "abc" holds after encoding, and a
 * value is a prefix of another exactly when its escaped bytes are.
 *
 * N: a sign byte (0x01 negative, 0x02 zero, 0x03 positive), then for non-zero numbers a 2-byte
 * exponent (position of the leading digit, biased by 0x8000) and the significant digits as ASCII,
 * ended by 0x00. Negative numbers invert the exponent and digit bytes (and end with 0xFF), which
 * reverses their order. Worked example: 150 -> 03 80 03 '1' '5' 00; -1.5 -> 01 7f fe ce ca ff.
 */
import type { AttributeValue } from '../types.ts';

const ESCAPED_ZERO = Buffer.from([0x00, 0xff]);
const STRING_END = Buffer.from([0x00, 0x01]);

function encodeBytes(bytes: Buffer): Buffer {
  if (!bytes.includes(0)) return Buffer.concat([bytes, STRING_END]);
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      parts.push(bytes.subarray(from, i), ESCAPED_ZERO);
      from = i + 1;
    }
  }
  parts.push(bytes.subarray(from), STRING_END);
  return Buffer.concat(parts);
}

/** Encoded bytes of a string/binary prefix, without terminator: keys beginning with it start with these bytes. */
export function encodePrefix(value: AttributeValue): Buffer {
  const encoded = encodeKeyValue(value);
  return encoded.subarray(0, encoded.length - STRING_END.length);
}

function encodeNumber(text: string): Buffer {
  let negative = false;
  let digits = text;
  if (digits.startsWith('-')) {
    negative = true;
    digits = digits.slice(1);
  } else if (digits.startsWith('+')) {
    digits = digits.slice(1);
  }
  // Normalised numbers (values.ts) are plain decimals; an exponent is still accepted.
  let exponent = 0;
  const e = digits.search(/[eE]/);
  if (e >= 0) {
    exponent = Number(digits.slice(e + 1));
    digits = digits.slice(0, e);
  }
  const dot = digits.indexOf('.');
  let intPart = dot >= 0 ? digits.slice(0, dot) : digits;
  let fracPart = dot >= 0 ? digits.slice(dot + 1) : '';
  intPart = intPart.replace(/^0+/, '');
  let significand: string;
  let position: number; // exponent of the leading digit: 150 -> 3, 0.05 -> -1
  if (intPart.length > 0) {
    significand = (intPart + fracPart).replace(/0+$/, '');
    position = intPart.length + exponent;
  } else {
    const leadingZeros = fracPart.length - fracPart.replace(/^0+/, '').length;
    fracPart = fracPart.slice(leadingZeros).replace(/0+$/, '');
    if (fracPart.length === 0) return Buffer.from([0x02]);
    significand = fracPart;
    position = -leadingZeros + exponent;
  }
  if (significand.length === 0) return Buffer.from([0x02]);
  const out = Buffer.alloc(3 + significand.length + 1);
  const biased = position + 0x8000;
  out[0] = negative ? 0x01 : 0x03;
  out.writeUInt16BE(negative ? 0xffff - biased : biased, 1);
  for (let i = 0; i < significand.length; i++) {
    const c = significand.charCodeAt(i);
    out[3 + i] = negative ? 0xff - c : c;
  }
  out[out.length - 1] = negative ? 0xff : 0x00;
  return out;
}

export function encodeKeyValue(value: AttributeValue): Buffer {
  if ('S' in value) return encodeBytes(Buffer.from(value.S, 'utf8'));
  if ('N' in value) return encodeNumber(value.N);
  if ('B' in value) return encodeBytes(Buffer.from(value.B, 'base64'));
  throw new Error('key values are S, N or B');
}

/** Size of the key space the partition hash spans (2^32); parallel-scan segments split it evenly. */
export const HASH_SPACE = 2 ** 32;

/**
 * A 4-byte hash of the encoded partition key: the first level of the item layout. FNV-1a over the
 * bytes with murmur3's final mix for avalanche: cheap for short keys (no crypto call on the hot
 * path) and evenly spread, so parallel-scan segments and partition heat ranges are balanced.
 * It is part of the stored layout: changing it orphans existing data.
 */
export function partitionHash(encodedPartitionKey: Buffer): Buffer {
  let h = 0x811c9dc5;
  for (let i = 0; i < encodedPartitionKey.length; i++) {
    h ^= encodedPartitionKey[i];
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(h >>> 0, 0);
  return out;
}

/** Bytes strictly greater than every key beginning with `prefix` (for exclusive range ends). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.concat([prefix, Buffer.alloc(64, 0xff)]);
}
