// adapter_model.safetensors of exactly the requested size: the header in memory, the tensor data
// generated on demand.
import { noiseChunks, noiseFor } from "./noise";
import {
  type AdapterTensor,
  adapterTensors,
  layerTensors,
  savedModuleTensors,
  vocabSizeFor,
} from "./peft";
import { type JobSpec, type JobSpecInput, MIN_ADAPTER_SIZE_BYTES, resolveJobSpec } from "./spec";
import { clampRange, type VirtualFile } from "./virtual-file";

export interface SafetensorsLayout {
  /**
   * 8-byte length prefix + JSON header padded with spaces to the exact file size (the format
   * allows trailing spaces in the header; the tensor bytes must be fully indexed, no holes).
   */
  header: Buffer;
  headerJsonLength: number;
  bodyLength: number;
  totalSize: number;
  layers: number;
  hiddenSize: number;
  /** Rows of `embed_tokens` / `lm_head` when they are saved (VOCAB_PER_HIDDEN × hiddenSize). */
  vocabSize: number;
  /** Every tensor in the header. */
  tensorCount: number;
  /** The adapter's tensors in file order. */
  adapterTensors: AdapterTensor[];
  parameterCount: number;
  /** Spaces after the header's JSON: the bytes the tensors cannot fill exactly. */
  paddingBytes: number;
}
const PREFERRED_HIDDEN = 4096;
const MAX_LAYERS = 128;
const MIN_HIDDEN = 8;

const DTYPE_BYTES: Record<string, number> = { F16: 2, BF16: 2, F32: 4 };
const elements = (tensor: { shape: number[] }) => tensor.shape.reduce((a, b) => a * b, 1);
const bytesOf = (tensors: { dtype: string; shape: number[] }[]) =>
  tensors.reduce((sum, tensor) => sum + elements(tensor) * (DTYPE_BYTES[tensor.dtype] ?? 1), 0);

/**
 * The header JSON. With `offsetsAs`, every data offset is written as that number: given the
 * largest number in the file and tensors whose variable dimensions are that number too, the
 * result is an upper bound of the real header's length.
 */
function headerJson(
  tensors: { name: string; dtype: string; shape: number[] }[],
  offsetsAs?: number,
) {
  const entries: string[] = [`"__metadata__":{"format":"pt"}`];
  let offset = 0;
  for (const { name, dtype, shape } of tensors) {
    const end = offset + elements({ shape }) * (DTYPE_BYTES[dtype] ?? 1);
    const offsets = offsetsAs === undefined ? [offset, end] : [offsetsAs, offsetsAs];
    entries.push(`"${name}":${JSON.stringify({ dtype, shape, data_offsets: offsets })}`);
    offset = end;
  }
  return `{${entries.join(",")}}`;
}

/**
 * Header bytes reserved for `layers` layers in a file of `size` bytes: no dimension or offset can
 * exceed the size, so writing the size for each gives an upper bound. It depends only on how many
 * digits `size` has.
 */
function reservedHeader(spec: JobSpec, layers: number, size: number): number {
  return Math.ceil(headerJson(adapterTensors(spec, layers, size, size), size).length / 8) * 8;
}

/** Tensor bytes of the adapter: linear in layers, and in hidden but for saved whole modules. */
function sizing(spec: JobSpec) {
  // Per layer and unit of hidden size (layer tensors are linear in hidden).
  const perLayerPerHidden = bytesOf(layerTensors(spec, 0, 1));
  const savedBytes = (hidden: number) =>
    bytesOf(savedModuleTensors(spec, hidden, vocabSizeFor(hidden)));
  return {
    perLayerPerHidden,
    savedBytes,
    adapterBytes: (layers: number, hidden: number) =>
      layers * perLayerPerHidden * hidden + savedBytes(hidden),
  };
}

/**
 * The smallest `adapterSizeBytes` from which on every size fits this spec's exact layout (at
 * the minimum: 1 layer, hidden size 8). Smaller sizes are refused with this number in the error.
 */
