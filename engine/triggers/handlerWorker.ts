/**
 * The worker thread a module handler runs in (one per trigger, reused across invocations). It
 * imports the handler module (ESM or CommonJS; TypeScript through tsx), calls the handler as
 * Lambda's Node.js runtime does (async, or with a callback when it takes three parameters), and
 * sends each console line to the parent as it is written, so a handler that hangs or crashes
 * still leaves its output behind.
 */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import type { HandlerError, WorkerInvoke, WorkerMessage } from './handlerHost.ts';

const { path, exportName } = workerData as { path: string; exportName: string };
const port = parentPort!;
let requestId = '';

function send(message: WorkerMessage): void {
  port.postMessage(message);
}

// Lambda's log line: time, request id, level, message.
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;
for (const [method, level] of Object.entries(LEVELS)) {
  (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
    send({ type: 'log', line: `${new Date().toISOString()}\t${requestId}\t${level}\t${format(...args)}` });
  };
}

function toHandlerError(error: unknown): HandlerError {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error) };
}

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

async function loadHandler(): Promise<Handler> {
  // Under tsx (our own tests) the loader is already registered; a built app registers it here.
  if (/\.[cm]?ts$/.test(path) && !import.meta.url.endsWith('.ts')) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
    } catch {
      throw Object.assign(new Error(`TypeScript handlers need the tsx package installed (${basename(path)}); compile it to JavaScript or install tsx`), {
        name: 'Runtime.ImportModuleError',
      });
    }
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw Object.assign(new Error(`Error: Cannot load ${path}: ${(error as Error).message ?? error}`), { name: 'Runtime.ImportModuleError' });
  }
  // A CommonJS module's exports may only be reachable through its default export.
  const exported = module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof exported !== 'function') {
    const name = basename(path).replace(/\.[^.]+$/, '');
    throw Object.assign(new Error(`${name}.${exportName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return exported as Handler;
}

const handler = loadHandler();
// A failed load is reported per invocation; keep it from counting as an unhandled rejection.
handler.catch(() => undefined);

function run(fn: Handler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error?: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    try {
      const out = fn(event, context, callback);
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then((v) => callback(null, v), (e) => callback(e ?? new Error('rejected')));
      else if (fn.length < 3) callback(null, out);
    } catch (error) {
      callback(error);
    }
  });
}

port.on('message', async (message: WorkerInvoke) => {
  requestId = message.context.awsRequestId;
  try {
    // Loading the module is the init phase; the function's timeout runs from here on.
    const fn = await handler;
    const deadline = Date.now() + message.timeoutMs;
    send({ type: 'started', id: message.id });
    const context = {
      ...message.context,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const response = await run(fn, message.event, context);
    let cloned: unknown;
    try {
      cloned = response === undefined ? null : JSON.parse(JSON.stringify(response));
    } catch {
      throw Object.assign(new Error('The handler returned a value that cannot be serialised to JSON'), { name: 'Runtime.MarshalError' });
    }
    send({ type: 'done', id: message.id, response: cloned });
  } catch (error) {
    send({ type: 'failed', id: message.id, error: toHandlerError(error) });
  }
});
