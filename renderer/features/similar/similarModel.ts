/**
 * The "Similar items" search: its form, the SearchVectors request built from it, and that request
 * as code (AWS SDK for JavaScript v3 document client, boto3, the AWS CLI), following the query
 * builder's samples (renderer/features/query/codegen.ts).
 */
import { cliCommand, jsClientSetup, pyString, str, type CodeLanguage, type CodeTarget } from '../query/codegen.ts';

export interface SimilarForm {
  indexName: string;
  /** Search with a stored item's vector, or with one pasted as a JSON list of numbers. */
  source: 'item' | 'vector';
  /** The chosen item's key values, by key attribute name (typed by the table's definitions). */
  key: Record<string, string>;
  vectorText: string;
  topK: number;
  /** SearchConditionExpression, e.g. `tenant = :t` (equality on the index's search schema). */
  condition: string;
  /** Its placeholder values: `:t` -> text; a value of a Number attribute is sent as N. */
  values: { name: string; type: 'S' | 'N'; value: string }[];
}

export function emptySimilarForm(indexName = ''): SimilarForm {
  return { indexName, source: 'item', key: {}, vectorText: '', topK: 10, condition: '', values: [] };
}

/** A pasted vector, or the reason it is not one. */
export function parseVector(text: string): number[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'Paste the vector as a JSON list of numbers, e.g. [0.12, -0.5, 0.33]';
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return 'The vector must be a non-empty JSON list of numbers';
  }
  return parsed as number[];
}

/** The numbers of an item's vector attribute (DynamoDB JSON `{L: [{N}, ...]}`), or undefined. */
export function vectorOf(item: Record<string, unknown> | undefined, attribute: string): number[] | undefined {
  const value = item?.[attribute] as { L?: { N?: string }[] } | undefined;
  if (!value?.L || !value.L.every((e) => typeof e.N === 'string')) return undefined;
  return value.L.map((e) => Number(e.N));
}

export interface SearchSpec {
  tableName: string;
  indexName: string;
  vector: number[];
  topK: number;
  condition?: string;
  values?: Record<string, { S: string } | { N: string }>;
}

export function toSearchSpec(tableName: string, form: SimilarForm, vector: number[]): SearchSpec {
  const condition = form.condition.trim();
  const values = Object.fromEntries(form.values.filter((v) => v.name.trim()).map((v) => [v.name.trim(), v.type === 'N' ? { N: v.value.trim() } : { S: v.value }]));
  return {
    tableName,
    indexName: form.indexName,
    vector,
    topK: form.topK,
    ...(condition ? { condition } : {}),
    ...(condition && Object.keys(values).length ? { values } : {}),
  };
}

/** The SearchVectors input in DynamoDB's wire shape. */
export function toSearchInput(spec: SearchSpec): Record<string, unknown> {
  return {
    TableName: spec.tableName,
    IndexName: spec.indexName,
    SearchVector: spec.vector.map((n) => ({ N: String(n) })),
    TopK: spec.topK,
    ...(spec.condition ? { SearchConditionExpression: spec.condition } : {}),
    ...(spec.values ? { ExpressionAttributeValues: spec.values } : {}),
    ReturnConsumedCapacity: 'TOTAL',
  };
}

export function generateSearch(language: CodeLanguage, spec: SearchSpec, target: CodeTarget): string {
  if (language === 'javascript') return searchJavaScript(spec, target);
  if (language === 'python') return searchPython(spec, target);
  return searchCli(spec, target);
}

const plain = (value: { S: string } | { N: string }) => ('N' in value ? value.N : str(value.S));

function searchJavaScript(spec: SearchSpec, target: CodeTarget): string {
  const lines = [`  TableName: ${str(spec.tableName)},`, `  IndexName: ${str(spec.indexName)},`, `  SearchVector: [${spec.vector.join(', ')}],`, `  TopK: ${spec.topK},`];
  if (spec.condition) lines.push(`  SearchConditionExpression: ${str(spec.condition)},`);
  if (spec.values) lines.push(`  ExpressionAttributeValues: { ${Object.entries(spec.values).map(([k, v]) => `${str(k)}: ${plain(v)}`).join(', ')} },`);
  return [
    ...jsClientSetup(target, ['SearchVectorsCommand']),
    'const { SearchResults } = await client.send(new SearchVectorsCommand({',
    ...lines,
    '}));',
    'for (const { Score, Item } of SearchResults) console.log(Score, Item);',
    '',
  ].join('\n');
}

function searchPython(spec: SearchSpec, target: CodeTarget): string {
  const clientArgs = [`region_name=${pyString(target.region)}`];
  if (target.endpointUrl) clientArgs.push(`endpoint_url=${pyString(target.endpointUrl)}`);
  if (target.placeholderCredentials) clientArgs.push('aws_access_key_id="local"', 'aws_secret_access_key="local"');
  const args = [
    `    TableName=${pyString(spec.tableName)},`,
    `    IndexName=${pyString(spec.indexName)},`,
    `    SearchVector=[${spec.vector.map((n) => `{"N": ${pyString(String(n))}}`).join(', ')}],`,
    `    TopK=${spec.topK},`,
  ];
  if (spec.condition) args.push(`    SearchConditionExpression=${pyString(spec.condition)},`);
  if (spec.values) args.push(`    ExpressionAttributeValues=${JSON.stringify(spec.values)},`);
  // SearchVectors is on the low-level client (the resource API has no method for it).
  return [
    'import boto3',
    '',
    `client = boto3.client("dynamodb", ${clientArgs.join(', ')})`,
    'response = client.search_vectors(',
    ...args,
    ')',
    'for result in response["SearchResults"]:',
    '    print(result["Score"], result["Item"])',
    '',
  ].join('\n');
}

function searchCli(spec: SearchSpec, target: CodeTarget): string {
  const args: [string, string?][] = [
    ['--table-name', spec.tableName],
    ['--index-name', spec.indexName],
    ['--search-vector', JSON.stringify(spec.vector.map((n) => ({ N: String(n) })))],
    ['--top-k', String(spec.topK)],
  ];
  if (spec.condition) args.push(['--search-condition-expression', spec.condition]);
  if (spec.values) args.push(['--expression-attribute-values', JSON.stringify(spec.values)]);
  return cliCommand(target, 'search-vectors', args);
}
