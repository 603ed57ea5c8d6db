import { createHash } from "node:crypto";

// Deterministic pseudo-random bytes: the tensor data of every job, generated in aligned 1 MiB
// chunks so any byte range reproduces exactly the bytes a full download has at that offset.

export const CHUNK_BYTES = 1024 * 1024;
const BLOCK_WORDS = 16 * 1024; // 64 KiB random block, re-mixed per block position
const WORDS_PER_CHUNK = CHUNK_BYTES / 4;

/** murmur3's finaliser: a cheap, well-mixed 32-bit hash. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32 seeded from the job id: the source of every "random" choice for that job. */
export function seededRandom(jobId: string, stream = ""): () => number {
  const digest = createHash("sha256").update(`${stream}\0${jobId}`).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

export interface NoiseSource {
  block: Uint32Array;
  salt: number;
}

const noiseCache = new Map<string, NoiseSource>();
const NOISE_CACHE_LIMIT = 128; // 128 × 64 KiB = 8 MiB at most

export function noiseFor(jobId: string): NoiseSource {
  let noise = noiseCache.get(jobId);
  if (noise) return noise;
  const next = seededRandom(jobId, "tensor-bytes");
  const block = new Uint32Array(BLOCK_WORDS);
  for (let i = 0; i < BLOCK_WORDS; i++) block[i] = next();
  noise = { block, salt: next() };
  if (noiseCache.size >= NOISE_CACHE_LIMIT) {
    const oldest = noiseCache.keys().next().value;
    if (oldest !== undefined) noiseCache.delete(oldest);
  }
  noiseCache.set(jobId, noise);
  return noise;
}

/**
 * Bytes [start, end) of a job's endless noise stream. Word w of the stream is
 * block[w mod 16384] XOR fmix32(salt + floor(w / 16384)): a memcpy-speed loop, yet no 64 KiB
 * span repeats. Chunks are aligned to 1 MiB of stream so any range reproduces the same bytes.
 */
export function* noiseChunks(noise: NoiseSource, start: number, end: number): Generator<Buffer> {
  const { block, salt } = noise;
  let chunkIndex = Math.floor(start / CHUNK_BYTES);
  while (chunkIndex * CHUNK_BYTES < end) {
    const chunkStart = chunkIndex * CHUNK_BYTES;
    const needBytes = Math.min(end - chunkStart, CHUNK_BYTES);
    const words = Math.ceil(needBytes / 4);
    // allocUnsafeSlow: never from the shared pool, so the Uint32Array view is 4-byte aligned.
    const buffer = Buffer.allocUnsafeSlow(words * 4);
    const view = new Uint32Array(buffer.buffer, buffer.byteOffset, words);
    const firstSegment = chunkIndex * (WORDS_PER_CHUNK / BLOCK_WORDS);
    for (let offset = 0, segment = firstSegment; offset < words; offset += BLOCK_WORDS, segment++) {
      const mask = fmix32(salt + segment);
      const limit = Math.min(BLOCK_WORDS, words - offset);
      for (let i = 0; i < limit; i++) view[offset + i] = (block[i]! ^ mask) >>> 0;
    }
    const from = Math.max(start - chunkStart, 0);
    yield buffer.subarray(from, needBytes);
    chunkIndex++;
  }
}
