/**
 * DynamoDB's expression language: ConditionExpression, FilterExpression, KeyConditionExpression,
 * UpdateExpression and ProjectionExpression, with ExpressionAttributeNames/Values.
 *
 * compileExpressions does every check DynamoDB does at request time and returns compiled trees;
 * evaluateCondition, applyUpdate, projectItem and resolveKeyCondition use them per item or table.
 */
import { validationError } from '../errors.ts';
import type { AttributeValue } from '../types.ts';
import { NESTING_LIMIT, cloneAttributeValue, validateAttributeValue } from '../values.ts';
import { setOwn } from '../ownKeys.ts';
import type { Condition, DocumentPath, ExpressionName, Update } from './ast.ts';
import { ConditionChecker, ProjectionChecker, UpdateChecker, type Placeholders } from './checker.ts';
import { keyConditionClauses } from './keyCondition.ts';
import { ExpressionSyntaxError, parseCondition, parseProjection, parseUpdate } from './parser.ts';

export type { Comparator, Condition, DocumentPath, ExpressionName, Operand, PathElement, Update, UpdateAction } from './ast.ts';
export { evaluateCondition, resolvePath } from './evaluate.ts';
export { applyUpdate } from './update.ts';
export { projectItem } from './projection.ts';
export { resolveKeyCondition, type KeyRange, type KeySchema, type SortOperator } from './keyCondition.ts';
export { isReservedWord } from './reservedWords.ts';
export { pathString } from './checker.ts';

export interface ExpressionInputs {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  SearchConditionExpression?: string;
}

export interface CompiledExpressions {
  condition?: Condition;
  filter?: Condition;
  keyCondition?: Condition;
  update?: Update;
  projection?: DocumentPath[];
  searchCondition?: Condition;
}

export interface CompileOptions {
  /**
   * The expression parameters the operation accepts, in DynamoDB's order for its messages, e.g.
   * PutItem/DeleteItem ['ConditionExpression'], UpdateItem ['UpdateExpression', 'ConditionExpression'],
   * GetItem/BatchGetItem ['ProjectionExpression'], Query ['ProjectionExpression', 'FilterExpression',
   * 'KeyConditionExpression'], Scan ['ProjectionExpression', 'FilterExpression'].
   * Used for "ExpressionAttributeValues can only be specified when using expressions: ... is null".
   * Defaults to the parameters present in the input plus any others in the order above.
   */
  expressions?: ExpressionName[];
  /** False where the service words that message without its ": ... is null" tail (the item writes). */
  nameNullExpressions?: boolean;
}

/** DynamoDB measures each expression in UTF-8 bytes as sent, before placeholders are substituted. */
export const MAX_EXPRESSION_BYTES = 4096;

const ALL_EXPRESSIONS: ExpressionName[] = ['UpdateExpression', 'ConditionExpression', 'ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];

/**
 * The request-level rules about which expression parameters go together (dynalite
 * validations/index.js validateExpressionParams): mixing expression and legacy parameters, and
 * placeholders without an expression that could use them. `input` is the whole request.
 */
export function checkExpressionParams(input: Record<string, unknown>, expressions: string[], nonExpressions: string[], nameNullExpressions = true): void {
  const given = (name: string) => input[name] !== undefined && input[name] !== null;
  const expressionParams = expressions.filter(given);
  if (expressionParams.length > 0) {
    // KeyConditions may be used with the other expression parameters when there is no
    // KeyConditionExpression.
    const legacy = nonExpressions.filter((p) => !(p === 'KeyConditions' && !given('KeyConditionExpression'))).filter(given);
    if (legacy.length > 0) {
      throw validationError(
        'Can not use both expression and non-expression parameters in the same request: ' +
          'Non-expression parameters: {' + legacy.join(', ') + '} Expression parameters: {' + expressionParams.join(', ') + '}',
      );
    }
  }
  if (given('ExpressionAttributeNames') && expressionParams.length === 0) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = expressions.filter((e) => e !== 'ProjectionExpression');
  if (valueExpressions.length > 0 && given('ExpressionAttributeValues') && !valueExpressions.some(given)) {
    if (!nameNullExpressions) throw validationError('ExpressionAttributeValues can only be specified when using expressions');
    throw validationError(
      'ExpressionAttributeValues can only be specified when using expressions: ' +
        valueExpressions.join(' and ') + ' ' + (valueExpressions.length > 1 ? 'are' : 'is') + ' null',
    );
  }
}

function isPlaceholderKey(key: string, sigil: string): boolean {
  if (key.length < 2 || key[0] !== sigil) return false;
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!ok) return false;
  }
  return true;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return false;
  }
  return true;
}

/**
 * Parse trees of recent expressions, per parser. Applications send the same few expression texts
 * over and over with different values, so the text's tree is reused; names and values are still
 * resolved and checked per request. Trees are frozen: the checkers only read them.
 */
