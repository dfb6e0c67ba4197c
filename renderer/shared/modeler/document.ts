/**
 * The model as a document: checking one (hand-edited, imported or sent to the backend), exporting
 * it as JSON and reading it back.
 */
import { DATA_MODEL_FORMAT, DATA_MODEL_VERSION, type DataModel, type ModelIndex, type ModelTable } from '../../../electron/contract.ts';
import { ModelError, parseTemplate, templatePlaceholders } from './keyTemplates.ts';
import { keyAttributes } from './requests.ts';

/** DynamoDB's rule for table and index names. */
const RESOURCE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const KEY_TYPES = ['S', 'N', 'B'];
const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];
const OPERATIONS = ['GetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'];
/** DynamoDB's quotas per table. */
const MAX_GSIS = 20;
const MAX_LSIS = 5;
/** Enough for any real design, and a bound on the work a hostile document can ask for. */
const MAX_TABLES = 100;
const MAX_ENTITIES = 200;
const MAX_PATTERNS = 500;
const MAX_ATTRIBUTES = 500;

export function emptyModel(name: string): DataModel {
  return { format: DATA_MODEL_FORMAT, version: DATA_MODEL_VERSION, name, tables: [] };
}

/** A new table with a generic single-table key (PK, SK), on demand. */
export function emptyTable(name: string): ModelTable {
  return {
    name,
    partitionKey: { name: 'PK', type: 'S' },
    sortKey: { name: 'SK', type: 'S' },
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    billing: { mode: 'PAY_PER_REQUEST' },
    entities: [],
    accessPatterns: [],
  };
}

/**
 * Everything wrong with a model, in words, each naming where it is; empty when it is sound. Shapes
 * are checked before meaning, so the later checks can trust the fields they read.
 */
export function checkModel(value: unknown): string[] {
  const problems: string[] = [];
  const model = value as DataModel;
  if (!isObject(value)) return ['A model must be a JSON object'];
  if (model.format !== DATA_MODEL_FORMAT) return [`This is not a Dynamo Lens data model (its "format" is not "${DATA_MODEL_FORMAT}")`];
  if (model.version !== DATA_MODEL_VERSION) {
    return [typeof model.version === 'number' && model.version > DATA_MODEL_VERSION ? `The model was saved by a newer Dynamo Lens (version ${model.version}); this one reads version ${DATA_MODEL_VERSION}` : `Unknown model version ${String(model.version)}`];
  }
  if (typeof model.name !== 'string' || !model.name.trim()) problems.push('The model needs a name');
  if (!Array.isArray(model.tables) || model.tables.length > MAX_TABLES) return [...problems, `tables must be a list of at most ${MAX_TABLES} tables`];
  const tableNames = new Set<string>();
  for (const [i, table] of model.tables.entries()) {
    const where = `Table ${isObject(table) && typeof table.name === 'string' ? table.name : `#${i + 1}`}`;
    const shapeProblems = checkTableShape(table, where);
    if (shapeProblems.length) {
      problems.push(...shapeProblems);
      continue;
    }
    if (tableNames.has(table.name)) problems.push(`${where} appears twice`);
    tableNames.add(table.name);
    problems.push(...checkTableMeaning(table, where));
  }
  return problems;
}

