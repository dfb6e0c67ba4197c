#!/usr/bin/env node
// Runs the compiled CLI. An installed package ships dist/ prebuilt (renderer included); a
// development checkout (which has build/) compiles what is missing, and for `serve --ui` also
// rebuilds the renderer when its sources changed, as `npm start` does.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const freshness = fileURLToPath(new URL('../build/freshness.mjs', import.meta.url));
const wantsUi = argv[0] === 'serve' && argv.includes('--ui');
if (existsSync(freshness) && (wantsUi || !existsSync(compiled))) {
  const { buildNodeIfStale, buildRendererIfStale } = await import(freshness);
  buildNodeIfStale();
  if (wantsUi) buildRendererIfStale();
}
if (!existsSync(compiled)) {
  process.stderr.write('dynamo-lens: dist/cli.js is missing; reinstall the package.\n');
  process.exit(1);
}
const { main } = await import(compiled);
await main(argv);
