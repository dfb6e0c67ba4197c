/**
 * A small HTTP/1.1 server on `net`, for the DynamoDB endpoint. node:http costs more per request
 * than the whole engine does for a GetItem (profiled: its parser, header objects and response
 * machinery took most of the endpoint's CPU), so the endpoint frames requests itself. Only what an
 * API endpoint needs is here: requests with Content-Length or chunked bodies, keep-alive and
 * pipelining (answers go out in request order), `Expect: 100-continue`, HEAD, HTTP/1.0, a body
 * size cap answered before the body is read, and strict framing, so malformed input is answered
 * and the connection closed instead of guessed at (no request smuggling: Content-Length beside
 * Transfer-Encoding, repeated different lengths, or obsolete line folding are refused).
 *
 * Each response is one string (head and body) and responses are written in batches (see enqueue):
 * node:http writes head and body with a writev per response and allocates per-response objects.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface HttpRequest {
  method: string;
  /** The request target as sent, e.g. "/" or "/?X-Amz-Algorithm=...". */
  url: string;
  /** Header names and values in arrival order, names as sent: [name0, value0, name1, value1, ...]. */
  rawHeaders: string[];
  body: Buffer;
}

export interface HttpResponse {
  /**
   * Sends the whole response. `headers` is a flat [name, value, ...] list; Content-Length, Date
   * and, when the connection is closing, `Connection: close` are added here.
   */
  send(status: number, headers: readonly string[], body: string): void;
}

/** Why a request could not be framed; the owner answers these in its own error shape. */
export type FramingProblem =
  /** Bad request line, header syntax or body framing: answered with 400, then the connection closes. */
  | 'malformed'
  /** Header block over the limit (431 in node:http; the owner picks the status). */
  | 'headers-too-large'
  /** Body over `maxBodyBytes`: answered before the body is read, then the connection closes. */
  | 'body-too-large'
  /** An `Expect` other than 100-continue (417 in node:http). */
  | 'unsupported-expectation'
  /** The request head took longer than `headersTimeoutMs` to arrive (408 in node:http). */
  | 'headers-timeout'
  /** The body took longer than `bodyTimeoutMs` to arrive after its head (408). */
  | 'body-timeout';

export interface Http1Options {
  onRequest(request: HttpRequest, response: HttpResponse): void;
  /** Answers a request that cannot be framed; the connection is closed after this response. */
  onFramingProblem(problem: FramingProblem, response: HttpResponse): void;
  maxBodyBytes: number;
  /** Largest request line plus headers, in bytes (node:http's default is 16 KiB). */
  maxHeaderBytes?: number;
  /** Idle keep-alive connections are closed after this long. */
  idleTimeoutMs?: number;
  /** A request head must arrive within this long of its first byte (a slow-loris guard). */
  headersTimeoutMs?: number;
  /** A request body must arrive within this long of its head (the same guard for bodies). */
  bodyTimeoutMs?: number;
}

export interface Http1Server {
  server: Server;
  /**
   * Stops listening, closes idle connections at once and the others after the answer in progress;
   * connections still open after a grace period are dropped.
   */
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  100: 'Continue',
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  413: 'Payload Too Large',
  408: 'Request Timeout',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
/** RFC 9110 token characters: method and header names must be made of these. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: visible characters, spaces, tabs and obs-text; no other control characters. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Pipelined input held while a request is answered; past this the socket stops reading. */
const MAX_BUFFERED_AHEAD = 1024 * 1024;
/** Answers the client has not read yet; past this no further pipelined request is handled until it reads. */
const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

// The Date header changes once a second; format it once a second, not once per response.
let dateSecond = 0;
let dateValue = '';
function httpDate(): string {
  const now = Date.now();
  const second = now - (now % 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(second).toUTCString();
  }
  return dateValue;
}

/**
 * Responses are not written the moment they are ready but queued per connection and written
 * together once the event loop has handled every request that arrived in this turn (setImmediate
 * runs right after the poll phase). Each write to a socket costs a syscall and usually wakes the
 * client; written back to back, the client wakes once for the batch, and the server handles the
 * next batch without being interrupted by the replies to this one. Measured on the bench: PutItem
 * +30 to +50%, UpdateItem +60%, GetItem +15%, and lower p99 for all three. A lone request still
 * gets its answer in the same event-loop turn; pipelined answers to one socket go out as one write.
 */
const flushList: Connection[] = [];
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  // A flush can queue more (a connection unblocked by it handles requests): take the list first.
  const connections = flushList.splice(0);
  for (const connection of connections) connection.flush();
}

