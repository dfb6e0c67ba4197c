import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { APP_ERROR, SAVED_OPERATION_KINDS, type SavedOperation, type SavedOperationInput } from '../contract.ts';
import { writeJsonAtomically } from './settingsStore.ts';
import { AppError } from './wireError.ts';

/** Enough for a working set; a runaway import cannot grow the file without bound. */
export const MAX_SAVED_OPERATIONS = 500;
/** One saved body (a transaction of 100 Puts can be large, but not this large). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Operations the user named and saved from a builder (a query, a transaction, a PartiQL script),
 * kept as JSON beside the settings so they survive restarts, or only in memory without a file.
 */
export class SavedOperations {
  private operations: SavedOperation[] = [];

  private constructor(private readonly file: string | undefined) {}

  static async open(file?: string): Promise<SavedOperations> {
    const store = new SavedOperations(file);
    if (file) {
      try {
        const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
        // A hand-edited file keeps the entries that still make sense.
        if (Array.isArray(saved)) store.operations = saved.filter((entry) => isSavedOperation(entry));
      } catch {
        // No saved operations yet.
      }
    }
    return store;
  }

  list(connectionId?: string): SavedOperation[] {
    return this.operations.filter((o) => !connectionId || o.connectionId === connectionId);
  }

  /** Creates an operation, or replaces the one with the same id (a rename, a re-save). */
  async save(input: SavedOperationInput): Promise<SavedOperation> {
    const checked = checkInput(input);
    const existing = input.id ? this.operations.findIndex((o) => o.id === input.id) : -1;
    if (input.id && existing < 0) throw new AppError(APP_ERROR.badRequest, `No saved operation with id "${input.id}"`);
    if (existing < 0 && this.operations.length >= MAX_SAVED_OPERATIONS) {
      throw new AppError(APP_ERROR.badRequest, `At most ${MAX_SAVED_OPERATIONS} operations can be saved; delete some first`);
    }
    const operation: SavedOperation = { ...checked, id: input.id ?? randomUUID(), savedAt: Date.now() };
    if (existing >= 0) this.operations[existing] = operation;
    else this.operations.push(operation);
    await this.write();
    return operation;
  }

  async delete(id: string): Promise<void> {
    const before = this.operations.length;
    this.operations = this.operations.filter((o) => o.id !== id);
    if (this.operations.length === before) throw new AppError(APP_ERROR.badRequest, `No saved operation with id "${id}"`);
    await this.write();
  }

  private async write(): Promise<void> {
    if (this.file) await writeJsonAtomically(this.file, this.operations);
  }
}

function checkInput(input: SavedOperationInput | null | undefined): Omit<SavedOperation, 'id' | 'savedAt'> {
  const name = typeof input?.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 200) throw new AppError(APP_ERROR.badRequest, 'A saved operation needs a name of 1 to 200 characters');
  if (!SAVED_OPERATION_KINDS.includes(input!.kind)) throw new AppError(APP_ERROR.badRequest, `kind must be one of ${SAVED_OPERATION_KINDS.join(', ')}`);
  if (typeof input!.connectionId !== 'string' || !input!.connectionId) throw new AppError(APP_ERROR.badRequest, 'connectionId must be a non-empty string');
  if (input!.body === null || typeof input!.body !== 'object') throw new AppError(APP_ERROR.badRequest, 'body must be an object');
  if (JSON.stringify(input!.body).length > MAX_BODY_BYTES) throw new AppError(APP_ERROR.badRequest, 'The operation is too large to save (over 4 MB)');
  const { connectionId, namespace, tableName, kind, body } = input!;
  return { name, kind, connectionId, ...(namespace ? { namespace } : {}), ...(tableName ? { tableName } : {}), body };
}

function isSavedOperation(value: unknown): value is SavedOperation {
  const o = value as SavedOperation | null;
  return Boolean(o && typeof o.id === 'string' && typeof o.name === 'string' && typeof o.connectionId === 'string' && SAVED_OPERATION_KINDS.includes(o.kind) && o.body && typeof o.body === 'object');
}
