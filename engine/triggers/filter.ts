/**
 * Lambda's event filter patterns (FilterCriteria), applied to each stream record in the shape the
 * handler receives. A pattern mirrors the record's structure; at each leaf, an array of matchers
 * of which any may match:
 *
 *   { "eventName": ["INSERT", "MODIFY"],
 *     "dynamodb": { "NewImage": { "status": { "S": [{ "anything-but": ["draft"] }] },
 *                                 "total":  { "N": [{ "numeric": [">", 0, "<=", 100] }] } } } }
 *
 * Matchers: literal strings, numbers, booleans and null; {prefix}, {suffix}, {equals-ignore-case}
 * (prefix and suffix also take {equals-ignore-case: "..."}); {anything-but: value | [values] |
 * {prefix} | {suffix} | {equals-ignore-case}}; {numeric: [op, n (, op, n)]}; {exists: bool}; and
 * "$or": [pattern, ...] at any level. Filters of one FilterCriteria are alternatives; a record
 * that matches none is dropped (Lambda counts it as processed).
 *
 * DynamoDB numbers travel as strings ({"N": "42"}), so `numeric` also compares numeric strings;
 * otherwise it could never match a DynamoDB attribute.
 */
import { DynamoDbError } from '../errors.ts';

export interface FilterCriteria {
  Filters?: { Pattern?: string }[];
}

type Matcher = (value: unknown, present: boolean) => boolean;
type CompiledPattern = (value: unknown, present: boolean) => boolean;

/** Lambda caps a pattern at 4,096 characters and FilterCriteria at 5 filters by default. */
const MAX_PATTERN_LENGTH = 4096;
const MAX_FILTERS = 5;
/** Nesting deeper than any stream record: keeps compilation and matching bounded. */
const MAX_DEPTH = 32;

export function invalidParameter(message: string): DynamoDbError {
  return new DynamoDbError('InvalidParameterValueException', message);
}

function invalidPattern(): DynamoDbError {
  return invalidParameter('Invalid filter pattern definition.');
}

/** Compiles FilterCriteria into one predicate over a handler-shaped record; undefined when there are no filters. */
export function compileFilterCriteria(criteria: FilterCriteria | undefined): ((record: unknown) => boolean) | undefined {
  const filters = criteria?.Filters ?? [];
  if (!Array.isArray(filters)) throw invalidParameter('FilterCriteria.Filters must be a list.');
  if (filters.length === 0) return undefined;
  if (filters.length > MAX_FILTERS) {
    throw invalidParameter(`1 validation error detected: Value at 'filterCriteria.filters' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FILTERS}`);
  }
  const compiled = filters.map((filter) => {
    const text = filter?.Pattern;
    if (typeof text !== 'string' || text.length > MAX_PATTERN_LENGTH) throw invalidPattern();
    let pattern: unknown;
    try {
      pattern = JSON.parse(text);
    } catch {
      throw invalidPattern();
    }
    if (!isPlainObject(pattern)) throw invalidPattern();
    return compileObject(pattern, 0);
  });
  return (record) => compiled.some((match) => match(record, true));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function compileObject(pattern: Record<string, unknown>, depth: number): CompiledPattern {
  if (depth > MAX_DEPTH) throw invalidPattern();
  const parts: CompiledPattern[] = [];
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isPlainObject)) throw invalidPattern();
      const alternatives = rule.map((p) => compileObject(p as Record<string, unknown>, depth + 1));
      parts.push((value, present) => alternatives.some((alt) => alt(value, present)));
    } else if (Array.isArray(rule)) {
      const matchers = rule.map(compileMatcher);
      if (matchers.length === 0) throw invalidPattern();
      parts.push((value) => {
        const field = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
        const present = field !== undefined;
        // A list in the record matches when any of its elements does.
        const candidates = Array.isArray(field) ? field : [field];
        return matchers.some((m) => candidates.some((c) => m(c, present)));
      });
    } else if (isPlainObject(rule)) {
      const nested = compileObject(rule, depth + 1);
      parts.push((value) => {
        const field = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
        return nested(field, field !== undefined);
      });
    } else throw invalidPattern();
  }
  if (parts.length === 0) throw invalidPattern();
  return (value, present) => parts.every((part) => part(value, present));
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A string or {equals-ignore-case: string} operand of prefix and suffix. */
function textOperand(operand: unknown): { text: string; ignoreCase: boolean } {
  if (typeof operand === 'string') return { text: operand, ignoreCase: false };
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand['equals-ignore-case'] === 'string') {
    return { text: operand['equals-ignore-case'], ignoreCase: true };
  }
  throw invalidPattern();
}

