/**
 * DynamoDB's number rules, checked in the UI before anything is sent: up to 38 significant digits,
 * magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125 (or 0), and the exact
 * messages DynamoDB refuses other numbers with. The engine applies the same rules on the wire
 * (engine/values.ts `normalizeNumber`); the renderer may not import engine code, so this is the
 * UI's own copy, held to the engine's answers by dynamoNumbers.test.ts. Pure string arithmetic:
 * a number is never turned into a double, so no digit is lost.
 */

export const CANNOT_CONVERT = 'The parameter cannot be converted to a numeric value';
export const NUMBER_OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
export const NUMBER_UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
export const TOO_MANY_DIGITS = 'Attempting to store more than 38 significant digits in a Number';

/** How DynamoDB numbers may be written: optional sign, digits with an optional point, optional exponent. */
export const NUMBER_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** DynamoDB keeps the leading digit between 10^-130 and 10^125. */
const MAX_LEADING_POWER = 125;
const MIN_LEADING_POWER = -130;
const MAX_SIGNIFICANT_DIGITS = 38;

/**
 * A number as DynamoDB stores it (plain decimal notation, no exponent, no redundant zeros), or
 * the message DynamoDB refuses it with.
 */
export function checkNumber(text: string): { value: string } | { error: string } {
  if (text === '') return { error: CANNOT_CONVERT };
  // Whitespace around the digits is refused, as DynamoDB refuses it (NUMBER_SYNTAX allows none).
  // Past 1,000 characters DynamoDB refuses a number outright, as the engine does.
  if (!NUMBER_SYNTAX.test(text) || text.length > 1000) return { error: `${CANNOT_CONVERT}: ${text}` };
  const exponentAt = text.search(/[eE]/);
  // DynamoDB reads the written exponent as a 64-bit integer before any range check.
  const writtenExponent = exponentAt < 0 ? 0n : BigInt(text.slice(exponentAt + 1));
  if (writtenExponent > INT64_MAX || writtenExponent < INT64_MIN) return { error: `${CANNOT_CONVERT}: ${text}` };
  const { sign, digits, exponent } = decomposeDecimal(text);
  if (sign === 0) {
    // Zero is judged by the exponent it was written with: 0e126 overflows, 0e-131 underflows.
    if (writtenExponent > BigInt(MAX_LEADING_POWER)) return { error: NUMBER_OVERFLOW };
    if (writtenExponent < BigInt(MIN_LEADING_POWER)) return { error: NUMBER_UNDERFLOW };
    return { value: '0' };
  }
  const leadingPower = exponent - 1;
  if (leadingPower > MAX_LEADING_POWER) return { error: NUMBER_OVERFLOW };
  if (leadingPower < MIN_LEADING_POWER) return { error: NUMBER_UNDERFLOW };
  if (digits.length > MAX_SIGNIFICANT_DIGITS) return { error: TOO_MANY_DIGITS };
  return { value: (sign < 0 ? '-' : '') + fixedNotation(digits, exponent) };
}

/**
 * A decimal string (already known to match NUMBER_SYNTAX) as sign × 0.digits × 10^exponent, with
 * no leading or trailing zeros in digits:
 *
 *   "-012.50e1" → sign -1, digits "125", exponent 3   (-0.125 × 10^3 = -125)
 *   "0.000"     → sign 0
 */
export function decomposeDecimal(text: string): { sign: -1 | 0 | 1; digits: string; exponent: number } {
  const t = text.trim();
  const negative = t.startsWith('-');
  const [mantissa = '0', power = '0'] = t.replace(/^[+-]/, '').toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const all = whole + fraction;
  const first = firstNonZero(all, 0, 1);
  if (first === all.length) return { sign: 0, digits: '', exponent: 0 };
  const last = firstNonZero(all, all.length - 1, -1);
  return { sign: negative ? -1 : 1, digits: all.slice(first, last + 1), exponent: whole.length + Number(power) - first };
}

/** Index of the first character other than '0' walking from `from` in `step`s; the length (or -1) if none. */
function firstNonZero(text: string, from: number, step: 1 | -1): number {
  let i = from;
  while (i >= 0 && i < text.length && text[i] === '0') i += step;
  return i < 0 ? -1 : i;
}

/** 0.digits × 10^exponent written out without an exponent: ("125", 1) → "1.25", ("5", -2) → "0.0005". */
function fixedNotation(digits: string, exponent: number): string {
  if (exponent <= 0) return `0.${'0'.repeat(-exponent)}${digits}`;
  if (exponent >= digits.length) return digits + '0'.repeat(exponent - digits.length);
  return `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
}
