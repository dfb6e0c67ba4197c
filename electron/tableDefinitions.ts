/**
 * Tables and fixtures from the files a project already has, for `serve --tables/--seed` and the
 * test-suite API's `tables:`/`seed:`:
 * - table definitions: CreateTable JSON (one object or a list), a CloudFormation or SAM template
 *   (AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable resources; YAML with the short-form
 *   tags such as !Ref, !Sub and !GetAtt, or JSON), or a Serverless Framework file's `resources`;
 * - fixtures: {"Table": [items]} or BatchWriteItem's {"RequestItems": ...}, items in DynamoDB
 *   JSON ({"pk": {"S": "a"}}) or plain JSON ({"pk": "a"}); or, given as `Table=file`, a list of
 *   items or one item per line (DynamoDB's S3 export lines {"Item": {...}} included), or a CSV
 *   file (fixtureItems.ts). Plain JSON numbers keep every digit they were written with.
 * Tables are created through the engine's own CreateTable, so a bad definition gets DynamoDB's
 * own error, prefixed with the file and table it came from.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml, type Tags } from 'yaml';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type DynamoEngine } from '../engine/api.ts';
import { csvItems, parseJsonKeepingNumbers, toItem } from './fixtureItems.ts';

type Json = Record<string, unknown>;

export interface TableDefinition {
  /** Where the table lives: a global table's replica region, else the caller's region. */
  region?: string;
  /** CreateTable's input. */
  input: Json;
  /** Turned on with UpdateTimeToLive once the table exists. */
  timeToLiveAttribute?: string;
}

export interface DefinitionOptions {
  /** Region of the tables (and AWS::Region in templates); default us-east-1. */
  region?: string;
  /** AWS::StackName in templates; default "local". */
  stackName?: string;
  /** Serverless Framework's stage (${sls:stage}, ${opt:stage}); default "dev". */
  stage?: string;
}

// CloudFormation's short forms, each as a scalar, a list or a map, turned into their long forms.
const INTRINSICS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'If', 'Select', 'Split', 'FindInMap', 'GetAZs', 'ImportValue', 'Base64', 'Equals', 'Not', 'And', 'Or', 'Cidr', 'Length', 'ToJsonString'];
const CLOUDFORMATION_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }) },
    ...(['seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection,
      resolve: (value: { toJSON(): unknown }) => ({ [key]: value.toJSON() }),
    })),
  ];
}) as Tags;

const PSEUDO_PARAMETERS = (options: Required<DefinitionOptions>): Json => ({
  'AWS::Region': options.region,
  'AWS::StackName': options.stackName,
  'AWS::AccountId': DEFAULT_ACCOUNT_ID,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackId': `arn:aws:cloudformation:${options.region}:${DEFAULT_ACCOUNT_ID}:stack/${options.stackName}/local`,
});

/** Evaluates the intrinsic functions a table's properties may use, from the template's own sections. */
class TemplateEvaluator {
  private readonly values: Json;
  private depth = 0;

  constructor(
    private readonly template: Json,
    options: Required<DefinitionOptions>,
  ) {
    const parameters: Json = {};
    for (const [name, parameter] of Object.entries((template.Parameters as Json | undefined) ?? {})) {
      if ((parameter as Json)?.Default !== undefined) parameters[name] = (parameter as Json).Default;
    }
    // A Ref to a resource names it; for a table without TableName that is its local name.
    const resources = Object.fromEntries(Object.keys((template.Resources as Json | undefined) ?? {}).map((id) => [id, id]));
    this.values = { ...resources, ...parameters, ...PSEUDO_PARAMETERS(options) };
  }