function compileMatcher(rule: unknown): Matcher {
  if (isScalar(rule)) return (value, present) => present && value === rule;
  if (!isPlainObject(rule)) throw invalidPattern();
  const entries = Object.entries(rule);
  if (entries.length !== 1) throw invalidPattern();
  const [operator, operand] = entries[0];
  switch (operator) {
    case 'prefix': {
      const { text, ignoreCase } = textOperand(operand);
      const wanted = ignoreCase ? text.toLowerCase() : text;
      return (value) => typeof value === 'string' && (ignoreCase ? value.toLowerCase() : value).startsWith(wanted);
    }
    case 'suffix': {
      const { text, ignoreCase } = textOperand(operand);
      const wanted = ignoreCase ? text.toLowerCase() : text;
      return (value) => typeof value === 'string' && (ignoreCase ? value.toLowerCase() : value).endsWith(wanted);
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') throw invalidPattern();
      const wanted = operand.toLowerCase();
      return (value) => typeof value === 'string' && value.toLowerCase() === wanted;
    }
    case 'exists': {
      if (typeof operand !== 'boolean') throw invalidPattern();
      return (_value, present) => present === operand;
    }
    case 'numeric':
      return compileNumeric(operand);
    case 'anything-but':
      return compileAnythingBut(operand);
    default:
      throw invalidPattern();
  }
}

function compileAnythingBut(operand: unknown): Matcher {
  if (isScalar(operand) || Array.isArray(operand)) {
    const excluded = Array.isArray(operand) ? operand : [operand];
    if (excluded.length === 0 || !excluded.every(isScalar)) throw invalidPattern();
    return (value, present) => present && !excluded.includes(value as never);
  }
  if (!isPlainObject(operand) || Object.keys(operand).length !== 1) throw invalidPattern();
  const [kind, inner] = Object.entries(operand)[0];
  if (kind === 'prefix' && typeof inner === 'string') return (value) => typeof value === 'string' && !value.startsWith(inner);
  if (kind === 'suffix' && typeof inner === 'string') return (value) => typeof value === 'string' && !value.endsWith(inner);
  if (kind === 'equals-ignore-case') {
    const list = Array.isArray(inner) ? inner : [inner];
    if (list.length === 0 || !list.every((s) => typeof s === 'string')) throw invalidPattern();
    const lowered = list.map((s) => (s as string).toLowerCase());
    return (value) => typeof value === 'string' && !lowered.includes(value.toLowerCase());
  }
  throw invalidPattern();
}

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function compileNumeric(operand: unknown): Matcher {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) throw invalidPattern();
  const tests: ((n: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    const compare = typeof op === 'string' && Object.hasOwn(COMPARISONS, op) ? COMPARISONS[op] : undefined;
    if (!compare || typeof bound !== 'number' || !Number.isFinite(bound)) throw invalidPattern();
    tests.push((n) => compare(n, bound));
  }
  // A range needs a lower and an upper bound (e.g. [">", 0, "<=", 5]), as Lambda requires.
  if (tests.length === 2 && (operand[0] === '=' || operand[2] === '=')) throw invalidPattern();
  return (value) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) && tests.every((test) => test(n));
  };
}
