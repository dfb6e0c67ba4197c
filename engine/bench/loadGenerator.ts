/**
 * The load generator, run as its own process (pinned to the other core than the server): N
 * keep-alive connections over raw `net` sockets, each sending one prebuilt HTTP/1.1 POST, waiting
 * for the whole response (framed by Content-Length) and sending the next. No HTTP client library:
 * the generator must cost far less per request than the servers it measures, or the ceiling would
 * be the generator's.
 *
 * Input: one JSON `LoadSpec` on stdin. Output: one JSON `LoadResult` line on stdout.
 */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  host: string;
  port: number;
  /** X-Amz-Target operation name, e.g. "GetItem". */
  operation: string;
  /** Request bodies; connection k starts at body k and each connection walks the list in turn. */
  bodies: string[];
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Read `"Count":N` from each 200 response so Query/Scan report items per second. */
  countItems: boolean;
  /**
   * A string in the bodies replaced by a fresh value of the same length in every request sent,
   * as SDKs give each TransactWriteItems call its own ClientRequestToken.
   */
  uniquePlaceholder?: string;
  /** Also report the rate in each interval of this many milliseconds (to show a rate holds). */
  intervalMs?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  items: number;
  seconds: number;
  requestsPerSecond: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Status and start of the first non-200 answer (or socket error), to say what went wrong. */
  firstError?: string;
  /** Requests per second in each interval of LoadSpec.intervalMs, in order. */
  intervalRequestsPerSecond?: number[];
}

const HEADER_END = Buffer.from('\r\n\r\n');
const COUNT_FIELD = Buffer.from('"Count":');

/** A full HTTP/1.1 request, headers as the AWS SDK sends them (the signature is never checked). */
export function buildRequest(host: string, port: number, operation: string, body: string): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const head =
    `POST / HTTP/1.1\r\n` +
    `Host: ${host}:${port}\r\n` +
    `Content-Type: application/x-amz-json-1.0\r\n` +
    `X-Amz-Target: DynamoDB_20120810.${operation}\r\n` +
    `X-Amz-Date: 20240101T000000Z\r\n` +
    `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc\r\n` +
    `Content-Length: ${payload.length}\r\n` +
    `Connection: keep-alive\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

function readCount(body: Buffer): number {
  const at = body.indexOf(COUNT_FIELD);
  if (at < 0) return 0;
  let n = 0;
  for (let i = at + COUNT_FIELD.length; i < body.length; i++) {
    const digit = body[i] - 48;
    if (digit < 0 || digit > 9) break;
    n = n * 10 + digit;
  }
  return n;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const requests = spec.bodies.map((body) => buildRequest(spec.host, spec.port, spec.operation, body));
  const placeholder = spec.uniquePlaceholder ? Buffer.from(spec.uniquePlaceholder, 'utf8') : undefined;
  const placeholderAt = placeholder ? requests.map((request) => request.indexOf(placeholder)) : [];
  let sequence = 0;
  /** The request to send: a copy with a fresh unique value where the bodies hold the placeholder. */
  const prepared = (index: number): Buffer => {
    if (!placeholder || placeholderAt[index] < 0) return requests[index];
    const copy = Buffer.from(requests[index]);
    copy.write(`${process.pid}-${sequence++}`.padEnd(placeholder.length, '-'), placeholderAt[index], 'utf8');
    return copy;
  };
  const intervalCounts: number[] = [];
  let measureStart = 0;
  const latencies: number[] = [];
  let measuring = false;
  let stopping = false;
  let completed = 0;
  let errors = 0;
  let items = 0;
  let firstError: string | undefined;
  const sockets: Socket[] = [];

  const noteError = (text: string) => {
    if (measuring) errors++;
    firstError ??= text;
  };

  function drive(index: number): void {
    let next = index % requests.length;
    let sentAt = 0;
    // Response parsing state: headers are gathered until the blank line, then the body is counted.
    let head: Buffer = Buffer.alloc(0);
    let status = 0;
    let bodyLength = -1;
    let bodyChunks: Buffer[] = [];
    let bodyReceived = 0;

    const socket = connect({ host: spec.host, port: spec.port, noDelay: true });
    sockets.push(socket);
    const send = () => {
      if (stopping) return;
      sentAt = performance.now();
      socket.write(prepared(next));
      next = (next + 1) % requests.length;
    };
    const finish = () => {
      const latency = performance.now() - sentAt;
      const body = bodyChunks.length === 1 ? bodyChunks[0] : Buffer.concat(bodyChunks);
      if (status !== 200) noteError(`HTTP ${status}: ${body.subarray(0, 300).toString('utf8')}`);
      else if (measuring) {
        completed++;
        latencies.push(latency);
        if (spec.intervalMs) {
          const slot = Math.floor((performance.now() - measureStart) / spec.intervalMs);
          intervalCounts[slot] = (intervalCounts[slot] ?? 0) + 1;
        }
        if (spec.countItems) items += readCount(body);
      }
      status = 0;
      bodyLength = -1;
      bodyChunks = [];
      bodyReceived = 0;
      send();
    };
    socket.on('connect', send);
    socket.on('data', (chunk: Buffer) => {
      let data: Buffer = chunk;
      while (data.length > 0) {
        if (bodyLength < 0) {
          head = head.length === 0 ? data : Buffer.concat([head, data]);
          const end = head.indexOf(HEADER_END);
          if (end < 0) return;
          const headerText = head.subarray(0, end).toString('latin1');
          status = Number(headerText.slice(9, 12));
          const match = /\r\ncontent-length:\s*(\d+)/i.exec(headerText);
          bodyLength = match ? Number(match[1]) : 0;
          data = head.subarray(end + 4);
          head = Buffer.alloc(0);
        }
        const take = Math.min(bodyLength - bodyReceived, data.length);
        if (take > 0) bodyChunks.push(data.subarray(0, take));
        bodyReceived += take;
        data = data.subarray(take);
        if (bodyReceived === bodyLength) finish();
      }
    });
    socket.on('error', (error) => noteError(`socket: ${error.message}`));
    socket.on('close', () => {
      if (!stopping) noteError('socket closed by the server');
    });
  }

  for (let k = 0; k < spec.connections; k++) drive(k * Math.max(1, Math.floor(requests.length / spec.connections)));

  return new Promise((resolve) => {
    let startedAt = 0;
    setTimeout(() => {
      measuring = true;
      startedAt = measureStart = performance.now();
      setTimeout(() => {
        const seconds = (performance.now() - startedAt) / 1000;
        measuring = false;
        stopping = true;
        for (const socket of sockets) socket.destroy();
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          requests: completed,
          errors,
          items,
          seconds,
          requestsPerSecond: completed / seconds,
          itemsPerSecond: items / seconds,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          firstError,
          ...(spec.intervalMs
            ? { intervalRequestsPerSecond: Array.from({ length: Math.floor(spec.durationMs / spec.intervalMs) }, (_, i) => (intervalCounts[i] ?? 0) / (spec.intervalMs! / 1000)) }
            : {}),
        });
      }, spec.durationMs);
    }, spec.warmupMs);
  });
}

// Run as a child: read the spec from stdin, answer with the result on stdout.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chunks: Buffer[] = [];
  process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on('end', async () => {
    const spec = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadSpec;
    const result = await runLoad(spec);
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
  });
}
