/**
 * The PartiQL tokenizer: one linear pass over the statement, no regular expressions, so hostile
 * input cannot make it backtrack.
 *
 * Token kinds:
 *   word      [A-Za-z_][A-Za-z0-9_$]*   keywords, bare attribute and table names, function names
 *   quoted    "..." ("" escapes ")    a quoted identifier: table, index or attribute name
 *   string    '...' ('' escapes ')    a string literal
 *   number    123, 1.5, .5, 1e10       unsigned; a leading minus is an operator
 *   punct     * , . ( ) [ ] { } : ; ? = <> != < <= > >= << >> + - /
 *   eof       the end of the statement
 *
 * `--` comments run to the end of the line and `/* ... *\/` comments may span lines.
 */
import { malformed } from './errors.ts';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's text: unescaped for quoted names and strings, upper-cased nowhere. */
  text: string;
  start: number;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === 36; // $
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

const TWO_CHAR_PUNCT = new Set(['<>', '!=', '<=', '>=', '<<', '>>']);
const ONE_CHAR_PUNCT = new Set(['*', ',', '.', '(', ')', '[', ']', '{', '}', ':', ';', '?', '=', '<', '>', '+', '-', '/']);

// The service rejects a number whose exponent does not fit a 32-bit integer (Java's BigDecimal
// scale) with the bare "wasn't well formed" envelope.
const MAX_EXPONENT = 2147483647;

/** Reads a quoted run ending at `quote`, where a doubled quote stands for one. */
function readQuoted(input: string, start: number, quote: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  let runStart = i;
  while (i < input.length) {
    if (input.charCodeAt(i) === quote) {
      if (input.charCodeAt(i + 1) === quote) {
        text += input.slice(runStart, i + 1);
        i += 2;
        runStart = i;
        continue;
      }
      return { text: text + input.slice(runStart, i), end: i + 1 };
    }
    i++;
  }
  // An unterminated string or name: the service answers with nothing after the colon.
  throw malformed('');
}

function readNumber(input: string, start: number): number {
  let i = start;
  while (isDigit(input.charCodeAt(i))) i++;
  if (input.charCodeAt(i) === 46 /* . */ && isDigit(input.charCodeAt(i + 1))) {
    i++;
    while (isDigit(input.charCodeAt(i))) i++;
  } else if (input.charCodeAt(i) === 46 && i > start) {
    i++; // "1." is a number
  }
  const e = input.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = input.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(input.charCodeAt(j))) {
      const digitsStart = j;
      while (isDigit(input.charCodeAt(j))) j++;
      const digits = input.slice(digitsStart, j).replace(/^0+/, '');
      if (digits.length > 10 || Number(digits) > MAX_EXPONENT) throw malformed('');
      i = j;
    }
  }
  return i;
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const length = input.length;
  let i = 0;
  while (i < length) {
    const c = input.charCodeAt(i);
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === 45 && input.charCodeAt(i + 1) === 45) {
      // -- comment to the end of the line
      i += 2;
      while (i < length && input.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && input.charCodeAt(i + 1) === 42) {
      const close = input.indexOf('*/', i + 2);
      if (close < 0) throw malformed('');
      i = close + 2;
      continue;
    }
    const start = i;
    if (isWordStart(c)) {
      i++;
      while (i < length && isWordPart(input.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), start });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(input.charCodeAt(i + 1)))) {
      i = readNumber(input, i);
      tokens.push({ kind: 'number', text: input.slice(start, i), start });
      continue;
    }
    if (c === 34 || c === 39) {
      const { text, end } = readQuoted(input, i, c);
      tokens.push({ kind: c === 34 ? 'quoted' : 'string', text, start });
      i = end;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (TWO_CHAR_PUNCT.has(two)) {
      tokens.push({ kind: 'punct', text: two, start });
      i += 2;
      continue;
    }
    const one = input[i];
    if (ONE_CHAR_PUNCT.has(one)) {
      tokens.push({ kind: 'punct', text: one, start });
      i++;
      continue;
    }
    // Any other character (#, @, `, ...) is refused with nothing after the colon, as the service does.
    throw malformed('');
  }
  tokens.push({ kind: 'eof', text: '', start: length });
  return tokens;
}
