/**
 * `npm run bench`: Dynamo Lens against dynalite and a bare node:http ceiling, all in one run so
 * the ratios compare like with like. Each server runs pinned to core 1 and the load generator
 * (16 keep-alive connections over raw sockets) to core 0. Figures are throughput and latency
 * ratios from this run only; no test asserts timings.
 *
 *   npm run bench                          the full suite (about 5 minutes)
 *   npm run bench -- --seconds 1 --rounds 1  shorter, for trying the harness
 *   npm run bench -- --skip big-scan,extras
 *   npm run bench -- --only lens-memory,bare,GetItem
 *
 * Sections: http (ceiling, item operations, Query/Scan, batch, transactions), big-scan (in-process
 * Scan of 1,000,000 items), startup, snapshots (the test-suite API's snapshot/restore/reset of
 * 10,000 items, in process), fairness (GetItem latency beside heavy requests), token-soak
 * (tokened transactions for --soak-seconds, 300 by default), vectors (SearchVectors latency,
 * recall@10 against exact search, the vector index build rate and its background clustering, on
 * --vector-items items of 768 dimensions, in process, on --vector-store memory or lmdb), extras
 * (streams and UI benches written beside their code).
 *
 *   npm run bench -- --skip http,big-scan,startup,fairness,token-soak,vectors,extras   only the snapshot figures (a few seconds)
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadResult, LoadSpec } from './loadGenerator.ts';
import { HAS_TASKSET, LOAD_CORE, REPO_ROOT, runJsonChild, SERVER_CORE, startTarget, tsNode, waitForQuiet, type RunningTarget, type TargetKind } from './processes.ts';
import type { FairnessResult } from './fairness.ts';
import type { ScanResult } from './inProcessScan.ts';
import type { SnapshotResult } from './snapshots.ts';
import type { TokenScalingResult } from './tokenScaling.ts';
import type { VectorSearchResult } from './vectorSearch.ts';
import { measureStartup, type StartupResult } from './startup.ts';
import { cases, prepare, type BenchCase } from './workload.ts';
import { renderMarkdown, renderText, type Row } from './report.ts';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '16' },
    'scan-items': { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '2' },
    /** Length of the TransactWriteItems-with-tokens soak (the rate must hold while tokens pile up). */
    'soak-seconds': { type: 'string', default: '300' },
    /** Items in the vector search bench (768 dimensions each). */
    'vector-items': { type: 'string', default: '100000' },
    /** Where the vector search bench keeps its table: 'memory', or 'lmdb' in a scratch directory (for 1,000,000 items). */
    'vector-store': { type: 'string', default: 'memory' },
    skip: { type: 'string', default: '' },
    /** Comma-separated targets (bare, dynalite, lens-memory, lens-lmdb) and/or case names to run alone. */
    only: { type: 'string', default: '' },
  },
});
const durationMs = Number(options.seconds) * 1000;
const warmupMs = Number(options.warmup) * 1000;
const connections = Number(options.connections);
const rounds = Number(options.rounds);
const skip = new Set(options.skip!.split(',').filter(Boolean));
const only = new Set(options.only!.split(',').filter(Boolean));
const wanted = (name: string, all: string[]) => !all.some((n) => only.has(n)) || only.has(name);

const log = (line: string) => process.stderr.write(line + '\n');

type Measured = Partial<Record<TargetKind, Partial<Record<string, LoadResult>>>>;

async function measure(target: { host: string; port: number }, benchCase: BenchCase, overrides: Partial<LoadSpec> = {}): Promise<LoadResult> {
  const spec: LoadSpec = {
    host: target.host,
    port: target.port,
    operation: benchCase.operation,
    bodies: benchCase.bodies,
    connections,
    warmupMs,
    durationMs,
    countItems: benchCase.itemsPerRequest === 'count',
    ...(benchCase.uniquePlaceholder ? { uniquePlaceholder: benchCase.uniquePlaceholder } : {}),
    ...overrides,
  };
  const result = await runJsonChild<LoadResult>(LOAD_CORE, tsNode('loadGenerator.ts'), spec);
  if (typeof benchCase.itemsPerRequest === 'number') {
    result.items = result.requests * benchCase.itemsPerRequest;
    result.itemsPerSecond = result.requestsPerSecond * benchCase.itemsPerRequest;
  }
  return result;
}