function scheduleFlush(connection: Connection): void {
  flushList.push(connection);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushAll);
  }
}

class FramingError extends Error {
  constructor(readonly problem: FramingProblem) {
    super(problem);
  }
}

interface ParsedHead {
  method: string;
  url: string;
  rawHeaders: string[];
  /** Body length for Content-Length framing, -1 for chunked. */
  contentLength: number;
  keepAlive: boolean;
  /** An HTTP/1.0 client asked to keep the connection: the response must say it is kept. */
  announceKeepAlive: boolean;
  expectContinue: boolean;
  unsupportedExpectation: boolean;
}

/** Parses a request line and headers (without the final blank line). Throws FramingError. */
export function parseHead(head: string): ParsedHead {
  const lineEnd = head.indexOf('\r\n');
  const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
  const firstSpace = requestLine.indexOf(' ');
  const lastSpace = requestLine.lastIndexOf(' ');
  if (firstSpace <= 0 || lastSpace === firstSpace) throw new FramingError('malformed');
  const method = requestLine.slice(0, firstSpace);
  const url = requestLine.slice(firstSpace + 1, lastSpace);
  const version = requestLine.slice(lastSpace + 1);
  if (!TOKEN.test(method) || url.length === 0 || url.includes(' ') || !FIELD_VALUE.test(url)) throw new FramingError('malformed');
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') throw new FramingError('malformed');

  const rawHeaders: string[] = [];
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let connection = '';
  let expect: string | undefined;
  let start = lineEnd < 0 ? head.length : lineEnd + 2;
  while (start < head.length) {
    let end = head.indexOf('\r\n', start);
    if (end < 0) end = head.length;
    const colon = head.indexOf(':', start);
    // No name, whitespace before the colon, or obsolete line folding: all refused (RFC 9112 §5).
    if (colon <= start || colon > end) throw new FramingError('malformed');
    const name = head.slice(start, colon);
    if (!TOKEN.test(name)) throw new FramingError('malformed');
    // The value without its optional surrounding whitespace, sliced once.
    let valueStart = colon + 1;
    let valueEnd = end;
    while (valueStart < valueEnd && (head.charCodeAt(valueStart) === 32 || head.charCodeAt(valueStart) === 9)) valueStart++;
    while (valueEnd > valueStart && (head.charCodeAt(valueEnd - 1) === 32 || head.charCodeAt(valueEnd - 1) === 9)) valueEnd--;
    const value = head.slice(valueStart, valueEnd);
    // Control characters (CR and LF included) are refused by the pattern.
    if (!FIELD_VALUE.test(value)) throw new FramingError('malformed');
    start = end + 2;
    rawHeaders.push(name, value);
    switch (name.length) {
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (!/^\d{1,15}$/.test(value) || (contentLength !== undefined && contentLength !== value)) throw new FramingError('malformed');
          contentLength = value;
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
      case 10:
        if (name.toLowerCase() === 'connection') connection += `${value.toLowerCase()},`;
        break;
      case 6:
        if (name.toLowerCase() === 'expect') expect = value.toLowerCase();
        break;
    }
  }

  let length = contentLength === undefined ? 0 : Number(contentLength);
  if (transferEncoding !== undefined) {
    // Both framings at once is the classic smuggling vector; chunked must be the final coding;
    // HTTP/1.0 has no chunked coding at all (RFC 9112 §6.1).
    if (contentLength !== undefined || version === 'HTTP/1.0') throw new FramingError('malformed');
    const codings = transferEncoding.toLowerCase().split(',').map((coding) => coding.trim());
    if (codings[codings.length - 1] !== 'chunked' || codings.some((coding, i) => coding !== 'chunked' || i !== codings.length - 1)) {
      throw new FramingError('malformed');
    }
    length = -1;
  }
  const tokens = connection.split(',').map((token) => token.trim());
  const keepAlive = !tokens.includes('close') && (version === 'HTTP/1.1' || tokens.includes('keep-alive'));
  return {
    method,
    url,
    rawHeaders,
    contentLength: length,
    keepAlive,
    announceKeepAlive: keepAlive && version === 'HTTP/1.0',
    expectContinue: expect === '100-continue' && version === 'HTTP/1.1',
    unsupportedExpectation: expect !== undefined && expect !== '100-continue',
  };
}

