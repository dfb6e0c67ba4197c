/**
 * The endpoint's HTTP/1.1 layer, driven over real sockets: raw bytes where framing is the point
 * (pipelining, split packets, chunked bodies, 100-continue, smuggling attempts), and Node's own
 * HTTP clients (node:http and fetch) to show ordinary clients work unchanged.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeChunked, listenHttp1, parseHead, type Http1Server } from './http1.ts';

const MAX_BODY = 64 * 1024;

/** Echoes method, url, a header and the body; `?delay=N` answers N ms later, to test ordering. */
async function startEcho(): Promise<{ http: Http1Server; port: number; problems: string[] }> {
  const problems: string[] = [];
  const http = await listenHttp1(0, '127.0.0.1', {
    maxBodyBytes: MAX_BODY,
    maxHeaderBytes: 2048,
    onRequest(request, response) {
      const delay = /delay=(\d+)/.exec(request.url);
      const tag = request.rawHeaders[request.rawHeaders.findIndex((name) => name.toLowerCase() === 'x-tag') + 1] ?? '';
      const answer = () => response.send(200, ['Content-Type', 'text/plain', 'X-Tag', tag], `${request.method} ${request.url} ${request.body.toString('utf8')}`);
      if (delay) setTimeout(answer, Number(delay[1]));
      else answer();
    },
    onFramingProblem(problem, response) {
      problems.push(problem);
      response.send(problem === 'body-too-large' ? 413 : 400, ['X-Problem', problem], problem === 'body-too-large' ? '' : `{"problem":"${problem}"}`);
    },
  });
  return { http, port: (http.server.address() as AddressInfo).port, problems };
}

interface Exchange {
  /** Everything the server sent, as latin1 text. */
  text: string;
  /** The server closed the connection. */
  closed: boolean;
}

/** Writes `parts` (pausing `gapMs` between them) and collects what comes back until close or `waitMs`. */
function exchange(port: number, parts: (string | Buffer)[], { gapMs = 0, waitMs = 300, halfClose = false } = {}): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    let closed = false;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ text: Buffer.concat(received).toString('latin1'), closed });
    };
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        if (gapMs > 0) await sleep(gapMs);
      }
      if (halfClose) socket.end();
      setTimeout(finish, waitMs);
    });
  });
}