const describe = (r: LoadResult, unit: 'req' | 'items') =>
  `${Math.round(unit === 'req' ? r.requestsPerSecond : r.itemsPerSecond).toLocaleString('en-US')} ${unit}/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms` +
  (r.errors > 0 ? `, ${r.errors} ERRORS (${r.firstError})` : '');

/**
 * Every server runs at once (all pinned to the server core; an idle one costs nothing) and each
 * case is measured on them back to back, round after round, keeping each server's best round.
 * Other work on the machine then lands on every side of a ratio alike instead of on one server.
 */
async function measureHttp(): Promise<Measured> {
  const measured: Measured = {};
  const all = cases();
  const plan: [TargetKind, string[]][] = [
    ['bare', ['GetItem']],
    ['dynalite', ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'Scan', 'BatchWriteItem']],
    ['lens-memory', ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'Scan', 'BatchWriteItem', 'TransactWriteItems', 'TransactWriteItemsWithToken']],
    ['lens-lmdb', ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'Scan', 'BatchWriteItem', 'TransactWriteItems', 'TransactWriteItemsWithToken']],
  ];
  const kinds = plan.map(([kind]) => kind as string);
  const caseNames = Object.keys(all);
  const chosen = plan.filter(([kind]) => wanted(kind, kinds));
  const targets = new Map<TargetKind, RunningTarget>();
  try {
    for (const [kind] of chosen) {
      const target = await startTarget(kind);
      targets.set(kind, target);
      if (kind !== 'bare') await prepare(target.url);
    }
    for (let round = 1; round <= rounds; round++) {
      if (rounds > 1) log(`Round ${round} of ${rounds}:`);
      for (const id of caseNames.filter((name) => wanted(name, caseNames))) {
        for (const [kind, planned] of chosen) {
          if (!planned.includes(id)) continue;
          await waitForQuiet([...targets.values()].map((target) => target.child));
          const result = await measure(targets.get(kind)!, all[id]);
          const unit = all[id].itemsPerRequest === 'count' || id === 'BatchWriteItem' ? 'items' : 'req';
          log(`  ${kind.padEnd(12)} ${id.padEnd(19)} ${describe(result, unit)}`);
          const byKind = (measured[kind] ??= {});
          const best = byKind[id];
          // A round with errors always counts, so errors are never hidden behind a clean round.
          if (!best || result.errors > 0 || (best.errors === 0 && result.requestsPerSecond > best.requestsPerSecond)) byKind[id] = result;
        }
      }
    }
  } finally {
    for (const target of targets.values()) await target.stop();
  }
  return measured;
}

/** A GetItem client beside 8 clients sending heavy, well-framed requests (see fairness.ts). */
async function measureFairness(): Promise<FairnessResult> {
  const target = await startTarget('lens-memory');
  try {
    await prepare(target.url);
    return await runJsonChild<FairnessResult>(LOAD_CORE, tsNode('fairness.ts'), { host: target.host, port: target.port, heavy: 8, durationMs: 10_000 });
  } finally {
    await target.stop();
  }
}

interface SoakResult {
  seconds: number;
  result: LoadResult;
}

/**
 * TransactWriteItems as the SDKs send it (a fresh ClientRequestToken each) for several minutes on
 * the in-memory engine: the tokens of the last 10 minutes pile up, and the rate must not fall.
 */