function checkTableShape(table: ModelTable, where: string): string[] {
  if (!isObject(table)) return [`${where} must be an object`];
  const problems: string[] = [];
  if (typeof table.name !== 'string' || !RESOURCE_NAME.test(table.name)) problems.push(`${where}: a table name is 3 to 255 letters, digits, "_", "-" or "."`);
  if (!isKey(table.partitionKey)) problems.push(`${where}: partitionKey needs a name and a type S, N or B`);
  if (table.sortKey !== undefined && !isKey(table.sortKey)) problems.push(`${where}: sortKey needs a name and a type S, N or B`);
  for (const field of ['globalSecondaryIndexes', 'localSecondaryIndexes', 'entities', 'accessPatterns'] as const) {
    if (!Array.isArray(table[field])) problems.push(`${where}: ${field} must be a list`);
  }
  if (problems.length) return problems;
  if (table.globalSecondaryIndexes.length > MAX_GSIS) problems.push(`${where}: a table has at most ${MAX_GSIS} global secondary indexes`);
  if (table.localSecondaryIndexes.length > MAX_LSIS) problems.push(`${where}: a table has at most ${MAX_LSIS} local secondary indexes`);
  if (table.entities.length > MAX_ENTITIES || table.accessPatterns.length > MAX_PATTERNS) problems.push(`${where}: at most ${MAX_ENTITIES} entities and ${MAX_PATTERNS} access patterns`);
  for (const index of [...table.globalSecondaryIndexes, ...table.localSecondaryIndexes]) {
    if (!isObject(index) || typeof index.name !== 'string' || !isKey(index.partitionKey) || (index.sortKey !== undefined && !isKey(index.sortKey)) || !isObject(index.projection)) {
      problems.push(`${where}: each index needs a name, a partitionKey, an optional sortKey and a projection`);
    }
  }
  for (const entity of table.entities) {
    if (!isObject(entity) || typeof entity.name !== 'string' || !Array.isArray(entity.attributes) || entity.attributes.length > MAX_ATTRIBUTES || !isObject(entity.keyTemplates)) {
      problems.push(`${where}: each entity needs a name, a list of attributes and keyTemplates`);
    } else if (!entity.attributes.every((a) => isObject(a) && typeof a.name === 'string' && ATTRIBUTE_TYPES.includes(a.type))) {
      problems.push(`${where}: each attribute of ${entity.name} needs a name and one of DynamoDB's types (${ATTRIBUTE_TYPES.join(', ')})`);
    } else if (!Object.values(entity.keyTemplates).every((t) => typeof t === 'string')) {
      problems.push(`${where}: the key templates of ${entity.name} must be text`);
    }
  }
  for (const pattern of table.accessPatterns) {
    if (!isObject(pattern) || typeof pattern.name !== 'string' || !OPERATIONS.includes(pattern.operation)) {
      problems.push(`${where}: each access pattern needs a name and an operation (${OPERATIONS.join(', ')})`);
    }
  }
  if (table.billing === undefined || !isObject(table.billing) || (table.billing.mode !== 'PAY_PER_REQUEST' && table.billing.mode !== 'PROVISIONED')) {
    problems.push(`${where}: billing.mode must be PAY_PER_REQUEST or PROVISIONED`);
  }
  return problems;
}