/** Splits a stream of responses into [status line, headers, body] by Content-Length. */
function responses(text: string): { status: number; headers: Map<string, string>; body: string }[] {
  const out: { status: number; headers: Map<string, string>; body: string }[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    assert.ok(end >= 0, `incomplete response head at ${at}: ${JSON.stringify(text.slice(at))}`);
    const lines = text.slice(at, end).split('\r\n');
    const headers = new Map(lines.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const status = Number(lines[0].split(' ')[1]);
    const length = status === 100 ? 0 : Number(headers.get('content-length'));
    out.push({ status, headers, body: text.slice(end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return out;
}

const post = (path: string, body: string, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('HTTP/1.1 layer', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  before(async () => {
    echo = await startEcho();
  });
  after(() => echo.http.close());

  it('keeps a connection open across requests and frames each answer by Content-Length', async () => {
    const result = await exchange(echo.port, [post('/a', 'one'), post('/b', 'two ☃')], { gapMs: 30 });
    assert.equal(result.closed, false);
    const answers = responses(result.text);
    assert.deepEqual(answers.map((answer) => answer.body), ['POST /a one', Buffer.from('POST /b two ☃').toString('latin1')]);
    assert.equal(answers[1].headers.get('content-length'), String(Buffer.byteLength('POST /b two ☃')));
    assert.match(answers[0].headers.get('date') ?? '', /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('answers pipelined requests in the order they were sent, even when later ones finish first', async () => {
    const burst = post('/first?delay=60', '1', 'X-Tag: a\r\n') + post('/second?delay=0', '2', 'X-Tag: b\r\n') + post('/third?delay=20', '3', 'X-Tag: c\r\n');
    const answers = responses((await exchange(echo.port, [burst])).text);
    assert.deepEqual(
      answers.map((answer) => [answer.headers.get('x-tag'), answer.body]),
      [
        ['a', 'POST /first?delay=60 1'],
        ['b', 'POST /second?delay=0 2'],
        ['c', 'POST /third?delay=20 3'],
      ],
    );
  });

  it('reassembles a request that arrives one byte at a time', async () => {
    const bytes = Buffer.from(post('/slow', '{"k":1}'));
    const parts = [...bytes].map((byte) => Buffer.from([byte]));
    const answers = responses((await exchange(echo.port, parts, { gapMs: 1, waitMs: 200 })).text);
    assert.deepEqual(answers.map((answer) => answer.body), ['POST /slow {"k":1}']);
  });

  it('decodes chunked bodies, with extensions and trailers, split across packets', async () => {
    const head = 'POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const answers = responses((await exchange(echo.port, [head, '5;ext=1\r\nhello\r\n', '6\r\n worl', 'd\r\n0\r\nX-Trailer: t\r\n\r\n'], { gapMs: 20 })).text);
    assert.deepEqual(answers.map((answer) => answer.body), ['POST /chunked hello world']);
  });

  it('sends 100 Continue when the client waits for it, then the answer', async () => {
    const head = 'POST /expect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n';
    const result = await exchange(echo.port, [head, 'body'], { gapMs: 50 });
    const answers = responses(result.text);
    assert.deepEqual(answers.map((answer) => answer.status), [100, 200]);
    assert.equal(answers[1].body, 'POST /expect body');
  });

  it('refuses a body over the cap from its Content-Length, before reading it, and closes', async () => {
    const head = `POST /big HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${MAX_BODY + 1}\r\n\r\n`;
    const result = await exchange(echo.port, [head]);
    const answers = responses(result.text);
    assert.deepEqual(answers.map((answer) => [answer.status, answer.body, answer.headers.get('connection')]), [[413, '', 'close']]);
    assert.equal(result.closed, true);
  });

  it('refuses a chunked body that grows over the cap', async () => {
    const head = 'POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const result = await exchange(echo.port, [head, `${(MAX_BODY + 1).toString(16)}\r\n`]);
    assert.deepEqual(responses(result.text).map((answer) => answer.status), [413]);
    assert.equal(result.closed, true);
  });

  for (const [label, raw] of [
    ['Content-Length beside Transfer-Encoding (smuggling)', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['two different Content-Lengths', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'],
    ['a negative Content-Length', 'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n'],
    ['an unknown transfer coding', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n'],
    ['obsolete line folding', 'POST / HTTP/1.1\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n'],
    ['whitespace before a colon', 'POST / HTTP/1.1\r\nContent-Length : 0\r\n\r\n'],
    ['a bad request line', 'HELLO\r\n\r\n'],
    ['HTTP/2 on a 1.1 connection', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['a control character in a header value', 'POST / HTTP/1.1\r\nX-A: a\u0000b\r\nContent-Length: 0\r\n\r\n'],
    ['a bad chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
  ] as const) {
    it(`answers ${label} with 400 and closes`, async () => {
      const result = await exchange(echo.port, [raw]);
      const answers = responses(result.text);
      assert.deepEqual(
        answers.map((answer) => [answer.status, answer.headers.get('x-problem')]),
        [[400, 'malformed']],
      );
      assert.equal(result.closed, true);
    });
  }

  it('refuses a header block over the limit even while it is still arriving', async () => {
    const result = await exchange(echo.port, [`POST / HTTP/1.1\r\nX-Big: ${'a'.repeat(4096)}`]);
    assert.deepEqual(responses(result.text).map((answer) => [answer.status, answer.headers.get('x-problem')]), [[400, 'headers-too-large']]);
    assert.equal(result.closed, true);
  });

  it('closes after answering HTTP/1.0, and keeps the connection when 1.0 asks for keep-alive', async () => {
    const plain = await exchange(echo.port, ['POST /old HTTP/1.0\r\nContent-Length: 1\r\n\r\nx']);
    assert.equal(responses(plain.text)[0].headers.get('connection'), 'close');
    assert.equal(plain.closed, true);
    const kept = await exchange(echo.port, ['POST /old HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx']);
    assert.equal(responses(kept.text)[0].headers.get('connection'), 'keep-alive');
    assert.equal(kept.closed, false);
  });

  it('closes after a request that says Connection: close, ignoring anything sent after it', async () => {
    const result = await exchange(echo.port, [post('/last', 'x', 'Connection: close\r\n') + post('/ignored', 'y')]);
    assert.deepEqual(responses(result.text).map((answer) => answer.body), ['POST /last x']);
    assert.equal(result.closed, true);
  });

  it('answers HEAD with the headers only', async () => {
    const result = await exchange(echo.port, ['HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n' + post('/after', 'z')]);
    const end = result.text.indexOf('\r\n\r\n');
    assert.match(result.text.slice(0, end), /Content-Length: 8/);
    assert.ok(result.text.slice(end + 4).startsWith('HTTP/1.1 200 OK'), 'the next response follows the HEAD head directly');
  });

  it('answers requests sent just before the client half-closes', async () => {
    const result = await exchange(echo.port, [post('/a?delay=30', '1') + post('/b', '2')], { halfClose: true });
    assert.deepEqual(responses(result.text).map((answer) => answer.body), ['POST /a?delay=30 1', 'POST /b 2']);
    assert.equal(result.closed, true);
  });

  it('answers a long pipeline in order to a client that reads only at the end', async () => {
    const payload = 'p'.repeat(16 * 1024);
    const count = 400; // about 6.5 MB of answers, past the unsent-bytes limit
    const socket = connect({ port: echo.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.pause();
    for (let i = 0; i < count; i++) socket.write(post(`/p${i}`, payload));
    await sleep(300);
    const received: Buffer[] = [];
    let bytes = 0;
    const expectedAnswer = (i: number) => Buffer.byteLength(`POST /p${i} ${payload}`);
    const expected = Array.from({ length: count }, (_, i) => expectedAnswer(i)).reduce((a, b) => a + b, 0);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${bytes} bytes of answers`)), 10_000);
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        bytes += chunk.length;
        if (bytes > expected) {
          const answers = responses(Buffer.concat(received).toString('latin1'));
          if (answers.length === count) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      socket.resume();
    });
    socket.destroy();
    const answers = responses(Buffer.concat(received).toString('latin1'));
    assert.deepEqual(
      answers.map((answer) => answer.body.slice(0, answer.body.indexOf(' ', 5))),
      Array.from({ length: count }, (_, i) => `POST /p${i}`),
    );
  });

  it('serves node:http and fetch clients unchanged', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const viaHttp = await Promise.all(
      [1, 2, 3, 4].map(
        (n) =>
          new Promise<string>((resolve, reject) => {
            const req = httpRequest({ host: '127.0.0.1', port: echo.port, method: 'POST', path: `/n${n}`, agent }, (res) => {
              let text = '';
              res.on('data', (chunk) => (text += chunk));
              res.on('end', () => resolve(text));
            });
            req.on('error', reject);
            req.end(`body${n}`);
          }),
      ),
    );
    agent.destroy();
    assert.deepEqual(viaHttp, ['POST /n1 body1', 'POST /n2 body2', 'POST /n3 body3', 'POST /n4 body4']);
    const viaFetch = await fetch(`http://127.0.0.1:${echo.port}/f`, { method: 'POST', body: 'fetched' });
    assert.equal(await viaFetch.text(), 'POST /f fetched');
    // fetch streams a ReadableStream body with chunked encoding.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('str'));
        controller.enqueue(new TextEncoder().encode('eamed'));
        controller.close();
      },
    });
    const streamed = await fetch(`http://127.0.0.1:${echo.port}/s`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    assert.equal(await streamed.text(), 'POST /s streamed');
  });

  it('stops listening and drops open connections on close', async () => {
    const own = await startEcho();
    const idle = connect({ port: own.port, host: '127.0.0.1' });
    await new Promise((resolve) => idle.on('connect', resolve));
    const closed = new Promise((resolve) => idle.on('close', resolve));
    await own.http.close();
    await closed;
    await assert.rejects(fetch(`http://127.0.0.1:${own.port}/`));
  });
});

describe('HTTP/1.1 parsing helpers', () => {
  it('reads keep-alive and expectations from the head', () => {
    const head = parseHead('POST /x HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, Close\r\nExpect: 100-Continue\r\nContent-Length: 12');
    assert.deepEqual([head.method, head.url, head.keepAlive, head.expectContinue, head.contentLength], ['POST', '/x', false, true, 12]);
    assert.deepEqual(head.rawHeaders.slice(0, 2), ['Host', 'a']);
  });

  it('needs more bytes for an incomplete chunked body and decodes a complete one', () => {
    assert.equal(decodeChunked(Buffer.from('3\r\nab'), 0, 100), undefined);
    assert.equal(decodeChunked(Buffer.from('3\r\nabc\r\n0\r\n'), 0, 100), undefined);
    const done = decodeChunked(Buffer.from('3\r\nabc\r\n0\r\n\r\nNEXT'), 0, 100)!;
    assert.equal(done.body.toString(), 'abc');
    assert.equal(done.end, 13);
  });
});