/** A chunk-size line: hex digits, then optionally whitespace, ';' and extensions without control characters. */
const CHUNK_SIZE_LINE = /^([0-9a-fA-F]{1,8})(?:[ \t]*;[\t\x20-\x7e\x80-\xff]*)?$/;
/** Longest chunk-size line (with its extensions) accepted. */
const MAX_CHUNK_LINE = 1024;
/**
 * Framing bytes (size lines, extensions, trailers) a chunked body may carry besides its data:
 * plenty for any real client, while a stream of one-byte chunks or endless trailers is refused.
 */
const FRAMING_ALLOWANCE = 64 * 1024;

/**
 * Decodes a chunked body incrementally: `feed` takes what has arrived and reports how far it
 * consumed, so nothing is decoded twice and the caller keeps only an unfinished line. The body is
 * copied into one growing buffer. Throws FramingError on bad framing, on a body over `maxBytes`
 * (checked as chunk sizes are announced, before the data is buffered), and on framing far larger
 * than the data it frames.
 */
export class ChunkedDecoder {
  private body = Buffer.alloc(0);
  private length = 0;
  private chunkLeft = 0;
  private phase: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private framingBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxTrailerLine: number,
  ) {}

  /** Consumes from `data` starting at `offset`; returns where it stopped and whether the body ended. */
  feed(data: Buffer, offset: number): { end: number; done: boolean } {
    let at = offset;
    for (;;) {
      switch (this.phase) {
        case 'size': {
          const lineEnd = data.indexOf(CRLF, at);
          if (lineEnd < 0) {
            if (data.length - at > MAX_CHUNK_LINE) throw new FramingError('malformed');
            return { end: at, done: false };
          }
          const match = CHUNK_SIZE_LINE.exec(data.toString('latin1', at, lineEnd));
          if (!match) throw new FramingError('malformed');
          const size = parseInt(match[1], 16);
          this.countFraming(lineEnd + 2 - at);
          at = lineEnd + 2;
          if (size === 0) {
            this.phase = 'trailer';
            break;
          }
          if (this.length + size > this.maxBytes) throw new FramingError('body-too-large');
          this.chunkLeft = size;
          this.phase = 'data';
          break;
        }
        case 'data': {
          const take = Math.min(this.chunkLeft, data.length - at);
          this.append(data, at, take);
          at += take;
          this.chunkLeft -= take;
          if (this.chunkLeft > 0) return { end: at, done: false };
          this.phase = 'data-end';
          break;
        }
        case 'data-end':
          if (data.length - at < 2) return { end: at, done: false };
          if (data[at] !== 0x0d || data[at + 1] !== 0x0a) throw new FramingError('malformed');
          this.countFraming(2);
          at += 2;
          this.phase = 'size';
          break;
        case 'trailer': {
          // Trailer fields are read and ignored; an empty line ends the message.
          const lineEnd = data.indexOf(CRLF, at);
          if (lineEnd < 0) {
            if (data.length - at > this.maxTrailerLine) throw new FramingError('malformed');
            return { end: at, done: false };
          }
          if (lineEnd === at) return { end: at + 2, done: true };
          if (!FIELD_VALUE.test(data.toString('latin1', at, lineEnd))) throw new FramingError('malformed');
          this.countFraming(lineEnd + 2 - at);
          at = lineEnd + 2;
          break;
        }
      }
    }
  }

  /** The decoded body (once `feed` has reported done). */
  get result(): Buffer {
    return this.body.subarray(0, this.length);
  }

  private countFraming(bytes: number): void {
    this.framingBytes += bytes;
    if (this.framingBytes > FRAMING_ALLOWANCE + this.length / 8) throw new FramingError('malformed');
  }

  private append(data: Buffer, at: number, count: number): void {
    if (count === 0) return;
    if (this.length + count > this.body.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxBytes, Math.max(this.length + count, this.body.length * 2, 16 * 1024)));
      this.body.copy(grown, 0, 0, this.length);
      this.body = grown;
    }
    data.copy(this.body, this.length, at, at + count);
    this.length += count;
  }
}

