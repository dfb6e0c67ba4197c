/**
 * Request validation the way DynamoDB's front end does it, in two passes:
 *
 * 1. Shape: every member is checked against its declared type. A JSON type that cannot convert is
 *    a SerializationException with the service's (Java-flavoured) message; unknown members are
 *    dropped, as the service ignores them.
 * 2. Constraints: null/enum/length/range/pattern checks collected into one
 *    "N validation errors detected: ..." ValidationException (at most 10, in declaration order).
 *
 * Declaration order of members matters: it is the order the service reports failures in.
 */
import { serializationError, validationError } from '../errors.ts';
import { setOwn } from '../ownKeys.ts';

export type Shape =
  | 'String'
  | 'Boolean'
  | 'Integer'
  | 'Long'
  | 'Double'
  | 'Blob'
  | 'AttributeValue'
  | ListShape
  | MapShape
  | StructShape;

export interface Constraints {
  notNull?: boolean;
  enum?: readonly string[];
  regex?: string;
  /** The pattern is not checked on an empty string, which fails only its length constraint. */
  patternSkipsEmpty?: boolean;
  /** Report a pattern failure before the length failures (the service's order differs by member). */
  patternBeforeLength?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
}

export interface ListShape extends Constraints {
  type: 'List';
  member: Member;
}
export interface MapShape extends Constraints {
  type: 'Map';
  /** The Java type name DynamoDB prints when a list arrives where this map belongs. */
  valueTypeName: string;
  value: Member;
}
export interface StructShape extends Constraints {
  type: 'Struct';
  /** The model's name for the structure, printed in some serialization errors. */
  name: string;
  members: Record<string, Member>;
}
export type Member = Shape | (Constraints & { type: Exclude<Shape, object> });

const ATTRIBUTE_VALUE_NAME = 'AttributeValue';

function typeError(message: string): never {
  throw serializationError(message);
}

