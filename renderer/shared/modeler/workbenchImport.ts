/**
 * Reads (and writes) a model in NoSQL Workbench for DynamoDB's format (its `ModelName` / `DataModel` JSON,
 * format 3.0): tables with `KeyAttributes`, `NonKeyAttributes`, `GlobalSecondaryIndexes`,
 * `BillingMode`, `TableData` and `TableFacets`. A facet becomes an entity (its key aliases become
 * the attributes its key templates hold; its items, when it has some, give the templates their
 * literal parts); a table without facets gets its entities from its items, as reverse engineering
 * does, or one entity with every attribute.
 */
import { DATA_MODEL_FORMAT, DATA_MODEL_VERSION, type DataModel, type Item, type ModelAttribute, type ModelAttributeType, type ModelEntity, type ModelIndex, type ModelKeyAttribute, type ModelTable } from '../../../electron/contract.ts';
import { validateItem } from '../attributeValues.ts';
import { checkModel, importModel } from './document.ts';
import { ModelError } from './keyTemplates.ts';
import { inferEntity, reverseEngineer } from './reverse.ts';
import { generateSampleItems } from './sampleData.ts';

interface WorkbenchKey {
  AttributeName: string;
  AttributeType: string;
}

interface WorkbenchTable {
  TableName: string;
  KeyAttributes: { PartitionKey: WorkbenchKey; SortKey?: WorkbenchKey };
  NonKeyAttributes?: WorkbenchKey[];
  GlobalSecondaryIndexes?: { IndexName: string; KeyAttributes: { PartitionKey: WorkbenchKey; SortKey?: WorkbenchKey }; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] } }[];
  TableData?: unknown[];
  TableFacets?: { FacetName: string; KeyAttributeAlias?: { PartitionKeyAlias?: string; SortKeyAlias?: string }; NonKeyAttributes?: string[]; TableData?: unknown[] }[];
  BillingMode?: string;
  ProvisionedCapacitySettings?: { ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } };
}

/** True when the parsed JSON looks like NoSQL Workbench's export rather than ours. */
export function isWorkbenchModel(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'ModelName' in value && Array.isArray((value as { DataModel?: unknown }).DataModel);
}

export function importWorkbenchModel(value: unknown): DataModel {
  if (!isWorkbenchModel(value)) throw new ModelError('This is not a NoSQL Workbench model (it has no ModelName and DataModel)');
  const source = value as { ModelName: unknown; ModelMetadata?: { Description?: unknown }; DataModel: unknown[] };
  const description = typeof source.ModelMetadata?.Description === 'string' && source.ModelMetadata.Description ? { description: source.ModelMetadata.Description } : {};
  const model: DataModel = {
    format: DATA_MODEL_FORMAT,
    version: DATA_MODEL_VERSION,
    name: typeof source.ModelName === 'string' && source.ModelName.trim() ? source.ModelName : 'Imported model',
    ...description,
    tables: source.DataModel.map((table, i) => importTable(table as WorkbenchTable, i)),
  };
  const problems = checkModel(model);
  if (problems.length) throw new ModelError(`The NoSQL Workbench model does not make a sound model:\n${problems.join('\n')}`);
  return model;
}