async function measureTokenSoak(): Promise<SoakResult> {
  const seconds = Number(options['soak-seconds']);
  const target = await startTarget('lens-memory');
  try {
    await prepare(target.url);
    const result = await measure(target, cases().TransactWriteItemsWithToken, { durationMs: seconds * 1000, intervalMs: Math.min(30_000, (seconds * 1000) / 4) });
    return { seconds, result };
  } finally {
    await target.stop();
  }
}

interface ExtraFigures {
  streams?: { putPerSecStreamsOff: number; putPerSecStreamsOn: number; getRecordsPerSec?: number };
  triggers?: { recordsPerSecBatch100: number; recordsPerSecBatch1000: number; writeToHandlerP50Ms: number; writeToHandlerP99Ms: number };
  ui?: Record<string, number>;
  importStream?: Record<string, number>;
  notes: string[];
}

/** Benches other parts of the project keep beside their code; absent ones are skipped with a note. */
async function measureExtras(): Promise<ExtraFigures> {
  const figures: ExtraFigures = { notes: [] };
  const streamsPath = join(REPO_ROOT, 'engine/streams/bench.ts');
  const uiPath = join(REPO_ROOT, 'renderer/e2e/uiBench.ts');
  // Paths held in variables: these modules are optional, so the type checker must not require them.
  const load = (path: string): Promise<Record<string, unknown>> => import(path) as Promise<Record<string, unknown>>;
  if (existsSync(streamsPath) && typeof (await load(streamsPath)).benchStreams === 'function') {
    const bench = (await load(streamsPath)).benchStreams as () => Promise<ExtraFigures['streams']>;
    figures.streams = await bench();
    log(`  streams: ${JSON.stringify(figures.streams)}`);
  } else figures.notes.push('engine/streams/bench.ts benchStreams() is absent: streams overhead not measured.');
  const triggersPath = join(REPO_ROOT, 'engine/triggers/bench.ts');
  if (existsSync(triggersPath) && typeof (await load(triggersPath)).benchTriggers === 'function') {
    const bench = (await load(triggersPath)).benchTriggers as () => Promise<ExtraFigures['triggers']>;
    figures.triggers = await bench();
    log(`  triggers: ${JSON.stringify(figures.triggers)}`);
  } else figures.notes.push('engine/triggers/bench.ts benchTriggers() is absent: stream triggers not measured.');
  if (existsSync(uiPath) && typeof (await load(uiPath)).runUiBench === 'function') {
    const bench = (await load(uiPath)).runUiBench as () => Promise<Record<string, number>>;
    figures.ui = await bench();
    log(`  ui: ${JSON.stringify(figures.ui)}`);
  } else figures.notes.push('renderer/e2e/uiBench.ts runUiBench() is absent: UI figures not measured.');
  const importPath = join(REPO_ROOT, 'renderer/e2e/importBench.ts');
  if (existsSync(importPath) && typeof (await load(importPath)).runImportBench === 'function') {
    const bench = (await load(importPath)).runImportBench as () => Promise<Record<string, number>>;
    figures.importStream = await bench();
    log(`  streamed import: ${JSON.stringify(figures.importStream)}`);
  } else figures.notes.push('renderer/e2e/importBench.ts runImportBench() is absent: streamed import not measured.');
  return figures;
}

/** What each section measured (a section skipped leaves its entry out). */
interface Sections {
  http: Measured;
  scan?: ScanResult;
  startup?: StartupResult;
  snapshots?: SnapshotResult;
  fairness?: FairnessResult;
  soak?: SoakResult;
  tokenScaling?: TokenScalingResult[];
  vectors?: VectorSearchResult;
  extras?: ExtraFigures;
}