  /** Resolves every intrinsic in `value`; AWS::NoValue removes the property, as CloudFormation does. */
  evaluate(value: unknown): unknown {
    if (++this.depth > 64) throw new Error('intrinsic functions nested too deeply');
    try {
      if (Array.isArray(value)) return value.map((v) => this.evaluate(v)).filter((v) => v !== NO_VALUE);
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) return this.intrinsic(entries[0][0], entries[0][1]);
      const out: Json = {};
      for (const [k, v] of entries) {
        const resolved = this.evaluate(v);
        if (resolved !== NO_VALUE) out[k] = resolved;
      }
      return out;
    } finally {
      this.depth--;
    }
  }

  private lookup(name: string): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (!Object.hasOwn(this.values, name)) throw new Error(`cannot resolve ${name} (a parameter without a Default?)`);
    return this.values[name];
  }

  private intrinsic(name: string, raw: unknown): unknown {
    if (name === 'Fn::If') {
      // Only the chosen branch is evaluated: the other may well be AWS::NoValue or unresolvable.
      if (!Array.isArray(raw) || raw.length !== 3) throw new Error('Fn::If needs a list of 3');
      return this.evaluate(this.condition(String(raw[0])) ? raw[1] : raw[2]);
    }
    const args = Array.isArray(raw) ? raw.map((arg) => this.evaluate(arg)) : this.evaluate(raw);
    const list = (count: number) => {
      if (!Array.isArray(args) || args.length < count) throw new Error(`${name} needs a list of ${count}`);
      return args;
    };
    switch (name) {
      case 'Ref':
        return this.lookup(String(args));
      case 'Fn::Sub': {
        const [text, variables] = typeof args === 'string' ? [args, {}] : (list(2) as [string, Json]);
        // ${Name} is substituted, ${!Literal} stays as ${Literal}; [^}]* cannot backtrack.
        return text.replace(/\$\{(!?)([^}]*)\}/g, (_, literal: string, key: string) => {
          if (literal) return `\${${key}}`;
          if (Object.hasOwn(variables, key)) return String(variables[key]);
          if (key.includes('.') && !key.startsWith('AWS::')) throw new Error(`cannot resolve \${${key}} (attributes of other resources are not known locally)`);
          return String(this.lookup(key));
        });
      }
      case 'Fn::Join': {
        const [delimiter, parts] = list(2) as [string, unknown[]];
        return parts.map(String).join(delimiter);
      }
      case 'Fn::Select': {
        const [index, items] = list(2) as [number, unknown[]];
        return items[Number(index)];
      }
      case 'Fn::Split': {
        const [delimiter, text] = list(2) as [string, string];
        return text.split(delimiter);
      }
      case 'Fn::FindInMap': {
        const [map, first, second] = list(3) as string[];
        const found = ((this.template.Mappings as Json | undefined)?.[map] as Json | undefined)?.[first] as Json | undefined;
        if (found?.[second] === undefined) throw new Error(`FindInMap: ${map}.${first}.${second} is not in Mappings`);
        return found[second];
      }
      case 'Fn::Equals': {
        const [a, b] = list(2);
        return String(a) === String(b);
      }
      case 'Fn::Not':
        return !(list(1)[0] as boolean);
      case 'Fn::And':
        return list(2).every(Boolean);
      case 'Fn::Or':
        return list(2).some(Boolean);
      default:
        throw new Error(`${name} is not supported in table properties here`);
    }
  }

  private condition(name: string): boolean {
    const conditions = (this.template.Conditions as Json | undefined) ?? {};
    if (!Object.hasOwn(conditions, name)) throw new Error(`condition ${name} is not in Conditions`);
    const value = this.evaluate(conditions[name]);
    return typeof value === 'object' && value !== null && 'Condition' in value ? this.condition(String((value as Json).Condition)) : Boolean(value);
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

const pick = (source: Json, keys: string[]): Json => Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
const TABLE_KEYS = ['TableName', 'AttributeDefinitions', 'KeySchema', 'LocalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput', 'OnDemandThroughput', 'Tags', 'TableClass', 'DeletionProtectionEnabled'];
const INDEX_KEYS = ['IndexName', 'KeySchema', 'Projection', 'ProvisionedThroughput', 'OnDemandThroughput'];

function streamAndEncryption(properties: Json): Json {
  const out: Json = {};
  const stream = properties.StreamSpecification as Json | undefined;
  if (stream?.StreamViewType) out.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType };
  const sse = properties.SSESpecification as Json | undefined;
  if (sse) out.SSESpecification = { Enabled: sse.SSEEnabled ?? false, ...pick(sse, ['SSEType', 'KMSMasterKeyId']) };
  return out;
}

function ttlAttribute(properties: Json): string | undefined {
  const ttl = properties.TimeToLiveSpecification as Json | undefined;
  return ttl?.Enabled === true && typeof ttl.AttributeName === 'string' ? ttl.AttributeName : undefined;
}

