// Compiles the Node side (CLI, Electron main and preload) into dist/ with esbuild.
// One bundle per entry keeps start-up fast: `serve` accepts connections within a few hundred ms.
// Native and heavy packages stay external and load from node_modules at run time.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const external = ['lmdb', 'electron', 'ws', '@aws-sdk/*', 'msgpackr', 'playwright-core'];
const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, external, logLevel: 'warning' };

// Bundled CommonJS dependencies call require(); give the ESM bundles one.
const requireShim = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };

// Code splitting names chunks by content hash: clear the last build's bundles so stale chunks
// never pile up in dist/ (or get packaged). dist/renderer is vite's and stays.
for (const name of existsSync('dist') ? readdirSync('dist') : []) {
  if (/\.(m?js|cjs|d\.ts)(\.map)?$/.test(name)) rmSync(`dist/${name}`);
}
rmSync('dist/electron', { recursive: true, force: true });

// cli: the bin; index: `import { startDynamoLens } from 'dynamo-lens'` (they share chunks).
// Worker scripts (engine/preflight.ts, the triggers' handler host) are loaded beside the code that starts them.
const preflightWorker = 'engine/preflightWorker.ts';
const handlerWorker = 'engine/triggers/handlerWorker.ts';
await build({ ...common, entryPoints: { cli: 'electron/cli.ts', index: 'electron/testApi.ts', preflightWorker, handlerWorker }, outdir: 'dist', format: 'esm', splitting: true, banner: requireShim });

// The entry's types: publicTypes.ts is self-contained, so it is a declaration file as it stands,
// plus the two functions testApi.ts implements with those types.
writeFileSync(
  'dist/index.d.ts',
  readFileSync('electron/publicTypes.ts', 'utf8') +
    '\nexport declare const startDynamoLens: StartDynamoLens;\nexport declare const connectDynamoLens: ConnectDynamoLens;\n',
);

if (existsSync('electron/main.ts')) {
  // Electron runs ES module main scripts (Electron 28+); .mjs marks it as one.
  await build({ ...common, entryPoints: { main: 'electron/main.ts', preflightWorker, handlerWorker }, outdir: 'dist/electron', format: 'esm', outExtension: { '.js': '.mjs' }, banner: requireShim });
}
if (existsSync('electron/preload.ts')) {
  // Sandboxed preloads must be CommonJS in one file.
  await build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/electron', format: 'cjs', outExtension: { '.js': '.cjs' } });
}
