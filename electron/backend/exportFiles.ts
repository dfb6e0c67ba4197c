import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, rename, rm, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { APP_ERROR } from '../contract.ts';
import { AppError } from './wireError.ts';

interface OpenExport {
  path: string;
  /** Pages go here as they arrive; the file at `path` is written whole only on finish. */
  bodyPath: string;
}

/**
 * Export files written a page at a time, so an export of any size never sits in memory (desktop
 * only: the browser downloads a Blob instead). Pages are appended to a side file; finishing writes
 * the chosen file as `before` + pages + `after`, because a CSV header names columns that are only
 * known once every item has been read. Discarding (a cancelled export) removes the side file and
 * leaves the chosen path untouched.
 */
export class ExportFiles {
  private readonly open = new Map<string, OpenExport>();
  private nextId = 1;

  async create(path: string): Promise<string> {
    const fileId = `export-${this.nextId++}`;
    const bodyPath = `${path}.${process.pid}.${fileId}.part`;
    await writeFile(bodyPath, '');
    this.open.set(fileId, { path, bodyPath });
    return fileId;
  }

  async append(fileId: string, text: string): Promise<void> {
    await appendFile(this.get(fileId).bodyPath, text);
  }

  async finish(fileId: string, before: string, after: string): Promise<string> {
    const file = this.get(fileId);
    this.open.delete(fileId);
    const finalPart = `${file.bodyPath}.whole`;
    try {
      await writeFile(finalPart, before);
      await pipeline(createReadStream(file.bodyPath), createWriteStream(finalPart, { flags: 'a' }));
      await appendFile(finalPart, after);
      await rename(finalPart, file.path);
    } finally {
      await rm(file.bodyPath, { force: true });
      await rm(finalPart, { force: true });
    }
    return file.path;
  }

  async discard(fileId: string): Promise<void> {
    const file = this.open.get(fileId);
    this.open.delete(fileId);
    if (file) await rm(file.bodyPath, { force: true });
  }

  /** Removes the side files of exports still open (the app is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((fileId) => this.discard(fileId)));
  }

  private get(fileId: string): OpenExport {
    const file = this.open.get(fileId);
    if (!file) throw new AppError(APP_ERROR.badRequest, `No export file "${fileId}" is open`);
    return file;
  }
}
