// `npm start`: builds what is missing or stale, then launches the desktop app. Where the Electron
// binary is not installed (it is downloaded separately from npm and some machines cannot fetch
// it), says so and starts the browser mode instead: `dynamo-lens serve --ui`, which prints a URL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The Node side first: compile.mjs may clear dist/, so the renderer is built after it.
const nodeSources = [at('engine'), at('electron'), at('bin')];
const rendererSources = [at('renderer'), at('electron', 'contract.ts')];
if (isStale(at('dist', 'cli.js'), nodeSources) || isStale(at('dist', 'electron', 'main.mjs'), nodeSources)) {
  run([at('build', 'compile.mjs')]);
}
if (isStale(at('dist', 'renderer', 'index.html'), rendererSources)) {
  run([at('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', at('renderer', 'vite.config.ts'), '--logLevel', 'warn']);
}

/** Where node_modules/electron would have put its binary, without triggering its download. */
function electronBinary() {
  const pkg = at('node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const passThrough = process.argv.slice(2);
const binary = electronBinary();
let child;
if (binary) {
  child = spawn(binary, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
} else {
  process.stderr.write(
    'dynamo-lens: the Electron binary is not installed (node_modules/electron has no dist/), so the desktop window cannot open.\n' +
      'dynamo-lens: starting the browser mode instead; open the URL below in your browser.\n' +
      'dynamo-lens: to get the desktop app, run `npx install-electron` (or reinstall electron) where downloads are allowed.\n',
  );
  child = spawn(process.execPath, [at('bin', 'dynamo-lens.js'), 'serve', '--ui', ...passThrough], { cwd: root, stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
