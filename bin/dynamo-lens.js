#!/usr/bin/env node
// Runs the compiled CLI (npm's `prepare` script builds dist/ on install).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('dynamo-lens: dist/cli.js is missing; run `npm install` (or `npm run prepare`) first.\n');
  process.exit(1);
}
const { main } = await import(compiled);
await main(process.argv.slice(2));
