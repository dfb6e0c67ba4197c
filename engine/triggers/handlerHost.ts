/**
 * Runs a trigger's handler, isolated from the engine, one invocation at a time:
 *
 * - a module handler in a worker thread (one per trigger, kept between invocations) whose heap is
 *   capped at the function's MemorySize, so a memory-hungry handler dies alone; a timed-out,
 *   crashed or out-of-memory worker is terminated and the next invocation starts a fresh one, as
 *   does a change to a file beside the handler (fs.watch), so edits are picked up;
 * - a command line, started per invocation with the event as JSON on stdin; its stdout is the
 *   response (the last line that is JSON, so print-style logging still works), stderr its log.
 */
import { spawn } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startSiblingWorker } from '../siblingWorker.ts';
import { MODULE_EXTENSIONS, type TriggerHandler } from './definition.ts';

/** Lambda's error shape: what the runtime reports when a handler throws. */
export interface HandlerError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** The context fields that can cross a thread or process boundary (the methods are added there). */
export interface LambdaContextFields {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
}

export type HandlerOutcome = (
  | { ok: true; response: unknown }
  | { ok: false; error: HandlerError; timedOut?: boolean }
) & {
  logs: string[];
  /** Milliseconds the handler ran (from its start, not counting a module load). */
  durationMs: number;
  /** Milliseconds a fresh worker spent loading the module first (Lambda's Init Duration). */
  initMs?: number;
};

export interface HandlerHost {
  invoke(event: unknown, context: LambdaContextFields, timeoutMs: number): Promise<HandlerOutcome>;
  close(): Promise<void>;
}

export interface WorkerInvoke {
  id: number;
  event: unknown;
  context: LambdaContextFields;
  /** The function's timeout, counted from the handler's start. */
  timeoutMs: number;
}

export type WorkerMessage =
  | { type: 'log'; line: string }
  /** The module is loaded and the handler called: the timeout starts. */
  | { type: 'started'; id: number }
  | { type: 'done'; id: number; response: unknown }
  | { type: 'failed'; id: number; error: HandlerError };

/** How long a module may take to load (Lambda's init phase limit). */
const INIT_TIMEOUT_MS = 10_000;

/** Lines kept per invocation: a handler that logs in a loop cannot fill the engine's memory. */
const MAX_LOG_LINES = 1000;
const MAX_LOG_LINE = 8 * 1024;
/** Lambda's response payload limit for synchronous invocations. */
const MAX_OUTPUT_BYTES = 6 * 1024 * 1024;

class LogBuffer {
  readonly lines: string[] = [];
  private dropped = 0;

  add(line: string): void {
    if (this.lines.length >= MAX_LOG_LINES) {
      this.dropped++;
      return;
    }
    this.lines.push(line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}… (${line.length} characters)` : line);
  }

  take(): string[] {
    if (this.dropped > 0) this.lines.push(`… ${this.dropped} more lines not kept`);
    return this.lines;
  }
}

function timeoutError(timeoutMs: number): HandlerError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` };
}

type Ending = { ok: true; response: unknown } | { ok: false; error: HandlerError; timedOut?: boolean };

/** Environment variables Lambda's runtime sets that handlers commonly read. */
export function lambdaEnvironment(context: LambdaContextFields, region: string, extra: Record<string, string>): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: context.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: context.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: context.memoryLimitInMB,
    AWS_LAMBDA_LOG_GROUP_NAME: context.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: context.logStreamName,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    ...extra,
  };
}

export class ModuleHandlerHost implements HandlerHost {
  private worker: Worker | undefined;
  private watcher: FSWatcher | undefined;
  private nextId = 1;
  private current: { id: number; worker: Worker; logs: LogBuffer; started(): void; finish(ending: Ending): void } | undefined;
  private stale = false;
  private readonly path: string;
  private readonly exportName: string;

  constructor(
    handler: Extract<TriggerHandler, { kind: 'module' }>,
    private readonly memoryMb: number,
    private readonly environment: () => Record<string, string>,
  ) {
    this.path = resolve(handler.path);
    this.exportName = handler.exportName ?? 'handler';
    try {
      // The directory, not the file: editors save by replacing the file, which ends a file watch.
      const name = basename(this.path);
      this.watcher = watch(dirname(this.path), (_event, changed) => {
        if (changed && (changed === name || MODULE_EXTENSIONS.test(changed))) this.reload();
      });
      this.watcher.unref();
    } catch {
      // A missing directory: the import fails and says so on the first invocation.
    }
  }

  /** Drops the worker so the next invocation loads the module afresh; a running invocation finishes first. */
  private reload(): void {
    if (this.current) this.stale = true;
    else void this.stopWorker();
  }