type ServerSettings = Http1Options & Required<Pick<Http1Options, 'maxBodyBytes' | 'maxHeaderBytes' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'idleTimeoutMs'>>;

/** Blank lines tolerated before a request line (RFC 9112 §2.2 asks for at least one). */
const MAX_LEADING_BLANK_LINES = 8;
const LF_LF = Buffer.from('\n\n');
/** After the server ends a connection, how long the client has to close its side. */
const LINGER_MS = 5_000;

/** One client connection: frames requests from the byte stream and answers them in order. */
class Connection {
  /** Bytes received and not yet consumed as a request. */
  private pending: Buffer | undefined;
  /** Where the search for the end of the header block resumes in `pending`. */
  private scannedHead = 0;
  /** When the first byte of the request head still arriving came (0: none pending). */
  private headStartedAt = 0;
  /** When the head of the request whose body is still arriving was complete. */
  private bodyStartedAt = 0;
  private blankLines = 0;
  /** The head whose Content-Length body is still arriving, with the parts received so far. */
  private awaitingBody: { head: ParsedHead; parts: Buffer[]; received: number } | undefined;
  /** A chunked body still arriving. */
  private chunked: { head: ParsedHead; decoder: ChunkedDecoder } | undefined;
  private continueSent = false;
  /** A request is being answered; further input waits in `pending`. */
  private busy = false;
  private closing = false;
  private driving = false;
  /** The client half-closed; answer what it already sent, then close. */
  private peerEnded = false;
  /** The server is shutting down: close after the answer in progress. */
  private closeAfterAnswer = false;
  /** Answers queued for the next flush, and whether the connection ends after them. */
  private outgoing = '';
  private endAfterFlush = false;
  private flushQueued = false;
  /** The client is not reading its answers: no further request is handled until it catches up. */
  private waitingForOutput = false;

