// Rebuilds what a development checkout runs from when its sources are newer: shared by
// `npm start` (build/start.mjs) and `dynamo-lens serve --ui` run from a checkout (bin/). An
// installed package has no sources and ships dist/ prebuilt, so it never comes here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...parts) => join(root, ...parts);

/** Newest modification time of any file under the given directories. */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(path, name));
    } else latest = Math.max(latest, info.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}

function isStale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < newest(sources);
}

function run(args) {
  // stdout stays the caller's machine-readable channel (serve --print-endpoint-json): build logs go to stderr.
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Node side: the CLI bundle and Electron's main and preload. */
export function buildNodeIfStale() {
  const sources = [at('engine'), at('electron'), at('bin')];
  if (isStale(at('dist', 'cli.js'), sources) || isStale(at('dist', 'electron', 'main.mjs'), sources)) run([at('build', 'compile.mjs')]);
}

/** The renderer (vite). Build it after the Node side: compile.mjs may clear dist/. */
export function buildRendererIfStale() {
  if (isStale(at('dist', 'renderer', 'index.html'), [at('renderer'), at('electron', 'contract.ts')])) {
    run([at('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', at('renderer', 'vite.config.ts'), '--logLevel', 'warn']);
  }
}
