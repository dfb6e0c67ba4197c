/**
 * The query builder's spec as code a developer can paste: AWS SDK for JavaScript v3 (document
 * client), Python boto3 (resource API with Key/Attr conditions) and the AWS CLI. Each sample is
 * run against a real endpoint by codegen.test.ts, so what is shown is what works.
 */
import type { ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { expressionsOf, toAttributeValue, type Condition, type PathElement, type QuerySpec, type TypedValue } from './queryModel.ts';

/** Where the generated code connects. */
export interface CodeTarget {
  region: string;
  /** Custom endpoint (the local engine, DynamoDB Local); AWS itself when absent. */
  endpointUrl?: string;
  /**
   * The local engine accepts any signature, but SDKs refuse to sign without credentials; samples
   * for it carry placeholder keys so they run on a machine with no AWS setup.
   */
  placeholderCredentials?: boolean;
}

/** Where samples for a table on this connection connect. */
export function codeTargetOf(connection: ConnectionInfo, namespace: Namespace | undefined): CodeTarget {
  const endpointUrl = connection.endpointUrl;
  return {
    region: namespace?.region || connection.region,
    ...(endpointUrl ? { endpointUrl } : {}),
    // As the app's own remote client does: an endpoint with neither keys nor profile is an emulator.
    placeholderCredentials: Boolean(endpointUrl) && !connection.hasCredentials && !connection.profile,
  };
}

export type CodeLanguage = 'javascript' | 'python' | 'cli';

export interface CodeOptions {
  /** Read every page (following LastEvaluatedKey) rather than the first. The CLI pages by itself. */
  paging?: boolean;
}

export function generate(language: CodeLanguage, spec: QuerySpec, target: CodeTarget, options: CodeOptions = {}): string {
  if (language === 'javascript') return generateJavaScript(spec, target, options);
  if (language === 'python') return generatePython(spec, target, options);
  return generateCli(spec, target);
}

/** A JavaScript string literal. */
export const str = (s: string) => JSON.stringify(s);

// ---------- JavaScript (SDK v3, DynamoDBDocumentClient) ----------

/** Numbers that survive a JS number exactly are written as literals; others need NumberValue. */
export function jsNumber(text: string): { code: string; needsNumberValue: boolean } {
  const n = Number(text);
  // A long fraction can round to an integer ("30.000000000000000000001" is 30), so integers count
  // as exact only when written as integers.
  const exact = Number.isFinite(n) && (/^-?\d+$/.test(text) ? Number.isSafeInteger(n) : significantDigits(text) <= 15);
  return exact ? { code: String(n), needsNumberValue: false } : { code: `NumberValue.from(${str(text)})`, needsNumberValue: true };
}

function significantDigits(text: string): number {
  const mantissa = text.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '');
  return mantissa.replace(/0+$/, '').length;
}

function jsValue(value: TypedValue, uses: Set<string>): string {
  switch (value.type) {
    case 'S':
      return str(value.value);
    case 'N': {
      const { code, needsNumberValue } = jsNumber(value.value);
      if (needsNumberValue) uses.add('NumberValue');
      return code;
    }
    case 'B':
      return `Buffer.from(${str(value.value)}, "base64")`;
    case 'BOOL':
      return String(value.value);
    default:
      return 'null';
  }
}

