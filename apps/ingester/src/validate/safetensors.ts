import { Transform, type TransformCallback } from "node:stream";

import { z } from "zod";

import { InvalidArtifactFileError } from "./errors";

/** The format's own reference implementation refuses headers above 100 MB. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100 * 1024 * 1024;

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

const tensorSchema = z.object({
  dtype: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

export interface SafetensorsTensor {
  name: string;
  dtype: string;
  shape: number[];
}

export interface SafetensorsSummary {
  headerBytes: number;
  dataBytes: number;
  tensorCount: number;
  metadata: Record<string, string> | null;
  /** Every tensor of the header in file order (names, dtypes and shapes: what adapter facts read). */
  tensors: SafetensorsTensor[];
}

/**
 * Checks the safetensors layout while the bytes stream past (they are passed through unchanged):
 * an 8-byte little-endian header length N (≤ 100 MiB), N bytes of JSON mapping tensor names to
 * `{ dtype, shape, data_offsets }` (plus an optional `__metadata__` string map), every tensor's
 * offsets inside the data area and matching its dtype × shape, and at the end
 * 8 + N + data size == file size. Only the header is held in memory.
 */
export class SafetensorsValidator extends Transform {
  private prefix: Buffer[] = [];
  private prefixBytes = 0;
  private headerLength: number | null = null;
  private dataEnd: number | null = null;
  private totalBytes = 0;
  summary: SafetensorsSummary | null = null;

  constructor(private readonly fileName = "adapter_model.safetensors") {
    super();
  }

  private fail(reason: string, permanent = true): InvalidArtifactFileError {
    return new InvalidArtifactFileError(this.fileName, `safetensors ${reason}`, permanent);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.totalBytes += chunk.length;
    if (this.dataEnd === null) {
      try {
        this.capture(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
    }
    callback(null, chunk);
  }

  /** Collects bytes until the header is complete, then parses it once and drops the copy. */
  private capture(chunk: Buffer): void {
    this.prefix.push(chunk);
    this.prefixBytes += chunk.length;
    if (this.headerLength === null) {
      if (this.prefixBytes < 8) return;
      const head = Buffer.concat(this.prefix);
      this.prefix = [head];
      const length = head.readBigUInt64LE(0);
      if (length === 0n) throw this.fail("header length is 0");
      if (length > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
        throw this.fail(`header length ${length} exceeds ${SAFETENSORS_MAX_HEADER_BYTES} bytes`);
      }
      this.headerLength = Number(length);
    }
    if (this.prefixBytes < 8 + this.headerLength) return;
    const all = Buffer.concat(this.prefix);
    this.prefix = [];
    this.dataEnd = this.parseHeader(all.subarray(8, 8 + this.headerLength));
  }

  private parseHeader(bytes: Buffer): number {
    let header: unknown;
    try {
      header = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw this.fail("header is not valid JSON");
    }
    if (header === null || typeof header !== "object" || Array.isArray(header)) {
      throw this.fail("header is not a JSON object");
    }
    let metadata: Record<string, string> | null = null;
    const ranges: Array<[number, number, string]> = [];
    const tensors: SafetensorsTensor[] = [];
    for (const [name, value] of Object.entries(header)) {
      if (name === "__metadata__") {
        const parsed = z.record(z.string(), z.string()).safeParse(value);
        if (!parsed.success) throw this.fail("__metadata__ is not a map of strings");
        metadata = parsed.data;
        continue;
      }
      const parsed = tensorSchema.safeParse(value);
      if (!parsed.success)
        throw this.fail(`tensor "${name.slice(0, 100)}" has no valid dtype/shape/data_offsets`);
      const [begin, end] = parsed.data.data_offsets;
      if (end < begin)
        throw this.fail(`tensor "${name.slice(0, 100)}" has data_offsets [${begin}, ${end}]`);
      const elementBytes = DTYPE_BYTES[parsed.data.dtype];
      if (elementBytes !== undefined) {
        const expected = parsed.data.shape.reduce((product, dim) => product * dim, elementBytes);
        if (expected !== end - begin) {
          throw this.fail(
            `tensor "${name.slice(0, 100)}" spans ${end - begin} bytes but ${parsed.data.dtype}${JSON.stringify(parsed.data.shape)} needs ${expected}`,
          );
        }
      }
      ranges.push([begin, end, name]);
      tensors.push({ name, dtype: parsed.data.dtype, shape: parsed.data.shape });
    }
    if (ranges.length === 0) throw this.fail("header lists no tensors");
    // The data area must be covered exactly: no overlaps, no holes.
    ranges.sort((a, b) => a[0] - b[0]);
    let cursor = 0;
    for (const [begin, end, name] of ranges) {
      if (begin !== cursor)
        throw this.fail(`tensor "${name.slice(0, 100)}" starts at ${begin}, expected ${cursor}`);
      cursor = end;
    }
    this.summary = {
      headerBytes: bytes.length,
      dataBytes: cursor,
      tensorCount: ranges.length,
      metadata,
      tensors,
    };
    return cursor;
  }

  override _flush(callback: TransformCallback): void {
    if (this.headerLength === null || this.dataEnd === null) {
      callback(this.fail(`file ends inside its header (${this.totalBytes} bytes)`, false));
      return;
    }
    const expected = 8 + this.headerLength + this.dataEnd;
    if (expected !== this.totalBytes) {
      callback(
        this.fail(
          `file is ${this.totalBytes} bytes but its header describes ${expected}`,
          this.totalBytes > expected,
        ),
      );
      return;
    }
    callback();
  }
}