export function minimumAdapterSizeBytes(specInput: JobSpecInput | JobSpec = {}): number {
  const spec = resolveJobSpec(specInput);
  const tensorBytes = sizing(spec).adapterBytes(1, MIN_HIDDEN);
  // The smallest size with `digits` digits that fits, or null when none does.
  const smallestWith = (digits: number) => {
    const first = 10 ** (digits - 1);
    const smallest = Math.max(8 + tensorBytes + reservedHeader(spec, 1, first), first);
    return smallest < 10 ** digits ? smallest : null;
  };
  for (let digits = String(8 + tensorBytes).length; ; digits++) {
    const smallest = smallestWith(digits);
    // A size one digit longer reserves a longer header: it must fit from its first value on.
    if (smallest !== null && smallestWith(digits + 1) === 10 ** digits)
      return Math.max(smallest, MIN_ADAPTER_SIZE_BYTES);
  }
}

/**
 * Chooses layers × hidden size so the adapter's tensors fill the requested size; the header's
 * trailing spaces take the remainder, so the file is exactly `adapterSizeBytes` long and holds
 * nothing but the adapter's tensors (a foreign tensor would make vLLM refuse it: "… is
 * unsupported LoRA weight"). The layout is sized against a header length fixed in advance (an
 * upper bound), so the real header always fits.
 */
export function safetensorsLayout(specInput: JobSpecInput | JobSpec = {}): SafetensorsLayout {
  const spec = resolveJobSpec(specInput);
  const total = spec.adapterSizeBytes;
  const { perLayerPerHidden, savedBytes, adapterBytes } = sizing(spec);
  const layersFor = (budget: number) =>
    Math.max(
      1,
      Math.floor((budget - savedBytes(PREFERRED_HIDDEN)) / (perLayerPerHidden * PREFERRED_HIDDEN)),
    );

  let layers = Math.min(MAX_LAYERS, layersFor(total));
  layers = Math.min(layers, layersFor(total - 8 - reservedHeader(spec, layers, total)));
  const headerLength = reservedHeader(spec, layers, total);
  const budget = total - 8 - headerLength;
  // The largest multiple of 8 whose tensors fit (binary search: saved modules grow with hidden²).
  let low = 0;
  let high = Math.floor(budget / (perLayerPerHidden * layers) / 8);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (adapterBytes(layers, mid * 8) <= budget) low = mid;
    else high = mid - 1;
  }
  const hidden = low * 8;
  if (hidden < MIN_HIDDEN) {
    throw new RangeError(
      `adapterSizeBytes ${total} is too small for rank ${spec.rank} × ${spec.targetModules.length} modules${describeExtras(spec)}: this spec needs at least ${minimumAdapterSizeBytes(spec)} bytes`,
    );
  }
  const tensors = adapterTensors(spec, layers, hidden);
  const tensorBytes = bytesOf(tensors);
  const json = headerJson(tensors);
  const fullHeaderLength = total - 8 - tensorBytes;
  const header = Buffer.alloc(8 + fullHeaderLength, 0x20);
  header.writeBigUInt64LE(BigInt(fullHeaderLength), 0);
  header.write(json, 8, "utf8");
  const jsonLength = Buffer.byteLength(json);
  return {
    header,
    headerJsonLength: jsonLength,
    bodyLength: tensorBytes,
    totalSize: total,
    layers,
    hiddenSize: hidden,
    vocabSize: vocabSizeFor(hidden),
    tensorCount: tensors.length,
    adapterTensors: tensors,
    parameterCount: tensors.reduce((sum, tensor) => sum + elements(tensor), 0),
    paddingBytes: fullHeaderLength - jsonLength,
  };
}

function describeExtras(spec: JobSpec): string {
  const extras = [
    spec.dtype,
    ...(spec.useDora ? ["DoRA"] : []),
    ...spec.modulesToSave,
    ...(spec.taskType === "CAUSAL_LM" ? [] : [spec.taskType]),
  ];
  return ` (${extras.join(", ")})`;
}

export type SafetensorsVariant = "ok" | "length_beyond_file" | "not_json";

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
    header.write("{<<this header is not JSON>>", 8, "latin1");
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