export function generateJavaScript(spec: QuerySpec, target: CodeTarget, options: CodeOptions = {}): string {
  const e = expressionsOf(spec);
  const command = `${spec.operation}Command`;
  const uses = new Set<string>();
  const lines: string[] = [`  TableName: ${str(spec.tableName)},`];
  if (spec.indexName) lines.push(`  IndexName: ${str(spec.indexName)},`);
  if (e.keyCondition) lines.push(`  KeyConditionExpression: ${str(e.keyCondition)},`);
  if (e.filter) lines.push(`  FilterExpression: ${str(e.filter)},`);
  if (e.projection) lines.push(`  ProjectionExpression: ${str(e.projection)},`);
  const names = Object.entries(e.names);
  if (names.length) lines.push(`  ExpressionAttributeNames: { ${names.map(([k, v]) => `${str(k)}: ${str(v)}`).join(', ')} },`);
  const values = Object.entries(e.values);
  if (values.length) lines.push(`  ExpressionAttributeValues: { ${values.map(([k, v]) => `${str(k)}: ${jsValue(v, uses)}`).join(', ')} },`);
  if (spec.operation === 'Query' && !spec.scanIndexForward) lines.push('  ScanIndexForward: false,');
  if (spec.limit !== undefined) lines.push(`  Limit: ${spec.limit},`);

  const libImports = [command, ...(uses.has('NumberValue') ? ['NumberValue'] : [])];
  if (!options.paging) {
    return [
      ...jsClientSetup(target, libImports),
      `const { Items, LastEvaluatedKey } = await client.send(new ${command}({`,
      ...lines,
      '}));',
      'console.log(Items, LastEvaluatedKey);',
      '',
    ].join('\n');
  }
  // lib-dynamodb's paginator sends ExclusiveStartKey from each page's LastEvaluatedKey until there is none.
  const paginator = `paginate${spec.operation}`;
  return [
    ...jsClientSetup(target, [...libImports, paginator]),
    'const items = [];',
    `for await (const page of ${paginator}({ client }, {`,
    ...lines.map((l) => `  ${l}`),
    '})) {',
    '  items.push(...page.Items);',
    '}',
    'console.log(items);',
    '',
  ].join('\n');
}

/**
 * Imports and the document client. Numbers read back come as NumberValue (`wrapNumbers`), so a
 * 38-digit Number keeps every digit instead of rounding to a double.
 */
export function jsClientSetup(target: CodeTarget, libImports: string[]): string[] {
  const clientOptions = [`region: ${str(target.region)}`];
  if (target.endpointUrl) clientOptions.push(`endpoint: ${str(target.endpointUrl)}`);
  if (target.placeholderCredentials) clientOptions.push('credentials: { accessKeyId: "local", secretAccessKey: "local" }');
  return [
    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
    `import { ${['DynamoDBDocumentClient', ...libImports].join(', ')} } from "@aws-sdk/lib-dynamodb";`,
    '',
    'const client = DynamoDBDocumentClient.from(',
    `  new DynamoDBClient({ ${clientOptions.join(', ')} }),`,
    '  { unmarshallOptions: { wrapNumbers: true } },',
    ');',
    '',
  ];
}

// ---------- Python (boto3 resource API) ----------

function pyValue(value: TypedValue, uses: Set<string>): string {
  switch (value.type) {
    case 'S':
      return pyString(value.value);
    case 'N':
      uses.add('Decimal');
      return `Decimal(${pyString(value.value)})`;
    case 'B':
      uses.add('b64decode');
      return `b64decode(${pyString(value.value)})`;
    case 'BOOL':
      return value.value ? 'True' : 'False';
    default:
      return 'None';
  }
}

/** A Python string literal: JSON's escapes are Python's too, for everything JSON.stringify emits. */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