/** AWS::DynamoDB::Table: its properties are CreateTable's, but for streams, encryption and TTL. */
function fromTableResource(logicalId: string, properties: Json): TableDefinition {
  const input: Json = { TableName: logicalId, ...pick(properties, TABLE_KEYS), ...streamAndEncryption(properties) };
  const indexes = properties.GlobalSecondaryIndexes as Json[] | undefined;
  if (indexes) input.GlobalSecondaryIndexes = indexes.map((index) => pick(index, INDEX_KEYS));
  return { input, timeToLiveAttribute: ttlAttribute(properties) };
}

/**
 * AWS::DynamoDB::GlobalTable: one table in each replica's region. Provisioned capacity is given
 * as auto-scaling settings there; the local table takes their minimum (reads per replica).
 */
function fromGlobalTableResource(logicalId: string, properties: Json): TableDefinition[] {
  const replicas = (properties.Replicas as Json[] | undefined) ?? [];
  if (replicas.length === 0) throw new Error(`${logicalId}: a GlobalTable needs at least one replica`);
  const provisioned = properties.BillingMode === 'PROVISIONED';
  const writeUnits = (settings: unknown) => ((settings as Json | undefined)?.WriteCapacityAutoScalingSettings as Json | undefined)?.MinCapacity;
  const readUnits = (settings: unknown) => {
    const read = settings as Json | undefined;
    return read?.ReadCapacityUnits ?? (read?.ReadCapacityAutoScalingSettings as Json | undefined)?.MinCapacity;
  };
  return replicas.map((replica) => {
    const input: Json = {
      TableName: logicalId,
      ...pick(properties, ['TableName', 'AttributeDefinitions', 'KeySchema', 'LocalSecondaryIndexes', 'BillingMode']),
      ...streamAndEncryption(properties),
      ...pick(replica, ['Tags', 'TableClass', 'DeletionProtectionEnabled']),
    };
    if (provisioned) {
      input.ProvisionedThroughput = { ReadCapacityUnits: readUnits(replica.ReadProvisionedThroughputSettings), WriteCapacityUnits: writeUnits(properties.WriteProvisionedThroughputSettings) };
    }
    const indexes = properties.GlobalSecondaryIndexes as Json[] | undefined;
    if (indexes) {
      const replicaIndexes = (replica.GlobalSecondaryIndexes as Json[] | undefined) ?? [];
      input.GlobalSecondaryIndexes = indexes.map((index) => {
        const out = pick(index, ['IndexName', 'KeySchema', 'Projection']);
        if (provisioned) {
          const replicaIndex = replicaIndexes.find((r) => r.IndexName === index.IndexName);
          out.ProvisionedThroughput = { ReadCapacityUnits: readUnits(replicaIndex?.ReadProvisionedThroughputSettings), WriteCapacityUnits: writeUnits(index.WriteProvisionedThroughputSettings) };
        }
        return out;
      });
    }
    return { region: String(replica.Region), input, timeToLiveAttribute: ttlAttribute(properties) };
  });
}

function fromTemplate(template: Json, options: Required<DefinitionOptions>): TableDefinition[] {
  const evaluator = new TemplateEvaluator(template, options);
  const out: TableDefinition[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources as Json)) {
    const { Type: type, Properties: properties = {}, Condition: condition } = resource as Json;
    if (type !== 'AWS::DynamoDB::Table' && type !== 'AWS::DynamoDB::GlobalTable') continue;
    if (typeof condition === 'string' && !evaluator.evaluate({ 'Fn::If': [condition, true, false] })) continue;
    try {
      const resolved = evaluator.evaluate(properties) as Json;
      if (type === 'AWS::DynamoDB::Table') out.push(fromTableResource(logicalId, resolved));
      else out.push(...fromGlobalTableResource(logicalId, resolved));
    } catch (error) {
      throw new Error(`${logicalId}: ${(error as Error).message}`);
    }
  }
  return out;
}

/**
 * Serverless Framework variables in a serverless.yml: ${self:path}, ${sls:stage},
 * ${opt:stage, 'dev'}, ${env:NAME, 'default'}; others are refused by name.
 */
