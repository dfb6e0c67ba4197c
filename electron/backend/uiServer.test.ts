import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import type { DynamoEngine } from '../../engine/api.ts';
import type { BridgeServerFrame, Envelope } from '../contract.ts';
import { createBackend, type Backend } from './backend.ts';
import { BRIDGE_PATH, startUiServer, type UiServer } from './uiServer.ts';
import { openTestEngine } from './testEngine.ts';

/** A minimal bridge client, as the renderer's WebSocket transport speaks it. */
class BridgeClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Envelope<unknown>) => void>();
  readonly events: { event: string; payload: unknown }[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as BridgeServerFrame;
      if ('id' in frame) this.pending.get(frame.id)?.(frame.result);
      else this.events.push(frame);
    });
  }
  static connect(url: string, options?: ConstructorParameters<typeof WebSocket>[2]): Promise<BridgeClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      ws.once('open', () => resolve(new BridgeClient(ws)));
      ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      ws.once('error', reject);
    });
  }
  call(channel: string, request: unknown): Promise<Envelope<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, request }));
    });
  }
  close() {
    this.ws.close();
  }
}

/** An HTTP GET whose path and Host header are sent exactly as given (fetch would normalise them). */
function rawStatus(page: URL, path: string, hostHeader = page.host): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: page.port, path, headers: { host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser bridge (startUiServer)', () => {
  let engine: DynamoEngine;
  let backend: Backend;
  let server: UiServer;
  let rendererDir: string;
  let page: URL;
  let socketUrl: string;

  before(async () => {
    engine = await openTestEngine();
    backend = createBackend({ engine });
    rendererDir = await mkdtemp(join(tmpdir(), 'dynamo-lens-renderer-'));
    await mkdir(join(rendererDir, 'assets'));
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Dynamo Lens</title>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    server = await startUiServer({ backend, port: 0, host: '127.0.0.1', rendererDir });
    page = new URL(server.url);
    socketUrl = `ws://${page.host}${BRIDGE_PATH}?token=${page.searchParams.get('token')}`;
  });
  after(async () => {
    await server.close();
    await backend.close();
    await engine.close();
    await rm(rendererDir, { recursive: true, force: true });
  });

  test('prints a loopback URL with a long random token', () => {
    assert.equal(page.hostname, '127.0.0.1');
    assert.ok((page.searchParams.get('token') ?? '').length >= 40);
  });

  test('serves the page only with the token, with a strict CSP', async () => {
    const withToken = await fetch(server.url);
    assert.equal(withToken.status, 200);
    const csp = withToken.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.equal((await fetch(`http://${page.host}/`)).status, 401);
    assert.equal((await fetch(`http://${page.host}/?token=wrong`)).status, 401);
    assert.equal((await fetch(`http://${page.host}/assets/app.js`)).status, 200);
    assert.equal((await fetch(`http://${page.host}/assets/../../etc/passwd`)).status, 404);
    // Encoded slashes survive URL normalisation and decode to a path outside the renderer.
    assert.equal(await rawStatus(page, '/..%2f..%2f..%2fetc%2fpasswd'), 403);
  });

  test('refuses a foreign Host header (DNS rebinding)', async () => {
    assert.equal(await rawStatus(page, page.pathname + page.search, `evil.example:${page.port}`), 403);
  });

  test('rejects a WebSocket without the right token', async () => {
    await assert.rejects(BridgeClient.connect(`ws://${page.host}${BRIDGE_PATH}?token=wrong`), /HTTP 401/);
    await assert.rejects(BridgeClient.connect(`ws://${page.host}${BRIDGE_PATH}`), /HTTP 401/);
  });

  test('rejects a WebSocket from a foreign origin even with the token', async () => {
    await assert.rejects(BridgeClient.connect(socketUrl, { origin: 'http://evil.example' }), /HTTP 403/);
  });

  test('calls round-trip and errors come back as {code, message}', async () => {
    const client = await BridgeClient.connect(socketUrl, { origin: `http://${page.host}` });
    try {
      const created = await client.call('dynamo', {
        connectionId: 'local',
        operation: 'CreateTable',
        input: {
          TableName: 'Bridge',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      });
      assert.equal(created.ok, true);
      const listed = await client.call('dynamo', { connectionId: 'local', operation: 'ListTables', input: {} });
      assert.deepEqual(listed, { ok: true, value: { TableNames: ['Bridge'] } });

      const failed = await client.call('dynamo', { connectionId: 'local', operation: 'GetItem', input: { TableName: 'Nope', Key: { id: { S: 'x' } } } });
      assert.equal(failed.ok, false);
      if (!failed.ok) {
        assert.equal(failed.error.code, 'ResourceNotFoundException');
        assert.deepEqual(Object.keys(failed.error).sort(), ['code', 'message']);
      }
      const unknown = await client.call('shell/exec', { command: 'rm -rf /' });
      assert.deepEqual(unknown.ok ? null : unknown.error.code, 'UnknownChannel');
    } finally {
      client.close();
    }
  });

  test('pushes backend events to connected sockets', async () => {
    const client = await BridgeClient.connect(socketUrl);
    try {
      await client.call('settings/set', { pageSize: 50 });
      const deadline = Date.now() + 2000;
      while (!client.events.some((e) => e.event === 'settings/changed') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const changed = client.events.find((e) => e.event === 'settings/changed');
      assert.equal((changed?.payload as { pageSize: number }).pageSize, 50);
    } finally {
      client.close();
    }
  });
});
