import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_ERROR, type BridgeServerFrame } from '../contract.ts';
import type { Backend } from './backend.ts';
import { contentSecurityPolicy } from './csp.ts';
import { findRendererDir, readRendererFile } from './rendererFiles.ts';

export interface UiServerOptions {
  backend: Backend;
  /** 0 picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** The built renderer; found next to the package (dist/renderer) when omitted. */
  rendererDir?: string;
}

export interface UiServer {
  /** The page URL, token included: opening it is what authorises a browser. */
  url: string;
  close(): Promise<void>;
}

export const BRIDGE_PATH = '/bridge';

/**
 * The browser bridge: serves the built renderer on 127.0.0.1 and carries the contract over a
 * WebSocket, for machines without an Electron binary and for `serve --ui`.
 *
 * Any web page the user visits can reach 127.0.0.1, so three checks guard the bridge:
 * - a random per-run token, given only in the printed URL, is required for the page and the socket;
 * - the Host header must name our loopback address, which defeats DNS rebinding (a hostile name
 *   resolving to 127.0.0.1 still sends its own Host);
 * - a browser's Origin on the socket must be our own page.
 * Static assets (the public build output, no data) are served without the token, so the
 * bundler's relative script and worker URLs keep working.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { backend } = options;
  const host = options.host ?? '127.0.0.1';
  const rendererDir = options.rendererDir ?? findRendererDir();
  const token = randomBytes(32).toString('base64url');
  let port = 0;

  const allowedHosts = () => new Set([`${host}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${host}:${port}`, `http://localhost:${port}`]);
  const tokenMatches = (candidate: string | null) => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((request, response) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Internal error');
    });
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().has(request.headers.host ?? '')) return plain(response, 403, 'Forbidden: unexpected Host header');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'Method not allowed');
    const url = new URL(request.url ?? '/', `http://${host}:${port}`);
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    if (isPage && !tokenMatches(url.searchParams.get('token'))) {
      return plain(response, 401, 'Unauthorized: open the full URL printed by dynamo-lens serve --ui (it carries the access token).');
    }
    if (!rendererDir) return plain(response, 503, 'The renderer is not built yet. Run: npm run build');
    const file = await readRendererFile(rendererDir, url.pathname);
    if (file.status !== 200) return plain(response, file.status, file.message);
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'x-content-type-options': 'nosniff',
      // The page URL holds the token; never let it leave in a Referer.
      'referrer-policy': 'no-referrer',
      'cache-control': file.isPage ? 'no-store' : 'no-cache',
    };
    if (file.isPage) {
      headers['content-security-policy'] = contentSecurityPolicy();
      headers['x-frame-options'] = 'DENY';
    }
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });

  server.on('upgrade', (request, socket, head) => {
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(request.url ?? '/', `http://${host}:${port}`);
    if (url.pathname !== BRIDGE_PATH) return refuse(404, 'Not Found');
    if (!allowedHosts().has(request.headers.host ?? '')) return refuse(403, 'Forbidden');
    const origin = request.headers.origin;
    // Browsers always send Origin on a WebSocket; a non-browser client (tests, scripts) has none
    // and is authorised by the token alone.
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(403, 'Forbidden');
    if (!tokenMatches(url.searchParams.get('token'))) return refuse(401, 'Unauthorized');
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const send = (frame: BridgeServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = backend.subscribe((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data) => {
      let frame: { id?: unknown; channel?: unknown; request?: unknown };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return ws.close(1003, 'Frames must be JSON');
      }
      if (typeof frame?.id !== 'number' || typeof frame.channel !== 'string') {
        return ws.close(1003, 'Frames need a numeric id and a channel');
      }
      const id = frame.id;
      backend
        .dispatch(frame.channel, frame.request ?? null)
        .then((result) => send({ id, result }))
        .catch((error: unknown) =>
          // dispatch never rejects, but a bug must still answer the caller rather than hang it.
          send({ id, result: { ok: false, error: { code: APP_ERROR.internal, message: String(error) } } }),
        );
    });
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}/?token=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  response.end(text + '\n');
}
