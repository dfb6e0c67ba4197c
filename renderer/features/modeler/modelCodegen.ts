/**
 * Code for a model's access patterns: a function per pattern for the AWS SDK for JavaScript v3
 * (document client) and for boto3 (resource API), and a typed TypeScript data-access module for
 * the whole model. The requests are the ones the app itself sends (buildAccessPatternRequest), built
 * with markers in place of the parameters, which become the generated functions' arguments.
 * modelCodegen.test.ts runs what comes out against a real endpoint.
 */
import type { AccessPattern, AttributeValue, DataModel, ModelAttributeType, ModelEntity, ModelTable } from '../../../electron/contract.ts';
import { accessPatternParameters, buildAccessPatternRequest, PARAMETER_MARKER_END, PARAMETER_MARKER_START, parameterMarker, type AccessPatternParameter } from '../../shared/modeler/requests.ts';
import { jsClientSetup, jsNumber, pyResource, pyString, str, type CodeTarget } from '../query/codegen.ts';

const COMMANDS: Record<AccessPattern['operation'], string> = { GetItem: 'GetCommand', Query: 'QueryCommand', Scan: 'ScanCommand', PutItem: 'PutCommand', UpdateItem: 'UpdateCommand', DeleteItem: 'DeleteCommand', TransactWriteItems: 'TransactWriteCommand' };
const PY_METHODS: Record<AccessPattern['operation'], string> = {
  GetItem: 'table.get_item',
  Query: 'table.query',
  Scan: 'table.scan',
  PutItem: 'table.put_item',
  UpdateItem: 'table.update_item',
  DeleteItem: 'table.delete_item',
  // Transactions are a client call; the resource's client takes Python values as the table does.
  TransactWriteItems: 'dynamodb.meta.client.transact_write_items',
};
const SCALARS = ['S', 'N', 'B', 'BOOL'];
/** Request fields in the order the samples write them. */
const FIELDS = ['Key', 'Item', 'IndexName', 'KeyConditionExpression', 'UpdateExpression', 'FilterExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues', 'ScanIndexForward', 'Limit'];
const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const JS_RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await']);

/** Text for a block comment: nothing in it can end the comment. */
function comment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n]+/g, ' ');
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** `Orders of a customer` → `ordersOfACustomer` (a JavaScript name). */
export function jsName(text: string): string {
  const parts = words(text);
  let name = parts.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('') || 'value';
  if (/^\d/.test(name)) name = `_${name}`;
  return JS_RESERVED.has(name) ? `${name}_` : name;
}

/** `customerId` → `customer_id`, `from` → `from_` (a Python name). */
export function pyName(text: string): string {
  let name = words(text).join('_') || 'value';
  if (/^\d/.test(name)) name = `_${name}`;
  return PY_KEYWORDS.has(name) ? `${name}_` : name;
}

function pascal(text: string): string {
  const name = jsName(text);
  return name[0]!.toUpperCase() + name.slice(1);
}

/** The pattern's request with markers for its scalar parameters (a Put leaves out attributes that are lists, maps or sets). */
function symbolic(table: ModelTable, pattern: AccessPattern): { input: Record<string, unknown>; parameters: AccessPatternParameter[] } {
  const parameters = accessPatternParameters(table, pattern).filter((p) => SCALARS.includes(p.type));
  const request = buildAccessPatternRequest(table, pattern, Object.fromEntries(parameters.map((p) => [p.name, parameterMarker(p.name)])));
  return { input: request.input, parameters };
}

type Part = { text: string } | { parameter: string };

/** Splits a value with markers into literal text and parameters. */
function parts(text: string): Part[] {
  const result: Part[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf(PARAMETER_MARKER_START, at);
    if (start < 0) {
      result.push({ text: text.slice(at) });
      break;
    }
    if (start > at) result.push({ text: text.slice(at, start) });
    const end = text.indexOf(PARAMETER_MARKER_END, start);
    result.push({ parameter: text.slice(start + 1, end) });
    at = end + 1;
  }
  return result;
}

interface Language {
  /** A value for the document client / boto3 from a wire AttributeValue (markers become parameters). */
  value(value: AttributeValue): string;
  text(value: string): string;
  /** Entries are written one `indent` further in than the line that opens them. */
  object(entries: [string, string][], indent: string): string;
  indent: string;
  boolean(value: boolean): string;
  number(value: number): string;
}

