// `npm start`: builds what is missing or stale, then launches the desktop app. Where the Electron
// binary is not installed (it is downloaded separately from npm and some machines cannot fetch
// it), says so and starts the browser mode instead: `dynamo-lens serve --ui`, which prints a URL.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeIfStale, buildRendererIfStale } from './freshness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (...parts) => join(root, ...parts);

buildNodeIfStale();
buildRendererIfStale();

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