function importTable(table: WorkbenchTable, position: number): ModelTable {
  const where = `DataModel[${position}]`;
  if (!table || typeof table !== 'object' || typeof table.TableName !== 'string' || !table.KeyAttributes?.PartitionKey) {
    throw new ModelError(`${where} needs a TableName and KeyAttributes.PartitionKey`);
  }
  const partitionKey = keyAttribute(table.KeyAttributes.PartitionKey, `${where}.KeyAttributes.PartitionKey`);
  const sortKey = table.KeyAttributes.SortKey && keyAttribute(table.KeyAttributes.SortKey, `${where}.KeyAttributes.SortKey`);
  const globalSecondaryIndexes: ModelIndex[] = (table.GlobalSecondaryIndexes ?? []).map((index, i) => {
    const at = `${where}.GlobalSecondaryIndexes[${i}]`;
    const indexSort = index.KeyAttributes?.SortKey && keyAttribute(index.KeyAttributes.SortKey, `${at}.SortKey`);
    const type = (index.Projection?.ProjectionType ?? 'ALL') as ModelIndex['projection']['type'];
    return {
      name: String(index.IndexName),
      partitionKey: keyAttribute(index.KeyAttributes?.PartitionKey, `${at}.PartitionKey`),
      ...(indexSort ? { sortKey: indexSort } : {}),
      projection: { type, ...(type === 'INCLUDE' ? { nonKeyAttributes: index.Projection?.NonKeyAttributes ?? [] } : {}) },
    };
  });
  const throughput = table.ProvisionedCapacitySettings?.ProvisionedThroughput;
  const base: ModelTable = {
    name: table.TableName,
    partitionKey,
    ...(sortKey ? { sortKey } : {}),
    globalSecondaryIndexes,
    localSecondaryIndexes: [],
    billing:
      table.BillingMode === 'PROVISIONED' && throughput?.ReadCapacityUnits && throughput.WriteCapacityUnits
        ? { mode: 'PROVISIONED', readCapacityUnits: throughput.ReadCapacityUnits, writeCapacityUnits: throughput.WriteCapacityUnits }
        : { mode: 'PAY_PER_REQUEST' },
    entities: [],
    accessPatterns: [],
  };
  const attributeTypes = new Map((table.NonKeyAttributes ?? []).map((a) => [a.AttributeName, a.AttributeType as ModelAttributeType]));
  const keyNames = [partitionKey, sortKey, ...globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])].flatMap((k) => (k ? [k.name] : []));
  const tableItems = items(table.TableData, `${where}.TableData`);
  if (table.TableFacets?.length) {
    return { ...base, entities: table.TableFacets.map((facet, i) => facetEntity(facet, base, attributeTypes, keyNames, `${where}.TableFacets[${i}]`)) };
  }
  if (tableItems.length) return reverseEngineer(base, tableItems).table;
  const attributes: ModelAttribute[] = [...attributeTypes].filter(([name]) => !keyNames.includes(name)).map(([name, type]) => ({ name, type }));
  const keyTemplates: Record<string, string> = {};
  for (const key of [partitionKey, sortKey]) {
    if (!key) continue;
    keyTemplates[key.name] = `{${key.name}}`;
    attributes.unshift({ name: key.name, type: key.type });
  }
  return { ...base, entities: [{ name: pascalName(table.TableName), attributes, keyTemplates }] };
}

/**
 * A facet's key aliases name what its items keep in the table's keys (`PartitionKeyAlias: "UserId"`
 * over PK): they become attributes, and the keys' templates are built from the facet's items when
 * it has some, or are the alias alone.
 */
function facetEntity(facet: NonNullable<WorkbenchTable['TableFacets']>[number], table: ModelTable, attributeTypes: Map<string, ModelAttributeType>, keyNames: string[], where: string): ModelEntity {
  if (typeof facet?.FacetName !== 'string' || !facet.FacetName) throw new ModelError(`${where} needs a FacetName`);
  const facetItems = items(facet.TableData, `${where}.TableData`);
  if (facetItems.length) return { ...inferEntity(facet.FacetName, facetItems, keyNames), sampleCount: facetItems.length };
  const attributes: ModelAttribute[] = [];
  const keyTemplates: Record<string, string> = {};
  const aliases: [ModelKeyAttribute | undefined, string | undefined][] = [
    [table.partitionKey, facet.KeyAttributeAlias?.PartitionKeyAlias],
    [table.sortKey, facet.KeyAttributeAlias?.SortKeyAlias],
  ];
  for (const [key, alias] of aliases) {
    if (!key) continue;
    const name = alias && /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(alias) ? alias : key.name;
    keyTemplates[key.name] = `{${name}}`;
    attributes.push({ name, type: key.type });
  }
  for (const name of facet.NonKeyAttributes ?? []) {
    if (attributes.some((a) => a.name === name) || keyNames.includes(name)) continue;
    attributes.push({ name, type: attributeTypes.get(name) ?? 'S' });
  }
  return { name: facet.FacetName, attributes, keyTemplates };
}

