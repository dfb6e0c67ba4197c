/**
 * The DynamoDB JSON 1.0 endpoint: HTTP POST with `X-Amz-Target: DynamoDB_20120810.<Operation>`
 * (or `DynamoDBStreams_20120810.<Operation>`), answered in the service's shapes: errors as
 * {"__type": "...#Code", "message": "..."} with its status, and `x-amz-crc32` / `x-amzn-RequestId`
 * on every response. The checks run in the order the real service runs them (dynalite's
 * index.js records that order from the live service): body JSON, target, authentication, then
 * the operation's own validation.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { crc32 } from 'node:zlib';
import { DEFAULT_REGION, type DynamoEngine } from './api.ts';
import { DynamoDbError, isDynamoDbError } from './errors.ts';
import { RAW_RESPONSE } from './operations/items.ts';
import { listenHttp1, type FramingProblem, type HttpRequest, type HttpResponse } from './http/http1.ts';
import { Preflight, PREFLIGHT_MIN_BYTES, refusal } from './preflight.ts';

/** DynamoDB's request size limit; larger bodies are refused without being buffered. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const APIS: Record<string, string> = {
  DynamoDB_20120810: '',
  DynamoDBStreams_20120810: 'DynamoDBStreams.',
};

const CORAL = 'com.amazon.coral.service#';

export interface EndpointOptions {
  engine: DynamoEngine;
  port?: number;
  host?: string;
  /** Operation names the engine serves per API prefix; requests for others are UnknownOperation. */
  accountId?: string;
  /** Requests to answer under CONTROL_PATH instead of as DynamoDB operations; off unless given. */
  control?: ControlHandler;
}

/**
 * The test-suite API's snapshot/restore/reset, reachable from other processes (test workers) on
 * the endpoint's own port: POST /_dynamo-lens/<action> with a JSON body, answered 200 with JSON,
 * or 400 {"message"} when the handler throws.
 */
export const CONTROL_PATH = '/_dynamo-lens/';
export type ControlHandler = (action: string, input: Record<string, unknown>) => Promise<unknown>;

export interface Endpoint {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

// Request ids: a random per-process prefix and a counter, 52 characters like the service's.
const idPrefix = randomBytes(30).toString('base64').toUpperCase().replace(/[^A-Z0-9]/g, '0').slice(0, 40);
let requestCounter = 0;
function nextRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x1000000000;
  return idPrefix + requestCounter.toString(36).toUpperCase().padStart(12, '0');
}

function send(res: HttpResponse, status: number, body: string, contentType = 'application/x-amz-json-1.0'): void {
  res.send(status, ['x-amzn-RequestId', nextRequestId(), 'x-amz-crc32', String(crc32(body)), 'Content-Type', contentType], body);
}

function sendError(res: HttpResponse, error: DynamoDbError, contentType?: string): void {
  send(res, error.statusCode, JSON.stringify(error.toJSON()), contentType);
}

function coralError(code: string, message?: string): DynamoDbError {
  return new DynamoDbError(code, message ?? '', 400, CORAL);
}

/** Region from a SigV4 credential scope: Credential=AKID/20240101/us-east-1/dynamodb/aws4_request. */
export function regionFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const start = header.indexOf('Credential=');
  if (start < 0) return undefined;
  // Credential=<key id>/<date>/<region>/<service>/aws4_request
  const keyEnd = header.indexOf('/', start);
  const dateEnd = keyEnd < 0 ? -1 : header.indexOf('/', keyEnd + 1);
  const regionEnd = dateEnd < 0 ? -1 : header.indexOf('/', dateEnd + 1);
  if (regionEnd < 0) return undefined;
  const region = header.slice(dateEnd + 1, regionEnd);
  return region.length > 0 && !/[\s,]/.test(region) ? region : undefined;
}

/** The headers the endpoint reads, taken from rawHeaders (cheaper than building req.headers). */
interface RequestHeaders {
  contentType: string;
  target: string;
  authorization: string | undefined;
  amzDate: boolean;
  origin: boolean;
}

function readHeaders(req: HttpRequest): RequestHeaders {
  const raw = req.rawHeaders;
  const headers: RequestHeaders = { contentType: '', target: '', authorization: undefined, amzDate: false, origin: false };
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    // Dispatch on length first: most headers are skipped without a case-insensitive compare.
    switch (name.length) {
      case 12:
        if (name.toLowerCase() === 'content-type') headers.contentType = raw[i + 1];
        else if (name.toLowerCase() === 'x-amz-target') headers.target = raw[i + 1];
        break;
      case 13:
        if (name.toLowerCase() === 'authorization') headers.authorization = raw[i + 1];
        break;
      case 10:
        if (name.toLowerCase() === 'x-amz-date') headers.amzDate = true;
        break;
      case 4:
        if (name.toLowerCase() === 'date') headers.amzDate = true;
        break;
      case 6:
        if (name.toLowerCase() === 'origin') headers.origin = true;
        break;
    }
  }
  return headers;
}