function shapeOf(member: Member): Shape {
  if (typeof member === 'string') return member;
  if (member.type === 'List' || member.type === 'Map' || member.type === 'Struct') return member as Shape;
  return member.type as Shape;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberWord(value: number): string {
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

// Nesting of AttributeValues is bounded so hostile input cannot exhaust the stack, but far above
// DynamoDB's 32 levels: a document nested 33 to a few hundred levels deep is no malformed request
// to the service, which answers it with its constraint errors first and then the attribute
// validator's "Nesting Levels have exceeded supported limits: ..." ValidationException, each in
// the order the operation checks them (a bound of 64 once turned 63-level items into
// SerializationExceptions ahead of them). Where the service's own JSON reader gives up is not
// recorded; past this bound the engine refuses the body as unreadable.
const MAX_DEPTH = 512;

/** Pass 1: converts `value` to `member`'s shape or throws SerializationException. */
export function checkShape(value: unknown, member: Member, depth = 0): unknown {
  if (value === null || value === undefined) return undefined;
  if (depth > MAX_DEPTH) typeError('Nesting Levels have exceeded supported limits');
  const shape = shapeOf(member);
  if (typeof shape === 'string') {
    switch (shape) {
      case 'String':
        if (typeof value === 'string') return value;
        if (typeof value === 'boolean') typeError(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to String`);
        if (typeof value === 'number') typeError(`${numberWord(value)} cannot be converted to String`);
        if (Array.isArray(value)) typeError('Unrecognized collection type class java.lang.String');
        typeError('Start of structure or map found where not expected');
      case 'Boolean':
        if (typeof value === 'boolean') return value;
        if (typeof value === 'number') typeError(`${numberWord(value)} cannot be converted to Boolean`);
        if (typeof value === 'string') {
          const upper = value.toUpperCase();
          if (upper === 'TRUE' || upper === '1' || upper === 'YES') return true;
          if (upper === 'FALSE' || upper === '0' || upper === 'NO') return false;
          typeError('Unexpected token received from parser');
        }
        if (Array.isArray(value)) typeError('Unrecognized collection type class java.lang.Boolean');
        typeError('Start of structure or map found where not expected');
      case 'Integer':
      case 'Long':
      case 'Double':
        if (typeof value === 'number') return shape === 'Double' ? value : Math.floor(value);
        if (typeof value === 'boolean') typeError(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${shape}`);
        if (typeof value === 'string') typeError(`STRING_VALUE cannot be converted to ${shape}`);
        if (Array.isArray(value)) typeError(`Unrecognized collection type class java.lang.${shape}`);
        typeError('Start of structure or map found where not expected');
      case 'Blob':
        if (typeof value === 'string') {
          if (value.length % 4 !== 0) typeError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
          if (!BASE64.test(value)) typeError('Invalid last non-pad Base64 character dectected');
          return value;
        }
        if (typeof value === 'boolean' || typeof value === 'number') typeError('only base-64-encoded strings are convertible to bytes');
        if (Array.isArray(value)) typeError('Unrecognized collection type class java.nio.ByteBuffer');
        typeError('Start of structure or map found where not expected');
      case 'AttributeValue':
        return checkAttributeValueShape(value, depth);
    }
  }
  switch (shape.type) {
    case 'List':
      if (!Array.isArray(value)) {
        if (isPlainObject(value)) typeError('Start of structure or map found where not expected');
        typeError('Unexpected field type');
      }
      // A null element stays null so the constraint pass reports it ("Member must not be null").
      return value.map((element) => (element === null || element === undefined ? null : checkShape(element, shape.member, depth + 1)));
    case 'Map': {
      if (!isPlainObject(value)) {
        if (Array.isArray(value)) typeError(`Unrecognized collection type java.util.Map<java.lang.String, ${shape.valueTypeName}>`);
        typeError('Unexpected field type');
      }
      // Items, keys and value maps arrive well-formed from every SDK: keep them as they are.
      if (shape.value === 'AttributeValue' && isCanonicalAttributeMap(value, depth + 1)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const converted = checkShape(value[key], shape.value, depth + 1);
        if (converted !== undefined) setOwn(out, key, converted);
      }
      return out;
    }
    case 'Struct': {
      if (!isPlainObject(value)) {
        if (Array.isArray(value)) typeError(`Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${shape.name}`);
        typeError(depth === 0 ? 'Unexpected field type' : 'Unexpected value type in payload');
      }
      return checkStruct(value, shape.members, depth);
    }
  }
}

const memberNames = new WeakMap<Record<string, Member>, string[]>();

function checkStruct(value: Record<string, unknown>, members: Record<string, Member>, depth: number): Record<string, unknown> {
  let names = memberNames.get(members);
  if (!names) memberNames.set(members, (names = Object.keys(members)));
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const converted = checkShape(value[name], members[name], depth + 1);
    if (converted !== undefined) out[name] = converted;
  }
  return out;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isCanonicalBlob(value: unknown): boolean {
  return typeof value === 'string' && value.length % 4 === 0 && BASE64.test(value);
}

function isStringArray(value: unknown, blobs: boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (const element of value) if (blobs ? !isCanonicalBlob(element) : typeof element !== 'string') return false;
  return true;
}

/**
 * Whether an AttributeValue needs no conversion at all: only known members, each of its exact JSON
 * type. Such values (nearly all of them) are used as they are, without a copy; the slow path below
 * converts the rest and drops unknown members. Either way the request object then belongs to the
 * engine (the attribute validator normalises numbers in place).
 */
function isCanonicalAttributeValue(value: unknown, depth: number): boolean {
  if (!isPlainObject(value) || depth > MAX_DEPTH) return false;
  for (const name in value) {
    const member = value[name];
    switch (name) {
      case 'S':
      case 'N':
        if (typeof member !== 'string') return false;
        break;
      case 'B':
        if (!isCanonicalBlob(member)) return false;
        break;
      case 'BOOL':
      case 'NULL':
        if (typeof member !== 'boolean') return false;
        break;
      case 'SS':
      case 'NS':
      case 'BS':
        if (!isStringArray(member, name === 'BS')) return false;
        break;
      case 'L':
        if (!Array.isArray(member)) return false;
        for (const element of member) if (!isCanonicalAttributeValue(element, depth + 1)) return false;
        break;
      case 'M':
        if (!isCanonicalAttributeMap(member, depth + 1)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isCanonicalAttributeMap(value: unknown, depth: number): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (!isCanonicalAttributeValue(value[key], depth)) return false;
  return true;
}

/** AttributeValue structures, checked without the generic machinery: they are the hot path. */
function checkAttributeValueShape(value: unknown, depth: number): Record<string, unknown> {
  if (isCanonicalAttributeValue(value, depth)) return value as Record<string, unknown>;
  if (!isPlainObject(value)) {
    if (Array.isArray(value)) typeError(`Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${ATTRIBUTE_VALUE_NAME}`);
    typeError('Unexpected value type in payload');
  }
  const out: Record<string, unknown> = {};
  for (const name in value) {
    const member = value[name];
    if (member === null || member === undefined) continue;
    switch (name) {
      case 'S':
      case 'N':
        out[name] = checkShape(member, 'String', depth + 1);
        break;
      case 'B':
        out[name] = checkShape(member, 'Blob', depth + 1);
        break;
      case 'BOOL':
      case 'NULL':
        out[name] = checkShape(member, 'Boolean', depth + 1);
        break;
      case 'SS':
      case 'NS':
      case 'BS': {
        if (!Array.isArray(member)) {
          if (isPlainObject(member)) typeError('Start of structure or map found where not expected');
          typeError('Unexpected field type');
        }
        const elementShape = name === 'BS' ? 'Blob' : 'String';
        if (member.some((element) => element === null || element === undefined)) {
          throw validationError(`One or more parameter values were invalid: A ${name} attribute value may not contain null members`);
        }
        out[name] = member.map((element) => checkShape(element, elementShape, depth + 1));
        break;
      }
      case 'L':
        if (!Array.isArray(member)) {
          if (isPlainObject(member)) typeError('Start of structure or map found where not expected');
          typeError('Unexpected field type');
        }
        if (depth > MAX_DEPTH) typeError('Nesting Levels have exceeded supported limits');
        out.L = member.map((element) => checkAttributeValueShape(element, depth + 1));
        break;
      case 'M': {
        if (!isPlainObject(member)) {
          if (Array.isArray(member)) typeError('Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>');
          typeError('Unexpected field type');
        }
        if (depth > MAX_DEPTH) typeError('Nesting Levels have exceeded supported limits');
        const map: Record<string, unknown> = {};
        for (const key of Object.keys(member)) setOwn(map, key, checkAttributeValueShape(member[key], depth + 1));
        out.M = map;
        break;
      }
      default:
        // Unknown members are ignored, as the service does.
        break;
    }
  }
  return out;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return '[' + value.map(describeValue).join(', ') + ']';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function collectionLength(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return 0;
}

/** Pass 2: constraint failures of `data` against the struct's members, DynamoDB-worded. */
export function checkConstraints(data: Record<string, unknown>, members: Record<string, Member>): void {
  const errors: string[] = [];
  visitStruct(data, members, '', errors);
  if (errors.length > 0) {
    const shown = errors.slice(0, 10);
    throw validationError(`${shown.length} validation error${shown.length > 1 ? 's' : ''} detected: ${shown.join('; ')}`);
  }
}

function visitStruct(data: Record<string, unknown>, members: Record<string, Member>, path: string, errors: string[]): void {
  for (const name of Object.keys(members)) {
    const member = members[name];
    const value = data[name];
    // Plain shapes carry no constraints, and absent optional members have nothing to check:
    // skip both before building the member's path (this runs for every member of every request).
    if (typeof member === 'string') continue;
    if ((value === undefined || value === null) && !(member as Constraints).notNull) continue;
    visitMember(value, member, path + lowerFirst(name), errors);
  }
}

const patterns = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = new RegExp(`^${source}$`);
    patterns.set(source, compiled);
  }
  return compiled;
}

function fail(errors: string[], value: unknown, path: string, message: string): void {
  const shown = describeValue(value);
  errors.push(`Value ${shown === 'null' ? 'null' : `'${shown}'`} at '${path}' failed to satisfy constraint: ${message}`);
}

function visitMember(value: unknown, member: Member, path: string, errors: string[]): void {
  if (errors.length >= 10 || typeof member === 'string') return;
  const c = member as Constraints;
  if (value === undefined || value === null) {
    if (c.notNull) fail(errors, value, path, 'Member must not be null');
    return;
  }
  if (c.enum && !c.enum.includes(value as string)) fail(errors, value, path, `Member must satisfy enum value set: [${c.enum.join(', ')}]`);
  const patternFails = c.regex !== undefined && !(c.patternSkipsEmpty && value === '') && !pattern(c.regex).test(value as string);
  if (patternFails && c.patternBeforeLength) fail(errors, value, path, `Member must satisfy regular expression pattern: ${c.regex}`);
  if (c.minLength !== undefined && collectionLength(value) < c.minLength) fail(errors, value, path, `Member must have length greater than or equal to ${c.minLength}`);
  if (c.maxLength !== undefined && collectionLength(value) > c.maxLength) fail(errors, value, path, `Member must have length less than or equal to ${c.maxLength}`);
  if (patternFails && !c.patternBeforeLength) fail(errors, value, path, `Member must satisfy regular expression pattern: ${c.regex}`);
  if (c.min !== undefined && (value as number) < c.min) fail(errors, value, path, `Member must have value greater than or equal to ${c.min}`);
  if (c.max !== undefined && (value as number) > c.max) fail(errors, value, path, `Member must have value less than or equal to ${c.max}`);
  const shape = member as Shape;
  if (typeof shape !== 'object') return;
  if (shape.type === 'List') {
    const plainMembers = typeof shape.member === 'string';
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      const element = list[i];
      if (element === null || element === undefined) {
        if (errors.length < 10) errors.push(`Value null at '${path}.${i + 1}.member' failed to satisfy constraint: Member must not be null`);
      } else if (!plainMembers) {
        visitMember(element, shape.member, `${path}.${i + 1}.member`, errors);
      }
    }
  } else if (shape.type === 'Map') {
    // Maps of plain values (items, keys, expression maps) have nothing more to check.
    if (typeof shape.value === 'string') return;
    for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
      visitMember(element, shape.value, `${path}.${key}.member`, errors);
    }
  } else if (shape.type === 'Struct') {
    visitStruct(value as Record<string, unknown>, shape.members, path + '.', errors);
  }
}

/** Both passes for a request body: returns the converted request or throws. */
export function validateRequest(body: unknown, members: Record<string, Member>): Record<string, unknown> {
  const data = checkStruct(isPlainObject(body) ? body : {}, members, 0);
  checkConstraints(data, members);
  return data;
}

/**
 * Real DynamoDB's answer to an empty TableName on the item operations: the validation framework's
 * newer wording (no value echoed, the member as sent), alone, whatever else the request gets wrong.
 * Captured from PutItem, DeleteItem and UpdateItem in eu-west-2 (2026-09-20) and from PutItem with an
 * invalid ReturnValues beside it in 31 of 33 regions including us-east-1 (2026-10-07; paritysuite
 * dynamodb-conformance captures/cross-region-latest.json, captures/2026-10-07-sweep-follow-up.json).
 */
const EMPTY_ITEM_TABLE_NAME = "1 validation error detected: Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1";

/**
 * validateRequest for GetItem, PutItem, UpdateItem, DeleteItem, Query and Scan. An empty TableName
 * short-circuits in the newer wording; but when a required member is missing too, the service's
 * older validator answers, and the empty name joins the other failures in the per-value form
 * ("Value '' at 'tableName' ... greater than or equal to 1"), without the pattern (UpdateItem without
 * Key, eu-west-2 and us-east-1, 2026-10-09, tier3/validation-ordering/updateItem).
 */
export function validateItemRequest(body: unknown, members: Record<string, Member>): Record<string, unknown> {
  const data = checkStruct(isPlainObject(body) ? body : {}, members, 0);
  if (data.TableName === '' && requiredMembersPresent(data, members)) throw validationError(EMPTY_ITEM_TABLE_NAME);
  checkConstraints(data, members);
  return data;
}

function requiredMembersPresent(data: Record<string, unknown>, members: Record<string, Member>): boolean {
  for (const name of Object.keys(members)) {
    const member = members[name];
    if (typeof member !== 'string' && (member as Constraints).notNull && (data[name] === undefined || data[name] === null)) return false;
  }
  return true;
}

// Shared member declarations -------------------------------------------------------------------

/** TableName of the control-plane operations (CreateTable, DescribeTable, ...): 3 to 255 characters. */
export const TABLE_NAME: Member = { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', minLength: 3, maxLength: 255 };
/**
 * TableName of the item operations (GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan): real
 * DynamoDB accepts 1 to 255 characters there, and reports an empty name by its length alone, never
 * by the pattern (captured: '' -> length >= 1; 'a' x 256 -> length <= 255; 'bad table!@#' ->
 * pattern; paritysuite dynamodb-conformance tier3/error-messages/putItem).
 */
export const ITEM_TABLE_NAME: Member = { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', patternSkipsEmpty: true, minLength: 1, maxLength: 255 };
// Length is reported before the pattern for table and index names ("Value '' at 'tableName' ...
// length greater than or equal to 3; ... regular expression pattern", DescribeTable, us-west-2,
// 2026-10, paritysuite details/DDB-TABLE-457; UpdateItem 'x!' in moto's AWS-verified tests), but
// after it for ListTables' ExclusiveStartTableName (same capture).
export const OPTIONAL_TABLE_NAME: Member = { type: 'String', regex: '[a-zA-Z0-9_.-]+', patternBeforeLength: true, minLength: 3, maxLength: 255 };
/** A control-plane TableName that may also be the table's ARN (backups, recovery, insights). */
export const TABLE_NAME_OR_ARN: Member = { type: 'String', notNull: true, minLength: 1, maxLength: 1024 };
export const INDEX_NAME: Member = { type: 'String', regex: '[a-zA-Z0-9_.-]+', minLength: 3, maxLength: 255 };
export const ATTRIBUTE_MAP: MapShape = { type: 'Map', valueTypeName: 'com.amazonaws.dynamodb.v20120810.AttributeValue', value: 'AttributeValue' };
export const KEY: MapShape = { ...ATTRIBUTE_MAP, notNull: true };
export const RETURN_CONSUMED_CAPACITY: Member = { type: 'String', enum: ['INDEXES', 'TOTAL', 'NONE'] };
export const RETURN_ITEM_COLLECTION_METRICS: Member = { type: 'String', enum: ['SIZE', 'NONE'] };
export const RETURN_VALUES: Member = { type: 'String', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] };
export const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE: Member = { type: 'String', enum: ['ALL_OLD', 'NONE'] };
export const EXPRESSION_ATTRIBUTE_NAMES: MapShape = { type: 'Map', valueTypeName: 'java.lang.String', value: 'String' };
export const EXPRESSION_ATTRIBUTE_VALUES: MapShape = ATTRIBUTE_MAP;
export const CONDITIONAL_OPERATOR: Member = { type: 'String', enum: ['OR', 'AND'] };
const COMPARISON_OPERATORS = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'] as const;
export const EXPECTED: MapShape = {
  type: 'Map',
  valueTypeName: 'com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue',
  value: {
    type: 'Struct',
    name: 'ExpectedAttributeValue',
    members: {
      AttributeValueList: { type: 'List', member: 'AttributeValue' },
      ComparisonOperator: { type: 'String', enum: COMPARISON_OPERATORS },
      Exists: 'Boolean',
      Value: 'AttributeValue',
    },
  },
};
export const CONDITIONS: MapShape = {
  type: 'Map',
  valueTypeName: 'com.amazonaws.dynamodb.v20120810.Condition',
  value: {
    type: 'Struct',
    name: 'Condition',
    members: {
      AttributeValueList: { type: 'List', member: 'AttributeValue' },
      ComparisonOperator: { type: 'String', notNull: true, enum: COMPARISON_OPERATORS },
    },
  },
};
export const ATTRIBUTES_TO_GET: ListShape = { type: 'List', minLength: 1, maxLength: 255, member: 'String' };
