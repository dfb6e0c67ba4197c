/**
 * From a model to DynamoDB's requests: the CreateTable a model table becomes, the item an entity
 * makes from attribute values, and the request an access pattern sends for its parameters. Pure,
 * shared by the backend (commit, run) and the renderer (preview, code).
 */
import type { AccessPattern, AttributeValue, Item, ModelEntity, ModelIndex, ModelKeyAttribute, ModelKeyType, ModelTable } from '../../../electron/contract.ts';
import { checkNumber } from '../dynamoNumbers.ts';
import { ModelError, parseTemplate, renderTemplate, renderTemplatePrefix, templatePlaceholders } from './keyTemplates.ts';

/** The key a read uses: the table's, or one of its indexes'. */
export interface KeyShape {
  partitionKey: ModelKeyAttribute;
  sortKey?: ModelKeyAttribute;
  /** The index's name; undefined for the table itself. */
  indexName?: string;
}

export function keyShape(table: ModelTable, indexName?: string): KeyShape | undefined {
  if (!indexName) return { partitionKey: table.partitionKey, ...(table.sortKey ? { sortKey: table.sortKey } : {}) };
  const index = [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].find((i) => i.name === indexName);
  return index && { partitionKey: index.partitionKey, ...(index.sortKey ? { sortKey: index.sortKey } : {}), indexName };
}

/** Every key attribute of the table and its indexes, by name. */
export function keyAttributes(table: ModelTable): Map<string, ModelKeyAttribute> {
  const keys = new Map<string, ModelKeyAttribute>();
  const indexes: (ModelTable | ModelIndex)[] = [table, ...table.globalSecondaryIndexes, ...table.localSecondaryIndexes];
  for (const index of indexes) {
    for (const key of [index.partitionKey, index.sortKey]) if (key && !keys.has(key.name)) keys.set(key.name, key);
  }
  return keys;
}

export function findEntity(table: ModelTable, name: string | undefined): ModelEntity | undefined {
  return name === undefined ? undefined : table.entities.find((e) => e.name === name);
}

/** The type a placeholder or attribute has: the entity's attribute, else any entity's, else a string. */
export function attributeType(table: ModelTable, entity: ModelEntity | undefined, name: string): string {
  const own = entity?.attributes.find((a) => a.name === name);
  if (own) return own.type;
  for (const other of table.entities) {
    const found = other.attributes.find((a) => a.name === name);
    if (found) return found.type;
  }
  return keyAttributes(table).get(name)?.type ?? 'S';
}

/**
 * Stands for a parameter's value in a request built for code generation, where the generated code
 * fills the value in at run time: a request built with markers keeps them, unchecked, in
 * place of the values (control characters no typed value holds).
 */
export const parameterMarker = (name: string) => `\u0001${name}\u0002`;
export const PARAMETER_MARKER_START = '\u0001';
export const PARAMETER_MARKER_END = '\u0002';

/** Text typed for an attribute of `type`; parameters are scalars (S, N, B, BOOL). */
export function typedValue(text: string, type: string, what: string): AttributeValue {
  if (text.includes(PARAMETER_MARKER_START) && ['S', 'N', 'B', 'BOOL'].includes(type)) return { [type]: text } as AttributeValue;
  if (type === 'N') {
    const checked = checkNumber(text.trim());
    if ('error' in checked) throw new ModelError(`${what}: "${text}" is not a number (${checked.error})`);
    return { N: checked.value };
  }
  if (type === 'BOOL') {
    if (text !== 'true' && text !== 'false') throw new ModelError(`${what}: "${text}" is not true or false`);
    return { BOOL: text === 'true' };
  }
  if (type === 'B') return { B: text };
  if (type === 'S') return { S: text };
  throw new ModelError(`${what} has type ${type}; parameters can be strings, numbers, binary or booleans`);
}

/**
 * A key attribute's value from its template. A string key takes the rendered text; a number or
 * binary key needs a template that is a single placeholder (`{price}`), since it holds no text.
 */
export function keyValue(template: string, key: ModelKeyAttribute, values: Readonly<Record<string, string>>): AttributeValue {
  if (key.type === 'S') return { S: renderTemplate(template, values) };
  const parts = parseTemplate(template);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (!only || !('placeholder' in only)) throw new ModelError(`${key.name} is a ${key.type === 'N' ? 'number' : 'binary'} key, so its template must be one placeholder like {${key.name}}, not "${template}"`);
  return typedValue(renderTemplate(template, values), key.type, key.name);
}

/**
 * The item an entity makes from attribute values (text, by attribute name): its attributes that
 * have a value, and every key attribute whose template can be filled (an index key whose values
 * are missing stays out, as in a sparse index).
 */
