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
import { ChunkedDecoder, listenHttp1, parseHead, type Http1Server } from './http1.ts';

const MAX_BODY = 64 * 1024;

/** Echoes method, url, a header and the body; `?delay=N` answers N ms later, to test ordering. */
async function startEcho(bodyTimeoutMs = 30_000): Promise<{ http: Http1Server; port: number; problems: string[]; handled: () => number }> {
  const problems: string[] = [];
  let handled = 0;
  const http = await listenHttp1(0, '127.0.0.1', {
    maxBodyBytes: MAX_BODY,
    maxHeaderBytes: 2048,
    headersTimeoutMs: 300,
    bodyTimeoutMs,
    onRequest(request, response) {
      handled++;
      if (request.url === '/big') return response.send(200, [], 'B'.repeat(64 * 1024));
      const delay = /delay=(\d+)/.exec(request.url);
      const tag = request.rawHeaders[request.rawHeaders.findIndex((name) => name.toLowerCase() === 'x-tag') + 1] ?? '';
      const answer = () => response.send(200, ['Content-Type', 'text/plain', 'X-Tag', tag], `${request.method} ${request.url} ${request.body.toString('utf8')}`);
      if (delay) setTimeout(answer, Number(delay[1]));
      else answer();
    },
    onFramingProblem(problem, response) {
      problems.push(problem);
      const status = { 'body-too-large': 413, 'unsupported-expectation': 417, 'headers-timeout': 408, 'body-timeout': 408 }[problem as string] ?? 400;
      response.send(status, ['X-Problem', problem], status === 400 ? `{"problem":"${problem}"}` : '');
    },
  });
  return { http, port: (http.server.address() as AddressInfo).port, problems, handled: () => handled };
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

/** The exchange got exactly one answer, with this status and framing problem, and was closed. */
function assertRefused(result: Exchange, status: number, problem: string): void {
  assert.deepEqual(
    responses(result.text).map((answer) => [answer.status, answer.headers.get('x-problem')]),
    [[status, problem]],
  );
  assert.equal(result.closed, true);
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
      assertRefused(await exchange(echo.port, [raw]), 400, 'malformed');
    });
  }

  it('refuses a header block over the limit even while it is still arriving', async () => {
    const result = await exchange(echo.port, [`POST / HTTP/1.1\r\nX-Big: ${'a'.repeat(4096)}`]);
    assertRefused(result, 400, 'headers-too-large');
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

  it('stops handling pipelined requests while their answers pile up unread', async () => {
    const count = 1000; // 64 KB answers each: 64 MB if all were handled at once
    const socket = connect({ port: echo.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.pause();
    const before = echo.handled();
    socket.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(count));
    await sleep(500);
    const handledWhileUnread = echo.handled() - before;
    assert.ok(handledWhileUnread < count / 4, `${handledWhileUnread} of ${count} handled while the client read nothing`);
    let bytes = 0;
    const expected = count * (64 * 1024);
    await new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= expected) resolve();
      });
      socket.resume();
    });
    socket.destroy();
    assert.equal(echo.handled() - before, count);
  });

  it('refuses a chunked body of one-byte chunks by its framing, and keeps serving others', async () => {
    const head = 'POST /tiny HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';
    const flood = exchange(echo.port, [head, '1\r\nx\r\n'.repeat(100_000)], { waitMs: 2000 });
    const other = await exchange(echo.port, [post('/other', 'fine')], { waitMs: 1000 });
    assert.deepEqual(responses(other.text).map((answer) => answer.body), ['POST /other fine']);
    const result = await flood;
    assertRefused(result, 400, 'malformed');
  });

  it('refuses a flood of blank lines before a request line', async () => {
    const result = await exchange(echo.port, ['\r\n'.repeat(10_000)]);
    assertRefused(result, 400, 'malformed');
    const few = await exchange(echo.port, ['\r\n\r\n' + post('/after-blank', 'ok')]);
    assert.deepEqual(responses(few.text).map((answer) => answer.body), ['POST /after-blank ok']);
  });

  it('refuses bare line feeds, chunked HTTP/1.0 and unknown expectations at once', async () => {
    const bare = await exchange(echo.port, ['POST / HTTP/1.1\nHost: x\n\n']);
    assert.deepEqual(responses(bare.text).map((answer) => answer.status), [400]);
    const chunked10 = await exchange(echo.port, ['POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n']);
    assert.deepEqual(responses(chunked10.text).map((answer) => answer.status), [400]);
    const expect = await exchange(echo.port, ['POST / HTTP/1.1\r\nExpect: 200-ok\r\nContent-Length: 0\r\n\r\n']);
    assertRefused(expect, 417, 'unsupported-expectation');
  });

  it('answers 408 when a request head trickles in past the deadline', async () => {
    const result = await exchange(echo.port, ['POST / HTTP/1.1\r\n', 'Host: x\r\n', 'X-Slow: 1\r\n'], { gapMs: 200, waitMs: 300 });
    assertRefused(result, 408, 'headers-timeout');
  });

  it('answers 408 when a body trickles in past the deadline, with Content-Length or chunked', async () => {
    // Its own server with a short body deadline; the shared one allows 30 s, as a busy machine may need.
    const own = await startEcho(700);
    try {
      const sized = await exchange(own.port, ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\na', 'b', 'c', 'd'], { gapMs: 300, waitMs: 400 });
      assertRefused(sized, 408, 'body-timeout');
      const chunked = await exchange(own.port, ['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n', '1\r\nb\r\n', '1\r\nc\r\n', '1\r\nd\r\n'], { gapMs: 300, waitMs: 400 });
      assertRefused(chunked, 408, 'body-timeout');
    } finally {
      await own.http.close();
    }
  });

  it('closes HTTP/1.0 when Connection says both keep-alive and close', async () => {
    const result = await exchange(echo.port, ['POST /old HTTP/1.0\r\nConnection: keep-alive, close\r\nContent-Length: 1\r\n\r\nx']);
    assert.equal(responses(result.text)[0].headers.get('connection'), 'close');
    assert.equal(result.closed, true);
  });

  it('lets the answer in progress finish when the server closes', async () => {
    const own = await startEcho();
    const answer = exchange(own.port, [post('/slow?delay=150', 'last')], { waitMs: 1000 });
    await sleep(50);
    await own.http.close();
    const result = await answer;
    assert.deepEqual(responses(result.text).map((a) => [a.body, a.headers.get('connection')]), [['POST /slow?delay=150 last', 'close']]);
    assert.equal(result.closed, true);
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

  it('decodes a chunked body fed in pieces, consuming what it has used', () => {
    const decoder = new ChunkedDecoder(100, 1024);
    assert.deepEqual(decoder.feed(Buffer.from('3\r\nab'), 0), { end: 5, done: false });
    assert.deepEqual(decoder.feed(Buffer.from('c\r\n0\r\n'), 0), { end: 6, done: false });
    assert.deepEqual(decoder.feed(Buffer.from('\r\nNEXT'), 0), { end: 2, done: true });
    assert.equal(decoder.result.toString(), 'abc');
  });

  it('refuses chunk-size lines with whitespace, bare line feeds or control characters', () => {
    for (const line of [' 2', '\u00a02', '2 ', '2;\nfoo', '2;a\u0000', '-2', '0x2', '123456789']) {
      assert.throws(() => new ChunkedDecoder(100, 1024).feed(Buffer.from(`${line}\r\n{}\r\n0\r\n\r\n`, 'latin1'), 0), /malformed/, JSON.stringify(line));
    }
    assert.equal(new ChunkedDecoder(100, 1024).feed(Buffer.from('2 ; ext=1\r\n{}\r\n0\r\n\r\n'), 0).done, true);
  });

  it('refuses framing far larger than the data it frames', () => {
    const decoder = new ChunkedDecoder(16 * 1024 * 1024, 1024);
    assert.throws(() => decoder.feed(Buffer.from('1\r\nx\r\n'.repeat(40_000)), 0), /malformed/);
    const trailers = new ChunkedDecoder(100, 1024);
    assert.throws(() => trailers.feed(Buffer.from('0\r\n' + 'X-T: y\r\n'.repeat(20_000)), 0), /malformed/);
  });
});
