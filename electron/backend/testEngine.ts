import type { DynamoEngine, EngineOptions } from '../../engine/api.ts';

/**
 * Opens the real engine in memory for tests. The module is named at run time so this file
 * type-checks while engine/engine.ts is still being written; DYNAMO_LENS_ENGINE_MODULE may point
 * elsewhere only for local experiments.
 */
export async function openTestEngine(options: Omit<EngineOptions, 'inMemory'> = {}): Promise<DynamoEngine> {
  const specifier = process.env.DYNAMO_LENS_ENGINE_MODULE ?? new URL('../../engine/engine.ts', import.meta.url).href;
  const engineModule = (await import(specifier)) as { openEngine(options: EngineOptions): Promise<DynamoEngine> };
  return engineModule.openEngine({ ...options, inMemory: true });
}