/** The common case: a complete SigV4 header as every SDK sends it; anything else takes the slow path. */
function isWellFormedSigV4(header: string | undefined, hasDate: boolean): boolean {
  return (
    hasDate &&
    header !== undefined &&
    header.startsWith('AWS4-HMAC-SHA256 ') &&
    header.includes('Credential=') &&
    header.includes('Signature=') &&
    header.includes('SignedHeaders=')
  );
}

/** Checks DynamoDB makes on the signature's presence and form (the signature itself is not verified). */
function checkAuthentication(req: HttpRequest, headers: RequestHeaders): DynamoDbError | undefined {
  if (isWellFormedSigV4(headers.authorization, headers.amzDate) && !req.url.includes('?')) return undefined;
  const header = headers.authorization;
  const query = req.url.includes('?') ? new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1)) : undefined;
  const queryAuth = query?.has('X-Amz-Algorithm') ?? false;
  if (header && queryAuth) {
    return coralError('InvalidSignatureException', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if ((!header && !queryAuth) || (header && header.trim().slice(0, 5) !== 'AWS4-')) {
    return coralError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  let message = '';
  if (header) {
    const params = new Map<string, string>();
    for (const part of header.split(/,| /).slice(1)) {
      if (!part) continue;
      const eq = part.indexOf('=');
      if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1));
    }
    for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
      if (!params.get(name)) message += `Authorization header requires '${name}' parameter. `;
    }
    if (!headers.amzDate) {
      message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (message) message += `Authorization=${header}`;
  } else {
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
      if (!query!.get(name)) message += `AWS query-string parameters must include '${name}'. `;
    }
    if (message) message += 'Re-examine the query-string parameters.';
  }
  return message ? coralError('IncompleteSignatureException', message) : undefined;
}

/** The value of the first header named `name` (lower case), or undefined. */
function headerValue(req: HttpRequest, name: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === name.length && raw[i].toLowerCase() === name) return raw[i + 1];
  return undefined;
}