function resolveServerlessVariables(document: Json, options: Required<DefinitionOptions>): Json {
  const variable = /\$\{([^{}]*)\}/; // innermost first: [^{}]* cannot backtrack
  const lookup = (expression: string): unknown => {
    const comma = expression.indexOf(',');
    const [source, fallback] = comma < 0 ? [expression.trim(), undefined] : [expression.slice(0, comma).trim(), expression.slice(comma + 1).trim().replace(/^['"]|['"]$/g, '')];
    const [kind, path = ''] = source.split(/:(.*)/s);
    let value: unknown;
    if (kind === 'self') value = path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
    else if (kind === 'sls' && path === 'stage') value = options.stage;
    else if (kind === 'opt') value = path === 'stage' ? options.stage : path === 'region' ? options.region : undefined;
    else if (kind === 'env') value = process.env[path];
    else if (kind === 'aws' && path === 'region') value = options.region;
    else if (kind === 'aws' && path === 'accountId') value = DEFAULT_ACCOUNT_ID;
    else throw new Error(`Serverless variable \${${expression}} is not supported here`);
    if (value === undefined && fallback === undefined) throw new Error(`Serverless variable \${${expression}} has no value`);
    return value ?? fallback;
  };
  const resolve = (node: unknown, depth = 0): unknown => {
    if (depth > 64) throw new Error('Serverless file nested too deeply');
    if (typeof node === 'string') {
      let text = node;
      for (let round = 0; round < 32; round++) {
        const match = variable.exec(text);
        if (!match) return text;
        const value = lookup(match[1]);
        if (match[0] === text && typeof value !== 'string') return resolve(value, depth + 1);
        text = text.slice(0, match.index) + String(value) + text.slice(match.index + match[0].length);
      }
      throw new Error(`Serverless variables in ${JSON.stringify(node)} do not settle`);
    }
    if (Array.isArray(node)) return node.map((v) => resolve(v, depth + 1));
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, depth + 1)]));
    return node;
  };
  return resolve(document.resources) as Json;
}

/** Table definitions from one file's text; `fileName` picks YAML or JSON by extension. */
export function parseTableDefinitions(text: string, fileName: string, options: DefinitionOptions = {}): TableDefinition[] {
  const resolved: Required<DefinitionOptions> = { region: options.region ?? DEFAULT_REGION, stackName: options.stackName ?? 'local', stage: options.stage ?? 'dev' };
  const isYaml = ['.yml', '.yaml', '.template'].includes(extname(fileName).toLowerCase());
  const document = (isYaml ? parseYaml(text, { customTags: CLOUDFORMATION_TAGS, maxAliasCount: 100 }) : JSON.parse(text)) as unknown;
  if (Array.isArray(document)) return document.map((input) => ({ input: input as Json }));
  if (!document || typeof document !== 'object') throw new Error(`${basename(fileName)}: expected table definitions, found ${typeof document}`);
  const root = document as Json;
  if (root.Resources) return fromTemplate(root, resolved);
  if (root.resources) {
    const resources = resolveServerlessVariables(root, resolved);
    const parts = Array.isArray(resources) ? (resources as Json[]) : [resources];
    const merged = { Resources: Object.assign({}, ...parts.map((part) => part.Resources ?? {})), Conditions: Object.assign({}, ...parts.map((p) => p.Conditions ?? {})) };
    return fromTemplate(merged, resolved);
  }
  if (root.KeySchema || root.TableName) return [{ input: root }];
  throw new Error(`${basename(fileName)}: not CreateTable JSON, a CloudFormation/SAM template (Resources) or a Serverless file (resources)`);
}

