/**
 * A built transaction as code to paste: AWS SDK for JavaScript v3 (document client), Python boto3
 * (the low-level client, which is where boto3 keeps its transactions) and the AWS CLI. Each is
 * written from the same wire input the app sends, and transactionCodegen.test.ts runs them against
 * a real endpoint, so what is shown is what works and does what the builder does.
 */
import type { AttributeValue, Item } from '../../shared/attributeValues.ts';
import { jsNumber, pyString, shellQuote, str, type CodeLanguage, type CodeTarget } from '../query/codegen.ts';
import type { BuiltTransaction } from './transactionModel.ts';

type Operation = BuiltTransaction['operation'];

export function generateTransaction(language: CodeLanguage, operation: Operation, input: Record<string, unknown>, target: CodeTarget): string {
  if (language === 'javascript') return transactionJavaScript(operation, input, target);
  if (language === 'python') return transactionPython(operation, input, target);
  return transactionCli(operation, input, target);
}

// ---------- JavaScript (SDK v3, DynamoDBDocumentClient) ----------

/** Members whose values are attribute values (or maps of them), written as plain JS for the document client. */
const ITEM_MEMBERS = new Set(['Item', 'Key', 'ExpressionAttributeValues']);

function jsAttribute(value: AttributeValue, uses: Set<string>): string {
  if ('S' in value) return str(value.S);
  if ('N' in value) return jsNum(value.N, uses);
  if ('B' in value) return `Buffer.from(${str(value.B)}, "base64")`;
  if ('BOOL' in value) return String(value.BOOL);
  if ('NULL' in value) return 'null';
  if ('SS' in value) return `new Set([${value.SS.map(str).join(', ')}])`;
  if ('NS' in value) {
    // The document client types a set by its first member: one NumberValue makes them all so.
    const exact = value.NS.every((n) => !jsNumber(n).needsNumberValue);
    if (!exact) uses.add('NumberValue');
    return `new Set([${value.NS.map((n) => (exact ? jsNumber(n).code : `NumberValue.from(${str(n)})`)).join(', ')}])`;
  }
  if ('BS' in value) return `new Set([${value.BS.map((b) => `Buffer.from(${str(b)}, "base64")`).join(', ')}])`;
  if ('L' in value) return `[${value.L.map((v) => jsAttribute(v, uses)).join(', ')}]`;
  return jsItem(value.M, uses);
}

function jsNum(text: string, uses: Set<string>): string {
  const { code, needsNumberValue } = jsNumber(text);
  if (needsNumberValue) uses.add('NumberValue');
  return code;
}

function jsItem(item: Item, uses: Set<string>): string {
  const entries = Object.entries(item);
  return entries.length ? `{ ${entries.map(([k, v]) => `${str(k)}: ${jsAttribute(v, uses)}`).join(', ')} }` : '{}';
}

function jsAction(action: Record<string, Record<string, unknown>>, uses: Set<string>): string {
  const [kind, request] = Object.entries(action)[0]!;
  const members = Object.entries(request).map(([name, value]) => `        ${name}: ${ITEM_MEMBERS.has(name) ? jsItem(value as Item, uses) : JSON.stringify(value)},`);
  return [`      { ${kind}: {`, ...members, '      } },'].join('\n');
}

export function transactionJavaScript(operation: Operation, input: Record<string, unknown>, target: CodeTarget): string {
  const command = operation === 'TransactWriteItems' ? 'TransactWriteCommand' : 'TransactGetCommand';
  const uses = new Set<string>();
  const actions = (input.TransactItems as Record<string, Record<string, unknown>>[]).map((a) => jsAction(a, uses));
  const clientOptions = [`region: ${str(target.region)}`];
  if (target.endpointUrl) clientOptions.push(`endpoint: ${str(target.endpointUrl)}`);
  if (target.placeholderCredentials) clientOptions.push('credentials: { accessKeyId: "local", secretAccessKey: "local" }');
  const extra = Object.entries(input)
    .filter(([name]) => name !== 'TransactItems')
    .map(([name, value]) => `  ${name}: ${JSON.stringify(value)},`);
  const libImports = ['DynamoDBDocumentClient', command, ...(uses.has('NumberValue') ? ['NumberValue'] : [])];
  const success = operation === 'TransactWriteItems' ? 'console.log("Committed", output.ConsumedCapacity);' : 'console.log(output.Responses.map((r) => r.Item), output.ConsumedCapacity);';
  return [
    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
    `import { ${libImports.join(', ')} } from "@aws-sdk/lib-dynamodb";`,
    '',
    `const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ${clientOptions.join(', ')} }));`,
    '',
    'try {',
    `  const output = await client.send(new ${command}({`,
    '    TransactItems: [',
    ...actions,
    '    ],',
    ...extra.map((line) => `  ${line}`),
    '  }));',
    `  ${success}`,
    '} catch (error) {',
    '  if (error.name !== "TransactionCanceledException") throw error;',
    '  // One reason per action, in order: "None" for the actions that were not the cause.',
    '  console.dir(["Cancelled", error.CancellationReasons], { depth: null });',
    '  process.exitCode = 1;',
    '}',
    '',
  ].join('\n');
}

