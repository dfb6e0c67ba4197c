/**
 * Protocol fuzz: thousands of malformed, mistyped and hostile requests sent over raw HTTP to the
 * real endpoint. Every answer must be what DynamoDB's front end sends for bad input, a 4xx with a
 * JSON `{"__type": "...#KnownError", "message": ...}` body (or its two documented non-JSON
 * answers: 404 `<UnknownOperationException/>` for a foreign content type, an empty 413 above
 * 16 MB), never a 5xx, a dropped connection or a hang. Inputs come from a seeded PRNG, so a
 * failure names its seed and input and reruns the same way:
 *
 *   FUZZ_SEED=1234 node --import tsx --test engine/fuzz.test.ts
 *
 * A watchdog GetItem runs beside the hostile traffic the whole time: if any request stalled the
 * event loop (a catastrophic regex, an unbounded recursion, a quadratic parse) its answers would
 * stop. Only liveness is checked, never the speed of normal operations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:net';
import { PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startHarness, type Harness } from './testing/harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240101);
/** A hostile request that takes longer than this is a hang, whatever it asked for. */
const REQUEST_TIMEOUT_MS = 15_000;
/** The watchdog GetItem must be answered at least this often while hostile requests run. */
const WATCHDOG_MAX_GAP_MS = 5_000;
const CONCURRENCY = 8;

/** Every error name DynamoDB's endpoint (and Streams') sends; anything else is a bug. */
const KNOWN_ERRORS = new Set([
  'ValidationException',
  'SerializationException',
  'UnknownOperationException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'InvalidSignatureException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ResourceNotFoundException',
  'ResourceInUseException',
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'IdempotentParameterMismatchException',
  'ItemCollectionSizeLimitExceededException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'LimitExceededException',
  'DuplicateItemException',
  'ExpiredIteratorException',
  'TrimmedDataAccessException',
]);
/** The service sends these two with no message at all (dynalite records the live bodies). */
const MESSAGELESS = new Set(['SerializationException', 'UnknownOperationException']);

// mulberry32: tiny, fast and good enough to spread inputs; the seed makes a run reproducible.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)];

interface RawRequest {
  /** What the input was, for the failure report. */
  label: string;
  target?: string | null;
  body: Buffer | string;
  contentType?: string | null;
  authorization?: string | null;
  extraHeaders?: string;
  method?: string;
}

interface RawResponse {
  status: number;
  headers: string;
  body: Buffer;
  ms: number;
}

const AUTH = 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

let harness: Harness;
let port = 0;

/**
 * One request on its own connection over a raw socket, so anything can be sent (bad bytes,
 * missing headers, lying lengths) and nothing a client library does hides what came back.
 */
function send(request: RawRequest): Promise<RawResponse> {
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  let head = `${request.method ?? 'POST'} / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
  if (request.contentType !== null) head += `Content-Type: ${request.contentType ?? 'application/x-amz-json-1.0'}\r\n`;
  if (request.target !== null) head += `X-Amz-Target: ${request.target ?? 'DynamoDB_20120810.GetItem'}\r\n`;
  if (request.authorization !== null) head += `Authorization: ${request.authorization ?? AUTH}\r\nX-Amz-Date: 20240101T000000Z\r\n`;
  head += request.extraHeaders ?? '';
  head += `Content-Length: ${body.length}\r\n\r\n`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let settled = false;
    const done = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const end = received.indexOf('\r\n\r\n');
      const headers = received.subarray(0, end).toString('latin1');
      resolve({ status: Number(headers.slice(9, 12)), headers, body: received.subarray(end + 4), ms: performance.now() - started });
    };
    const timer = setTimeout(() => done(new Error(`no complete answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    const complete = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const match = /\r\ncontent-length:\s*(\d+)/i.exec(received.subarray(0, end).toString('latin1'));
      return match !== null && received.length >= end + 4 + Number(match[1]);
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (complete()) done();
    });
    // The server may close (or reset) once it has answered, e.g. 413 before the body is all sent.
    socket.on('error', (error) => (complete() ? done() : done(error)));
    socket.on('close', () => (complete() ? done() : done(new Error(`connection closed without a complete answer (got ${received.length} bytes)`))));
    socket.write(head, 'latin1');
    // No half-close after the body: a FIN racing the request can make Node's server drop it.
    socket.write(body);
  });
}