export function createRequestHandler(
  engine: DynamoEngine,
  accountId: string,
  knownOperations: (name: string) => boolean,
  preflight: Preflight,
  control?: ControlHandler,
) {
  return (req: HttpRequest, res: HttpResponse): void => void respond(req, res);

  async function respond(req: HttpRequest, original: HttpResponse): Promise<void> {
    const body = req.body;
    const headers = readHeaders(req);
    let res = original;
    // Never for browsers (any page may post to 127.0.0.1): only processes that carry no Origin.
    if (control && req.method === 'POST' && req.url.startsWith(CONTROL_PATH) && !headers.origin) {
      await answerControl(control, req.url.slice(CONTROL_PATH.length), body, res);
      return;
    }
    if (headers.origin) {
      // Browsers calling the endpoint directly (CORS), as the service allows.
      if (req.method === 'OPTIONS') {
        const preflight = ['x-amzn-RequestId', nextRequestId(), 'Access-Control-Allow-Origin', '*'];
        const requestHeaders = headerValue(req, 'access-control-request-headers');
        const requestMethod = headerValue(req, 'access-control-request-method');
        if (requestHeaders) preflight.push('Access-Control-Allow-Headers', requestHeaders);
        if (requestMethod) preflight.push('Access-Control-Allow-Methods', requestMethod);
        preflight.push('Access-Control-Max-Age', '172800');
        original.send(200, preflight, '');
        return;
      }
      res = { send: (status, list, text) => original.send(status, [...list, 'Access-Control-Allow-Origin', '*'], text) };
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      // The service answers health checks on GET / this way (the trailing space is the service's).
      send(res, 200, 'healthy: dynamodb.us-east-1.amazonaws.com ', 'text/plain');
      return;
    }
    const semicolon = headers.contentType.indexOf(';');
    const contentType = (semicolon < 0 ? headers.contentType : headers.contentType.slice(0, semicolon)).trim();
    if (req.method !== 'POST' || (body.length > 0 && contentType !== 'application/json' && contentType !== 'application/x-amz-json-1.0')) {
      send(res, 404, '<UnknownOperationException/>\n', 'text/xml');
      return;
    }
    const responseType = contentType === 'application/json' ? 'application/json' : 'application/x-amz-json-1.0';
    const target = headers.target.split('.');
    const apiPrefix = target.length === 2 ? APIS[target[0]] : undefined;
    const operation = apiPrefix === undefined ? undefined : apiPrefix + target[1];
    const region = regionFromAuthorization(headers.authorization) ?? new URLSearchParams(req.url.split('?')[1] ?? '').get('X-Amz-Credential')?.split('/')[2] ?? DEFAULT_REGION;
    // A large body is parsed and validated off the event loop first (see preflight.ts), and
    // parsed here only once the worker has passed it.
    const verdict = body.length >= PREFLIGHT_MIN_BYTES ? await preflight.judge(body, operation, { region, accountId }) : undefined;
    let input = verdict || body.length === 0 ? undefined : parseJson(body);
    if (verdict?.kind === 'not-json' || input === UNPARSABLE) {
      sendError(res, coralError('SerializationException'), responseType);
      return;
    }
    if (operation === undefined || !Object.hasOwn(APIS, target[0]) || !knownOperations(operation)) {
      sendError(res, coralError('UnknownOperationException'), responseType);
      return;
    }
    const authError = checkAuthentication(req, headers);
    if (authError) {
      sendError(res, authError, responseType);
      return;
    }
    if (verdict?.kind === 'refused') {
      sendError(res, refusal(verdict), responseType);
      return;
    }
    // 'pass' is also the verdict when the worker could not judge (it died): check everything here.
    if (verdict?.kind === 'pass') input = parseJson(body);
    if (input === UNPARSABLE) {
      sendError(res, coralError('SerializationException'), responseType);
      return;
    }
    if (body.length === 0 || verdict?.kind === 'not-object' || input === null || typeof input !== 'object' || Array.isArray(input)) {
      // A JSON scalar or array is not a request structure.
      sendError(res, body.length === 0 ? coralError('SerializationException') : coralError('SerializationException', 'Start of list found where not expected'), responseType);
      return;
    }
    try {
      const output = await engine.handle(operation, input as Record<string, unknown>, { region, accountId }, true);
      const raw = (output as { [RAW_RESPONSE]?: string })[RAW_RESPONSE];
      send(res, 200, raw ?? JSON.stringify(output), responseType);
    } catch (error) {
      if (isDynamoDbError(error)) sendError(res, error, responseType);
      else sendError(res, new DynamoDbError('InternalServerError', 'Internal server error', 500), responseType);
    }
  }
}

const UNPARSABLE = Symbol('unparsable');

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return UNPARSABLE;
  }
}

async function answerControl(control: ControlHandler, action: string, body: Buffer, res: HttpResponse): Promise<void> {
  try {
    const input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : {};
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('The body must be a JSON object');
    send(res, 200, JSON.stringify((await control(action, input as Record<string, unknown>)) ?? {}), 'application/json');
  } catch (error) {
    send(res, 400, JSON.stringify({ message: (error as Error).message }), 'application/json');
  }
}

/** Answers requests that cannot be framed, in the service's shapes, with a request id. */
function answerFramingProblem(problem: FramingProblem, res: HttpResponse): void {
  // DynamoDB refuses a body over 16 MB with an empty 413, before reading it; 408 and 417 are
  // node:http's answers, also empty.
  const emptyStatus = { 'body-too-large': 413, 'headers-timeout': 408, 'body-timeout': 408, 'unsupported-expectation': 417 }[problem as string];
  if (emptyStatus !== undefined) {
    res.send(emptyStatus, ['x-amzn-RequestId', nextRequestId()], '');
    return;
  }
  const body = JSON.stringify({ __type: `${CORAL}SerializationException` });
  res.send(400, ['x-amzn-RequestId', nextRequestId(), 'Content-Type', 'application/x-amz-json-1.0'], body);
}

export async function startEndpoint(options: EndpointOptions & { knownOperations?: (name: string) => boolean }): Promise<Endpoint> {
  const host = options.host ?? '127.0.0.1';
  const known = options.knownOperations ?? ((name: string) => (options.engine as { hasOperation?: (n: string) => boolean }).hasOperation?.(name) ?? true);
  const preflight = new Preflight();
  const http = await listenHttp1(options.port ?? 8000, host, {
    onRequest: createRequestHandler(options.engine, options.accountId ?? '000000000000', known, preflight, options.control),
    onFramingProblem: answerFramingProblem,
    maxBodyBytes: MAX_REQUEST_BYTES,
  });
  const port = (http.server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    server: http.server,
    async close() {
      await http.close();
      await preflight.close();
    },
  };
}
