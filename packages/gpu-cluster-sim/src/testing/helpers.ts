// Test support (not exported from index): an independent safetensors reader and streaming
// download helpers, so tests check the simulator's bytes against the format, not against itself.
import { createHash } from "node:crypto";

const DTYPE_BYTES: Record<string, number> = { F16: 2, BF16: 2, F32: 4, U8: 1 };

export interface ParsedSafetensorsHeader {
  headerLength: number;
  metadata: Record<string, string> | undefined;
  tensors: Map<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  /** Byte count the header says the data section has. */
  dataLength: number;
}

/** Parses and checks a safetensors header from the first bytes of a file of `fileSize` bytes. */
export function parseSafetensorsHeader(prefix: Buffer, fileSize: number): ParsedSafetensorsHeader {
  if (prefix.length < 8) throw new Error("shorter than the 8-byte length prefix");
  const headerLength = Number(prefix.readBigUInt64LE(0));
  if (8 + headerLength > fileSize)
    throw new Error(`header length ${headerLength} points beyond the file`);
  if (prefix.length < 8 + headerLength) throw new Error("prefix does not hold the whole header");
  // As safetensors' own reader (lib.rs, read_metadata): the header starts with "{" and is JSON
  // (trailing spaces allowed); no alignment is required — its writer pads to 8 by convention,
  // which an exact file size of the simulator's choosing cannot always keep.
  if (prefix[8] !== 0x7b) throw new Error('header does not start with "{"');
  const raw = JSON.parse(prefix.subarray(8, 8 + headerLength).toString("utf8")) as Record<
    string,
    unknown
  >;
  const tensors: ParsedSafetensorsHeader["tensors"] = new Map();
  let metadata: Record<string, string> | undefined;
  const spans: [number, number][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === "__metadata__") {
      metadata = value as Record<string, string>;
      continue;
    }
    const tensor = value as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const elementBytes = DTYPE_BYTES[tensor.dtype];
    if (!elementBytes) throw new Error(`unknown dtype ${tensor.dtype}`);
    const [begin, end] = tensor.data_offsets;
    const elements = tensor.shape.reduce((product, dim) => product * dim, 1);
    if (end - begin !== elements * elementBytes)
      throw new Error(`${name}: offsets do not match shape × dtype`);
    tensors.set(name, tensor);
    spans.push([begin, end]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [begin, end] of spans) {
    if (begin !== cursor)
      throw new Error(`tensor data not contiguous at ${begin} (expected ${cursor})`);
    cursor = end;
  }
  if (cursor !== fileSize - 8 - headerLength)
    throw new Error(`data section is ${cursor} bytes, file holds ${fileSize - 8 - headerLength}`);
  return { headerLength, metadata, tensors, dataLength: cursor };
}

export interface StreamedBody {
  bytes: number;
  sha256: string;
  /** The first `keepPrefix` bytes. */
  prefix: Buffer;
  error: unknown;
}

/** Reads a body chunk by chunk: hashes and counts without ever holding it whole. */
export async function streamBody(
  body: ReadableStream<Uint8Array> | null,
  keepPrefix = 0,
): Promise<StreamedBody> {
  const hash = createHash("sha256");
  const prefixParts: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  let error: unknown = null;
  if (!body) return { bytes, sha256: hash.digest("hex"), prefix: Buffer.alloc(0), error };
  try {
    for await (const chunk of body) {
      hash.update(chunk);
      bytes += chunk.length;
      if (kept < keepPrefix) {
        const part = Buffer.from(chunk.subarray(0, keepPrefix - kept));
        prefixParts.push(part);
        kept += part.length;
      }
    }
  } catch (caught) {
    error = caught;
  }
  return { bytes, sha256: hash.digest("hex"), prefix: Buffer.concat(prefixParts), error };
}

export const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** The seven projections of a Llama decoder layer (attention, then MLP). */
export const LLAMA_PROJECTIONS = [
  "q_proj",
  "k_proj",
  "v_proj",
  "o_proj",
  "gate_proj",
  "up_proj",
  "down_proj",
] as const;

/**
 * Reads `bytes` bytes of a body, then waits `quietMs` for more: "stalled" when none came. The
 * caller aborts the request afterwards.
 */
export async function readUntilStall(
  body: ReadableStream<Uint8Array> | null,
  bytes: number,
  quietMs: number,
): Promise<{ received: number; after: "stalled" | "data" }> {
  if (!body) throw new Error("no body");
  const reader = body.getReader();
  let received = 0;
  while (received < bytes) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
  }
  const after = await Promise.race([
    reader.read().then(() => "data" as const),
    new Promise<"stalled">((resolve) => setTimeout(() => resolve("stalled"), quietMs)),
  ]);
  return { received, after };
}
