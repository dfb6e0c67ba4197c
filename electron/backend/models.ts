/**
 * The data modeler's backend: saved models (JSON beside the settings), committing a model to a
 * connection (missing tables and indexes, then sample data) and running its access patterns there.
 * Everything goes through the connection's own `call`, so the local engine and a remote service
 * are treated alike.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  APP_ERROR,
  type AccessPatternResult,
  type AccessPatternRun,
  type DataModel,
  type Item,
  type ModelCommitResult,
  type ModelTable,
  type Namespace,
  type SavedModel,
  type SavedModelInput,
  type TableCommitPlan,
} from '../contract.ts';
import { checkModel } from '../../renderer/shared/modeler/document.ts';
import { ModelError } from '../../renderer/shared/modeler/keyTemplates.ts';
import { buildAccessPatternRequest, createTableRequest } from '../../renderer/shared/modeler/requests.ts';
import { reverseEngineer, tableFromDescription, type DescribedTable } from '../../renderer/shared/modeler/reverse.ts';
import { generateSampleItems, runParameters, type SampleItem } from '../../renderer/shared/modeler/sampleData.ts';
import { batchWrite } from './batchWrite.ts';
import { writeJsonAtomically } from './settingsStore.ts';
import { AppError, toWireError } from './wireError.ts';

/** One DynamoDB call on the chosen connection and namespace. */
export type Call = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export const MAX_SAVED_MODELS = 200;
/** Runs kept per model: the latest and the one before, to compare. */
const RUNS_KEPT = 2;
/** How long a new table or index may take to become ACTIVE (DynamoDB takes seconds to minutes). */
const ACTIVE_TIMEOUT_MS = 5 * 60_000;
const SAMPLE_ITEMS_SHOWN = 5;

/** Models the user saved, kept as JSON in the state directory, or only in memory without one. */
export class ModelStore {
  private models: SavedModel[] = [];

  private constructor(private readonly file: string | undefined) {}

  static async open(file?: string): Promise<ModelStore> {
    const store = new ModelStore(file);
    if (file) {
      try {
        const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
        // A hand-edited file keeps the models that still check out.
        if (Array.isArray(saved)) store.models = saved.filter((entry: SavedModel) => entry && typeof entry.id === 'string' && checkModel(entry.model).length === 0).map((entry) => ({ ...entry, runs: Array.isArray(entry.runs) ? entry.runs : [] }));
      } catch {
        // No models yet.
      }
    }
    return store;
  }

  list(): SavedModel[] {
    return this.models;
  }

  get(id: string): SavedModel {
    const model = this.models.find((m) => m.id === id);
    if (!model) throw new AppError(APP_ERROR.badRequest, `No saved model with id "${id}"`);
    return model;
  }

  /** Saves a new model or replaces one; a changed model keeps its runs, so a regression shows. */
  async save(input: SavedModelInput): Promise<SavedModel> {
    const problems = checkModel(input?.model);
    if (problems.length) throw new AppError(APP_ERROR.badRequest, problems.join('\n'));
    const existing = input.id === undefined ? -1 : this.models.findIndex((m) => m.id === input.id);
    if (input.id !== undefined && existing < 0) throw new AppError(APP_ERROR.badRequest, `No saved model with id "${input.id}"`);
    if (existing < 0 && this.models.length >= MAX_SAVED_MODELS) throw new AppError(APP_ERROR.badRequest, `At most ${MAX_SAVED_MODELS} models can be saved; delete some first`);
    const saved: SavedModel = { id: input.id ?? randomUUID(), model: input.model, savedAt: Date.now(), runs: existing >= 0 ? this.models[existing]!.runs : [] };
    if (existing >= 0) this.models[existing] = saved;
    else this.models.push(saved);
    await this.write();
    return saved;
  }

  async delete(id: string): Promise<void> {
    this.get(id);
    this.models = this.models.filter((m) => m.id !== id);
    await this.write();
  }

  async recordRun(id: string, run: AccessPatternRun): Promise<void> {
    const model = this.get(id);
    model.runs = [run, ...model.runs].slice(0, RUNS_KEPT);
    await this.write();
  }

  private async write(): Promise<void> {
    if (this.file) await writeJsonAtomically(this.file, this.models);
  }
}

/** Turns the pure modeler's errors into a bad request, in the words it gave. */
function modelErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ModelError) throw new AppError(APP_ERROR.badRequest, error.message);
    throw error;
  }
}

interface DescribedIndexes {
  KeySchema?: { AttributeName: string; KeyType: string }[];
  GlobalSecondaryIndexes?: { IndexName: string; IndexStatus?: string }[];
  LocalSecondaryIndexes?: { IndexName: string }[];
  TableStatus?: string;
}