function buildRows({ http, scan, startup, snapshots, fairness, soak, tokenScaling, vectors, extras }: Sections): Row[] {
  const rows: Row[] = [];
  const ceiling = http.bare?.GetItem;
  const lens = http['lens-memory'] ?? {};
  const lmdb = http['lens-lmdb'] ?? {};
  const dyn = http.dynalite ?? {};
  const rate = (r: LoadResult | undefined, unit: 'req' | 'items') => (r ? (unit === 'req' ? r.requestsPerSecond : r.itemsPerSecond) : undefined);

  if (ceiling) rows.push({ name: 'Ceiling: bare node:http, fixed JSON', unit: 'req/s', lens: undefined, dynalite: undefined, ceiling: ceiling.requestsPerSecond, errors: ceiling.errors });

  const throughput = (name: string, id: string, unit: 'req' | 'items', target: Row['target'], source = lens) => {
    const ours = source[id];
    if (!ours && !dyn[id]) return;
    rows.push({
      name,
      unit: `${unit}/s`,
      lens: rate(ours, unit),
      dynalite: rate(dyn[id], unit),
      ceiling: id === 'GetItem' && source === lens ? ceiling?.requestsPerSecond : undefined,
      target,
      errors: (ours?.errors ?? 0) + (dyn[id]?.errors ?? 0),
    });
  };
  const latency = (name: string, id: string, source = lens, target?: Row['target']) => {
    const ours = source[id];
    if (!ours) return;
    rows.push({ name, unit: 'ms', lens: ours.p99Ms, dynalite: dyn[id]?.p99Ms, target, errors: ours.errors, lowerIsBetter: true });
  };

  throughput('GetItem, 1 KB, in memory', 'GetItem', 'req', { kind: 'getItem', ceilingShare: 0.6, dynaliteTimes: 2 });
  latency('GetItem p99, 16 connections', 'GetItem', lens, { kind: 'below', value: 2 });
  throughput('GetItem, 1 KB, LMDB', 'GetItem', 'req', undefined, lmdb);
  throughput('PutItem, 1 KB, in memory', 'PutItem', 'req', { kind: 'dynaliteTimes', value: 2 });
  latency('PutItem p99, 16 connections', 'PutItem', lens, { kind: 'below', value: 2 });
  // Durable: each acknowledged write is synced (group commit); dynalite keeps its data in memory.
  throughput('PutItem, 1 KB, LMDB (synced)', 'PutItem', 'req', undefined, lmdb);
  latency('PutItem p99, LMDB', 'PutItem', lmdb);
  throughput('UpdateItem SET #c = #c + :one, in memory', 'UpdateItem', 'req', undefined);
  latency('UpdateItem p99, 16 connections', 'UpdateItem', lens, { kind: 'below', value: 2 });
  throughput('UpdateItem, LMDB', 'UpdateItem', 'req', undefined, lmdb);
  throughput('Query, 100 items of 200 B', 'Query', 'items', { kind: 'dynaliteTimes', value: 5 });
  throughput('Query, LMDB', 'Query', 'items', undefined, lmdb);
  throughput('Scan, 1 MB pages of 200 B items', 'Scan', 'items', { kind: 'dynaliteTimes', value: 5 });
  throughput('Scan, LMDB', 'Scan', 'items', undefined, lmdb);
  if (scan) {
    rows.push({ name: `Scan in-process, ${scan.items.toLocaleString('en-US')} items, paged`, unit: 'items/s', lens: scan.itemsPerSecond, target: { kind: 'atLeast', value: 300_000 } });
    rows.push({
      name: `  heap growth while paging (table ${Math.round(scan.tableMb)} MB)`,
      unit: 'MB',
      lens: scan.heapPeakGrowthMb,
      note: `before ${scan.heapBeforeMb.toFixed(0)} MB, peak +${scan.heapPeakGrowthMb.toFixed(1)} MB, after +${scan.heapAfterGrowthMb.toFixed(1)} MB`,
      // Flat: what paging adds stays within a few pages of garbage, far below the table's own size.
      target: { kind: 'below', value: Math.min(64, scan.tableMb / 4) },
      lowerIsBetter: true,
    });
  }
  throughput('BatchWriteItem 25 x 1 KB, in memory', 'BatchWriteItem', 'items', { kind: 'dynaliteTimes', value: 3 });
  throughput('BatchWriteItem 25 x 1 KB, LMDB', 'BatchWriteItem', 'items', undefined, lmdb);
  if (lens.TransactWriteItems) throughput('TransactWriteItems (2 items), in memory', 'TransactWriteItems', 'req', undefined);
  if (lmdb.TransactWriteItems) throughput('TransactWriteItems (2 items), LMDB', 'TransactWriteItems', 'req', undefined, lmdb);
  if (lens.TransactWriteItemsWithToken) throughput('  with a ClientRequestToken each, in memory', 'TransactWriteItemsWithToken', 'req', undefined);
  if (lmdb.TransactWriteItemsWithToken) throughput('  with a ClientRequestToken each, LMDB', 'TransactWriteItemsWithToken', 'req', undefined, lmdb);
  const intervals = soak?.result.intervalRequestsPerSecond;
  if (soak && intervals && intervals.length >= 2) {
    // Halves, not the first and last interval alone: one interval of other work on the machine
    // must not decide it, while a rate that falls as tokens pile up shows in the second half.
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const half = Math.floor(intervals.length / 2);
    const firstHalf = mean(intervals.slice(0, half));
    const secondHalf = mean(intervals.slice(intervals.length - half));
    rows.push({
      name: `Tokened TransactWriteItems over ${Math.round(soak.seconds / 60)} min, second half vs first`,
      unit: 'req/s',
      lens: secondHalf,
      note: `first half ${Math.round(firstHalf).toLocaleString('en-US')}/s; intervals ${intervals.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}; p99 ${soak.result.p99Ms.toFixed(2)} ms`,
      target: { kind: 'slowdownAtMost', value: 0.1, reference: firstHalf, than: 'the first half' },
      errors: soak.result.errors,
    });
  }
  for (const scaling of tokenScaling ?? []) {
    const stored = scaling.stored.toLocaleString('en-US');
    const where = scaling.store === 'lmdb' ? 'LMDB' : 'in memory';
    rows.push({ name: `Tokened TransactWriteItems in-process, ${where}, window empty`, unit: 'req/s', lens: scaling.emptyPerSecond });
    rows.push({
      name: `  the same with ${stored} tokens in the window`,
      unit: 'req/s',
      lens: scaling.fullPerSecond,
      note: `${((1 - scaling.fullPerSecond / scaling.emptyPerSecond) * 100).toFixed(1)}% slower`,
      target: { kind: 'slowdownAtMost', value: 0.1, reference: scaling.emptyPerSecond, than: 'empty' },
    });
  }

  if (fairness) {
    rows.push({
      name: 'GetItem p99 beside 8 heavy requests (16 MB lists, 100k names)',
      unit: 'ms',
      lens: fairness.getItemP99Ms,
      note: `p50 ${fairness.getItemP50Ms.toFixed(0)} ms, max ${fairness.getItemMaxMs.toFixed(0)} ms, ${fairness.getItems} GetItems, ${fairness.heavyAnswered} heavy answered`,
      target: { kind: 'below', value: 250 },
      lowerIsBetter: true,
    });
  }
  if (startup) {
    rows.push({ name: 'Start-up to first TCP connect (median of 5)', unit: 'ms', lens: startup.lensMs, dynalite: startup.dynaliteMs, target: { kind: 'below', value: 300 }, lowerIsBetter: true });
  }
  if (snapshots) {
    const items = snapshots.items.toLocaleString('en-US');
    rows.push({ name: `Snapshot of ${items} items, in memory (median of 21)`, unit: 'ms', lens: snapshots.snapshotMs, lowerIsBetter: true });
    rows.push({ name: `Restore of a ${items}-item snapshot after 100 writes`, unit: 'ms', lens: snapshots.restoreMs, target: { kind: 'below', value: 5 }, lowerIsBetter: true });
    rows.push({ name: `Reset (empty every table) of ${items} items and their GSI`, unit: 'ms', lens: snapshots.resetMs, lowerIsBetter: true });
    rows.push({ name: `dynamo-lens snapshot create, ${items} items on LMDB`, unit: 'ms', lens: snapshots.diskSnapshotMs, lowerIsBetter: true });
    rows.push({ name: `dynamo-lens snapshot restore into a new directory`, unit: 'ms', lens: snapshots.diskRestoreMs, lowerIsBetter: true });
  }
  if (vectors) {
    const what = `${vectors.items.toLocaleString('en-US')} x ${vectors.dimensions} dims`;
    const note = `${vectors.clusters > 0 ? `${vectors.clusters} clusters (IVF)` : 'exact search'}; ${vectors.queries} queries; ${vectors.store}`;
    rows.push({ name: `SearchVectors TopK 10, ${what}, p50`, unit: 'ms', lens: vectors.searchP50Ms, note, lowerIsBetter: true });
    rows.push({ name: `SearchVectors TopK 10, ${what}, p99`, unit: 'ms', lens: vectors.searchP99Ms, lowerIsBetter: true });
    rows.push({ name: `SearchVectors recall@10 against exact search, ${what}`, unit: '%', lens: vectors.recallAt10 * 100 });
    rows.push({ name: `Vector index build: BatchWriteItem of ${what}, background clustering included`, unit: 'items/s', lens: vectors.buildItemsPerSecond });
    rows.push({ name: `Vector index clustering still running after the load, ${what}`, unit: 's', lens: vectors.clusteringAfterLoadSeconds, lowerIsBetter: true });
    rows.push({ name: `Longest event-loop stall while only the clustering ran, ${what}`, unit: 'ms', lens: vectors.longestStallWhileClusteringMs, note: `in ${vectors.longestStallPhase}; during the load: ${vectors.longestStallDuringLoadMs.toFixed(0)} ms (a BatchWriteItem of 25 is one task)`, lowerIsBetter: true });
  }
  if (extras?.streams) {
    const { putPerSecStreamsOff: off, putPerSecStreamsOn: on } = extras.streams;
    rows.push({ name: 'PutItem, streams off (in-process)', unit: 'req/s', lens: off });
    rows.push({ name: 'PutItem, streams on NEW_AND_OLD_IMAGES', unit: 'req/s', lens: on, note: `${((1 - on / off) * 100).toFixed(1)}% slower`, target: { kind: 'slowdownAtMost', value: 0.25, reference: off, than: 'off' } });
  }
  if (extras?.importStream) {
    const { fileMb = 0, items = 0, checkSeconds = 0, importSeconds = 0, pagePeakHeapMb = 0, backendPeakHeapMb = 0, backendPeakRssMb = 0 } = extras.importStream;
    const what = `${fileMb} MB JSON Lines, ${items.toLocaleString('en-US')} items`;
    rows.push({ name: `UI: streamed import, ${what}`, unit: 's', lens: checkSeconds + importSeconds, note: `check ${checkSeconds} s + write ${importSeconds} s`, lowerIsBetter: true });
    rows.push({ name: '  peak page JS heap during it', unit: 'MB', lens: pagePeakHeapMb, lowerIsBetter: true });
    rows.push({ name: '  peak backend heap during it', unit: 'MB', lens: backendPeakHeapMb, note: `RSS ${backendPeakRssMb} MB, LMDB's map included`, lowerIsBetter: true });
  }
  if (extras?.triggers) {
    const t = extras.triggers;
    rows.push({ name: 'Stream trigger: records/s to a no-op handler, batch 100', unit: 'records/s', lens: t.recordsPerSecBatch100 });
    rows.push({ name: 'Stream trigger: records/s, batch 1,000', unit: 'records/s', lens: t.recordsPerSecBatch1000 });
    rows.push({ name: 'Stream trigger: write to handler start, p50 (250 ms polls)', unit: 'ms', lens: t.writeToHandlerP50Ms, lowerIsBetter: true });
    rows.push({ name: 'Stream trigger: write to handler start, p99', unit: 'ms', lens: t.writeToHandlerP99Ms, lowerIsBetter: true });
  }
  if (extras?.ui) {
    const ui = extras.ui;
    const pick = (...names: string[]) => names.map((n) => ui[n]).find((v) => typeof v === 'number');
    const firstRows = pick('firstRowsMs', 'firstRowsMS', 'firstRows');
    const scroll = pick('scrollP95FrameMs', 'scrollP95Ms', 'scrollFrameP95Ms');
    const js = pick('initialJsBytes', 'initialJsKb', 'initialJsMb');
    if (firstRows !== undefined) rows.push({ name: 'UI: first rows visible', unit: 'ms', lens: firstRows, target: { kind: 'below', value: 300 }, lowerIsBetter: true });
    if (scroll !== undefined) rows.push({ name: 'UI: scroll p95 frame', unit: 'ms', lens: scroll, target: { kind: 'below', value: 20 }, lowerIsBetter: true });
    if (js !== undefined) {
      const mb = ui.initialJsBytes !== undefined ? js / 1024 / 1024 : ui.initialJsKb !== undefined ? js / 1024 : js;
      rows.push({ name: 'UI: initial JS', unit: 'MB', lens: mb, target: { kind: 'below', value: 1.5 }, lowerIsBetter: true });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`Dynamo Lens bench: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`);
  if (HAS_TASKSET) log(`Servers pinned to core ${SERVER_CORE}, load generator to core ${LOAD_CORE} (taskset).`);
  else log('NOTE: taskset is not available: servers and load generator share cores, so figures are noisier and lower.');
  log(`${connections} keep-alive connections, ${warmupMs / 1000} s warm-up, ${durationMs / 1000} s measured per case, best of ${rounds} rounds.`);

  let http: Measured = {};
  if (!skip.has('http')) {
    log('\nHTTP cases:');
    http = await measureHttp();
  }
  let scan: ScanResult | undefined;
  if (!skip.has('big-scan')) {
    log(`\nIn-process Scan of ${Number(options['scan-items']).toLocaleString('en-US')} items (loading first)...`);
    scan = await runJsonChild<ScanResult>(SERVER_CORE, tsNode('inProcessScan.ts', ['--expose-gc', '--max-old-space-size=4096']), { items: Number(options['scan-items']) });
    log(`  ${Math.round(scan.itemsPerSecond).toLocaleString('en-US')} items/s over ${scan.pages} pages; heap before ${scan.heapBeforeMb.toFixed(0)} MB, peak +${scan.heapPeakGrowthMb.toFixed(1)} MB, after +${scan.heapAfterGrowthMb.toFixed(1)} MB`);
  }
  let startup: StartupResult | undefined;
  if (!skip.has('startup')) {
    log('\nStart-up:');
    startup = await measureStartup(5);
    log(`  Dynamo Lens ${startup.lensRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms; dynalite ${startup.dynaliteRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  }
  let snapshots: SnapshotResult | undefined;
  if (!skip.has('snapshots')) {
    log('\nSnapshots (in process):');
    snapshots = await runJsonChild<SnapshotResult>(SERVER_CORE, tsNode('snapshots.ts'), { items: 10_000 });
    log(`  snapshot ${snapshots.snapshotMs.toFixed(3)} ms, restore ${snapshots.restoreMs.toFixed(2)} ms, reset ${snapshots.resetMs.toFixed(1)} ms`);
  }
  let fairness: FairnessResult | undefined;
  if (!skip.has('fairness')) {
    log('\nFairness: GetItem beside 8 clients sending heavy requests:');
    fairness = await measureFairness();
    log(`  GetItem p50 ${fairness.getItemP50Ms.toFixed(1)} ms, p99 ${fairness.getItemP99Ms.toFixed(1)} ms over ${fairness.getItems}; heavy answered ${fairness.heavyAnswered}: ${fairness.heavyAnswers.join(' | ')}`);
  }
  let soak: SoakResult | undefined;
  if (!skip.has('token-soak')) {
    log(`\nTransactWriteItems with a fresh ClientRequestToken each, ${options['soak-seconds']} s:`);
    soak = await measureTokenSoak();
    log(`  ${describe(soak.result, 'req')}; per interval: ${(soak.result.intervalRequestsPerSecond ?? []).map((r) => Math.round(r)).join(', ')} req/s`);
  }
  let tokenScaling: TokenScalingResult[] | undefined;
  if (!skip.has('token-soak')) {
    log('\nTokened TransactWriteItems in process, with the token window empty and with 2,000,000 tokens:');
    tokenScaling = [];
    for (const store of ['memory', 'lmdb'] as const) {
      const scaling = await runJsonChild<TokenScalingResult>(SERVER_CORE, tsNode('tokenScaling.ts', ['--max-old-space-size=4096']), { store, stored: 2_000_000, transactions: 5000, rounds: 2 });
      tokenScaling.push(scaling);
      log(`  ${store}: empty ${Math.round(scaling.emptyPerSecond)} req/s, with ${scaling.stored} tokens ${Math.round(scaling.fullPerSecond)} req/s`);
    }
  }
  let vectors: VectorSearchResult | undefined;
  if (!skip.has('vectors')) {
    log(`\nSearchVectors in process, ${Number(options['vector-items']).toLocaleString('en-US')} items of 768 dimensions (loading first)...`);
    const store = options['vector-store'];
    if (store !== 'memory' && store !== 'lmdb') throw new Error(`--vector-store must be memory or lmdb, not ${store}`);
    const spec = { items: Number(options['vector-items']), dimensions: 768, queries: 100, store };
    vectors = await runJsonChild<VectorSearchResult>(SERVER_CORE, tsNode('vectorSearch.ts', ['--max-old-space-size=8192']), spec);
    log(`  p50 ${vectors.searchP50Ms.toFixed(1)} ms, p99 ${vectors.searchP99Ms.toFixed(1)} ms, recall@10 ${vectors.recallAt10.toFixed(3)} over ${vectors.clusters} clusters`);
    log(`  built at ${Math.round(vectors.buildItemsPerSecond)} items/s; clustering ran ${vectors.clusteringAfterLoadSeconds.toFixed(1)} s past the load; longest stall ${vectors.longestStallWhileClusteringMs.toFixed(0)} ms while clustering, ${vectors.longestStallDuringLoadMs.toFixed(0)} ms during the load`);
  }
  let extras: ExtraFigures | undefined;
  if (!skip.has('extras')) {
    log('\nStreams and UI benches:');
    extras = await measureExtras();
  }

  const rows = buildRows({ http, scan, startup, snapshots, fairness, soak, tokenScaling, vectors, extras });
  const method =
    `${HAS_TASKSET ? 'Server pinned to core 1, load generator to core 0' : 'Unpinned (no taskset)'}; ` +
    `${connections} keep-alive connections over raw sockets; ${warmupMs / 1000} s warm-up + ${durationMs / 1000} s per case, best of ${rounds} interleaved rounds; ` +
    `${cpus().length}-core ${cpus()[0]?.model?.trim() ?? 'machine'}, Node ${process.version}.`;
  console.log('\n' + renderText(rows));
  for (const note of extras?.notes ?? []) console.log(`Note: ${note}`);
  console.log('\nMarkdown for README "## Performance":\n');
  console.log(renderMarkdown(rows, method));
  log(`\nBench finished in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

await main();
process.exit(0);
