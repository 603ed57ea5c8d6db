import { createHash } from "node:crypto";
import { Readable } from "node:stream";

export interface GeneratedStream {
  stream: Readable;
  /** sha256 (hex) of everything the stream produced; complete once it has ended. */
  sha256(): string;
}

/**
 * A deterministic stream of `sizeBytes` produced on demand (nothing held beyond one chunk), for
 * testing large transfers. `onChunk` runs before each chunk is produced (e.g. to sample memory).
 */
export function createGeneratedStream(
  sizeBytes: number,
  options: { chunkBytes?: number; seed?: number; onChunk?: (bytesProduced: number) => void } = {},
): GeneratedStream {
  const chunkBytes = options.chunkBytes ?? 256 * 1024;
  const seed = options.seed ?? 1;
  const hash = createHash("sha256");
  let produced = 0;
  let index = 0;
  let digest: string | undefined;
  const stream = new Readable({
    read() {
      options.onChunk?.(produced);
      if (produced >= sizeBytes) {
        this.push(null);
        return;
      }
      const length = Math.min(chunkBytes, sizeBytes - produced);
      const chunk = Buffer.allocUnsafe(length);
      // Cheap pseudo-random content: a 32-bit xorshift per 4-byte word.
      let state = (seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0 || 1;
      for (let offset = 0; offset + 4 <= length; offset += 4) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        chunk.writeUInt32LE(state >>> 0, offset);
      }
      for (let offset = length - (length % 4); offset < length; offset++)
        chunk[offset] = offset & 0xff;
      hash.update(chunk);
      produced += length;
      index++;
      this.push(chunk);
    },
  });
  return {
    stream,
    sha256() {
      digest ??= hash.digest("hex");
      return digest;
    },
  };
}

/** Lowercase hex sha256 of `bytes`: what a put's result and its expectations carry. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A Node stream of `bytes` in small chunks (so streaming really happens). */
export function inChunks(bytes: Buffer, chunkBytes = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkBytes)
    chunks.push(bytes.subarray(offset, offset + chunkBytes));
  return Readable.from(chunks);
}
