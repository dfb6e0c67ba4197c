/**
 * A Query or Scan request as it was sent (from the history) back into the query builder's form.
 *
 * The builder writes one shape of expression (see Placeholders in queryModel.ts): comparisons and
 * functions on document paths, joined all by AND or all by OR. Requests the app sent from the
 * items view's read bar and filter bar have the same shape. This reads that shape back with a
 * small tokenizer and a recursive descent over a flat list (no regular expression runs over the
 * whole text, nothing nests beyond a path); anything else (NOT, brackets, mixed AND/OR, a value of
 * a type the form cannot hold) is refused with a sentence saying what, so the user knows why the
 * builder cannot show it.
 */
import type { AttributeValue } from '../../shared/attributeValues.ts';
import { ATTRIBUTE_TYPES, EMPTY_QUERY_FORM, pathText, type FilterJoin, type FilterOperator, type FilterRow, type KeyOperator, type PathElement, type QueryForm, type ValueType } from './queryModel.ts';

type Token = { kind: 'name' | 'value' | 'word' | 'op' | 'punct' | 'index'; text: string };

const FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'begins_with', 'contains', 'attribute_type', 'size']);
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

export class UnsupportedRequest extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const isWordChar = (c: string) => /[A-Za-z0-9_-]/.test(c);
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '#' || c === ':') {
      let end = i + 1;
      while (end < text.length && isWordChar(text[end]!)) end++;
      tokens.push({ kind: c === '#' ? 'name' : 'value', text: text.slice(i, end) });
      i = end;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      const digits = close < 0 ? '' : text.slice(i + 1, close).trim();
      if (!/^\d{1,9}$/.test(digits)) throw new UnsupportedRequest('a list index is not a number');
      tokens.push({ kind: 'index', text: digits });
      i = close + 1;
    } else if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (c === '<' || c === '>' || c === '=') {
      const two = text.slice(i, i + 2);
      const op = two === '<=' || two === '>=' || two === '<>' ? two : c;
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end]!)) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end) });
      i = end;
    } else {
      throw new UnsupportedRequest(`it holds "${c}"`);
    }
  }
  return tokens;
}

interface ParsedCondition {
  path: PathElement[];
  size: boolean;
  operator: FilterOperator;
  values: AttributeValue[];
}

/** Reads conditions joined by AND or OR from one expression. */
class ConditionReader {
  private at = 0;
  private readonly tokens: Token[];

  constructor(
    text: string,
    private readonly names: Record<string, string>,
    private readonly values: Record<string, AttributeValue>,
  ) {
    this.tokens = tokenize(text);
  }

  /** Every condition and the one word joining them (AND when there is one condition). */
  conditions(): { conditions: ParsedCondition[]; join: FilterJoin } {
    const conditions = [this.condition()];
    let join: FilterJoin | undefined;
    while (this.at < this.tokens.length) {
      const word = this.next().text.toUpperCase();
      if (word !== 'AND' && word !== 'OR') throw new UnsupportedRequest(`it uses "${word}" between conditions`);
      if (join && join !== word) throw new UnsupportedRequest('it mixes AND and OR');
      join = word;
      conditions.push(this.condition());
    }
    return { conditions, join: join ?? 'AND' };
  }

  /** The whole expression as one document path (a projection's entry). */
  onlyPath(): PathElement[] {
    const path = this.path();
    if (this.at < this.tokens.length) throw new UnsupportedRequest(`its projection holds "${this.tokens[this.at]!.text}"`);
    return path;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new UnsupportedRequest('it ends in the middle of a condition');
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new UnsupportedRequest(`it has "${token.text}" where "${text}" was expected`);
  }

  private condition(): ParsedCondition {
    const first = this.peek();
    if (first?.kind === 'punct' && first.text === '(') throw new UnsupportedRequest('it groups conditions in brackets');
    if (first?.kind === 'word' && first.text.toUpperCase() === 'NOT') throw new UnsupportedRequest('it uses NOT');
    if (first?.kind === 'word' && FUNCTIONS.has(first.text) && this.tokens[this.at + 1]?.text === '(') {
      this.at++;
      this.expect('(');
      const path = this.path();
      if (first.text === 'size') {
        this.expect(')');
        return this.comparison(path, true);
      }
      const values: AttributeValue[] = [];
      if (first.text !== 'attribute_exists' && first.text !== 'attribute_not_exists') {
        this.expect(',');
        values.push(this.value());
      }
      this.expect(')');
      return { path, size: false, operator: first.text as FilterOperator, values };
    }
    return this.comparison(this.path(), false);
  }

  private comparison(path: PathElement[], size: boolean): ParsedCondition {
    const token = this.next();
    const word = token.text.toUpperCase();
    if (token.kind === 'op' && COMPARATORS.has(token.text)) return { path, size, operator: token.text as FilterOperator, values: [this.value()] };
    if (word === 'BETWEEN') {
      const low = this.value();
      if (this.next().text.toUpperCase() !== 'AND') throw new UnsupportedRequest('BETWEEN lacks its AND');
      return { path, size, operator: 'BETWEEN', values: [low, this.value()] };
    }
    if (word === 'IN') {
      this.expect('(');
      const values = [this.value()];
      while (this.peek()?.text === ',') {
        this.at++;
        values.push(this.value());
      }
      this.expect(')');
      return { path, size, operator: 'IN', values };
    }
    throw new UnsupportedRequest(`it compares with "${token.text}"`);
  }

  private path(): PathElement[] {
    const path: PathElement[] = [{ name: this.pathName() }];
    for (;;) {
      const token = this.peek();
      if (token?.kind === 'index') {
        this.at++;
        path.push({ index: Number(token.text) });
      } else if (token?.kind === 'punct' && token.text === '.') {
        this.at++;
        path.push({ name: this.pathName() });
      } else return path;
    }
  }