function javascript(uses: Set<string>, name: (parameter: string) => string): Language {
  return {
    value(value) {
      const [kind, raw] = Object.entries(value)[0] as [string, unknown];
      const pieces = typeof raw === 'string' ? parts(raw) : [];
      const only = pieces.length === 1 ? pieces[0] : undefined;
      if (only && 'parameter' in only) return name(only.parameter);
      if (kind === 'BOOL') return String(raw);
      if (kind === 'N') {
        const number = jsNumber(raw as string);
        if (number.needsNumberValue) uses.add('NumberValue');
        return number.code;
      }
      if (kind === 'B') return `Buffer.from(${str(raw as string)}, "base64")`;
      if (!pieces.some((p) => 'parameter' in p)) return str(raw as string);
      return `\`${pieces.map((p) => ('parameter' in p ? `\${${name(p.parameter)}}` : p.text.replace(/[\\`$]/g, (c) => `\\${c}`))).join('')}\``;
    },
    text: str,
    object: (entries, indent) => `{\n${entries.map(([k, v]) => `${indent}  ${/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k)}: ${v},`).join('\n')}\n${indent}}`,
    indent: '  ',
    boolean: String,
    number: String,
  };
}

function python(uses: Set<string>): Language {
  return {
    value(value) {
      const [kind, raw] = Object.entries(value)[0] as [string, unknown];
      const pieces = typeof raw === 'string' ? parts(raw) : [];
      const only = pieces.length === 1 ? pieces[0] : undefined;
      if (only && 'parameter' in only) {
        if (kind !== 'N') return pyName(only.parameter);
        uses.add('Decimal');
        // boto3 takes numbers as Decimal; str() keeps what the caller's number prints as.
        return `Decimal(str(${pyName(only.parameter)}))`;
      }
      if (kind === 'BOOL') return raw ? 'True' : 'False';
      if (kind === 'N') {
        uses.add('Decimal');
        return `Decimal(${pyString(raw as string)})`;
      }
      if (kind === 'B') {
        uses.add('b64decode');
        return `b64decode(${pyString(raw as string)})`;
      }
      if (!pieces.some((p) => 'parameter' in p)) return pyString(raw as string);
      // An f-string: JSON's escapes are Python's, and braces in the text are doubled.
      return `f"${pieces.map((p) => ('parameter' in p ? `{${pyName(p.parameter)}}` : JSON.stringify(p.text).slice(1, -1).replace(/[{}]/g, (c) => c + c))).join('')}"`;
    },
    text: pyString,
    object: (entries, indent) => `{\n${entries.map(([k, v]) => `${indent}    ${pyString(k)}: ${v},`).join('\n')}\n${indent}}`,
    indent: '    ',
    boolean: (b) => (b ? 'True' : 'False'),
    number: String,
  };
}

/** A request's fields as `[name, code]`: TableName and the rest, or a transaction's TransactItems. */
function allFields(input: Record<string, unknown>, language: Language, indent: string): [string, string][] {
  if (!Array.isArray(input.TransactItems)) return [['TableName', language.text(String(input.TableName))], ...requestFields(input, language, indent)];
  // Each action on its own line inside the list, its fields one level further in.
  const actionIndent = indent + language.indent;
  const kindIndent = actionIndent + language.indent;
  const actions = (input.TransactItems as Record<string, Record<string, unknown>>[]).map((action) => {
    const [kind, request] = Object.entries(action)[0]!;
    return `${actionIndent}${language.object([[kind, language.object(allFields(request, language, kindIndent + language.indent), kindIndent)]], actionIndent)}`;
  });
  return [['TransactItems', `[\n${actions.join(',\n')},\n${indent}]`]];
}

/** The request's fields (beyond TableName) as `[name, code]`, in the samples' order. */
function requestFields(input: Record<string, unknown>, language: Language, indent: string): [string, string][] {
  const fields: [string, string][] = [];
  const item = (value: Record<string, AttributeValue>) => language.object(Object.entries(value).map(([k, v]) => [k, language.value(v)]), indent);
  for (const field of FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    if (field === 'Key' || field === 'Item' || field === 'ExpressionAttributeValues') fields.push([field, item(value as Record<string, AttributeValue>)]);
    else if (field === 'ExpressionAttributeNames') fields.push([field, language.object(Object.entries(value as Record<string, string>).map(([k, v]) => [k, language.text(v)]), indent)]);
    else if (typeof value === 'boolean') fields.push([field, language.boolean(value)]);
    else if (typeof value === 'number') fields.push([field, language.number(value)]);
    else fields.push([field, language.text(String(value))]);
  }
  return fields;
}

