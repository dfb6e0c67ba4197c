/**
 * Test harness: a real engine (in memory, or LMDB in a temporary directory) behind the real HTTP
 * endpoint, driven by the real AWS SDK v3. Set DYNAMO_LENS_STORE=lmdb to run a suite on LMDB.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine, type Engine } from '../engine.ts';
import { startEndpoint, type Endpoint } from '../server.ts';
import type { EngineOptions } from '../api.ts';

export interface Harness {
  engine: Engine;
  endpoint: Endpoint;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  dataDir?: string;
  /** A client for another region (tables are namespaced by region). */
  clientFor(region: string): DynamoDBClient;
  close(): Promise<void>;
}

export function makeClient(url: string, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
}

export async function startHarness(options: EngineOptions & { store?: 'memory' | 'lmdb' } = {}): Promise<Harness> {
  const kind = options.store ?? (process.env.DYNAMO_LENS_STORE === 'lmdb' ? 'lmdb' : 'memory');
  const dataDir = options.dataDir ?? (kind === 'lmdb' ? mkdtempSync(join(tmpdir(), 'dynamo-lens-test-')) : undefined);
  const engine = await openEngine({ ...options, inMemory: kind === 'memory', dataDir });
  const endpoint = await startEndpoint({ engine, port: 0 });
  const client = makeClient(endpoint.url);
  const doc = DynamoDBDocumentClient.from(client);
  const extra: DynamoDBClient[] = [];
  return {
    engine,
    endpoint,
    client,
    doc,
    dataDir,
    clientFor(region) {
      const c = makeClient(endpoint.url, region);
      extra.push(c);
      return c;
    },
    async close() {
      client.destroy();
      extra.forEach((c) => c.destroy());
      await endpoint.close();
      await engine.close();
      if (dataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` and returns the error it throws (failing when it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<{ name: string; message: string; [k: string]: unknown }> {
  try {
    await fn();
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
