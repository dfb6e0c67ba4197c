// Compiles the Node side (CLI, Electron main and preload) into dist/ with esbuild.
// One bundle per entry keeps start-up fast: `serve` accepts connections within a few hundred ms.
// Native and heavy packages stay external and load from node_modules at run time.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';

const external = ['lmdb', 'electron', 'ws', '@aws-sdk/*', 'msgpackr', 'playwright-core'];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, external, logLevel: 'warning' };

// Bundled CommonJS dependencies call require(); give the ESM bundles one.
const requireShim = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };

// Code splitting names chunks by content hash: clear the last build's bundles so stale chunks
// never pile up in dist/ (or get packaged). dist/renderer is vite's and stays.
for (const name of existsSync('dist') ? readdirSync('dist') : []) {
  if (/\.(m?js|cjs)(\.map)?$/.test(name)) rmSync(`dist/${name}`);
}
rmSync('dist/electron', { recursive: true, force: true });

// Worker scripts (engine/preflight.ts, the triggers' handler host) are loaded beside the code that starts them.
const preflightWorker = 'engine/preflightWorker.ts';
const handlerWorker = 'engine/triggers/handlerWorker.ts';
await build({ ...common, entryPoints: { cli: 'electron/cli.ts', preflightWorker, handlerWorker }, outdir: 'dist', format: 'esm', splitting: true, banner: requireShim });

if (existsSync('electron/main.ts')) {
  // Electron runs ES module main scripts (Electron 28+); .mjs marks it as one.
  await build({ ...common, entryPoints: { main: 'electron/main.ts', preflightWorker, handlerWorker }, outdir: 'dist/electron', format: 'esm', outExtension: { '.js': '.mjs' }, banner: requireShim });
}
if (existsSync('electron/preload.ts')) {
  // Sandboxed preloads must be CommonJS in one file.
  await build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/electron', format: 'cjs', outExtension: { '.js': '.cjs' } });
}