const PY_METHOD: Record<string, string> = { '=': 'eq', '<>': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

/** boto3 reads Attr("a.b[0]") as a path itself, splitting on dots and brackets, so a name holding one cannot be given to it. */
function pyPath(path: readonly PathElement[]): string {
  return path.map((element, i) => ('index' in element ? `[${element.index}]` : `${i ? '.' : ''}${element.name}`)).join('');
}

/** What boto3's Key/Attr objects cannot say: a name holding a dot or bracket, and size() with <> or IN (its Size has neither). */
function attrCanExpress(c: Condition): boolean {
  if (c.path.some((element) => 'name' in element && /[.[\]]/.test(element.name))) return false;
  return !(c.size && (c.operator === '<>' || c.operator === 'IN'));
}

function pyCondition(kind: 'Key' | 'Attr', c: Condition, uses: Set<string>): string {
  const attribute = `${kind}(${pyString(pyPath(c.path))})`;
  const target = c.size ? `${attribute}.size()` : attribute;
  const args = c.values.map((v) => pyValue(v, uses)).join(', ');
  switch (c.operator) {
    case 'attribute_exists':
      return `${target}.exists()`;
    case 'attribute_not_exists':
      return `${target}.not_exists()`;
    case 'attribute_type':
      return `${target}.attribute_type(${args})`;
    case 'BETWEEN':
      return `${target}.between(${args})`;
    case 'IN':
      return `${target}.is_in([${args}])`;
    case 'begins_with':
    case 'contains':
      return `${target}.${c.operator}(${args})`;
    default:
      return `${target}.${PY_METHOD[c.operator]}(${args})`;
  }
}

/** The request's expressions as strings with their names and values, for what Key/Attr cannot say. */
function pyExpressionArgs(spec: QuerySpec, uses: Set<string>): string[] {
  const e = expressionsOf(spec);
  const args: string[] = [];
  if (e.keyCondition) args.push(`KeyConditionExpression=${pyString(e.keyCondition)}`);
  if (e.filter) args.push(`FilterExpression=${pyString(e.filter)}`);
  if (e.projection) args.push(`ProjectionExpression=${pyString(e.projection)}`);
  args.push(`ExpressionAttributeNames={${Object.entries(e.names).map(([alias, name]) => `${pyString(alias)}: ${pyString(name)}`).join(', ')}}`);
  const values = Object.entries(e.values);
  if (values.length) args.push(`ExpressionAttributeValues={${values.map(([alias, value]) => `${pyString(alias)}: ${pyValue(value, uses)}`).join(', ')}}`);
  return args;
}

export function generatePython(spec: QuerySpec, target: CodeTarget, options: CodeOptions = {}): string {
  const uses = new Set<string>();
  const args: string[] = [];
  if (spec.indexName) args.push(`IndexName=${pyString(spec.indexName)}`);
  // boto3 fills in its own #n0/:v0 placeholders for Key/Attr objects, so it is all objects or all strings.
  const withObjects = spec.filters.every(attrCanExpress);
  if (!withObjects) args.push(...pyExpressionArgs(spec, uses));
  if (withObjects && spec.key) {
    const parts = [spec.key.partition, ...(spec.key.sort ? [spec.key.sort] : [])].map((c) => pyCondition('Key', c, uses));
    args.push(`KeyConditionExpression=${parts.join(' & ')}`);
  }
  if (withObjects && spec.filters.length) args.push(`FilterExpression=${spec.filters.map((c) => pyCondition('Attr', c, uses)).join(spec.filterJoin === 'OR' ? ' | ' : ' & ')}`);
  if (withObjects && spec.projection.length) {
    // boto3 names its own placeholders #n0, #n1…; the projection's use another prefix so they never collide.
    const names = spec.projection.map((name, i) => [`#p${i}`, name] as const);
    args.push(`ProjectionExpression=${pyString(names.map(([alias]) => alias).join(', '))}`);
    args.push(`ExpressionAttributeNames={${names.map(([alias, name]) => `${pyString(alias)}: ${pyString(name)}`).join(', ')}}`);
  }
  if (spec.operation === 'Query' && !spec.scanIndexForward) args.push('ScanIndexForward=False');
  if (spec.limit !== undefined) args.push(`Limit=${spec.limit}`);

  const conditions = withObjects ? [spec.key ? 'Key' : '', spec.filters.length ? 'Attr' : ''].filter(Boolean) : [];
  const method = spec.operation === 'Query' ? 'query' : 'scan';
  const call = options.paging
    ? [
        // The resource API has no paginator: pass each page's LastEvaluatedKey back as ExclusiveStartKey.
        `request = dict(${args.length ? `\n${args.map((a) => `    ${a},`).join('\n')}\n` : ''})`,
        'items = []',
        'while True:',
        `    response = table.${method}(**request)`,
        '    items.extend(response["Items"])',
        '    if "LastEvaluatedKey" not in response:',
        '        break',
        '    request["ExclusiveStartKey"] = response["LastEvaluatedKey"]',
        'print(items)',
      ]
    : [args.length ? `response = table.${method}(\n${args.map((a) => `    ${a},`).join('\n')}\n)` : `response = table.${method}()`, 'items = response["Items"]', 'print(items, response.get("LastEvaluatedKey"))'];
  return [
    ...pyImports(uses),
    ...(conditions.length ? [`from boto3.dynamodb.conditions import ${conditions.join(', ')}`] : []),
    '',
    pyResource(target),
    `table = dynamodb.Table(${pyString(spec.tableName)})`,
    '',
    ...call,
    '',
  ].join('\n');
}

/** The standard-library imports the values need, then boto3. Numbers are Decimal, which keeps all 38 digits. */
export function pyImports(uses: Set<string>): string[] {
  return [
    ...(uses.has('b64decode') ? ['from base64 import b64decode'] : []),
    ...(uses.has('Decimal') ? ['from decimal import Decimal'] : []),
    ...(uses.has('b64decode') || uses.has('Decimal') ? [''] : []),
    'import boto3',
  ];
}

export function pyResource(target: CodeTarget): string {
  const resourceArgs = [`region_name=${pyString(target.region)}`];
  if (target.endpointUrl) resourceArgs.push(`endpoint_url=${pyString(target.endpointUrl)}`);
  if (target.placeholderCredentials) resourceArgs.push('aws_access_key_id="local"', 'aws_secret_access_key="local"');
  return `dynamodb = boto3.resource("dynamodb", ${resourceArgs.join(', ')})`;
}

// ---------- AWS CLI ----------

/** POSIX shell single quotes: nothing inside is special except the quote itself. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function generateCli(spec: QuerySpec, target: CodeTarget): string {
  const e = expressionsOf(spec);
  const args: [string, string?][] = [['--table-name', spec.tableName]];
  if (spec.indexName) args.push(['--index-name', spec.indexName]);
  if (e.keyCondition) args.push(['--key-condition-expression', e.keyCondition]);
  if (e.filter) args.push(['--filter-expression', e.filter]);
  if (e.projection) args.push(['--projection-expression', e.projection]);
  if (Object.keys(e.names).length) args.push(['--expression-attribute-names', JSON.stringify(e.names)]);
  const values = Object.entries(e.values);
  if (values.length) args.push(['--expression-attribute-values', JSON.stringify(Object.fromEntries(values.map(([k, v]) => [k, toAttributeValue(v)])))]);
  if (spec.operation === 'Query' && !spec.scanIndexForward) args.push(['--no-scan-index-forward']);
  // Giving --limit turns the CLI's automatic pagination off (awscli/customizations/paginate.py
  // counts the limit key among the manual paging arguments), so this is one request with Limit, as in the SDK samples.
  if (spec.limit !== undefined) args.push(['--limit', String(spec.limit)]);
  return cliCommand(target, spec.operation === 'Query' ? 'query' : 'scan', args);
}

/**
 * One `aws dynamodb` command, a flag per line. For the local engine the placeholder keys go in
 * front as environment variables: the CLI refuses to sign without credentials, and a machine
 * without AWS configuration has none.
 */
export function cliCommand(target: CodeTarget, operation: string, args: [string, string?][]): string {
  const all: [string, string?][] = [...args, ['--region', target.region], ...(target.endpointUrl ? [['--endpoint-url', target.endpointUrl] as [string, string]] : [])];
  const credentials = target.placeholderCredentials ? 'AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local ' : '';
  return [`${credentials}aws dynamodb ${operation}`, ...all.map(([flag, value]) => (value === undefined ? `  ${flag}` : `  ${flag} ${shellQuote(value)}`))].join(' \\\n') + '\n';
}