/** Why `response` is not an answer DynamoDB could send to bad input, or undefined when it is. */
function problemWith(response: RawResponse, allowSuccess: boolean): string | undefined {
  const { status, body } = response;
  if (status >= 500) return `status ${status}`;
  if (status === 200) return allowSuccess ? undefined : 'accepted (200) where an error was due';
  if (status === 413) return body.length === 0 ? undefined : '413 with a body';
  if (status === 404) return body.toString('utf8') === '<UnknownOperationException/>\n' ? undefined : '404 without <UnknownOperationException/>';
  if (status < 400) return `status ${status}`;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'error body is not JSON';
  }
  const type = parsed.__type;
  if (typeof type !== 'string' || !type.includes('#')) return 'no __type';
  const name = type.slice(type.indexOf('#') + 1);
  if (!KNOWN_ERRORS.has(name)) return `unknown error name ${name}`;
  const message = parsed.message ?? parsed.Message;
  if (message === undefined ? !MESSAGELESS.has(name) : typeof message !== 'string' || message.length === 0) return `no message for ${name}`;
  if (!/^x-amzn-requestid:/im.test(response.headers)) return 'no x-amzn-RequestId header';
  return undefined;
}

interface Case extends RawRequest {
  /** Random or mutated input may happen to be valid: then 200 is fine, only 5xx/shape/hangs fail. */
  mayPass?: boolean;
  /** The one status the service answers this input with (413 for size, 404 for content type). */
  status?: number;
}