function checkTableMeaning(table: ModelTable, where: string): string[] {
  const problems: string[] = [];
  const indexNames = new Set<string>();
  const checkIndex = (index: ModelIndex, kind: string) => {
    if (!RESOURCE_NAME.test(index.name)) problems.push(`${where}: index name "${index.name}" must be 3 to 255 letters, digits, "_", "-" or "."`);
    if (indexNames.has(index.name)) problems.push(`${where}: two indexes are named ${index.name}`);
    indexNames.add(index.name);
    if (index.projection.type === 'INCLUDE' && !Array.isArray(index.projection.nonKeyAttributes)) problems.push(`${where}: ${kind} ${index.name} projects INCLUDE without nonKeyAttributes`);
  };
  table.globalSecondaryIndexes.forEach((index) => checkIndex(index, 'index'));
  for (const index of table.localSecondaryIndexes) {
    checkIndex(index, 'local index');
    if (index.partitionKey.name !== table.partitionKey.name) problems.push(`${where}: local index ${index.name} must share the table's partition key ${table.partitionKey.name}`);
    if (!table.sortKey) problems.push(`${where}: local index ${index.name} needs a table with a sort key`);
    if (!index.sortKey) problems.push(`${where}: local index ${index.name} needs a sort key`);
  }
  if (table.billing.mode === 'PROVISIONED' && !(positiveInteger(table.billing.readCapacityUnits) && positiveInteger(table.billing.writeCapacityUnits))) {
    problems.push(`${where}: provisioned read and write capacity units must be whole numbers of at least 1`);
  }
  const keys = keyAttributes(table);
  const twoTypes = new Set<string>();
  for (const declared of [table, ...table.globalSecondaryIndexes, ...table.localSecondaryIndexes].flatMap((i) => [i.partitionKey, i.sortKey])) {
    if (declared && keys.get(declared.name)!.type !== declared.type) twoTypes.add(declared.name);
  }
  for (const name of twoTypes) problems.push(`${where}: key attribute ${name} has two types`);
  const entityNames = new Set<string>();
  for (const entity of table.entities) {
    const at = `${where}, entity ${entity.name}`;
    if (!entity.name.trim()) problems.push(`${where}: an entity needs a name`);
    if (entityNames.has(entity.name)) problems.push(`${where}: two entities are named ${entity.name}`);
    entityNames.add(entity.name);
    const attributeNames = new Set(entity.attributes.map((a) => a.name));
    if (attributeNames.size !== entity.attributes.length) problems.push(`${at}: an attribute appears twice`);
    for (const attribute of entity.attributes) {
      if (keys.has(attribute.name) && entity.keyTemplates[attribute.name] !== undefined && entity.keyTemplates[attribute.name] !== `{${attribute.name}}`) {
        problems.push(`${at}: ${attribute.name} is both an attribute and a key filled by the template "${entity.keyTemplates[attribute.name]}"`);
      }
    }
    for (const [keyName, template] of Object.entries(entity.keyTemplates)) {
      if (!keys.has(keyName)) {
        problems.push(`${at}: ${keyName} has a template but is not a key of the table or its indexes`);
        continue;
      }
      try {
        parseTemplate(template);
        for (const placeholder of templatePlaceholders(template)) {
          if (!attributeNames.has(placeholder)) problems.push(`${at}: the template of ${keyName} uses {${placeholder}}, which is not one of its attributes`);
        }
      } catch (error) {
        problems.push(`${at}: ${(error as Error).message}`);
      }
    }
    for (const key of [table.partitionKey, table.sortKey]) {
      if (key && entity.keyTemplates[key.name] === undefined) problems.push(`${at}: no template for the table's key ${key.name}`);
    }
  }
  const patternNames = new Set<string>();
  for (const pattern of table.accessPatterns) {
    const at = `${where}, access pattern "${pattern.name}"`;
    if (!pattern.name.trim()) problems.push(`${where}: an access pattern needs a name`);
    if (patternNames.has(pattern.name)) problems.push(`${where}: two access patterns are named "${pattern.name}"`);
    patternNames.add(pattern.name);
    if (pattern.entity !== undefined && !entityNames.has(pattern.entity)) problems.push(`${at}: no entity ${pattern.entity}`);
    if (pattern.index !== undefined && !indexNames.has(pattern.index)) problems.push(`${at}: no index ${pattern.index}`);
    if (['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'].includes(pattern.operation) && pattern.entity === undefined) problems.push(`${at}: ${pattern.operation} needs an entity`);
    if (pattern.operation === 'Query' && (!isObject(pattern.keyCondition) || typeof pattern.keyCondition.partition !== 'string')) problems.push(`${at}: a Query needs a key condition on the partition key`);
    if (pattern.limit !== undefined && !positiveInteger(pattern.limit)) problems.push(`${at}: limit must be a whole number of at least 1`);
    if (pattern.operation === 'TransactWriteItems') {
      const steps = Array.isArray(pattern.transactItems) ? pattern.transactItems : [];
      if (steps.length === 0 || steps.length > 100) problems.push(`${at}: a transaction needs 1 to 100 write patterns`);
      for (const name of steps) {
        const step = table.accessPatterns.find((p) => p.name === name);
        if (!step || !['PutItem', 'UpdateItem', 'DeleteItem'].includes(step.operation)) problems.push(`${at}: "${name}" is not a Put, Update or Delete pattern of this table`);
      }
    }
    const templates = [pattern.keyCondition?.partition, pattern.keyCondition?.sort?.value, pattern.keyCondition?.sort?.to, ...(pattern.filter ?? []).map((f) => f.value)];
    for (const template of templates) {
      if (template === undefined) continue;
      try {
        parseTemplate(template);
      } catch (error) {
        problems.push(`${at}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/** The model as the file it exports to. */
export function exportModel(model: DataModel): string {
  return JSON.stringify(model, null, 2) + '\n';
}

/** Reads an exported model back; any problem refuses the whole document, saying what is wrong. */
export function importModel(text: string): DataModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`The file is not JSON: ${(error as Error).message}`);
  }
  const problems = checkModel(parsed);
  if (problems.length) throw new ModelError(problems.join('\n'));
  return parsed as DataModel;
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isKey(value: unknown): boolean {
  return isObject(value) && typeof value.name === 'string' && value.name.length > 0 && value.name.length <= 255 && KEY_TYPES.includes(value.type);
}

function positiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1;
}