  private pathName(): string {
    const token = this.next();
    if (token.kind === 'word') return token.text;
    if (token.kind !== 'name') throw new UnsupportedRequest(`it has "${token.text}" where an attribute was expected`);
    const name = this.names[token.text];
    if (name === undefined) throw new UnsupportedRequest(`${token.text} is not in ExpressionAttributeNames`);
    return name;
  }

  private value(): AttributeValue {
    const token = this.next();
    if (token.kind !== 'value') throw new UnsupportedRequest(`it has "${token.text}" where a value was expected`);
    const value = this.values[token.text];
    if (!value) throw new UnsupportedRequest(`${token.text} is not in ExpressionAttributeValues`);
    return value;
  }
}

/** A value as a form field holds it: its type and its text. */
function fieldOf(value: AttributeValue, allowBinary: boolean): { type: ValueType; text: string } {
  if ('S' in value) return { type: 'S', text: value.S };
  if ('N' in value) return { type: 'N', text: value.N };
  if ('BOOL' in value) return { type: 'BOOL', text: String(value.BOOL) };
  if ('NULL' in value) return { type: 'NULL', text: '' };
  if (allowBinary && 'B' in value && typeof value.B === 'string') return { type: 'S', text: value.B };
  throw new UnsupportedRequest(`it compares with a value of type ${Object.keys(value)[0]}, which the builder's fields do not hold`);
}

/** IN's values as the form's field writes them: comma separated, a value with a comma, quote or edge space in JSON quotes. */
function inText(texts: string[]): string {
  return texts.map((t) => (/[,"]|^\s|\s$/.test(t) || t === '' ? JSON.stringify(t) : t)).join(', ');
}

function rowOf(condition: ParsedCondition): FilterRow {
  const attribute = pathText(condition.path);
  const row: FilterRow = { attribute, operator: condition.operator, type: 'S', value: '', value2: '', ...(condition.size ? { size: true } : {}) };
  const fields = condition.values.map((v) => fieldOf(v, false));
  if (condition.operator === 'IN') {
    const types = new Set(fields.map((f) => f.type));
    if (types.size > 1) throw new UnsupportedRequest(`${attribute} IN (...) mixes value types`);
    row.type = fields[0]!.type;
    row.value = row.type === 'NULL' ? '' : inText(fields.map((f) => f.text));
    return row;
  }
  if (fields[0]) {
    row.type = condition.operator === 'attribute_type' ? 'S' : fields[0].type;
    row.value = fields[0].text;
  }
  if (fields[1]) row.value2 = fields[1].text;
  return row;
}

/**
 * The builder's form for a Query or Scan `input` as sent; `keysOf` names the partition and sort key
 * of the table or the index the request reads. Throws UnsupportedRequest saying what the form
 * cannot hold.
 */
export function formFromRequest(operation: 'Query' | 'Scan', input: Record<string, unknown>, keysOf: (indexName: string) => { partition: string; sort?: string }): QueryForm {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  for (const legacy of ['KeyConditions', 'QueryFilter', 'ScanFilter', 'AttributesToGet']) {
    if (input[legacy] !== undefined) throw new UnsupportedRequest(`it uses the legacy parameter ${legacy}`);
  }
  const indexName = typeof input.IndexName === 'string' ? input.IndexName : '';
  const form: QueryForm = { ...EMPTY_QUERY_FORM, operation, indexName, filters: [] };

  if (operation === 'Query') {
    if (typeof input.KeyConditionExpression !== 'string') throw new UnsupportedRequest('it has no KeyConditionExpression');
    const keys = keysOf(indexName);
    const { conditions, join } = new ConditionReader(input.KeyConditionExpression, names, values).conditions();
    if (join !== 'AND') throw new UnsupportedRequest('its key condition uses OR');
    for (const condition of conditions) {
      const name = condition.path.length === 1 && 'name' in condition.path[0]! ? condition.path[0].name : '';
      const texts = condition.values.map((v) => fieldOf(v, true).text);
      if (name === keys.partition && condition.operator === '=' && !condition.size) form.partitionValue = texts[0]!;
      else if (keys.sort && name === keys.sort && !condition.size) {
        form.sortOperator = condition.operator as KeyOperator;
        form.sortValue = texts[0] ?? '';
        form.sortValue2 = texts[1] ?? '';
      } else throw new UnsupportedRequest(`its key condition names ${pathText(condition.path)}, not a key of ${indexName || 'the table'}`);
    }
  }
  if (typeof input.FilterExpression === 'string') {
    const { conditions, join } = new ConditionReader(input.FilterExpression, names, values).conditions();
    form.filters = conditions.map(rowOf);
    form.filterJoin = join;
    for (const row of form.filters) {
      if (row.operator === 'attribute_type' && !(ATTRIBUTE_TYPES as readonly string[]).includes(row.value)) throw new UnsupportedRequest(`attribute_type names "${row.value}"`);
    }
  }
  if (typeof input.ProjectionExpression === 'string') {
    form.projection = input.ProjectionExpression.split(',')
      .map((part) => {
        const path = new ConditionReader(part, names, values).onlyPath();
        if (path.length !== 1 || !('name' in path[0]!)) throw new UnsupportedRequest('its projection names a nested path; the builder projects whole attributes');
        return path[0].name;
      })
      .join(', ');
  }
  if (input.ScanIndexForward === false) form.scanIndexForward = false;
  if (typeof input.Limit === 'number') form.limit = String(input.Limit);
  return form;
}