export async function readTableDefinitions(path: string, options: DefinitionOptions = {}): Promise<TableDefinition[]> {
  try {
    return parseTableDefinitions(await readFile(path, 'utf8'), path, options);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Creates each table (and turns TTL on) through the engine, as CreateTable requests would. */
export async function createTables(engine: DynamoEngine, definitions: TableDefinition[], region = DEFAULT_REGION): Promise<void> {
  for (const { input, region: own, timeToLiveAttribute } of definitions) {
    const context = { accountId: DEFAULT_ACCOUNT_ID, region: own ?? region };
    try {
      try {
        await engine.handle('CreateTable', input, context);
      } catch (error) {
        // A durable data directory keeps the tables of the last run: starting again leaves them be.
        if ((error as { code?: string }).code === 'ResourceInUseException') continue;
        throw error;
      }
      if (timeToLiveAttribute) {
        await engine.handle('UpdateTimeToLive', { TableName: input.TableName, TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true } }, context);
      }
    } catch (error) {
      throw new Error(`table ${String(input.TableName)} (${context.region}): ${(error as Error).message}`, { cause: error });
    }
  }
}

// ---- fixtures ----

const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
const isTypedValue = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && TYPE_KEYS.has(Object.keys(value)[0]);

/**
 * Items in DynamoDB JSON pass through; plain JSON items are converted (numbers to N, and so on).
 * Numbers are read as written (parseJsonKeepingNumbers), so typed N values are strings already.
 */
export function toDynamoItem(item: Json): Json {
  const values = Object.values(item);
  return values.length > 0 && values.every(isTypedValue) ? item : toItem(item);
}

/**
 * Items per table from one fixture file; `table` is given for files of bare items (`Table=file`),
 * which may also be CSV (`csv`).
 */
export function parseSeed(text: string, table?: string, csv = false): Map<string, Json[]> {
  const out = new Map<string, Json[]>();
  const add = (name: string, item: Json) => {
    if (!out.has(name)) out.set(name, []);
    out.get(name)!.push(toDynamoItem(item));
  };
  if (csv) {
    if (table === undefined) throw new Error('a CSV file holds the items of one table: give it as Table=file.csv');
    out.set(table, csvItems(text));
    return out;
  }
  if (table !== undefined) {
    const trimmed = text.trim();
    // A JSON list of items, or one item per line (DynamoDB's S3 export wraps each in {"Item": ...}).
    const items = trimmed.startsWith('[')
      ? (parseJsonKeepingNumbers(trimmed) as Json[])
      : trimmed
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => parseJsonKeepingNumbers(line) as Json);
    for (const item of items) add(table, Object.keys(item).length === 1 && item.Item && typeof item.Item === 'object' ? (item.Item as Json) : item);
    return out;
  }
  const document = parseJsonKeepingNumbers(text) as Json;
  if (document.RequestItems) {
    for (const [name, requests] of Object.entries(document.RequestItems as Record<string, Json[]>)) {
      for (const request of requests) if (request.PutRequest) add(name, (request.PutRequest as Json).Item as Json);
    }
    return out;
  }
  for (const [name, items] of Object.entries(document)) {
    if (!Array.isArray(items)) throw new Error(`expected a list of items for table ${name}`);
    for (const item of items) add(name, item as Json);
  }
  return out;
}

/** `file` or `Table=file`, as given to --seed. */
export async function readSeed(spec: string): Promise<Map<string, Json[]>> {
  const equals = spec.indexOf('=');
  const [table, path] = equals > 0 ? [spec.slice(0, equals), spec.slice(equals + 1)] : [undefined, spec];
  try {
    return parseSeed(await readFile(path, 'utf8'), table, extname(path).toLowerCase() === '.csv');
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes fixtures through BatchWriteItem, 25 at a time, so every item is validated as DynamoDB would. */
export async function seedTables(engine: DynamoEngine, seeds: Map<string, Json[]>, region = DEFAULT_REGION): Promise<void> {
  const context = { accountId: DEFAULT_ACCOUNT_ID, region };
  for (const [table, items] of seeds) {
    for (let i = 0; i < items.length; i += 25) {
      const requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      try {
        await engine.handle('BatchWriteItem', { RequestItems: { [table]: requests } }, context);
      } catch (error) {
        throw new Error(`seeding ${table} (items ${i + 1}-${i + requests.length}): ${(error as Error).message}`, { cause: error });
      }
    }
  }
}

export type TablesOption = string | Json | (string | Json)[];
export type SeedOption = string | Record<string, unknown[]> | (string | Record<string, unknown[]>)[];

/** The `tables` and `seed` options of serve and startDynamoLens: files or objects, tables first. */
export async function loadTablesAndSeed(engine: DynamoEngine, options: { tables?: TablesOption; seed?: SeedOption; region?: string }): Promise<void> {
  const region = options.region ?? DEFAULT_REGION;
  const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  for (const source of asList(options.tables)) {
    const definitions = typeof source === 'string' ? await readTableDefinitions(source, { region }) : parseTableDefinitions(JSON.stringify(source), 'tables.json', { region });
    await createTables(engine, definitions, region);
  }
  for (const source of asList(options.seed)) {
    if (typeof source !== 'string') {
      await seedTables(engine, parseSeed(JSON.stringify(source)), region);
      continue;
    }
    const seeds = await readSeed(source);
    await seedTables(engine, seeds, region).catch((error: Error) => {
      throw new Error(`${source.slice(source.indexOf('=') + 1)}: ${error.message}`, { cause: error });
    });
  }
}