function jsPatternFunction(table: ModelTable, pattern: AccessPattern, uses: Set<string>, options: { functionName: string; typed?: { parameterType: string; result: string } }): string {
  const { input, parameters } = symbolic(table, pattern);
  uses.add(COMMANDS[pattern.operation]);
  const name = (parameter: string) => jsName(parameter);
  const language = javascript(uses, name);
  const fields = allFields(input, language, '    ');
  const args = parameters.length ? `{ ${parameters.map((p) => name(p.name)).join(', ')} }${options.typed ? `: ${options.typed.parameterType}` : ''}` : '';
  const result = pattern.operation === 'GetItem' ? 'output.Item' : pattern.operation === 'Query' || pattern.operation === 'Scan' ? 'output.Items ?? []' : undefined;
  const cast = options.typed && result ? ` as ${options.typed.result}` : '';
  return [
    `/** ${comment(pattern.name)}: ${pattern.operation} on ${pattern.index ? `index ${comment(pattern.index)} of ` : ''}${comment(table.name)}. */`,
    `async function ${options.functionName}(${args})${options.typed ? `: Promise<${result ? options.typed.result : 'void'}>` : ''} {`,
    `  ${result ? 'const output = ' : ''}await client.send(new ${COMMANDS[pattern.operation]}(${language.object(fields, '  ')}));`,
    ...(result ? [`  return ${cast ? `(${result})${cast}` : result};`] : []),
    '}',
  ].join('\n');
}

/** A JavaScript example call: the pattern's parameters with the values given (strings, numbers, booleans). */
function jsArguments(parameters: AccessPatternParameter[], values: Readonly<Record<string, string>>, uses: Set<string>): string {
  const entries = parameters.filter((p) => values[p.name] !== undefined).map((p) => {
    const text = values[p.name]!;
    if (p.type === 'N') {
      const number = jsNumber(text);
      if (number.needsNumberValue) uses.add('NumberValue');
      return `${jsName(p.name)}: ${number.code}`;
    }
    if (p.type === 'BOOL') return `${jsName(p.name)}: ${text === 'true'}`;
    if (p.type === 'B') return `${jsName(p.name)}: Buffer.from(${str(text)}, "base64")`;
    return `${jsName(p.name)}: ${str(text)}`;
  });
  return entries.length ? `{ ${entries.join(', ')} }` : '';
}

/** A runnable JavaScript sample for one access pattern: the client, the function, and a call with `values`. */
export function accessPatternJavaScript(table: ModelTable, pattern: AccessPattern, target: CodeTarget, values: Readonly<Record<string, string>>): string {
  const uses = new Set<string>();
  const fn = jsPatternFunction(table, pattern, uses, { functionName: jsName(pattern.name) });
  const call = jsArguments(symbolic(table, pattern).parameters, values, uses);
  const reads = ['GetItem', 'Query', 'Scan'].includes(pattern.operation);
  return [...jsClientSetup(target, [...uses].sort()), fn, '', `${reads ? 'const result = ' : ''}await ${jsName(pattern.name)}(${call});`, ...(reads ? ['console.log(result);'] : []), ''].join('\n');
}

/** A runnable boto3 sample for one access pattern: the table resource, the function, and a call with `values`. */
export function accessPatternPython(table: ModelTable, pattern: AccessPattern, target: CodeTarget, values: Readonly<Record<string, string>>): string {
  const uses = new Set<string>();
  const language = python(uses);
  const { input, parameters } = symbolic(table, pattern);
  // The Table resource names its table itself.
  const fields = allFields(input, language, '        ').filter(([name]) => name !== 'TableName');
  const result = pattern.operation === 'GetItem' ? 'response.get("Item")' : pattern.operation === 'Query' || pattern.operation === 'Scan' ? 'response["Items"]' : undefined;
  const args = parameters
    .filter((p) => values[p.name] !== undefined)
    .map((p) => {
      const text = values[p.name]!;
      if (p.type === 'N') return `${pyName(p.name)}=${Number.isFinite(Number(text)) && String(Number(text)) === text ? text : `Decimal(${pyString(text)})`}`;
      if (p.type === 'BOOL') return `${pyName(p.name)}=${text === 'true' ? 'True' : 'False'}`;
      return `${pyName(p.name)}=${pyString(text)}`;
    });
  const body = [
    `def ${pyName(pattern.name)}(${parameters.map((p) => pyName(p.name)).join(', ')}):`,
    `    """${pattern.name.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}: ${pattern.operation} on ${pattern.index ? `index ${pattern.index} of ` : ''}${table.name}."""`,
    `    ${result ? 'response = ' : ''}${PY_METHODS[pattern.operation]}(`,
    ...fields.map(([k, v]) => `        ${k}=${v},`),
    '    )',
    ...(result ? [`    return ${result}`] : []),
  ];
  const imports = [...(uses.has('b64decode') ? ['from base64 import b64decode'] : []), ...(uses.has('Decimal') ? ['from decimal import Decimal'] : [])];
  return [
    ...imports,
    ...(imports.length ? [''] : []),
    'import boto3',
    '',
    pyResource(target),
    `table = dynamodb.Table(${pyString(table.name)})`,
    '',
    '',
    ...body,
    '',
    '',
    `${result ? 'result = ' : ''}${pyName(pattern.name)}(${args.join(', ')})`,
    ...(result ? ['print(result)'] : []),
    '',
  ].join('\n');
}

