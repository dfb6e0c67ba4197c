/**
 * The preflight worker (see preflight.ts): parses a large request body and runs it through an
 * engine with no tables, off the endpoint's event loop. Whatever that engine refuses before it
 * looks a table up is refused for the same reasons by the real engine, so the answer can be
 * sent as it is; anything else ("the table does not exist") passes to the real engine.
 */
import { parentPort } from 'node:worker_threads';
import { openEngine } from './engine.ts';
import { isDynamoDbError } from './errors.ts';
import type { PreflightRequest, PreflightVerdict } from './preflight.ts';

const engine = await openEngine({ inMemory: true, ttlSweepIntervalMs: 0 });

async function judge({ body, operation, context }: PreflightRequest): Promise<PreflightVerdict> {
  let input: unknown;
  try {
    input = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return { kind: 'not-json' };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { kind: 'not-object' };
  if (!operation) return { kind: 'pass' };
  try {
    await engine.handle(operation, input as Record<string, unknown>, context);
  } catch (error) {
    // Refusals made before any table lookup; a missing table (or a bug) is the real engine's call.
    if (isDynamoDbError(error) && error.statusCode === 400 && error.code !== 'ResourceNotFoundException') {
      return { kind: 'refused', code: error.code, message: error.message, statusCode: error.statusCode, namespace: error.namespace, extra: error.extra };
    }
  }
  return { kind: 'pass' };
}

parentPort!.on('message', (request: PreflightRequest & { id: number }) => {
  void judge(request).then(
    (verdict) => parentPort!.postMessage({ id: request.id, verdict }),
    () => parentPort!.postMessage({ id: request.id, verdict: { kind: 'pass' } satisfies PreflightVerdict }),
  );
});
