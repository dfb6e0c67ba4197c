/**
 * Streamed import bench: a JSON Lines file of IMPORT_BENCH_MB megabytes (1,024 by default, about
 * 4.6 million items of ~230 bytes) picked in the import dialog of the browser UI, checked and
 * written into a table on LMDB. Measures the time of each pass and the peak memory of the page
 * (JS heap, sampled through the DevTools protocol) and of the backend process (heap and RSS;
 * LMDB's map is file cache, so RSS here counts the pages written). Wired into `npm run bench`'s
 * extras; run alone, on a smaller file:
 *   npx vite build --config renderer/vite.config.ts && IMPORT_BENCH_MB=50 node --import tsx renderer/e2e/importBench.ts
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTable } from './connections.ts';
import { createSimpleTable, startApp } from './harness.ts';
import { chooseImportFile, importDialog, importSummary, openImport } from './importExport.ts';
import { runCommand } from './palette.ts';

export interface ImportBenchResult {
  fileMb: number;
  items: number;
  checkSeconds: number;
  importSeconds: number;
  importItemsPerSec: number;
  pagePeakHeapMb: number;
  backendPeakHeapMb: number;
  backendPeakRssMb: number;
}

/** Writes `megabytes` of JSON Lines, one plain item per line, without holding the file. */
async function writeItems(path: string, megabytes: number): Promise<number> {
  const out = createWriteStream(path);
  const target = megabytes * 1024 * 1024;
  let bytes = 0;
  let items = 0;
  while (bytes < target) {
    let chunk = '';
    for (let i = 0; i < 1000; i++, items++) {
      chunk += `${JSON.stringify({ pk: `item-${String(items).padStart(9, '0')}`, n: items, price: 12345.678, active: items % 2 === 0, name: `Name number ${items} with some text`, tags: ['a', 'b', `t${items % 7}`], meta: { level: items % 10, note: null } })}\n`;
    }
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return items;
}

export async function runImportBench(megabytes = Number(process.env.IMPORT_BENCH_MB ?? 1024)): Promise<ImportBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'dynamo-lens-import-bench-'));
  const file = join(dir, 'items.jsonl');
  const items = await writeItems(file, megabytes);
  const app = await startApp({ quiet: true, dataDir: join(dir, 'data') });
  let pagePeak = 0;
  let backendHeapPeak = 0;
  let backendRssPeak = 0;
  const cdp = await app.page.context().newCDPSession(app.page);
  await cdp.send('Performance.enable');
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    pagePeak = Math.max(pagePeak, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
    const { heapUsed, rss } = process.memoryUsage();
    backendHeapPeak = Math.max(backendHeapPeak, heapUsed);
    backendRssPeak = Math.max(backendRssPeak, rss);
  };
  const sampler = setInterval(() => void sample().catch(() => undefined), 250);
  try {
    await createSimpleTable(app.engine, 'ImportBench');
    await runCommand(app.page, 'refresh table list');
    await openTable(app.page, 'ImportBench');
    await openImport(app.page);
    const checkStarted = performance.now();
    await chooseImportFile(app.page, 'items.jsonl', { path: file }, 3_600_000);
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const importStarted = performance.now();
    await importDialog(app.page).getByRole('button', { name: /^Import [\d,]+ items?$/ }).click();
    await importSummary(app.page).filter({ hasText: 'Done:' }).waitFor({ timeout: 7_200_000 });
    const importSeconds = (performance.now() - importStarted) / 1000;
    const summary = await importSummary(app.page).innerText();
    if (!summary.includes(`Done: ${items.toLocaleString('en-US')} of ${items.toLocaleString('en-US')} items written`)) throw new Error(`import did not write every item: ${summary}`);
    await sample();
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    return {
      fileMb: Math.round((await stat(file)).size / 1024 / 1024),
      items,
      checkSeconds: Math.round(checkSeconds * 10) / 10,
      importSeconds: Math.round(importSeconds * 10) / 10,
      importItemsPerSec: Math.round(items / importSeconds),
      pagePeakHeapMb: mb(pagePeak),
      backendPeakHeapMb: mb(backendHeapPeak),
      backendPeakRssMb: mb(backendRssPeak),
    };
  } finally {
    clearInterval(sampler);
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await runImportBench(), null, 2));
}
