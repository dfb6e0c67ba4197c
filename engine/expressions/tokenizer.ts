/**
 * The expression tokenizer: one linear pass, no regular expressions, so hostile input cannot make it
 * backtrack. Whitespace (space, tab, CR, LF) separates tokens and is dropped.
 *
 * Token kinds:
 *   ident   [A-Za-z_][A-Za-z0-9_]*   attribute names, keywords (AND, SET, ...) and function names
 *   name    #[A-Za-z0-9_]+           an ExpressionAttributeNames placeholder
 *   value   :[A-Za-z0-9_]+           an ExpressionAttributeValues placeholder
 *   number  [0-9]+                   only meaningful as a list index
 *   punct   ( ) [ ] , . = <> < <= > >= + -
 *   other   any other single character, including a lone # or :
 *   eof     the end of the input, shown as <EOF> in syntax errors
 */

export type TokenKind = 'ident' | 'name' | 'value' | 'number' | 'punct' | 'other' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
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
    const start = i;
    let kind: TokenKind;
    if (isLetter(c)) {
      i++;
      while (i < length && (isLetter(input.charCodeAt(i)) || isDigit(input.charCodeAt(i)))) i++;
      kind = 'ident';
    } else if (isDigit(c)) {
      i++;
      while (i < length && isDigit(input.charCodeAt(i))) i++;
      kind = 'number';
    } else if ((c === 35 || c === 58) && i + 1 < length && (isLetter(input.charCodeAt(i + 1)) || isDigit(input.charCodeAt(i + 1)))) {
      // # or : followed by at least one name character
      i += 2;
      while (i < length && (isLetter(input.charCodeAt(i)) || isDigit(input.charCodeAt(i)))) i++;
      kind = c === 35 ? 'name' : 'value';
    } else if (c === 60) {
      // <, <=, <>
      const n = input.charCodeAt(i + 1);
      i += n === 61 || n === 62 ? 2 : 1;
      kind = 'punct';
    } else if (c === 62) {
      // >, >=
      i += input.charCodeAt(i + 1) === 61 ? 2 : 1;
      kind = 'punct';
    } else if ('()[],.=+-'.includes(input[i])) {
      i++;
      kind = 'punct';
    } else {
      // One character (a whole code point, so surrogate pairs are not split).
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < length ? 2 : 1;
      kind = 'other';
    }
    tokens.push({ kind, text: input.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: length, end: length });
  return tokens;
}

/**
 * DynamoDB's syntax error text: the offending token, and the source from the start of the token
 * before it to the end of the token after it (to the end of the input when the offender is the end).
 * Recorded examples: `a b` -> token "b", near "a b"; `a,` -> token "<EOF>", near ",";
 * `INVALID SYNTAX HERE` -> token "INVALID", near "INVALID SYNTAX"; `ADD hits : incr` -> token ":",
 * near "hits : incr".
 */
export function syntaxErrorMessage(input: string, tokens: Token[], index: number): string {
  const token = tokens[index];
  const from = index > 0 ? tokens[index - 1].start : token.start;
  const to = token.kind === 'eof' ? input.length : tokens[index + 1].kind === 'eof' ? input.length : tokens[index + 1].end;
  return `Syntax error; token: "${token.text}", near: "${input.slice(from, to)}"`;
}
