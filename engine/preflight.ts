/**
 * Large request bodies are judged off the event loop first, so that one client's heavy request
 * never stalls everyone else's small ones.
 *
 * A 16 MB PutItem of 1.6 million tiny list elements, or 100,000 ExpressionAttributeNames, costs
 * hundreds of milliseconds of parsing and validation before the engine refuses it (the item is
 * over 400 KB; the names are unused). Eight such clients kept a GetItem waiting 1–2 s. Bodies of
 * PREFLIGHT_MIN_BYTES and more are first parsed and validated in a worker thread by an engine that
 * holds no tables: every data-plane operation needs a table, so whatever that engine refuses, it
 * refuses before looking one up, and the real engine would refuse it the same way, with the same
 * words (the same code does it). Those answers are sent from the worker's verdict; the rest,
 * which passed validation and so are bounded by DynamoDB's own limits, go to the real engine.
 */
import type { Worker } from 'node:worker_threads';
import type { RequestContext } from './api.ts';
import { DynamoDbError } from './errors.ts';
import { startSiblingWorker } from './siblingWorker.ts';

export const PREFLIGHT_MIN_BYTES = 1024 * 1024;

/** Operations that cannot succeed without a table, so an engine with none judges only their input. */
const NEEDS_A_TABLE = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

export interface PreflightRequest {
  body: Uint8Array;
  /** The operation when it is one the worker may judge; otherwise only the JSON is checked. */
  operation?: string;
  context: RequestContext;
}

export type PreflightVerdict =
  | { kind: 'pass' }
  | { kind: 'not-json' }
  /** A JSON scalar or array: not a request structure. */
  | { kind: 'not-object' }
  | { kind: 'refused'; code: string; message: string; statusCode: number; namespace: string; extra: Record<string, unknown> | undefined };

export function refusal(verdict: Extract<PreflightVerdict, { kind: 'refused' }>): DynamoDbError {
  return new DynamoDbError(verdict.code, verdict.message, verdict.statusCode, verdict.namespace, verdict.extra);
}

/** The worker, started on the first large body and kept while the endpoint runs. */
export class Preflight {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, (verdict: PreflightVerdict) => void>();

  judge(body: Buffer, operation: string | undefined, context: RequestContext): Promise<PreflightVerdict> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      const request: PreflightRequest & { id: number } = { id, body, context, ...(operation && NEEDS_A_TABLE.has(operation) ? { operation } : {}) };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startSiblingWorker(import.meta.url, 'preflightWorker');
    worker.unref();
    worker.on('message', ({ id, verdict }: { id: number; verdict: PreflightVerdict }) => {
      this.waiting.get(id)?.(verdict);
      this.waiting.delete(id);
    });
    // A dead worker judges nothing: everything waiting passes to the real engine, and the next
    // large body starts a new worker.
    const failed = (): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const resolve of this.waiting.values()) resolve({ kind: 'pass' });
      this.waiting.clear();
    };
    worker.on('error', failed);
    worker.on('exit', failed);
    this.worker = worker;
    return worker;
  }
}