function keyAttribute(key: WorkbenchKey | undefined, where: string): ModelKeyAttribute {
  if (!key || typeof key.AttributeName !== 'string' || !['S', 'N', 'B'].includes(key.AttributeType)) throw new ModelError(`${where} needs an AttributeName and an AttributeType of S, N or B`);
  return { name: key.AttributeName, type: key.AttributeType as ModelKeyAttribute['type'] };
}

function items(data: unknown[] | undefined, where: string): Item[] {
  if (data === undefined) return [];
  if (!Array.isArray(data)) throw new ModelError(`${where} must be a list of items`);
  return data.map((item, i) => {
    try {
      validateItem(item);
    } catch (error) {
      throw new ModelError(`${where}[${i}] is not an item in DynamoDB JSON: ${(error as Error).message}`);
    }
    return item;
  });
}

function pascalName(text: string): string {
  const name = text.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return name || 'Item';
}

/** Reads an exported model file: ours, or NoSQL Workbench's. */
export function importModelFile(text: string): DataModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`The file is not JSON: ${(error as Error).message}`);
  }
  return isWorkbenchModel(parsed) ? importWorkbenchModel(parsed) : importModel(text);
}

/**
 * The model in NoSQL Workbench's format (3.0), with sample items from `seed` as each facet's and
 * table's TableData, so Workbench's visualizer shows them. An entity becomes a facet whose key
 * aliases are its key templates. Workbench's format has no place for local indexes, TTL, streams,
 * access patterns or generators; they are left out.
 */
export function exportWorkbenchModel(model: DataModel, seed: number, now: Date): Record<string, unknown> {
  const stamp = now.toLocaleString('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  const key = (attribute: ModelKeyAttribute) => ({ AttributeName: attribute.name, AttributeType: attribute.type });
  const keys = (index: { partitionKey: ModelKeyAttribute; sortKey?: ModelKeyAttribute }) => ({ PartitionKey: key(index.partitionKey), ...(index.sortKey ? { SortKey: key(index.sortKey) } : {}) });
  return {
    ModelName: model.name,
    ModelMetadata: { Author: '', DateCreated: stamp, DateLastModified: stamp, Description: model.description ?? '', AWSService: 'Amazon DynamoDB', Version: '3.0' },
    DataModel: model.tables.map((table) => {
      const tableKeys = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])];
      const nonKey = new Map<string, string>();
      for (const index of table.globalSecondaryIndexes) for (const k of [index.partitionKey, index.sortKey]) if (k && !tableKeys.includes(k.name)) nonKey.set(k.name, k.type);
      for (const entity of table.entities) for (const a of entity.attributes) if (!tableKeys.includes(a.name) && !nonKey.has(a.name)) nonKey.set(a.name, a.type);
      const samples = generateSampleItems(table, { seed });
      return {
        TableName: table.name,
        KeyAttributes: keys(table),
        NonKeyAttributes: [...nonKey].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        TableFacets: table.entities.map((entity) => ({
          FacetName: entity.name,
          KeyAttributeAlias: {
            PartitionKeyAlias: entity.keyTemplates[table.partitionKey.name] ?? table.partitionKey.name,
            ...(table.sortKey ? { SortKeyAlias: entity.keyTemplates[table.sortKey.name] ?? table.sortKey.name } : {}),
          },
          TableData: samples.filter((s) => s.entity === entity.name).map((s) => s.item),
          NonKeyAttributes: [...new Set([...entity.attributes.map((a) => a.name), ...Object.keys(entity.keyTemplates)])].filter((name) => !tableKeys.includes(name)),
          DataAccess: { MySql: {} },
        })),
        GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
          IndexName: index.name,
          KeyAttributes: keys(index),
          Projection: { ProjectionType: index.projection.type, ...(index.projection.type === 'INCLUDE' ? { NonKeyAttributes: index.projection.nonKeyAttributes ?? [] } : {}) },
        })),
        TableData: samples.map((s) => s.item),
        DataAccess: { MySql: {} },
        BillingMode: table.billing.mode,
        ...(table.billing.mode === 'PROVISIONED'
          ? { ProvisionedCapacitySettings: { ProvisionedThroughput: { ReadCapacityUnits: table.billing.readCapacityUnits, WriteCapacityUnits: table.billing.writeCapacityUnits } } }
          : {}),
      };
    }),
  };
}