/** Sends every case (CONCURRENCY at a time) and fails listing each bad answer with its input. */
async function expectDynamoErrors(cases: Case[]): Promise<void> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const request = cases[next++];
      try {
        const response = await send(request);
        const problem =
          request.status !== undefined && response.status !== request.status
            ? `status ${response.status} where ${request.status} was due`
            : problemWith(response, request.mayPass ?? false);
        if (problem) failures.push(`${problem}: ${request.label} -> ${response.status} ${response.body.subarray(0, 200).toString('utf8')}`);
      } catch (error) {
        failures.push(`${(error as Error).message}: ${request.label}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(failures.slice(0, 15), [], `seed ${SEED}: ${failures.length} of ${cases.length} answers were wrong`);
}

const describeBody = (body: string) => (body.length > 160 ? `${body.slice(0, 120)}…(${body.length} chars)` : body);

function jsonCase(operation: string, input: unknown, mayPass = false): Case {
  const body = JSON.stringify(input);
  return { label: `${operation} ${describeBody(body)}`, target: `DynamoDB_20120810.${operation}`, body, mayPass };
}

// ---- Valid requests the mutations start from --------------------------------------------------

const TABLE = 'Fuzz';
const KEY = { pk: { S: 'k1' }, sk: { N: '1' } };
const ITEM = { ...KEY, name: { S: 'alice' }, n: { N: '5' }, tags: { SS: ['a', 'b'] }, doc: { M: { list: { L: [{ N: '1' }, { S: 'x' }] } } } };

const TEMPLATES: Record<string, Record<string, unknown>> = {
  GetItem: { TableName: TABLE, Key: KEY, ProjectionExpression: '#n, doc.list[0]', ExpressionAttributeNames: { '#n': 'name' }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' },
  PutItem: {
    TableName: TABLE,
    Item: ITEM,
    ConditionExpression: 'attribute_not_exists(pk) OR n < :max',
    ExpressionAttributeValues: { ':max': { N: '100' } },
    ReturnValues: 'ALL_OLD',
    ReturnConsumedCapacity: 'INDEXES',
    ReturnItemCollectionMetrics: 'SIZE',
  },
  UpdateItem: {
    TableName: TABLE,
    Key: KEY,
    UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, doc.list[2] = :one REMOVE gone ADD tags :t',
    ConditionExpression: 'size(#n) > :zero',
    ExpressionAttributeNames: { '#c': 'count', '#n': 'name' },
    ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':t': { SS: ['c'] } },
    ReturnValues: 'UPDATED_NEW',
  },
  DeleteItem: { TableName: TABLE, Key: { pk: { S: 'nobody' }, sk: { N: '0' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValues: 'ALL_OLD' },
  Query: {
    TableName: TABLE,
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
    FilterExpression: 'contains(tags, :t) AND NOT begins_with(#n, :x)',
    ProjectionExpression: 'pk, sk, #n',
    ExpressionAttributeNames: { '#n': 'name' },
    ExpressionAttributeValues: { ':p': { S: 'k1' }, ':a': { N: '0' }, ':b': { N: '10' }, ':t': { S: 'a' }, ':x': { S: 'z' } },
    Limit: 10,
    ScanIndexForward: false,
    Select: 'SPECIFIC_ATTRIBUTES',
  },
  Scan: { TableName: TABLE, FilterExpression: 'n IN (:a, :b)', ExpressionAttributeValues: { ':a': { N: '5' }, ':b': { N: '6' } }, Limit: 5, Segment: 0, TotalSegments: 2 },
  BatchWriteItem: { RequestItems: { [TABLE]: [{ PutRequest: { Item: ITEM } }, { DeleteRequest: { Key: { pk: { S: 'x' }, sk: { N: '2' } } } }] } },
  BatchGetItem: { RequestItems: { [TABLE]: { Keys: [KEY], ProjectionExpression: 'pk' } } },
  TransactWriteItems: {
    TransactItems: [
      { Put: { TableName: TABLE, Item: { ...ITEM, pk: { S: 'tx' } } } },
      { ConditionCheck: { TableName: TABLE, Key: KEY, ConditionExpression: 'attribute_exists(pk)' } },
    ],
    ClientRequestToken: 'token-1',
  },
  TransactGetItems: { TransactItems: [{ Get: { TableName: TABLE, Key: KEY } }] },
  CreateTable: {
    TableName: 'FuzzCreated',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  },
  UpdateTable: { TableName: TABLE, BillingMode: 'PAY_PER_REQUEST' },
  DescribeTable: { TableName: TABLE },
  ExecuteStatement: { Statement: `SELECT * FROM "${TABLE}" WHERE pk = ?`, Parameters: [{ S: 'k1' }] },
};

/** Values of every JSON type, plus the awkward ones, to put where a member of another type belongs. */
const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  'text',
  '',
  ' ',
  '\u0000',
  [],
  [null],
  [1, 'a'],
  {},
  { x: 1 },
  { S: 'a' },
  { N: '1' },
  [{}],
  'x'.repeat(70_000),
  '__proto__',
];

/** Every path to a member in `value` (objects and arrays), to mutate one at a time. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      paths(child, path, out);
    }
  }
  return out;
}

function withReplaced(template: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(template) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** Raw JSON text for a member, for values JSON.stringify cannot write (huge exponents, "-0"). */
function withRawMember(template: Record<string, unknown>, member: string, raw: string): string {
  const marker = '"__RAW_MARKER__"';
  return JSON.stringify({ ...template, [member]: '__RAW_MARKER__' }).replace(marker, raw);
}

// ---- Generators of hostile input ---------------------------------------------------------------

const EXPRESSION_TOKENS = [
  'a', 'b', 'pk', 'sk', 'name', 'tags', 'doc', 'list', '#n', '#c', '#missing', ':v', ':one', ':missing', '=', '<>', '<', '<=', '>', '>=',
  'AND', 'OR', 'NOT', 'BETWEEN', 'IN', '(', ')', ',', '.', '[', ']', '[0]', '[99999999999]', '[-1]', '+', '-', 'SET', 'REMOVE', 'ADD', 'DELETE',
  'attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size', 'if_not_exists', 'list_append',
  '"', "'", '`', '\\', '$', '@', '::', '##', '0', '1.5', '-7', 'é', '\u{1F600}', '\u0000', '\uFFFF', '\uD800', 'constructor', '__proto__', 'toString', 'hasOwnProperty',
];

function garbageExpression(maxTokens = 24): string {
  const length = 1 + int(maxTokens);
  const tokens: string[] = [];
  for (let i = 0; i < length; i++) tokens.push(pick(EXPRESSION_TOKENS));
  return tokens.join(pick([' ', '', '  ', '\t', '\n']));
}

const NAMES = { '#n': 'name', '#c': 'count', '#p': '__proto__', '#k': 'constructor' };
const VALUES = { ':v': { S: 'x' }, ':one': { N: '1' }, ':l': { L: [{ N: '1' }] }, ':ss': { SS: ['a'] } };

/** A request putting random garbage into each expression member an operation has. */
function garbageExpressionCase(): Case {
  const operation = pick(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']);
  const input: Record<string, unknown> = { TableName: TABLE };
  if (operation === 'GetItem' || operation === 'UpdateItem' || operation === 'DeleteItem') input.Key = KEY;
  if (operation === 'PutItem') input.Item = ITEM;
  if (operation === 'UpdateItem') input.UpdateExpression = random() < 0.5 ? garbageExpression() : `${pick(['SET', 'REMOVE', 'ADD', 'DELETE'])} ${garbageExpression()}`;
  if (operation === 'Query') input.KeyConditionExpression = random() < 0.3 ? 'pk = :v' : garbageExpression();
  if (operation !== 'GetItem' && operation !== 'Query' && operation !== 'Scan' && random() < 0.7) input.ConditionExpression = garbageExpression();
  if ((operation === 'Query' || operation === 'Scan') && random() < 0.7) input.FilterExpression = garbageExpression();
  if ((operation === 'GetItem' || operation === 'Query' || operation === 'Scan') && random() < 0.7) input.ProjectionExpression = garbageExpression(12);
  if (random() < 0.8) input.ExpressionAttributeNames = NAMES;
  if (random() < 0.8) input.ExpressionAttributeValues = VALUES;
  return jsonCase(operation, input, true);
}

/** A random JSON value built from the pieces requests are made of. */
function randomJson(depth = 0): unknown {
  const roll = int(depth > 3 ? 6 : 10);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick([0, -0, 1, -1, 2 ** 53 + 1, 1e21, 1.5e-300, 123456789012]);
    case 3:
      return pick(['', 'S', 'N', 'x', '1e999', 'NaN', 'Fuzz', '\u0000', 'ünï', ':v', '#n']);
    case 4:
      return { [pick(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'])]: randomJson(depth + 1) };
    case 5:
      return pick(Object.keys(TEMPLATES));
    case 6:
    case 7: {
      const out: Record<string, unknown> = {};
      for (let i = int(4); i >= 0; i--) out[pick(['TableName', 'Key', 'Item', 'S', 'N', 'M', 'L', 'pk', 'Limit', 'Select', 'x', '__proto__'])] = randomJson(depth + 1);
      return out;
    }
    default:
      return Array.from({ length: int(4) }, () => randomJson(depth + 1));
  }
}

function nested(levels: number, leaf: string, wrap: (inner: string) => string): string {
  let text = leaf;
  for (let i = 0; i < levels; i++) text = wrap(text);
  return text;
}

function oddNumberCases(): Case[] {
  const odd = ['1e999', '-1e999', '1e-999', '-0', '0', 'NaN', 'Infinity', '-Infinity', '1'.repeat(40), '9'.repeat(39), `0.${'1'.repeat(40)}`, '1E+126', '1E+125', '1E-131', '1E-130', '0x10', ' 1', '1 ', '+1', '1.', '.5', '--1', '1e', '', '١٢٣'];
  const cases: Case[] = [];
  for (const n of odd) {
    cases.push(jsonCase('PutItem', { TableName: TABLE, Item: { ...ITEM, n: { N: n } } }, true));
    cases.push(jsonCase('PutItem', { TableName: TABLE, Item: { ...ITEM, sk: { N: n } } }, true));
    cases.push(jsonCase('GetItem', { TableName: TABLE, Key: { pk: { S: 'k1' }, sk: { N: n } } }, true));
    cases.push(jsonCase('PutItem', { TableName: TABLE, Item: { ...ITEM, ns: { NS: [n, '1'] } } }, true));
    cases.push(jsonCase('UpdateItem', { TableName: TABLE, Key: KEY, UpdateExpression: 'SET n = n + :x', ExpressionAttributeValues: { ':x': { N: n } } }, true));
  }
  // JSON numbers where the wire has numbers: JSON.stringify cannot write these, so they go in raw.
  for (const raw of ['1e999', '-1e999', '1e-999', '-0', '1'.repeat(40), '99999999999999999999999', '0.0000001', '2147483648', '-2147483649', '1.0']) {
    cases.push({ label: `Scan Limit=${raw}`, target: 'DynamoDB_20120810.Scan', body: withRawMember({ TableName: TABLE }, 'Limit', raw), mayPass: true });
    cases.push({ label: `Scan TotalSegments=${raw}`, target: 'DynamoDB_20120810.Scan', body: withRawMember({ TableName: TABLE, Segment: 0 }, 'TotalSegments', raw), mayPass: true });
    cases.push({ label: `Query Limit=${raw}`, target: 'DynamoDB_20120810.Query', body: withRawMember(TEMPLATES.Query, 'Limit', raw), mayPass: true });
  }
  return cases;
}

/** Attribute names, map keys and placeholders that are also names on Object.prototype. */
function prototypeNameCases(names: string[]): Case[] {
  const cases: Case[] = [];
  for (const name of names) {
    const quoted = JSON.stringify(name);
    // Raw JSON: a literal { [name]: ... } with "__proto__" would set a prototype, not a member.
    const item = `{"pk":{"S":"proto"},"sk":{"N":"1"},${quoted}:{"S":"x"},"m":{"M":{${quoted}:{"N":"1"}}}}`;
    cases.push({ label: `PutItem attribute and map key ${name}`, target: 'DynamoDB_20120810.PutItem', body: `{"TableName":"${TABLE}","Item":${item}}`, mayPass: true });
    cases.push({ label: `BatchWriteItem attribute ${name}`, target: 'DynamoDB_20120810.BatchWriteItem', body: `{"RequestItems":{"${TABLE}":[{"PutRequest":{"Item":${item}}}]}}`, mayPass: true });
    cases.push(jsonCase('GetItem', { TableName: TABLE, Key: { pk: { S: 'proto' }, sk: { N: '1' } }, ProjectionExpression: `#x, m.#x`, ExpressionAttributeNames: { '#x': name } }, true));
    cases.push(jsonCase('UpdateItem', { TableName: TABLE, Key: KEY, UpdateExpression: 'SET #x = :v, doc.#x = :v', ExpressionAttributeNames: { '#x': name }, ExpressionAttributeValues: { ':v': { S: name } } }, true));
    cases.push(jsonCase('Scan', { TableName: TABLE, FilterExpression: '#x = :v', ExpressionAttributeNames: { '#x': name }, ExpressionAttributeValues: { ':v': { S: 'x' } } }, true));
    // A key with a third attribute, and a placeholder without its colon, are errors whatever the name.
    cases.push({ label: `GetItem key with extra attribute ${name}`, body: `{"TableName":"${TABLE}","Key":{"pk":{"S":"k1"},"sk":{"N":"1"},${quoted}:{"S":"x"}}}` });
    cases.push({ label: `Scan ExpressionAttributeValues key ${name}`, target: 'DynamoDB_20120810.Scan', body: `{"TableName":"${TABLE}","FilterExpression":"a = :v","ExpressionAttributeValues":{${quoted}:{"S":"x"},":v":{"S":"y"}}}` });
  }
  return cases;
}

function notJsonCases(): Case[] {
  const texts = ['', '{', '}', '{"TableName":', '{"a":1,}', "{'TableName':'x'}", 'null', 'true', '12', '"str"', '[]', '[{}]', 'NaN', '{"a":1}{"b":2}', '\u0000', '{"TableName":"Fuzz"', '{"TableName":"Fuzz",,}', '{"Key":{"pk":{"S":"\\ud800"}}}', '{"x":"\\u12"}'];
  const cases: Case[] = texts.map((body) => ({ label: `GetItem body ${JSON.stringify(body)}`, body }));
  for (let i = 0; i < 300; i++) {
    // Valid request text cut at a random point, or with random bytes overwritten.
    const whole = Buffer.from(JSON.stringify(TEMPLATES[pick(Object.keys(TEMPLATES))]));
    const cut = whole.subarray(0, int(whole.length));
    const flipped = Buffer.from(whole);
    for (let j = 0; j < 1 + int(4); j++) flipped[int(flipped.length)] = int(256);
    cases.push({ label: `truncated body ${describeBody(cut.toString('latin1'))}`, body: cut, target: `DynamoDB_20120810.${pick(Object.keys(TEMPLATES))}` });
    cases.push({ label: `flipped bytes ${describeBody(flipped.toString('latin1'))}`, body: flipped, target: `DynamoDB_20120810.${pick(Object.keys(TEMPLATES))}`, mayPass: true });
  }
  // Deeply nested JSON itself: the parser must refuse or take it without overflowing the stack.
  cases.push({ label: 'JSON arrays nested 100,000 deep', body: '['.repeat(100_000) + ']'.repeat(100_000) });
  cases.push({ label: 'JSON objects nested 100,000 deep', body: nested(100_000, '1', (inner) => `{"a":${inner}}`) });
  cases.push({ label: 'JSON unclosed 1,000,000 deep', body: '['.repeat(1_000_000) });
  return cases;
}

/** Each member of each template deleted, then replaced by every wrong value; then random JSON. */
function memberCases(): Case[] {
  const cases: Case[] = [];
  for (const [operation, template] of Object.entries(TEMPLATES)) {
    cases.push(jsonCase(operation, template, true));
    for (const path of paths(template)) {
      cases.push(jsonCase(operation, withReplaced(template, path, undefined), true));
      for (const value of WRONG_VALUES) cases.push(jsonCase(operation, withReplaced(template, path, value), true));
    }
    cases.push(jsonCase(operation, {}));
    cases.push(jsonCase(operation, { ...template, UnknownMember: { deep: [1, 2, 3] } }, true));
  }
  for (let i = 0; i < 1500; i++) cases.push(jsonCase(pick(Object.keys(TEMPLATES)), randomJson(), true));
  return cases;
}

const hasNullListElement = (c: Case) => /[[,]null[,\]]/.test(c.body.toString());

// Built once, in a fixed order, so a seed always yields the same inputs.
const NOT_JSON_CASES = notJsonCases();
const MEMBER_CASES = memberCases();
const GARBAGE_EXPRESSION_CASES = Array.from({ length: 2500 }, garbageExpressionCase);

// ---- The suite ---------------------------------------------------------------------------------

interface Watchdog {
  answers: number;
  maxGapMs: number;
  failures: string[];
  stop(): Promise<void>;
}

/** Sends a normal GetItem again and again, recording the longest wait between answers. */
function startWatchdog(): Watchdog {
  const state: Watchdog = { answers: 0, maxGapMs: 0, failures: [], stop: async () => {} };
  let running = true;
  const loop = (async () => {
    let last = performance.now();
    while (running) {
      try {
        const response = await send({ label: 'watchdog GetItem', body: JSON.stringify({ TableName: TABLE, Key: KEY }) });
        if (response.status !== 200) state.failures.push(`watchdog GetItem answered ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
      } catch (error) {
        state.failures.push(`watchdog GetItem: ${(error as Error).message}`);
      }
      const now = performance.now();
      state.maxGapMs = Math.max(state.maxGapMs, now - last);
      last = now;
      state.answers++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  state.stop = async () => {
    running = false;
    await loop;
  };
  return state;
}

describe(`protocol fuzz (seed ${SEED})`, () => {
  let watchdog: Watchdog;

  before(async () => {
    harness = await startHarness({ store: 'memory', ttlSweepIntervalMs: 0 });
    port = harness.endpoint.port;
    const create = await send(
      jsonCase('CreateTable', {
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'name', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byName', KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    assert.equal(create.status, 200, create.body.toString());
    const put = await send({ ...jsonCase('PutItem', { TableName: TABLE, Item: ITEM }) });
    assert.equal(put.status, 200, put.body.toString());
    watchdog = startWatchdog();
  });

  after(async () => {
    await watchdog?.stop();
    await harness?.close();
  });

  it('answers bodies that are not JSON, or not a request object, with SerializationException', async () => {
    await expectDynamoErrors(NOT_JSON_CASES);
  });

  it('answers wrong JSON types, unknown and missing members in every member of many operations', async () => {
    await expectDynamoErrors(MEMBER_CASES.filter((c) => !hasNullListElement(c)));
  });

  // Found by this fuzz test. A null element in any list (`"SS": [null]`, `"RequestItems": {"T": [null]}`, `"KeySchema":
  // [null]`, `"Parameters": [null]`, `"TransactItems": [null]`) passes the validator's shape pass
  // as undefined and crashes the operation with a TypeError (500); the service answers
  // ValidationException "Member must not be null" (dynalite's validations/index.js does too).
  it('refuses null list elements with ValidationException', async () => {
    await expectDynamoErrors(MEMBER_CASES.filter(hasNullListElement));
  });

  it('refuses deeply nested AttributeValues, expressions and document paths', async () => {
    const deepMap = nested(10_000, '{"S":"leaf"}', (inner) => `{"M":{"a":${inner}}}`);
    const deepList = nested(10_000, '{"N":"1"}', (inner) => `{"L":[${inner}]}`);
    const deep33 = nested(33, '{"S":"leaf"}', (inner) => `{"M":{"a":${inner}}}`);
    const itemWith = (value: string) => `{"TableName":"${TABLE}","Item":{"pk":{"S":"deep"},"sk":{"N":"1"},"v":${value}}}`;
    const cases: Case[] = [
      { label: 'PutItem map nested 10,000 deep', target: 'DynamoDB_20120810.PutItem', body: itemWith(deepMap) },
      { label: 'PutItem list nested 10,000 deep', target: 'DynamoDB_20120810.PutItem', body: itemWith(deepList) },
      { label: 'PutItem map nested 33 deep', target: 'DynamoDB_20120810.PutItem', body: itemWith(deep33) },
      { label: 'GetItem key nested 10,000 deep', body: `{"TableName":"${TABLE}","Key":{"pk":${deepMap},"sk":{"N":"1"}}}` },
      { label: 'Query value nested 10,000 deep', target: 'DynamoDB_20120810.Query', body: `{"TableName":"${TABLE}","KeyConditionExpression":"pk = :v","ExpressionAttributeValues":{":v":${deepList}}}` },
      { label: 'UpdateItem value nested 10,000 deep', target: 'DynamoDB_20120810.UpdateItem', body: `{"TableName":"${TABLE}","Key":${JSON.stringify(KEY)},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":${deepMap}}}` },
      { label: 'TransactWriteItems item nested 10,000 deep', target: 'DynamoDB_20120810.TransactWriteItems', body: `{"TransactItems":[{"Put":${itemWith(deepMap)}}]}` },
      { label: 'BatchWriteItem item nested 10,000 deep', target: 'DynamoDB_20120810.BatchWriteItem', body: `{"RequestItems":{"${TABLE}":[{"PutRequest":{"Item":{"pk":{"S":"d"},"sk":{"N":"1"},"v":${deepMap}}}}]}}` },
      { label: 'ExecuteStatement parameter nested 10,000 deep', target: 'DynamoDB_20120810.ExecuteStatement', body: `{"Statement":"SELECT * FROM \\"${TABLE}\\" WHERE pk = ?","Parameters":[${deepList}]}` },
    ];
    // Expressions stay under DynamoDB's 4 KB limit but nest as deep as that allows, and beyond it.
    const expressions: [string, string][] = [
      ['parentheses 1,900 deep', nested(1900, 'n = :one', (inner) => `(${inner})`)],
      ['parentheses 100,000 deep', nested(100_000, 'n = :one', (inner) => `(${inner})`)],
      ['NOT 1,000 times', `${'NOT '.repeat(1000)}n = :one`],
      ['NOT 50,000 times', `${'NOT '.repeat(50_000)}n = :one`],
      ['size() nested 800 deep', `${nested(800, 'n', (inner) => `size(${inner})`)} > :one`],
      ['path of 2,000 dots', `${Array.from({ length: 2000 }, () => 'a').join('.')} = :one`],
      ['path of 1,300 indexes', `a${'[0]'.repeat(1300)} = :one`],
      ['1,000 ANDs', Array.from({ length: 1000 }, () => 'n = :one').join(' AND ')],
      ['unbalanced 4,000 (', '('.repeat(4000)],
      ['unbalanced 4,000 )', ')'.repeat(4000)],
      ['IN with 5,000 values', `n IN (${Array.from({ length: 5000 }, () => ':one').join(',')})`],
    ];
    for (const [what, expression] of expressions) {
      const shared = { ExpressionAttributeValues: { ':one': { N: '1' } } };
      // Whether the service bounds a document path's depth in expressions is not recorded, so a
      // long path may be accepted; it must still never crash or stall.
      const mayPass = what.startsWith('path');
      const add = (operation: string, input: unknown, label: string) => cases.push({ ...jsonCase(operation, input, mayPass), label });
      add('PutItem', { TableName: TABLE, Item: ITEM, ConditionExpression: expression, ...shared }, `ConditionExpression ${what}`);
      add('Scan', { TableName: TABLE, FilterExpression: expression, ...shared }, `FilterExpression ${what}`);
      add('Query', { TableName: TABLE, KeyConditionExpression: expression, ...shared }, `KeyConditionExpression ${what}`);
      add('UpdateItem', { TableName: TABLE, Key: KEY, UpdateExpression: `SET a = ${expression}`, ...shared }, `UpdateExpression ${what}`);
      add('GetItem', { TableName: TABLE, Key: KEY, ProjectionExpression: expression }, `ProjectionExpression ${what}`);
      add('ExecuteStatement', { Statement: `SELECT * FROM "${TABLE}" WHERE ${expression}` }, `PartiQL WHERE ${what}`);
    }
    await expectDynamoErrors(cases);
  });

  it('treats names that are also Object.prototype members as plain names', async () => {
    await expectDynamoErrors(prototypeNameCases(['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']));
  });

  // Found by this fuzz test. The request validator once copies maps with `out[key] = value`, so a member named "__proto__"
  // replaces the copy's prototype instead of becoming an attribute: PutItem of such an item then
  // fails in itemSize's for...in with a TypeError (500), an extra "__proto__" key attribute is
  // silently dropped (200 instead of ValidationException), and so is an ExpressionAttributeValues
  // key "__proto__" (200 instead of "invalid key").
  it('treats "__proto__" as a plain attribute name and map key', async () => {
    await expectDynamoErrors(prototypeNameCases(['__proto__']));
  });

  it('answers huge and odd numbers with ValidationException, never a crash', async () => {
    await expectDynamoErrors(oddNumberCases());
  });

  it('answers random garbage in every expression member with a DynamoDB error', async () => {
    await expectDynamoErrors(GARBAGE_EXPRESSION_CASES);
  });

  it('answers bad headers, targets, content types, invalid UTF-8 and oversized bodies as the service does', async () => {
    const body = JSON.stringify(TEMPLATES.GetItem);
    const cases: Case[] = [
      { label: 'no X-Amz-Target', body, target: null },
      { label: 'unknown operation', body, target: 'DynamoDB_20120810.DropEverything' },
      { label: 'unknown API version', body, target: 'DynamoDB_20990101.GetItem' },
      { label: 'target without dot', body, target: 'GetItem' },
      { label: 'target with two dots', body, target: 'DynamoDB_20120810.GetItem.Extra' },
      { label: 'target __proto__', body, target: 'DynamoDB_20120810.__proto__' },
      { label: 'target constructor', body, target: 'DynamoDB_20120810.constructor' },
      { label: 'target hasOwnProperty', body, target: 'DynamoDB_20120810.hasOwnProperty' },
      { label: 'target toString of Streams', body, target: 'DynamoDBStreams_20120810.toString' },
      { label: 'target __proto__ API', body, target: '__proto__.GetItem' },
      { label: 'no Authorization', body, authorization: null },
      { label: 'Authorization not AWS4', body, authorization: 'Basic dXNlcjpwYXNz' },
      { label: 'Authorization without parts', body, authorization: 'AWS4-HMAC-SHA256' },
      { label: 'Authorization with garbage', body, authorization: 'AWS4-HMAC-SHA256 ===,,, Credential=/// Signature' },
      { label: 'Authorization 8 KB', body, authorization: `AWS4-HMAC-SHA256 Credential=${'A/'.repeat(4000)}, SignedHeaders=host, Signature=x` },
      { label: 'no Content-Type', body, contentType: null, status: 404 },
      { label: 'text/plain', body, contentType: 'text/plain', status: 404 },
      { label: 'application/xml', body, contentType: 'application/xml', status: 404 },
      { label: 'Content-Type with parameters', body, contentType: 'application/x-amz-json-1.0; charset=latin1', mayPass: true },
      { label: 'application/json', body, contentType: 'application/json', mayPass: true },
      { label: 'PUT method', body, method: 'PUT', status: 404 },
      { label: 'DELETE method', body, method: 'DELETE', status: 404 },
      { label: 'PATCH method', body, method: 'PATCH', status: 404 },
    ];
    // Invalid UTF-8 in names, keys, values and expressions: replaced or refused, never a crash.
    const invalidSequences = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xfe, 0xfe, 0xff]];
    for (const bytes of invalidSequences) {
      const bad = Buffer.from(bytes).toString('latin1');
      for (const template of [
        `{"TableName":"Fu${bad}zz","Key":{"pk":{"S":"k1"},"sk":{"N":"1"}}}`,
        `{"TableName":"${TABLE}","Key":{"pk":{"S":"k${bad}"},"sk":{"N":"1"}}}`,
        `{"TableName":"${TABLE}","Item":{"pk":{"S":"u${bad}"},"sk":{"N":"1"},"a${bad}":{"S":"${bad}"}}}`,
        `{"TableName":"${TABLE}","Key":{"pk":{"S":"k1"},"sk":{"N":"1${bad}"}}}`,
        `{"TableName":"${TABLE}","Key":{"pk":{"S":"k1"},"sk":{"N":"1"}},"ProjectionExpression":"a${bad}b"}`,
        `{"TableName":"${TABLE}","Key":{"pk":{"B":"${bad}"},"sk":{"N":"1"}}}`,
      ]) {
        const operation = template.includes('"Item"') ? 'PutItem' : 'GetItem';
        cases.push({ label: `${operation} with invalid UTF-8 ${JSON.stringify(bytes)}: ${template}`, target: `DynamoDB_20120810.${operation}`, body: Buffer.from(template, 'latin1'), mayPass: true });
      }
    }
    // DynamoDB's 16 MB limit: one byte over is refused (413) without being parsed or buffered.
    const oversized = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
    cases.push({ label: '16 MB + 1 byte body', body: oversized, status: 413 });
    cases.push({ label: '20 MB body', body: Buffer.alloc(20 * 1024 * 1024, 0x61), status: 413 });
    await expectDynamoErrors(cases);
  });

  it('kept answering a normal GetItem throughout, and still serves PutItem and GetItem', async () => {
    await watchdog.stop();
    assert.deepEqual(watchdog.failures.slice(0, 10), [], 'the watchdog GetItem failed while hostile requests ran');
    assert.ok(watchdog.answers > 0, 'the watchdog GetItem was never answered');
    assert.ok(watchdog.maxGapMs < WATCHDOG_MAX_GAP_MS, `the server stalled: ${Math.round(watchdog.maxGapMs)} ms between watchdog answers`);
    const item = { pk: { S: 'after-fuzz' }, sk: { N: '7' }, note: { S: 'still standing' } };
    await harness.client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const got = await harness.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
    assert.deepEqual(got.Item, item);
  });
});