  private startWorker(): Worker {
    const worker = startSiblingWorker(import.meta.url, 'handlerWorker', {
      workerData: { path: this.path, exportName: this.exportName },
      env: { ...process.env, ...this.environment() },
      // The heap limit is the function's memory; the young generation stays small within it.
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, this.memoryMb / 8)) },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      const current = this.current;
      if (current?.worker !== worker) return;
      if (message.type === 'log') current.logs.add(message.line);
      else if (message.id !== current.id) return;
      else if (message.type === 'started') current.started();
      else current.finish(message.type === 'done' ? { ok: true, response: message.response } : { ok: false, error: message.error });
    });
    const died = (error: HandlerError) => {
      if (this.worker === worker) this.worker = undefined;
      // A worker stopped on purpose (a timeout, a reload) may exit while the next one is serving.
      if (this.current?.worker === worker) this.current.finish({ ok: false, error });
    };
    worker.on('error', (error: Error & { code?: string }) => {
      died(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { errorType: 'Runtime.OutOfMemory', errorMessage: `Runtime exited with error: the handler ran out of its ${this.memoryMb} MB of memory` }
          : { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${error.name}: ${error.message}`, trace: (error.stack ?? '').split('\n') },
      );
    });
    worker.on('exit', (code) => died({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with exit code ${code}` }));
    this.worker = worker;
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.stale = false;
    await worker?.terminate();
  }

  invoke(event: unknown, context: LambdaContextFields, timeoutMs: number): Promise<HandlerOutcome> {
    const cold = !this.worker;
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    const logs = new LogBuffer();
    const sent = performance.now();
    let startedAt: number | undefined;
    return new Promise<HandlerOutcome>((done) => {
      // A handler that runs past its timeout (or a module that will not load) is stopped where it is: its worker goes.
      const stopAfter = (ms: number, error: HandlerError) =>
        setTimeout(() => {
          finish({ ok: false, error, timedOut: true });
          void this.stopWorker();
        }, ms);
      let timer = stopAfter(INIT_TIMEOUT_MS, { errorType: 'Sandbox.Timedout', errorMessage: `The handler module did not load within ${INIT_TIMEOUT_MS / 1000} seconds` });
      const finish = (ending: Ending) => {
        if (this.current?.id !== id) return;
        clearTimeout(timer);
        this.current = undefined;
        if (this.stale) void this.stopWorker();
        const now = performance.now();
        const initMs = cold ? (startedAt ?? now) - sent : undefined;
        done({ ...ending, logs: logs.take(), durationMs: now - (startedAt ?? now), ...(initMs !== undefined ? { initMs } : {}) });
      };
      const started = () => {
        startedAt = performance.now();
        clearTimeout(timer);
        timer = stopAfter(timeoutMs, timeoutError(timeoutMs));
      };
      this.current = { id, worker, logs, started, finish };
      const message: WorkerInvoke = { id, event, context, timeoutMs };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.current?.finish({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'The trigger was stopped' } });
    await this.stopWorker();
  }
}

export class CommandHandlerHost implements HandlerHost {
  private readonly running = new Set<ReturnType<typeof spawn>>();

  constructor(
    private readonly handler: Extract<TriggerHandler, { kind: 'command' }>,
    private readonly environment: () => Record<string, string>,
  ) {}

  invoke(event: unknown, context: LambdaContextFields, timeoutMs: number): Promise<HandlerOutcome> {
    const logs = new LogBuffer();
    const stamp = (level: string, line: string) => `${new Date().toISOString()}\t${context.awsRequestId}\t${level}\t${line}`;
    const started = performance.now();
    return new Promise<HandlerOutcome>((outcome) => {
      // A command's run, start-up included, is its duration.
      const done = (ending: Ending & { logs: string[] }) => outcome({ ...ending, durationMs: performance.now() - started });
      const child = spawn(this.handler.command, {
        shell: true,
        cwd: this.handler.cwd,
        env: { ...process.env, ...this.environment(), DYNAMO_LENS_LAMBDA_CONTEXT: JSON.stringify({ ...context, deadline: Date.now() + timeoutMs }) },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a timeout ends the shell and whatever it started.
        detached: process.platform !== 'win32',
      });
      this.running.add(child);
      let stdout = '';
      let stdoutBytes = 0;
      let stderrRest = '';
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, timeoutMs);
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdoutBytes += Buffer.byteLength(chunk);
        if (stdoutBytes <= MAX_OUTPUT_BYTES) stdout += chunk;
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (stderrRest + chunk).split('\n');
        stderrRest = lines.pop()!;
        for (const line of lines) logs.add(stamp('ERROR', line));
      });
      // A command that exits without reading its input must not fail the invocation with EPIPE.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(JSON.stringify(event));
      child.on('error', (error) => {
        clearTimeout(timer);
        this.running.delete(child);
        done({ ok: false, error: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: error.message }, logs: logs.take() });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.running.delete(child);
        if (stderrRest) logs.add(stamp('ERROR', stderrRest));
        // The response is the last line of stdout that is JSON (or all of it); other lines are log.
        const lines = stdout.split('\n').filter((l) => l.trim() !== '');
        let response: unknown = null;
        let responseLine = -1;
        for (let i = lines.length - 1; i >= 0 && responseLine < 0; i--) {
          try {
            response = JSON.parse(lines[i]);
            responseLine = i;
          } catch {
            // Not the response.
          }
        }
        lines.forEach((line, i) => i !== responseLine && logs.add(stamp('INFO', line)));
        if (timedOut) done({ ok: false, error: timeoutError(timeoutMs), logs: logs.take(), timedOut: true });
        else if (stdoutBytes > MAX_OUTPUT_BYTES) {
          done({ ok: false, error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_OUTPUT_BYTES} bytes).` }, logs: logs.take() });
        } else if (code !== 0) {
          done({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: signal ? `Command ended by ${signal}` : `Command exited with code ${code}` }, logs: logs.take() });
        } else done({ ok: true, response, logs: logs.take() });
      });
    });
  }

  async close(): Promise<void> {
    for (const child of this.running) killGroup(child);
  }
}

function killGroup(child: ReturnType<typeof spawn>): void {
  try {
    if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

export function hostFor(handler: TriggerHandler, memoryMb: number, environment: () => Record<string, string>): HandlerHost {
  return handler.kind === 'module' ? new ModuleHandlerHost(handler, memoryMb, environment) : new CommandHandlerHost(handler, environment);
}
