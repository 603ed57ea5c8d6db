import { createHash } from "node:crypto";

import { type JobSpec, type JobSpecInput, resolveJobSpec } from "./spec";

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

export const CHUNK_BYTES = 1024 * 1024;
const BLOCK_WORDS = 16 * 1024; // 64 KiB random block, re-mixed per block position
const WORDS_PER_CHUNK = CHUNK_BYTES / 4;

// ---------------------------------------------------------------------------------------------
// Pseudo-random bytes

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

interface NoiseSource {
  block: Uint32Array;
  salt: number;
}

const noiseCache = new Map<string, NoiseSource>();
const NOISE_CACHE_LIMIT = 128; // 128 × 64 KiB = 8 MiB at most

function noiseFor(jobId: string): NoiseSource {
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
function* noiseChunks(noise: NoiseSource, start: number, end: number): Generator<Buffer> {
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

// ---------------------------------------------------------------------------------------------
// safetensors

export interface SafetensorsLayout {
  /** 8-byte length prefix + JSON header padded with spaces to a multiple of 8. */
  header: Buffer;
  headerJsonLength: number;
  bodyLength: number;
  totalSize: number;
  layers: number;
  hiddenSize: number;
  tensorCount: number;
  paddingBytes: number;
}

const MLP_MODULES = new Set(["gate_proj", "up_proj", "down_proj"]);
const PREFERRED_HIDDEN = 4096;
const MAX_LAYERS = 128;
const PADDING_TENSOR = "simulator_padding";

/** Real checkpoints keep MLP projections under `mlp`; everything else sits under `self_attn`. */
function moduleParent(module: string): string {
  return MLP_MODULES.has(module) ? "mlp" : "self_attn";
}

function headerJson(
  spec: JobSpec,
  layers: number,
  hidden: number,
  padding: number,
  numbersAs?: number,
): string {
  const bytesPerElement = spec.dtype === "F16" ? 2 : 4;
  const tensorBytes = spec.rank * hidden * bytesPerElement;
  // `numbersAs` replaces every dimension and offset: a length upper bound when it is the largest.
  const n = (value: number) => numbersAs ?? value;
  const entries: string[] = [`"__metadata__":{"format":"pt"}`];
  let offset = 0;
  for (let layer = 0; layer < layers; layer++) {
    for (const module of spec.targetModules) {
      const prefix = `base_model.model.model.layers.${layer}.${moduleParent(module)}.${module}`;
      entries.push(
        `"${prefix}.lora_A.weight":{"dtype":"${spec.dtype}","shape":[${spec.rank},${n(hidden)}],"data_offsets":[${n(offset)},${n(offset + tensorBytes)}]}`,
      );
      offset += tensorBytes;
      entries.push(
        `"${prefix}.lora_B.weight":{"dtype":"${spec.dtype}","shape":[${n(hidden)},${spec.rank}],"data_offsets":[${n(offset)},${n(offset + tensorBytes)}]}`,
      );
      offset += tensorBytes;
    }
  }
  entries.push(
    `"${PADDING_TENSOR}":{"dtype":"U8","shape":[${n(padding)}],"data_offsets":[${n(offset)},${n(offset + padding)}]}`,
  );
  return `{${entries.join(",")}}`;
}

/**
 * Chooses layers × hidden size so the LoRA tensors fill the requested size, then a U8 padding
 * tensor takes the remainder, so the file is exactly `adapterSizeBytes` long. The header is
 * padded with spaces to a length fixed in advance (an upper bound rounded to 8), so the padding
 * tensor's own digits cannot change the header length.
 */
export function safetensorsLayout(specInput: JobSpecInput | JobSpec = {}): SafetensorsLayout {
  const spec = resolveJobSpec(specInput);
  const total = spec.adapterSizeBytes;
  const bytesPerElement = spec.dtype === "F16" ? 2 : 4;
  // Bytes one layer costs per unit of hidden size (A and B for every target module).
  const bytesPerHiddenUnit = spec.targetModules.length * 2 * spec.rank * bytesPerElement;

  const reservedHeader = (layers: number) =>
    Math.ceil(headerJson(spec, layers, 0, 0, total).length / 8) * 8;
  let layers = Math.min(
    MAX_LAYERS,
    Math.max(1, Math.floor(total / (bytesPerHiddenUnit * PREFERRED_HIDDEN))),
  );
  let budget = total - 8 - reservedHeader(layers);
  layers = Math.min(
    layers,
    Math.max(1, Math.floor(budget / (bytesPerHiddenUnit * PREFERRED_HIDDEN))),
  );
  budget = total - 8 - reservedHeader(layers);
  const hidden = Math.floor(budget / (bytesPerHiddenUnit * layers) / 8) * 8;
  if (hidden < 8) {
    throw new RangeError(
      `adapterSizeBytes ${total} is too small for rank ${spec.rank} × ${spec.targetModules.length} modules`,
    );
  }
  const headerLength = reservedHeader(layers);
  const loraBytes = layers * bytesPerHiddenUnit * hidden;
  const paddingBytes = total - 8 - headerLength - loraBytes;
  const json = headerJson(spec, layers, hidden, paddingBytes);
  const header = Buffer.alloc(8 + headerLength, 0x20);
  header.writeBigUInt64LE(BigInt(headerLength), 0);
  header.write(json, 8, "utf8");
  return {
    header,
    headerJsonLength: Buffer.byteLength(json),
    bodyLength: loraBytes + paddingBytes,
    totalSize: total,
    layers,
    hiddenSize: hidden,
    tensorCount: layers * spec.targetModules.length * 2 + 1,
    paddingBytes,
  };
}

export type SafetensorsVariant = "ok" | "length_beyond_file" | "not_json";

function clampRange(size: number, start = 0, end = size): [number, number] {
  const from = Math.max(0, Math.min(start, size));
  return [from, Math.max(from, Math.min(end, size))];
}

/** adapter_model.safetensors for a job: header in memory, tensor bytes generated on demand. */
export function safetensorsFile(
  jobId: string,
  specInput: JobSpecInput | JobSpec = {},
  variant: SafetensorsVariant = "ok",
): VirtualFile {
  const layout = safetensorsLayout(specInput);
  let header = layout.header;
  if (variant === "length_beyond_file") {
    header = Buffer.from(header);
    header.writeBigUInt64LE(BigInt(layout.totalSize), 0);
  } else if (variant === "not_json") {
    header = Buffer.alloc(header.length, 0x20);
    header.writeBigUInt64LE(BigInt(header.length - 8), 0);
    header.write("<<this header is not JSON>>", 8, "latin1");
  }
  const noise = noiseFor(jobId);
  const size = layout.totalSize;
  return {
    size,
    contentType: "application/octet-stream",
    *chunks(start, end) {
      const [from, to] = clampRange(size, start, end);
      if (from < header.length)
        yield Buffer.from(header.subarray(from, Math.min(to, header.length)));
      if (to > header.length)
        yield* noiseChunks(
          noise,
          Math.max(from, header.length) - header.length,
          to - header.length,
        );
    },
  };
}

/** Streams adapter_model.safetensors for a job (optionally only bytes [start, end)). */
export function safetensorsStream(
  jobId: string,
  specInput: JobSpecInput | JobSpec = {},
  range: { start?: number; end?: number } = {},
): Generator<Buffer> {
  return safetensorsFile(jobId, specInput).chunks(range.start, range.end);
}

// ---------------------------------------------------------------------------------------------
// JSON files

/** PEFT's adapter_config.json for the job. */
export function adapterConfig(specInput: JobSpecInput | JobSpec = {}): Record<string, unknown> {
  const spec = resolveJobSpec(specInput);
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: spec.baseModel,
    bias: "none",
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: spec.loraAlpha,
    lora_dropout: 0.05,
    modules_to_save: null,
    peft_type: "LORA",
    r: spec.rank,
    rank_pattern: {},
    revision: null,
    target_modules: spec.targetModules,
    task_type: "CAUSAL_LM",
    use_dora: false,
    use_rslora: false,
  };
}

/** Hugging Face TrainingArguments-style training_args.json, varied per job id. */
export function trainingArgs(
  jobId: string,
  specInput: JobSpecInput | JobSpec = {},
): Record<string, unknown> {
  const spec = resolveJobSpec(specInput);
  const next = seededRandom(jobId, "training-args");
  const pick = <T>(options: readonly T[]): T => options[next() % options.length]!;
  return {
    output_dir: `/checkpoints/${jobId}`,
    base_model: spec.baseModel,
    learning_rate: pick([5e-5, 1e-4, 2e-4, 3e-4]),
    num_train_epochs: pick([1, 2, 3, 4]),
    per_device_train_batch_size: pick([1, 2, 4, 8]),
    per_device_eval_batch_size: 4,
    gradient_accumulation_steps: pick([1, 2, 4, 8]),
    warmup_ratio: 0.03,
    weight_decay: 0.0,
    lr_scheduler_type: pick(["cosine", "linear", "constant_with_warmup"]),
    optim: "adamw_torch",
    max_seq_length: pick([1024, 2048, 4096]),
    logging_steps: 10,
    eval_strategy: "steps",
    eval_steps: 100,
    save_strategy: "epoch",
    bf16: true,
    seed: next() % 100_000,
  };
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
