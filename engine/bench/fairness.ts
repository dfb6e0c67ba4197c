/**
 * Fairness: while several clients send heavy but well-framed requests (16 MB PutItem bodies of
 * 1.6 million tiny list elements; 100,000 ExpressionAttributeNames), how long does another
 * client's GetItem wait? Run as a child process (the load side, pinned away from the server).
 *
 * Input: one JSON `FairnessSpec` on stdin. Output: one JSON `FairnessResult` line on stdout.
 */
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildRequest } from './loadGenerator.ts';
import { TABLES } from './workload.ts';

export interface FairnessSpec {
  host: string;
  port: number;
  /** Heavy requests in flight at once. */
  heavy: number;
  durationMs: number;
}

export interface FairnessResult {
  getItems: number;
  getItemP50Ms: number;
  getItemP99Ms: number;
  getItemMaxMs: number;
  heavyAnswered: number;
  /** Status and the start of each kind of heavy answer (what the server said to them). */
  heavyAnswers: string[];
}

/** PutItem of one item holding a list of `elements` one-digit numbers: about 10 bytes each. */
export function bigListBody(elements: number): string {
  return `{"TableName":"${TABLES.kv}","Item":{"pk":{"S":"heavy"},"list":{"L":[${'{"N":"1"},'.repeat(elements - 1)}{"N":"1"}]}}}`;
}

/** PutItem with `count` expression attribute names, all but one unused. */
export function manyNamesBody(count: number): string {
  const names: Record<string, string> = {};
  for (let i = 0; i < count; i++) names[`#n${i}`] = `attribute${i}`;
  return JSON.stringify({ TableName: TABLES.kv, Item: { pk: { S: 'heavy-names' } }, ConditionExpression: 'attribute_not_exists(#n0)', ExpressionAttributeNames: names });
}

/** Sends `request` on a fresh keep-alive socket again and again, calling `onAnswer` with each response head. */
function repeat(spec: FairnessSpec, request: Buffer, until: () => boolean, onAnswer: (status: string, latencyMs: number) => void): Socket {
  const socket = connect({ host: spec.host, port: spec.port, noDelay: true });
  let received: Buffer = Buffer.alloc(0);
  let sentAt = 0;
  const send = () => {
    if (until()) return void socket.end();
    sentAt = performance.now();
    socket.write(request);
  };
  socket.on('connect', send);
  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    for (;;) {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      onAnswer(`${head.slice(9, 12)} ${received.subarray(end + 4, end + 4 + Math.min(length, 160)).toString('utf8')}`, performance.now() - sentAt);
      received = received.subarray(end + 4 + length);
      send();
    }
  });
  socket.on('error', () => undefined);
  return socket;
}

export async function runFairness(spec: FairnessSpec): Promise<FairnessResult> {
  const heavyRequests = [buildRequest(spec.host, spec.port, 'PutItem', bigListBody(1_600_000)), buildRequest(spec.host, spec.port, 'PutItem', manyNamesBody(100_000))];
  const getItem = buildRequest(spec.host, spec.port, 'GetItem', JSON.stringify({ TableName: TABLES.kv, Key: { pk: { S: 'item-000001' } } }));
  const deadline = performance.now() + spec.durationMs;
  const over = () => performance.now() > deadline;
  const answers = new Set<string>();
  let heavyAnswered = 0;
  const latencies: number[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < spec.heavy; i++) {
    sockets.push(
      repeat(spec, heavyRequests[i % heavyRequests.length], over, (answer) => {
        heavyAnswered++;
        answers.add(answer.slice(0, 160));
      }),
    );
  }
  // Let the heavy requests get going before probing.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await new Promise<void>((resolve) => {
    const probe = repeat(spec, getItem, over, (_answer, latency) => latencies.push(latency));
    probe.on('close', () => resolve());
    sockets.push(probe);
  });
  for (const socket of sockets) socket.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { getItems: sorted.length, getItemP50Ms: at(50), getItemP99Ms: at(99), getItemMaxMs: sorted[sorted.length - 1] ?? NaN, heavyAnswered, heavyAnswers: [...answers] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chunks: Buffer[] = [];
  process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on('end', async () => {
    const result = await runFairness(JSON.parse(Buffer.concat(chunks).toString('utf8')) as FairnessSpec);
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
  });
}
