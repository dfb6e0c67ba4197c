/**
 * A file's text in pieces, straight from disk: `Blob.stream()` hands over the bytes a chunk at a
 * time and a streaming TextDecoder keeps a UTF-8 character cut between two chunks whole (and drops
 * a leading byte-order mark), so a 1 GB file is never one string and the page stays responsive
 * between pieces.
 */
export async function* readTextPieces(file: Blob): AsyncGenerator<{ text: string; bytesRead: number }> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder('utf-8');
  let bytesRead = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytesRead += value.byteLength;
      const text = decoder.decode(value, { stream: true });
      if (text) yield { text, bytesRead };
    }
    const rest = decoder.decode();
    if (rest) yield { text: rest, bytesRead };
  } finally {
    // The caller stopped early (cancel, a new file): release the file.
    await reader.cancel().catch(() => undefined);
  }
}
