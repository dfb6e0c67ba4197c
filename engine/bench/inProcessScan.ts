/**
 * Scan of a large in-memory table through engine.handle (no HTTP): loads N ~200 B items, then
 * pages through them with LastEvaluatedKey, sampling the heap after every page. A Scan that
 * held the whole table (or its page cursor did) would show the heap climbing by about the
 * table's own size; a streaming one stays flat, give or take one 1 MB page of garbage.
 *
 * Run as a child with --expose-gc; input `{ "items": N }` on stdin, one JSON line out.
 */
import { openEngine } from '../engine.ts';
import { BATCH_SIZE, smallItem } from './workload.ts';

export interface ScanResult {
  items: number;
  pages: number;
  seconds: number;
  itemsPerSecond: number;
  loadSeconds: number;
  /** Heap after loading, before the first page (after a full GC). */
  heapBeforeMb: number;
  /** Largest heap seen after any page, minus heapBefore. */
  heapPeakGrowthMb: number;
  /** Heap after the last page (after a full GC), minus heapBefore. */
  heapAfterGrowthMb: number;
  /** What the loaded table added to the heap plus Buffers (the store keeps values in Buffers): what a non-streaming Scan would hold again. */
  tableMb: number;
}

const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };
const MB = 1024 * 1024;

function collect(): { heap: number; total: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, total: usage.heapUsed + usage.arrayBuffers };
}

async function run(count: number): Promise<ScanResult> {
  const engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });
  await engine.handle(
    'CreateTable',
    {
      TableName: 'BigScan',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    CONTEXT,
  );
  const heapEmpty = collect();
  const loadStarted = performance.now();
  for (let i = 0; i < count; i += BATCH_SIZE) {
    const requests = [];
    for (let j = i; j < Math.min(count, i + BATCH_SIZE); j++) requests.push({ PutRequest: { Item: smallItem(`big-${String(j).padStart(8, '0')}`) } });
    await engine.handle('BatchWriteItem', { RequestItems: { BigScan: requests } }, CONTEXT);
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const before = collect();
  const heapBefore = before.heap;
  let peak = heapBefore;
  let items = 0;
  let pages = 0;
  let startKey: unknown;
  const started = performance.now();
  do {
    const page = (await engine.handle('Scan', { TableName: 'BigScan', ...(startKey ? { ExclusiveStartKey: startKey } : {}) }, CONTEXT)) as {
      Count: number;
      LastEvaluatedKey?: unknown;
    };
    items += page.Count;
    pages++;
    startKey = page.LastEvaluatedKey;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  } while (startKey);
  const seconds = (performance.now() - started) / 1000;
  const heapAfter = collect().heap;
  await engine.close();
  return {
    items,
    pages,
    seconds,
    itemsPerSecond: items / seconds,
    loadSeconds,
    heapBeforeMb: heapBefore / MB,
    heapPeakGrowthMb: (peak - heapBefore) / MB,
    heapAfterGrowthMb: (heapAfter - heapBefore) / MB,
    tableMb: (before.total - heapEmpty.total) / MB,
  };
}

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const { items } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: number };
  process.stdout.write(JSON.stringify(await run(items)) + '\n');
  process.exit(0);
});