export function entityItem(table: ModelTable, entity: ModelEntity, values: Readonly<Record<string, string>>): Item {
  const item: Item = {};
  for (const attribute of entity.attributes) {
    const text = values[attribute.name];
    if (text !== undefined) item[attribute.name] = typedValue(text, attribute.type, attribute.name);
  }
  const keys = keyAttributes(table);
  for (const [name, template] of Object.entries(entity.keyTemplates)) {
    const key = keys.get(name);
    if (!key) continue;
    if (templatePlaceholders(template).every((p) => values[p] !== undefined)) item[name] = keyValue(template, key, values);
  }
  return item;
}

/** An entity's primary key from values; every template part must be given. */
export function entityKey(table: ModelTable, entity: ModelEntity, values: Readonly<Record<string, string>>): Item {
  const key: Item = {};
  for (const attribute of [table.partitionKey, table.sortKey]) {
    if (!attribute) continue;
    const template = entity.keyTemplates[attribute.name];
    if (template === undefined) throw new ModelError(`Entity ${entity.name} has no template for the table's key ${attribute.name}`);
    key[attribute.name] = keyValue(template, attribute, values);
  }
  return key;
}

export interface AccessPatternParameter {
  name: string;
  type: string;
}

/** The parameters an access pattern takes, in the order they appear, with their types. */
export function accessPatternParameters(table: ModelTable, pattern: AccessPattern): AccessPatternParameter[] {
  const entity = findEntity(table, pattern.entity);
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  const primaryKeyTemplates = () => [table.partitionKey, table.sortKey].flatMap((k) => (k && entity?.keyTemplates[k.name] !== undefined ? [entity.keyTemplates[k.name]!] : []));
  switch (pattern.operation) {
    case 'GetItem':
    case 'DeleteItem':
      primaryKeyTemplates().forEach((t) => templatePlaceholders(t).forEach(add));
      break;
    case 'UpdateItem':
      primaryKeyTemplates().forEach((t) => templatePlaceholders(t).forEach(add));
      (pattern.updateAttributes ?? []).forEach(add);
      break;
    case 'PutItem':
      entity?.attributes.forEach((a) => add(a.name));
      Object.values(entity?.keyTemplates ?? {}).forEach((t) => templatePlaceholders(t).forEach(add));
      break;
    case 'Query':
      if (pattern.keyCondition) {
        templatePlaceholders(pattern.keyCondition.partition).forEach(add);
        const sort = pattern.keyCondition.sort;
        if (sort) [sort.value, sort.to ?? ''].forEach((t) => templatePlaceholders(t).forEach(add));
      }
      break;
    case 'Scan':
      break;
    case 'TransactWriteItems':
      for (const step of transactionSteps(table, pattern)) accessPatternParameters(table, step).forEach((p) => add(p.name));
      break;
  }
  if (pattern.operation === 'Query' || pattern.operation === 'Scan') {
    for (const condition of pattern.filter ?? []) if (condition.value !== undefined) templatePlaceholders(condition.value).forEach(add);
  }
  return names.map((name) => ({ name, type: attributeType(table, entity, name) }));
}

/** The write patterns a transaction runs; each must be a Put, Update or Delete pattern of the table. */
export function transactionSteps(table: ModelTable, pattern: AccessPattern): AccessPattern[] {
  const names = pattern.transactItems ?? [];
  if (names.length === 0 || names.length > MAX_TRANSACTION_ITEMS) throw new ModelError(`Transaction "${pattern.name}" needs 1 to ${MAX_TRANSACTION_ITEMS} write patterns`);
  return names.map((name) => {
    const step = table.accessPatterns.find((p) => p.name === name);
    if (!step || !TRANSACTION_ACTIONS[step.operation]) throw new ModelError(`Transaction "${pattern.name}" names "${name}", which is not a Put, Update or Delete pattern of table ${table.name}`);
    return step;
  });
}

/** TransactWriteItems' limit on actions per transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** The action each write pattern becomes inside TransactItems. */
const TRANSACTION_ACTIONS: Partial<Record<AccessPattern['operation'], string>> = { PutItem: 'Put', UpdateItem: 'Update', DeleteItem: 'Delete' };

/** A request in DynamoDB's wire shape, ready for the `dynamo` channel or an SDK. */
export interface ModelRequest {
  operation: AccessPattern['operation'];
  input: Record<string, unknown>;
}

