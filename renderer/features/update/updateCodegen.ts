/**
 * The update builder's spec as code a developer can paste, in the query builder's three languages
 * and with its client setup: SDK for JavaScript v3 (document client, native values), boto3
 * (resource API) and the AWS CLI (DynamoDB JSON). updateCodegen.test.ts runs each against a real
 * endpoint and compares the item it leaves with the app's own UpdateItem.
 */
import type { AttributeValue } from '../../shared/attributeValues.ts';
import { cliCommand, jsClientSetup, jsNumber, pyImports, pyResource, pyString, str, type CodeLanguage, type CodeTarget } from '../query/codegen.ts';
import { updateExpressionsOf, type UpdateSpec } from './updateModel.ts';

export function generateUpdate(language: CodeLanguage, spec: UpdateSpec, target: CodeTarget): string {
  if (language === 'javascript') return updateJavaScript(spec, target);
  if (language === 'python') return updatePython(spec, target);
  return updateCli(spec, target);
}

// ---------- JavaScript: the document client marshals native values ----------

function jsValue(value: AttributeValue, uses: Set<string>): string {
  if ('S' in value) return str(value.S);
  if ('N' in value) {
    const { code, needsNumberValue } = jsNumber(value.N);
    if (needsNumberValue) uses.add('NumberValue');
    return code;
  }
  if ('B' in value) return `Buffer.from(${str(value.B)}, "base64")`;
  if ('BOOL' in value) return String(value.BOOL);
  if ('NULL' in value) return 'null';
  if ('L' in value) return `[${value.L.map((v) => jsValue(v, uses)).join(', ')}]`;
  if ('M' in value) return jsObject(value.M, uses);
  if ('SS' in value) return `new Set([${value.SS.map(str).join(', ')}])`;
  if ('NS' in value) {
    // lib-dynamodb types a set by its first element: one NumberValue means all must be.
    const exact = value.NS.some((n) => jsNumber(n).needsNumberValue);
    if (exact) uses.add('NumberValue');
    return `new Set([${value.NS.map((n) => (exact ? `NumberValue.from(${str(n)})` : jsValue({ N: n }, uses))).join(', ')}])`;
  }
  return `new Set([${value.BS.map((b) => `Buffer.from(${str(b)}, "base64")`).join(', ')}])`;
}

function jsObject(map: Record<string, AttributeValue>, uses: Set<string>): string {
  const entries = Object.entries(map);
  return entries.length ? `{ ${entries.map(([k, v]) => `${str(k)}: ${jsValue(v, uses)}`).join(', ')} }` : '{}';
}

export function updateJavaScript(spec: UpdateSpec, target: CodeTarget): string {
  const e = updateExpressionsOf(spec);
  const uses = new Set<string>();
  const lines = [`  TableName: ${str(spec.tableName)},`, `  Key: ${jsObject(spec.key, uses)},`, `  UpdateExpression: ${str(e.update)},`];
  if (e.condition) lines.push(`  ConditionExpression: ${str(e.condition)},`);
  lines.push(`  ExpressionAttributeNames: { ${Object.entries(e.names).map(([k, v]) => `${str(k)}: ${str(v)}`).join(', ')} },`);
  if (Object.keys(e.values).length) lines.push(`  ExpressionAttributeValues: ${jsObject(e.values, uses)},`);
  lines.push('  ReturnValues: "ALL_NEW",');
  return [
    ...jsClientSetup(target, ['UpdateCommand', ...(uses.has('NumberValue') ? ['NumberValue'] : [])]),
    'const { Attributes } = await client.send(new UpdateCommand({',
    ...lines,
    '}));',
    'console.log(Attributes);',
    '',
  ].join('\n');
}

// ---------- Python: boto3's resource API takes native values, numbers as Decimal ----------

function pyValue(value: AttributeValue, uses: Set<string>): string {
  if ('S' in value) return pyString(value.S);
  if ('N' in value) {
    uses.add('Decimal');
    return `Decimal(${pyString(value.N)})`;
  }
  if ('B' in value) {
    uses.add('b64decode');
    return `b64decode(${pyString(value.B)})`;
  }
  if ('BOOL' in value) return value.BOOL ? 'True' : 'False';
  if ('NULL' in value) return 'None';
  if ('L' in value) return `[${value.L.map((v) => pyValue(v, uses)).join(', ')}]`;
  if ('M' in value) return pyDict(value.M, uses);
  if ('SS' in value) return `{${value.SS.map(pyString).join(', ')}}`;
  if ('NS' in value) return `{${value.NS.map((n) => pyValue({ N: n }, uses)).join(', ')}}`;
  return `{${value.BS.map((b) => pyValue({ B: b }, uses)).join(', ')}}`;
}

function pyDict(map: Record<string, AttributeValue>, uses: Set<string>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${pyString(k)}: ${pyValue(v, uses)}`)
    .join(', ')}}`;
}

export function updatePython(spec: UpdateSpec, target: CodeTarget): string {
  const e = updateExpressionsOf(spec);
  const uses = new Set<string>();
  const args = [`Key=${pyDict(spec.key, uses)}`, `UpdateExpression=${pyString(e.update)}`];
  if (e.condition) args.push(`ConditionExpression=${pyString(e.condition)}`);
  args.push(`ExpressionAttributeNames={${Object.entries(e.names).map(([k, v]) => `${pyString(k)}: ${pyString(v)}`).join(', ')}}`);
  if (Object.keys(e.values).length) args.push(`ExpressionAttributeValues=${pyDict(e.values, uses)}`);
  args.push('ReturnValues="ALL_NEW"');
  return [
    ...pyImports(uses),
    '',
    pyResource(target),
    `table = dynamodb.Table(${pyString(spec.tableName)})`,
    '',
    `response = table.update_item(\n${args.map((a) => `    ${a},`).join('\n')}\n)`,
    'print(response["Attributes"])',
    '',
  ].join('\n');
}

// ---------- AWS CLI: DynamoDB JSON, as the app sends it ----------

export function updateCli(spec: UpdateSpec, target: CodeTarget): string {
  const e = updateExpressionsOf(spec);
  const args: [string, string?][] = [
    ['--table-name', spec.tableName],
    ['--key', JSON.stringify(spec.key)],
    ['--update-expression', e.update],
  ];
  if (e.condition) args.push(['--condition-expression', e.condition]);
  args.push(['--expression-attribute-names', JSON.stringify(e.names)]);
  if (Object.keys(e.values).length) args.push(['--expression-attribute-values', JSON.stringify(e.values)]);
  args.push(['--return-values', 'ALL_NEW']);
  return cliCommand(target, 'update-item', args);
}
