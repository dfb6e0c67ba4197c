// `npm test`: builds what the tests run against (the CLI bundle, and the renderer when the browser
// tests are included), then runs every *.test.ts with Node's test runner.
//   node build/test.mjs                 all tests
//   node build/test.mjs engine          only files under engine/ (any path prefixes work)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['engine', 'electron', 'renderer'];
const filters = process.argv.slice(2);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((root) => collect(root, []))
  .filter((f) => filters.length === 0 || filters.some((prefix) => f.startsWith(prefix)))
  .sort();
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(process.execPath, ['build/compile.mjs']);
// The package test packs dist/ as built here, renderer included.
if (files.some((f) => f.startsWith('renderer/') || f === join('electron', 'package.test.ts'))) {
  run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}

// Browser tests share one Chromium and the machine has two cores: run them after the rest, serially.
const unit = files.filter((f) => !f.startsWith('renderer/e2e/'));
const browser = files.filter((f) => f.startsWith('renderer/e2e/'));
const testArgs = (list, concurrency) => ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...list];
let failed = false;
// Both groups always run: a failure among the unit tests must not hide the browser tests' results.
const passes = (list, concurrency) => spawnSync(process.execPath, testArgs(list, concurrency), { stdio: 'inherit' }).status === 0;
if (unit.length > 0 && !passes(unit, 2)) failed = true;
if (browser.length > 0 && !passes(browser, 1)) failed = true;
process.exit(failed ? 1 : 0);