  constructor(
    readonly socket: Socket,
    private readonly options: ServerSettings,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.peerEnded = true;
      if (!this.busy) this.finish();
    });
  }

  /** Called by the server's close(): idle connections end now, busy ones after their answer. */
  shutdown(): void {
    if (this.busy) this.closeAfterAnswer = true;
    else this.finish();
  }

  /** Writes what was queued for this connection (called once per event-loop turn). */
  flush(): void {
    this.flushQueued = false;
    if (this.socket.destroyed) {
      this.outgoing = '';
      return;
    }
    if (this.outgoing) {
      this.socket.write(this.outgoing);
      this.outgoing = '';
    }
    if (this.endAfterFlush) {
      this.endAfterFlush = false;
      this.socket.end();
      // A client that never closes its side is dropped after a while.
      setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
      return;
    }
    if (this.waitingForOutput) {
      if (this.socket.writableLength > MAX_UNSENT_BYTES) this.socket.once('drain', () => this.unblock());
      else this.unblock();
    }
  }

  private queue(text: string): void {
    this.outgoing += text;
    this.requestFlush();
  }

  private queueEnd(): void {
    this.endAfterFlush = true;
    this.requestFlush();
  }

  private requestFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    scheduleFlush(this);
  }

  private finish(): void {
    if (this.closing) return;
    this.closing = true;
    this.pending = undefined;
    this.queueEnd();
    // Keep reading (and discarding) so the client's own close is seen.
    if (this.socket.isPaused()) this.socket.resume();
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    const waiting = this.awaitingBody;
    if (waiting && this.pending === undefined) {
      // A large body arriving in pieces: keep the pieces, join them once.
      const needed = waiting.head.contentLength - waiting.received;
      if (chunk.length < needed) {
        if (this.bodyLate()) return this.fail('body-timeout');
        waiting.parts.push(chunk);
        waiting.received += chunk.length;
        return;
      }
      waiting.parts.push(chunk.subarray(0, needed));
      this.awaitingBody = undefined;
      this.pending = chunk.length > needed ? chunk.subarray(needed) : undefined;
      this.dispatch(waiting.head, Buffer.concat(waiting.parts, waiting.head.contentLength));
      return;
    }
    this.pending = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.busy || this.waitingForOutput) {
      if (this.pending.length > MAX_BUFFERED_AHEAD) this.socket.pause();
      return;
    }
    this.drive();
  }

  /** Frames and dispatches as many complete requests as `pending` holds, one at a time. */
  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    try {
      while (!this.busy && !this.closing && this.pending !== undefined) {
        // Answers the client has not taken yet, sent or still queued: past the limit, wait.
        if (this.socket.writableLength + this.outgoing.length > MAX_UNSENT_BYTES) {
          this.blockForOutput();
          break;
        }
        if (!this.step()) break;
      }
      if (!this.busy && !this.waitingForOutput && this.socket.isPaused()) this.socket.resume();
    } catch (error) {
      this.fail(error instanceof FramingError ? error.problem : 'malformed');
    } finally {
      this.driving = false;
    }
  }

  private blockForOutput(): void {
    if (this.waitingForOutput) return;
    this.waitingForOutput = true;
    this.socket.pause();
    // Queued answers are checked again when they are flushed; already-sent ones need a drain.
    if (!this.outgoing) this.socket.once('drain', () => this.unblock());
  }

  private unblock(): void {
    if (!this.waitingForOutput) return;
    this.waitingForOutput = false;
    this.drive();
  }

  /** Consumes one request from `pending` if it is complete; false when more bytes are needed. */
  private step(): boolean {
    const data = this.pending!;
    if (this.chunked) {
      const { end, done } = this.chunked.decoder.feed(data, 0);
      this.consume(data, end);
      if (!done) {
        if (this.bodyLate()) throw new FramingError('body-timeout');
        return false;
      }
      const { head, decoder } = this.chunked;
      this.chunked = undefined;
      this.dispatch(head, decoder.result);
      return true;
    }
    // Tolerate a few blank lines before a request line (RFC 9112 §2.2), e.g. after a stray CRLF.
    if (data.length >= 2 && data[0] === 0x0d && data[1] === 0x0a) {
      let start = 0;
      while (start + 1 < data.length && data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
      this.blankLines += start / 2;
      if (this.blankLines > MAX_LEADING_BLANK_LINES) throw new FramingError('malformed');
      this.consume(data, start);
      return this.pending !== undefined;
    }
    const headEnd = data.indexOf(CRLF_CRLF, this.scannedHead);
    if (headEnd < 0) {
      if (data.length > this.options.maxHeaderBytes) throw new FramingError('headers-too-large');
      // Lines ended by a bare LF would never form a head: refuse them now rather than wait.
      if (data.indexOf(LF_LF) >= 0) throw new FramingError('malformed');
      const now = Date.now();
      if (this.headStartedAt === 0) this.headStartedAt = now;
      else if (now - this.headStartedAt > this.options.headersTimeoutMs) throw new FramingError('headers-timeout');
      this.scannedHead = Math.max(0, data.length - 3);
      return false;
    }
    this.scannedHead = 0;
    this.headStartedAt = 0;
    this.blankLines = 0;
    if (headEnd > this.options.maxHeaderBytes) throw new FramingError('headers-too-large');
    const head = parseHead(data.toString('latin1', 0, headEnd));
    const bodyStart = headEnd + 4;
    if (head.unsupportedExpectation) throw new FramingError('unsupported-expectation');
    if (head.contentLength > this.options.maxBodyBytes) throw new FramingError('body-too-large');
    this.bodyStartedAt = Date.now();
    if (head.contentLength < 0) {
      this.consume(data, bodyStart);
      this.chunked = { head, decoder: new ChunkedDecoder(this.options.maxBodyBytes, this.options.maxHeaderBytes) };
      if (head.expectContinue && this.pending === undefined) this.sendContinue();
      return this.pending !== undefined;
    }
    const available = data.length - bodyStart;
    if (available >= head.contentLength) {
      const body = data.subarray(bodyStart, bodyStart + head.contentLength);
      this.consume(data, bodyStart + head.contentLength);
      this.dispatch(head, body);
      return true;
    }
    this.pending = undefined;
    this.awaitingBody = { head, parts: available > 0 ? [data.subarray(bodyStart)] : [], received: available };
    if (head.expectContinue) this.sendContinue();
    return false;
  }

  /** The body still arriving is past its deadline (checked as its bytes come, like the head's). */
  private bodyLate(): boolean {
    return Date.now() - this.bodyStartedAt > this.options.bodyTimeoutMs;
  }

  private consume(data: Buffer, end: number): void {
    this.pending = end < data.length ? data.subarray(end) : undefined;
  }

  private sendContinue(): void {
    if (this.continueSent) return;
    this.continueSent = true;
    this.queue(CONTINUE);
  }

  private dispatch(head: ParsedHead, body: Buffer): void {
    this.busy = true;
    this.continueSent = false;
    let answered = false;
    const response: HttpResponse = {
      send: (status, headers, responseBody) => {
        if (answered) return;
        answered = true;
        const keepAlive = head.keepAlive && !this.closeAfterAnswer;
        this.queue(responseText(status, headers, head.method === 'HEAD' ? '' : responseBody, Buffer.byteLength(responseBody, 'utf8'), keepAlive, head.announceKeepAlive));
        this.busy = false;
        if (!keepAlive) return this.finish();
        this.drive();
        if (this.peerEnded && !this.busy) this.finish();
      },
    };
    try {
      this.options.onRequest({ method: head.method, url: head.url, rawHeaders: head.rawHeaders, body }, response);
    } catch {
      response.send(500, [], '');
    }
  }

  /** Answers a framing problem through the owner, then closes: the stream's framing is lost. */
  private fail(problem: FramingProblem): void {
    if (this.closing) return;
    this.awaitingBody = undefined;
    this.chunked = undefined;
    let answered = false;
    this.options.onFramingProblem(problem, {
      send: (status, headers, body) => {
        if (answered) return;
        answered = true;
        this.queue(responseText(status, headers, body, Buffer.byteLength(body, 'utf8'), false, false));
      },
    });
    this.finish();
  }
}

