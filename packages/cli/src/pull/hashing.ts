import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

/** Size of a file, or null when there is none. */
export async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return null;
    throw error;
  }
}

/** A sha256 fed with the first `length` bytes of `path` (to continue it over resumed bytes). */
export async function hashPrefix(path: string, length: number): Promise<Hash> {
  const hash = createHash("sha256");
  if (length === 0) return hash;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) {
    hash.update(chunk as Buffer);
  }
  return hash;
}