// ---------- Python (boto3 low-level client) ----------

/** A Python literal for wire JSON; binary values (base64 on the wire) become bytes. */
function pyLiteral(value: unknown, uses: Set<string>): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyLiteral(v, uses)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  // As in the backend's toSdkShapes: only an attribute value is an object whose sole key is "B"
  // with a string (or "BS" with strings); expression names start with "#" and items map names to objects.
  if (entries.length === 1) {
    const [[key, inner]] = entries as [[string, unknown]];
    if (key === 'B' && typeof inner === 'string') {
      uses.add('b64decode');
      return `{"B": b64decode(${pyString(inner)})}`;
    }
    if (key === 'BS' && Array.isArray(inner) && inner.every((v) => typeof v === 'string')) {
      uses.add('b64decode');
      return `{"BS": [${inner.map((v: string) => `b64decode(${pyString(v)})`).join(', ')}]}`;
    }
  }
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyLiteral(v, uses)}`).join(', ')}}`;
}

export function transactionPython(operation: Operation, input: Record<string, unknown>, target: CodeTarget): string {
  const uses = new Set<string>();
  const method = operation === 'TransactWriteItems' ? 'transact_write_items' : 'transact_get_items';
  const actions = (input.TransactItems as unknown[]).map((a) => `        ${pyLiteral(a, uses)},`);
  const extra = Object.entries(input)
    .filter(([name]) => name !== 'TransactItems')
    .map(([name, value]) => `    ${name}=${pyLiteral(value, uses)},`);
  const clientArgs = [`region_name=${pyString(target.region)}`];
  if (target.endpointUrl) clientArgs.push(`endpoint_url=${pyString(target.endpointUrl)}`);
  if (target.placeholderCredentials) clientArgs.push('aws_access_key_id="local"', 'aws_secret_access_key="local"');
  const success =
    operation === 'TransactWriteItems'
      ? '    print("Committed", response.get("ConsumedCapacity"))'
      : '    print([r.get("Item") for r in response["Responses"]], response.get("ConsumedCapacity"))';
  return [
    ...(uses.has('b64decode') ? ['from base64 import b64decode', ''] : []),
    'import boto3',
    '',
    `client = boto3.client("dynamodb", ${clientArgs.join(', ')})`,
    '',
    'try:',
    `    response = client.${method}(`,
    '        TransactItems=[',
    ...actions.map((a) => `    ${a}`),
    '        ],',
    ...extra.map((line) => `    ${line}`),
    '    )',
    success,
    'except client.exceptions.TransactionCanceledException as error:',
    '    # One reason per action, in order: "None" for the actions that were not the cause.',
    '    print("Cancelled", error.response["CancellationReasons"])',
    '    raise SystemExit(1)',
    '',
  ].join('\n');
}

// ---------- AWS CLI ----------

export function transactionCli(operation: Operation, input: Record<string, unknown>, target: CodeTarget): string {
  const args: [string, string][] = [['--transact-items', JSON.stringify(input.TransactItems)]];
  if (typeof input.ClientRequestToken === 'string') args.push(['--client-request-token', input.ClientRequestToken]);
  if (typeof input.ReturnConsumedCapacity === 'string') args.push(['--return-consumed-capacity', input.ReturnConsumedCapacity]);
  args.push(['--region', target.region]);
  if (target.endpointUrl) args.push(['--endpoint-url', target.endpointUrl]);
  const command = `aws dynamodb ${operation === 'TransactWriteItems' ? 'transact-write-items' : 'transact-get-items'}`;
  // Binary values are written in base64, which AWS CLI v2 decodes; v1 would store the base64 text itself.
  const note = /"BS?":/.test(args[0]![1]) ? '# AWS CLI v2: binary values are base64 (v1 stores base64 text as the bytes)\n' : '';
  return note + [command, ...args.map(([flag, value]) => `  ${flag} ${shellQuote(value)}`)].join(' \\\n') + '\n';
}