/** Expression placeholders (#n0, :v0) handed out in order, so a request reads the same each time. */
class ExpressionNames {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  name(attribute: string): string {
    const existing = Object.entries(this.names).find(([, n]) => n === attribute)?.[0];
    if (existing) return existing;
    const placeholder = `#n${Object.keys(this.names).length}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }
  value(value: AttributeValue): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }
  into(input: Record<string, unknown>): Record<string, unknown> {
    if (Object.keys(this.names).length) input.ExpressionAttributeNames = this.names;
    if (Object.keys(this.values).length) input.ExpressionAttributeValues = this.values;
    return input;
  }
}

/** The request an access pattern sends with these parameter values (text, by parameter name). */
export function buildAccessPatternRequest(table: ModelTable, pattern: AccessPattern, parameters: Readonly<Record<string, string>>): ModelRequest {
  const entity = findEntity(table, pattern.entity);
  if (pattern.entity !== undefined && !entity) throw new ModelError(`Access pattern "${pattern.name}" names entity ${pattern.entity}, which table ${table.name} does not have`);
  const needEntity = () => {
    if (!entity) throw new ModelError(`Access pattern "${pattern.name}" (${pattern.operation}) needs an entity, whose key templates make the key`);
    return entity;
  };
  const expressions = new ExpressionNames();
  const base = { TableName: table.name };
  switch (pattern.operation) {
    case 'TransactWriteItems':
      // Each action keeps its own expression names and values, as TransactItems does.
      return {
        operation: 'TransactWriteItems',
        input: { TransactItems: transactionSteps(table, pattern).map((step) => ({ [TRANSACTION_ACTIONS[step.operation]!]: buildAccessPatternRequest(table, step, parameters).input })) },
      };
    case 'GetItem':
      return { operation: 'GetItem', input: { ...base, Key: entityKey(table, needEntity(), parameters) } };
    case 'DeleteItem':
      return { operation: 'DeleteItem', input: { ...base, Key: entityKey(table, needEntity(), parameters) } };
    case 'PutItem':
      return { operation: 'PutItem', input: { ...base, Item: entityItem(table, needEntity(), parameters) } };
    case 'UpdateItem': {
      const target = needEntity();
      const updated = pattern.updateAttributes ?? [];
      if (updated.length === 0) throw new ModelError(`Access pattern "${pattern.name}" updates no attributes`);
      const sets: string[] = [];
      for (const name of updated) {
        const text = parameters[name];
        if (text === undefined) throw new ModelError(`No value for ${name}, which "${pattern.name}" sets`);
        sets.push(`${expressions.name(name)} = ${expressions.value(typedValue(text, attributeType(table, target, name), name))}`);
      }
      // An index key built from an updated attribute must follow it, or the index keeps the old value.
      const keys = keyAttributes(table);
      const primary = new Set([table.partitionKey.name, table.sortKey?.name]);
      for (const [name, template] of Object.entries(target.keyTemplates)) {
        const key = keys.get(name);
        const placeholders = templatePlaceholders(template);
        if (!key || primary.has(name) || !placeholders.some((p) => updated.includes(p)) || !placeholders.every((p) => parameters[p] !== undefined)) continue;
        sets.push(`${expressions.name(name)} = ${expressions.value(keyValue(template, key, parameters))}`);
      }
      return {
        operation: 'UpdateItem',
        input: expressions.into({ ...base, Key: entityKey(table, target, parameters), UpdateExpression: `SET ${sets.join(', ')}` }),
      };
    }
    case 'Query':
    case 'Scan': {
      const shape = keyShape(table, pattern.index);
      if (!shape) throw new ModelError(`Access pattern "${pattern.name}" uses index ${pattern.index}, which table ${table.name} does not have`);
      const input: Record<string, unknown> = { ...base, ...(shape.indexName ? { IndexName: shape.indexName } : {}) };
      if (pattern.operation === 'Query') {
        if (!pattern.keyCondition) throw new ModelError(`Access pattern "${pattern.name}" is a Query without a key condition`);
        input.KeyConditionExpression = keyConditionExpression(shape, pattern.keyCondition, parameters, expressions, pattern.name);
        if (pattern.scanIndexForward === false) input.ScanIndexForward = false;
      }
      const filter = (pattern.filter ?? []).map((condition) => filterExpression(table, entity, condition, parameters, expressions));
      if (filter.length) input.FilterExpression = filter.join(' AND ');
      if (pattern.limit !== undefined) input.Limit = pattern.limit;
      return { operation: pattern.operation, input: expressions.into(input) };
    }
  }
}

function keyConditionExpression(
  shape: KeyShape,
  condition: NonNullable<AccessPattern['keyCondition']>,
  parameters: Readonly<Record<string, string>>,
  expressions: ExpressionNames,
  patternName: string,
): string {
  const partition = `${expressions.name(shape.partitionKey.name)} = ${expressions.value(keyValue(condition.partition, shape.partitionKey, parameters))}`;
  const sort = condition.sort;
  if (!sort) return partition;
  if (!shape.sortKey) throw new ModelError(`Access pattern "${patternName}" has a sort key condition, but ${shape.indexName ?? 'the table'} has no sort key`);
  const name = expressions.name(shape.sortKey.name);
  const sortKey = shape.sortKey;
  if (sort.operator === 'begins_with') {
    if (sortKey.type === 'N') throw new ModelError(`begins_with needs a string or binary sort key; ${sortKey.name} is a number`);
    // A prefix may stop at the first parameter left out: "ORDER#{date}" without a date reads every order.
    return `${partition} AND begins_with(${name}, ${expressions.value({ [sortKey.type]: renderTemplatePrefix(sort.value, parameters).text } as AttributeValue)})`;
  }
  const value = expressions.value(keyValue(sort.value, sortKey, parameters));
  if (sort.operator === 'between') {
    if (sort.to === undefined) throw new ModelError(`Access pattern "${patternName}": between needs a second value`);
    return `${partition} AND ${name} BETWEEN ${value} AND ${expressions.value(keyValue(sort.to, sortKey, parameters))}`;
  }
  return `${partition} AND ${name} ${sort.operator} ${value}`;
}

function filterExpression(
  table: ModelTable,
  entity: ModelEntity | undefined,
  condition: NonNullable<AccessPattern['filter']>[number],
  parameters: Readonly<Record<string, string>>,
  expressions: ExpressionNames,
): string {
  const name = expressions.name(condition.attribute);
  if (condition.operator === 'attribute_exists' || condition.operator === 'attribute_not_exists') return `${condition.operator}(${name})`;
  if (condition.value === undefined) throw new ModelError(`The filter on ${condition.attribute} (${condition.operator}) needs a value`);
  const text = renderTemplate(condition.value, parameters);
  // begins_with and contains compare text; the others compare as the attribute's type.
  const type = condition.operator === 'begins_with' || condition.operator === 'contains' ? 'S' : attributeType(table, entity, condition.attribute);
  const value = expressions.value(typedValue(text, type, condition.attribute));
  if (condition.operator === 'begins_with' || condition.operator === 'contains') return `${condition.operator}(${name}, ${value})`;
  return `${name} ${condition.operator} ${value}`;
}

/** The CreateTable request for a model table (TTL is set after, by UpdateTimeToLive). */
export function createTableRequest(table: ModelTable): Record<string, unknown> {
  const definitions = new Map<string, ModelKeyType>();
  const define = (key: ModelKeyAttribute | undefined) => {
    if (!key) return;
    const known = definitions.get(key.name);
    if (known && known !== key.type) throw new ModelError(`${key.name} is a key of type ${known} in one place and ${key.type} in another`);
    definitions.set(key.name, key.type);
  };
  const keySchema = (index: { partitionKey: ModelKeyAttribute; sortKey?: ModelKeyAttribute }) => {
    define(index.partitionKey);
    define(index.sortKey);
    return [{ AttributeName: index.partitionKey.name, KeyType: 'HASH' }, ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : [])];
  };
  const projection = (index: ModelIndex) => ({
    ProjectionType: index.projection.type,
    ...(index.projection.type === 'INCLUDE' ? { NonKeyAttributes: index.projection.nonKeyAttributes ?? [] } : {}),
  });
  const provisioned = table.billing.mode === 'PROVISIONED' ? { ReadCapacityUnits: table.billing.readCapacityUnits, WriteCapacityUnits: table.billing.writeCapacityUnits } : undefined;
  const request: Record<string, unknown> = {
    TableName: table.name,
    KeySchema: keySchema(table),
    BillingMode: table.billing.mode,
    ...(provisioned ? { ProvisionedThroughput: provisioned } : {}),
  };
  if (table.globalSecondaryIndexes.length) {
    request.GlobalSecondaryIndexes = table.globalSecondaryIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index),
      Projection: projection(index),
      ...(provisioned ? { ProvisionedThroughput: provisioned } : {}),
    }));
  }
  if (table.localSecondaryIndexes.length) {
    request.LocalSecondaryIndexes = table.localSecondaryIndexes.map((index) => ({ IndexName: index.name, KeySchema: keySchema(index), Projection: projection(index) }));
  }
  if (table.stream) request.StreamSpecification = { StreamEnabled: true, StreamViewType: table.stream };
  request.AttributeDefinitions = [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
  return request;
}