async function describe(call: Call, tableName: string): Promise<DescribedIndexes | undefined> {
  try {
    return (await call('DescribeTable', { TableName: tableName })).Table as DescribedIndexes;
  } catch (error) {
    if (toWireError(error).code === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** What committing each table would do; changes nothing. */
export async function planCommit(call: Call, model: DataModel): Promise<TableCommitPlan[]> {
  const plans: TableCommitPlan[] = [];
  for (const table of model.tables) {
    const described = await describe(call, table.name);
    if (!described) {
      plans.push({ tableName: table.name, exists: false, missingIndexes: [], conflicts: [] });
      continue;
    }
    const conflicts: string[] = [];
    const wanted = [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    if (JSON.stringify(described.KeySchema) !== JSON.stringify(wanted)) {
      const text = (schema: { AttributeName: string; KeyType: string }[] | undefined) => (schema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ');
      conflicts.push(`The existing table's key is ${text(described.KeySchema)}; the model's is ${text(wanted)}`);
    }
    const localIndexes = new Set((described.LocalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of table.localSecondaryIndexes) {
      if (!localIndexes.has(index.name)) conflicts.push(`Local index ${index.name} can only be made with the table, and the existing table does not have it`);
    }
    const globalIndexes = new Set((described.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    plans.push({ tableName: table.name, exists: true, missingIndexes: table.globalSecondaryIndexes.filter((i) => !globalIndexes.has(i.name)).map((i) => i.name), conflicts });
  }
  return plans;
}

export interface CommitOptions {
  call: Call;
  model: DataModel;
  sampleData?: { seed: number; counts?: Record<string, number> };
  confirmTables: readonly string[];
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
}

/**
 * Creates the tables the connection lacks and the indexes existing tables lack, then writes the
 * sample data. An existing table is changed (an index added, items written) only when the user
 * typed its name into `confirmTables`; otherwise nothing at all is done.
 */
export async function commitModel({ call, model, sampleData, confirmTables, signal, onProgress }: CommitOptions): Promise<ModelCommitResult> {
  const plans = await planCommit(call, model);
  const conflicts = plans.flatMap((p) => p.conflicts.map((c) => `${p.tableName}: ${c}`));
  if (conflicts.length) throw new AppError(APP_ERROR.badRequest, `The model cannot be committed here:\n${conflicts.join('\n')}`);
  const samples = new Map<string, SampleItem[]>();
  if (sampleData) for (const table of model.tables) samples.set(table.name, modelErrors(() => generateSampleItems(table, sampleData)));
  const touched = plans.filter((p) => p.exists && (p.missingIndexes.length > 0 || (samples.get(p.tableName)?.length ?? 0) > 0)).map((p) => p.tableName);
  const unconfirmed = touched.filter((name) => !confirmTables.includes(name));
  if (unconfirmed.length) {
    throw new AppError(APP_ERROR.confirmationRequired, `${unconfirmed.join(', ')} already ${unconfirmed.length === 1 ? 'exists' : 'exist'}; type ${unconfirmed.length === 1 ? 'its name' : 'their names'} to let the commit add indexes and write items there`);
  }
  const result: ModelCommitResult = { createdTables: [], addedIndexes: [], itemsWritten: 0, cancelled: false };
  for (const plan of plans) {
    const table = model.tables.find((t) => t.name === plan.tableName)!;
    if (signal.aborted) return { ...result, cancelled: true };
    if (!plan.exists) {
      await call('CreateTable', modelErrors(() => createTableRequest(table)));
      result.createdTables.push(table.name);
      await waitUntilActive(call, table.name, signal);
      if (table.ttlAttribute) await call('UpdateTimeToLive', { TableName: table.name, TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttlAttribute } });
      continue;
    }
    const definitions = (createTableRequest(table).GlobalSecondaryIndexes ?? []) as { IndexName: string }[];
    const attributeDefinitions = createTableRequest(table).AttributeDefinitions;
    for (const indexName of plan.missingIndexes) {
      // DynamoDB creates one index per UpdateTable, and refuses another while one is being built.
      await call('UpdateTable', { TableName: table.name, AttributeDefinitions: attributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: definitions.find((d) => d.IndexName === indexName) }] });
      result.addedIndexes.push(`${table.name}.${indexName}`);
      await waitUntilActive(call, table.name, signal);
    }
  }
  const total = [...samples.values()].reduce((sum, items) => sum + items.length, 0);
  onProgress(0, total);
  for (const table of model.tables) {
    const items = samples.get(table.name) ?? [];
    if (items.length === 0) continue;
    const before = result.itemsWritten;
    const written = await batchWrite({
      call,
      tableName: table.name,
      requests: items.map(({ item }) => ({ PutRequest: { Item: item } })),
      keyNames: [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])],
      signal,
      onProgress: (done) => onProgress(before + done, total),
    });
    result.itemsWritten += written.written;
    if (written.cancelled) return { ...result, cancelled: true };
  }
  return result;
}

/** Waits for the table and its indexes to be ACTIVE, as a write or an index change needs. */
async function waitUntilActive(call: Call, tableName: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (let delay = 20; ; delay = Math.min(delay * 2, 1000)) {
    const table = await describe(call, tableName);
    if (table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === undefined || i.IndexStatus === 'ACTIVE')) return;
    if (signal.aborted) return;
    if (Date.now() > deadline) throw new AppError(APP_ERROR.internal, `${tableName} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

const READS = new Set(['GetItem', 'Query', 'Scan']);

/**
 * Runs every access pattern of the model: reads first, then writes (so the reads see the committed
 * data), each with its example parameters or, where it has none, values from the sample data the
 * same seed made.
 */
export async function runAccessPatterns(call: Call, model: DataModel, where: { connectionId: string; namespace?: Namespace }, seed: number): Promise<AccessPatternRun> {
  const results: AccessPatternResult[] = [];
  for (const table of model.tables) {
    const samples = modelErrors(() => generateSampleItems(table, { seed }));
    const ordered = [...table.accessPatterns].sort((a, b) => Number(!READS.has(a.operation)) - Number(!READS.has(b.operation)));
    for (const pattern of ordered) results.push(await runOne(call, table, pattern, samples));
  }
  return { connectionId: where.connectionId, ...(where.namespace ? { namespace: where.namespace } : {}), ranAt: Date.now(), results };
}

async function runOne(call: Call, table: ModelTable, pattern: ModelTable['accessPatterns'][number], samples: SampleItem[]): Promise<AccessPatternResult> {
  const parameters = runParameters(table, pattern, samples);
  const base = { tableName: table.name, pattern: pattern.name, operation: pattern.operation, parameters, itemsReturned: 0, itemsRead: 0, readUnits: 0, writeUnits: 0, latencyMs: 0, sampleItems: [], morePages: false };
  let request: Record<string, unknown>;
  try {
    request = { ...buildAccessPatternRequest(table, pattern, parameters).input, ReturnConsumedCapacity: 'TOTAL' };
  } catch (error) {
    return { ...base, request: {}, error: { code: APP_ERROR.badRequest, message: (error as Error).message } };
  }
  const started = performance.now();
  try {
    const output = await call(pattern.operation, request);
    const latencyMs = performance.now() - started;
    // One entry for a single-item call; one per table for a transaction.
    const consumed = [output.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[];
    const isWrite = !READS.has(pattern.operation);
    const sum = (units: (c: (typeof consumed)[number]) => number) => consumed.reduce((total, c) => total + units(c), 0);
    const readUnits = sum((c) => c.ReadCapacityUnits ?? (isWrite ? 0 : (c.CapacityUnits ?? 0)));
    const writeUnits = sum((c) => c.WriteCapacityUnits ?? (isWrite ? (c.CapacityUnits ?? 0) : 0));
    const items = pattern.operation === 'GetItem' ? (output.Item ? [output.Item as Item] : []) : ((output.Items as Item[] | undefined) ?? []);
    const itemsRead = pattern.operation === 'GetItem' ? items.length : isWrite ? 0 : Number(output.ScannedCount ?? items.length);
    return { ...base, request, itemsReturned: isWrite ? 0 : items.length, itemsRead, readUnits, writeUnits, latencyMs, sampleItems: items.slice(0, SAMPLE_ITEMS_SHOWN), morePages: output.LastEvaluatedKey !== undefined };
  } catch (error) {
    return { ...base, request, latencyMs: performance.now() - started, error: toWireError(error) };
  }
}

/** A model table from an existing table: its description, TTL and a sample of its items. */
export async function reverseEngineerTable(call: Call, tableName: string, sampleSize: number): Promise<{ table: ModelTable; itemsPerEntity: Record<string, number> }> {
  const described = (await call('DescribeTable', { TableName: tableName })).Table as DescribedTable;
  let ttlAttribute: string | undefined;
  try {
    const ttl = (await call('DescribeTimeToLive', { TableName: tableName })).TimeToLiveDescription as { TimeToLiveStatus?: string; AttributeName?: string } | undefined;
    if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') ttlAttribute = ttl.AttributeName;
  } catch {
    // A service without TTL (some emulators) leaves it out of the model.
  }
  const items: Item[] = [];
  let exclusiveStartKey: unknown;
  do {
    const page = await call('Scan', { TableName: tableName, Limit: sampleSize - items.length, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) });
    items.push(...((page.Items as Item[] | undefined) ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey && items.length < sampleSize);
  return modelErrors(() => reverseEngineer(tableFromDescription(described, ttlAttribute), items));
}
