import { createHash } from "node:crypto";

/**
 * Deterministic adapter files. Nothing here holds a whole file: a file is a size plus a generator
 * of chunks for any byte range, so a multi-GB adapter costs one 1 MiB chunk at a time, and a
 * ranged request (resume) yields exactly the bytes a full download has at that offset.
 */
export interface VirtualFile {
  readonly size: number;
  readonly contentType: string;
  /** Fresh buffers (≤ 1 MiB each) covering bytes [start, end) of the file. */
  chunks(start?: number, end?: number): Generator<Buffer>;
}

export function clampRange(size: number, start = 0, end = size): [number, number] {
  const from = Math.max(0, Math.min(start, size));
  return [from, Math.max(from, Math.min(end, size))];
}

/** A small in-memory file; for the JSON files. */
export function bufferFile(content: Buffer, contentType: string): VirtualFile {
  return {
    size: content.length,
    contentType,
    *chunks(start, end) {
      const [from, to] = clampRange(content.length, start, end);
      if (to > from) yield Buffer.from(content.subarray(from, to));
    },
  };
}

export function jsonFile(value: unknown): VirtualFile {
  return bufferFile(Buffer.from(`${JSON.stringify(value, null, 2)}\n`), "application/json");
}

/** JSON cut in half: the `invalid_json` fault. */
export function brokenJsonFile(value: unknown): VirtualFile {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  return bufferFile(Buffer.from(text.slice(0, Math.floor(text.length / 2))), "application/json");
}

/** sha256 of a file, hashed chunk by chunk, yielding to the event loop between chunks. */
export async function sha256OfFile(file: VirtualFile, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for (const chunk of file.chunks()) {
    signal?.throwIfAborted();
    hash.update(chunk);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return hash.digest("hex");
}
