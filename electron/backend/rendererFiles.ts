import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export type RendererFile =
  | { status: 200; contentType: string; body: Buffer; isPage: boolean }
  | { status: 400 | 403 | 404; message: string };

/**
 * Reads one file of the built renderer for a URL path, never anything outside its directory.
 * Shared by Electron's app:// protocol and the browser bridge so both serve the same bytes.
 */
export async function readRendererFile(rendererDir: string, urlPathname: string): Promise<RendererFile> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPathname);
  } catch {
    return { status: 400, message: 'Bad path' };
  }
  const isPage = pathname === '/' || pathname === '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + (isPage ? '/index.html' : pathname));
  if (!file.startsWith(root + sep)) return { status: 403, message: 'Forbidden' };
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return { status: 404, message: 'Not found' };
  return { status: 200, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file), isPage };
}

/** Walks up from this module to the package root holding dist/renderer/index.html. */
export function findRendererDir(): string | undefined {
  if (process.env.DYNAMO_LENS_RENDERER_DIR) return resolve(process.env.DYNAMO_LENS_RENDERER_DIR);
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'dist', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