/** A whole response as one string; Date, Content-Length and Connection are added here. */
function responseText(status: number, headers: readonly string[], body: string, contentLength: number, keepAlive: boolean, announceKeepAlive: boolean): string {
  let text = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Unknown'}\r\n`;
  for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
  text += `Date: ${httpDate()}\r\nContent-Length: ${contentLength}\r\n`;
  if (!keepAlive) text += 'Connection: close\r\n';
  else if (announceKeepAlive) text += 'Connection: keep-alive\r\n';
  return text + '\r\n' + body;
}

/** After close(), how long answers in progress get before their connections are dropped. */
const CLOSE_GRACE_MS = 3_000;

/** Starts listening; resolves once the port is bound. */
export async function listenHttp1(port: number, host: string, options: Http1Options): Promise<Http1Server> {
  const settings: ServerSettings = { maxHeaderBytes: 16 * 1024, idleTimeoutMs: 60_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 60_000, ...options };
  const connections = new Set<Connection>();
  // allowHalfOpen: a client may send its last request and half-close at once; it still gets its answer.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    const connection = new Connection(socket, settings);
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
    // A reset or write after the peer left is not the server's problem; the connection just ends.
    socket.on('error', () => socket.destroy());
    socket.setTimeout(settings.idleTimeoutMs, () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const connection of connections) connection.socket.destroy();
        }, CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        for (const connection of connections) connection.shutdown();
      }),
  };
}
