/**
 * Where a streamed export goes. On the desktop the backend writes a file the native save dialog
 * chose, a page at a time (`files/create` … `files/finish`). In the browser, pages become Blob
 * parts, which Chromium keeps in its blob store (on disk past its memory budget) rather than in
 * the page's heap, and the finished Blob is handed to the browser's download.
 */
import { call, RequestError } from '../../app/client.ts';

export interface ExportSink {
  append(text: string): Promise<void>;
  /** Writes the file as `before` + pages + `after`; resolves with the path when there is one to show. */
  finish(before: string, after: string): Promise<string | undefined>;
  /** The export was cancelled: nothing is saved. */
  discard(): Promise<void>;
}

/** Opens the sink for an export; null when the user cancelled the save dialog. */
export async function openExportSink(suggestedName: string, mimeType: string): Promise<ExportSink | null> {
  try {
    const created = await call('files/create', { suggestedName });
    if (!created) return null;
    const { fileId } = created;
    return {
      append: async (text) => void (await call('files/append', { fileId, text })),
      finish: async (before, after) => (await call('files/finish', { fileId, before, after })).path,
      discard: async () => void (await call('files/discard', { fileId })),
    };
  } catch (error) {
    if (!(error instanceof RequestError && error.code === 'Unsupported')) throw error;
  }
  const parts: Blob[] = [];
  return {
    append: async (text) => void parts.push(new Blob([text])),
    finish: async (before, after) => {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([before, ...parts, after], { type: mimeType }));
      link.download = suggestedName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      return undefined;
    },
    discard: async () => void parts.splice(0),
  };
}