const PARSE_CACHE_ENTRIES = 500;
const parseCache = new Map<(text: string) => unknown, Map<string, unknown>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Empty, size and syntax checks shared by all five expressions; returns the parse result. */
function parseExpression<T>(name: ExpressionName, text: string, parse: (text: string) => T): T {
  let cache = parseCache.get(parse);
  if (!cache) parseCache.set(parse, (cache = new Map()));
  const cached = cache.get(text);
  if (cached !== undefined) return cached as T;
  if (isBlank(text)) throw validationError(`Invalid ${name}: The expression can not be empty;`);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_EXPRESSION_BYTES) {
    throw validationError(`Invalid ${name}: Expression size has exceeded the maximum allowed size; expression size: ${size}`);
  }
  let tree: T;
  try {
    tree = parse(text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) throw validationError(`Invalid ${name}: ${e.message}`);
    throw e;
  }
  if (cache.size >= PARSE_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(text, deepFreeze(tree));
  return tree;
}

function compileCondition(name: ExpressionName, text: string, placeholders: Placeholders): Condition {
  const raw = parseExpression(name, text, parseCondition);
  const result = new ConditionChecker(placeholders, name).check(raw);
  if ('error' in result) throw validationError(`Invalid ${name}: ${result.error}`);
  return result.condition;
}

export function compileExpressions(input: ExpressionInputs, options: CompileOptions = {}): CompiledExpressions {
  const request = input as Record<string, unknown>;
  const expressions = options.expressions ?? ALL_EXPRESSIONS;
  checkExpressionParams(request, expressions, [], options.nameNullExpressions);

  const names = input.ExpressionAttributeNames;
  const placeholders: Placeholders = { names: {}, values: {}, unusedNames: new Set(), unusedValues: new Set() };
  if (names != null) {
    const keys = Object.keys(names);
    if (keys.length === 0) throw validationError('ExpressionAttributeNames must not be empty');
    for (const key of keys) {
      if (!isPlaceholderKey(key, '#')) throw validationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
      placeholders.unusedNames.add(key);
    }
    placeholders.names = names;
  }
  const values = input.ExpressionAttributeValues;
  if (values != null) {
    const keys = Object.keys(values);
    if (keys.length === 0) throw validationError('ExpressionAttributeValues must not be empty');
    for (const key of keys) {
      if (!isPlaceholderKey(key, ':')) throw validationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      placeholders.unusedValues.add(key);
    }
    // Validated (and numbers normalised) on a copy: the request object is left as it came.
    const copy: Record<string, AttributeValue> = {};
    for (const key of keys) {
      const value = values[key] as unknown;
      setOwn(copy, key, (typeof value === 'object' && value !== null ? cloneAttributeValue(value as AttributeValue) : value) as AttributeValue);
    }
    for (const key of keys) {
      const message = validateAttributeValue(copy[key] as Record<string, unknown>);
      // Too deep a value is refused as an item would be, without the "contains invalid value"
      // wrapper (captured in six regions, 2026-08-12, paritysuite dynamodb-conformance
      // captures/2026-08-12-batch-empty-and-nesting.json, UpdateItem with a 32-level value).
      if (message === NESTING_LIMIT) throw validationError(message);
      if (message) throw validationError(`ExpressionAttributeValues contains invalid value: ${message} for key ${key}`);
    }
    placeholders.values = copy;
  }

  const compiled: CompiledExpressions = {};
  if (input.UpdateExpression != null) {
    const raw = parseExpression('UpdateExpression', input.UpdateExpression, parseUpdate);
    const result = new UpdateChecker(placeholders).check(raw);
    if ('error' in result) throw validationError(`Invalid UpdateExpression: ${result.error}`);
    compiled.update = result.update;
  }
  if (input.ConditionExpression != null) {
    compiled.condition = compileCondition('ConditionExpression', input.ConditionExpression, placeholders);
  }
  if (input.KeyConditionExpression != null) {
    const condition = compileCondition('KeyConditionExpression', input.KeyConditionExpression, placeholders);
    const clauses = keyConditionClauses(condition);
    if (typeof clauses === 'string') throw validationError(clauses);
    compiled.keyCondition = condition;
  }
  if (input.FilterExpression != null) {
    compiled.filter = compileCondition('FilterExpression', input.FilterExpression, placeholders);
  }
  if (input.SearchConditionExpression != null) {
    compiled.searchCondition = compileCondition('SearchConditionExpression', input.SearchConditionExpression, placeholders);
  }
  if (input.ProjectionExpression != null) {
    const raw = parseExpression('ProjectionExpression', input.ProjectionExpression, parseProjection);
    const result = new ProjectionChecker(placeholders).check(raw);
    if ('error' in result) throw validationError(`Invalid ProjectionExpression: ${result.error}`);
    compiled.projection = result.paths;
  }

  if (placeholders.unusedNames.size > 0) {
    throw validationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...placeholders.unusedNames].join(', ')}}`);
  }
  if (placeholders.unusedValues.size > 0) {
    throw validationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...placeholders.unusedValues].join(', ')}}`);
  }
  return compiled;
}

/** Top-level attribute names an update writes or removes, in the order first named. */
export function updatedTopLevelAttributes(update: Update): string[] {
  return [...new Set(update.actions.map((a) => a.path[0] as string))];
}

/** Every path an update writes or removes (for ReturnValues UPDATED_OLD / UPDATED_NEW via projectItem). */
export function updatedPaths(update: Update): DocumentPath[] {
  return update.actions.map((a) => a.path);
}