const TS_TYPES: Record<ModelAttributeType, string> = { S: 'string', N: 'number', B: 'Uint8Array', BOOL: 'boolean', NULL: 'null', M: 'Record<string, unknown>', L: 'unknown[]', SS: 'Set<string>', NS: 'Set<number>', BS: 'Set<Uint8Array>' };

/**
 * A typed data-access module for the whole model: an interface per entity (its attributes and the
 * keys its templates fill) and a class whose methods are the access patterns, taking typed
 * parameters and returning the entity's items. It takes the caller's DynamoDBDocumentClient.
 */
export function dataAccessModule(model: DataModel): string {
  const uses = new Set<string>();
  const interfaces: string[] = [];
  const methods: string[] = [];
  const entityTypes = new Map<string, string>();
  const typeNames = new Set<string>();
  for (const table of model.tables) {
    for (const entity of table.entities) {
      let typeName = pascal(entity.name);
      if (typeNames.has(typeName)) typeName = pascal(`${table.name} ${entity.name}`);
      typeNames.add(typeName);
      entityTypes.set(`${table.name}\u0000${entity.name}`, typeName);
      interfaces.push(entityInterface(table, entity, typeName));
    }
  }
  const methodNames = new Set<string>();
  for (const table of model.tables) {
    for (const pattern of table.accessPatterns) {
      let name = jsName(pattern.name);
      if (methodNames.has(name)) name = jsName(`${pattern.name} ${table.name}`);
      methodNames.add(name);
      const entityType = pattern.entity ? entityTypes.get(`${table.name}\u0000${pattern.entity}`) : undefined;
      const itemType = entityType ?? 'Record<string, unknown>';
      const result = pattern.operation === 'GetItem' ? `${itemType} | undefined` : `${itemType}[]`;
      const { parameters } = symbolic(table, pattern);
      const parameterType = `{ ${parameters.map((p) => `${jsName(p.name)}: ${TS_TYPES[p.type as ModelAttributeType]}`).join('; ')} }`;
      const fn = jsPatternFunction(table, pattern, uses, { functionName: name, typed: { parameterType, result } });
      // A function becomes a method: `async name(` and the client on `this`.
      methods.push(
        fn
          .replace(/^async function /m, 'async ')
          .replace('await client.send', 'await this.client.send')
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
      );
    }
  }
  const className = `${pascal(model.name)}Access`;
  return [
    `/** Data access for the "${comment(model.name)}" model, generated by Dynamo Lens. */`,
    `import { ${['DynamoDBDocumentClient', ...[...uses].sort()].join(', ')} } from "@aws-sdk/lib-dynamodb";`,
    '',
    ...interfaces.flatMap((i) => [i, '']),
    `export class ${className} {`,
    '  constructor(private readonly client: DynamoDBDocumentClient) {}',
    '',
    methods.join('\n\n'),
    '}',
    '',
  ].join('\n');
}

function entityInterface(table: ModelTable, entity: ModelEntity, typeName: string): string {
  const keys = [table.partitionKey, table.sortKey, ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]), ...table.localSecondaryIndexes.flatMap((i) => [i.sortKey])];
  const lines = entity.attributes.map((a) => `  ${/^[A-Za-z_$][\w$]*$/.test(a.name) ? a.name : str(a.name)}?: ${TS_TYPES[a.type]};`);
  const seen = new Set(entity.attributes.map((a) => a.name));
  for (const key of keys) {
    if (!key || seen.has(key.name) || entity.keyTemplates[key.name] === undefined) continue;
    seen.add(key.name);
    lines.push(`  ${/^[A-Za-z_$][\w$]*$/.test(key.name) ? key.name : str(key.name)}: ${TS_TYPES[key.type]};`);
  }
  return [`/** ${comment(entity.name)} items of table ${comment(table.name)}. */`, `export interface ${typeName} {`, ...lines, '}'].join('\n');
}
