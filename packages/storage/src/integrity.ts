import { createHash, type Hash } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";

import { StorageIntegrityError } from "./errors";
import type { PutOptions } from "./types";

const PROGRESS_INTERVAL_MS = 250;

export interface MeterResult {
  sizeBytes: number;
  sha256: string;
  /** CRC-32 (ZIP's polynomial) of the same bytes, so a ZIP of them can be laid out up front. */
  crc32: number;
}

/**
 * A pass-through that hashes and counts the bytes and enforces the caller's expectations before
 * the end of the stream reaches the destination: a body that runs past `expectedSizeBytes` fails
 * at once, and a wrong size or sha256 fails in `flush`, so a consumer never sees a clean end for
 * bad bytes (the local backend never renames, an HTTP upload never completes).
 */
export class IntegrityMeter extends Transform {
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;
  private crc = 0;
  private lastProgressAt = 0;
  private digest: string | undefined;

  constructor(
    private readonly path: string,
    private readonly options: Pick<
      PutOptions,
      "expectedSizeBytes" | "expectedSha256" | "onProgress"
    >,
  ) {
    super();
  }

  override _transform(
    chunk: unknown,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    const bytes = toBytes(chunk);
    this.bytes += bytes.byteLength;
    const expected = this.options.expectedSizeBytes;
    if (expected !== undefined && this.bytes > expected) {
      callback(new StorageIntegrityError(this.path, "size", expected, this.bytes));
      return;
    }
    this.hash.update(bytes);
    this.crc = crc32(bytes, this.crc);
    this.reportProgress(false);
    callback(null, bytes);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.check();
      this.reportProgress(true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** Final size and sha256; throws when the expectations fail. Call only after the end. */
  result(): MeterResult {
    this.check();
    return { sizeBytes: this.bytes, sha256: this.sha256(), crc32: this.crc };
  }

  get bytesSeen(): number {
    return this.bytes;
  }

  private sha256(): string {
    this.digest ??= this.hash.digest("hex");
    return this.digest;
  }

  private check(): void {
    const { expectedSizeBytes, expectedSha256 } = this.options;
    if (expectedSizeBytes !== undefined && this.bytes !== expectedSizeBytes) {
      throw new StorageIntegrityError(this.path, "size", expectedSizeBytes, this.bytes);
    }
    const actual = this.sha256();
    if (expectedSha256 !== undefined && actual !== expectedSha256.toLowerCase()) {
      throw new StorageIntegrityError(this.path, "sha256", expectedSha256, actual);
    }
  }

  private reportProgress(final: boolean): void {
    const onProgress = this.options.onProgress;
    if (!onProgress) return;
    const now = Date.now();
    if (!final && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    try {
      onProgress(this.bytes);
    } catch {
      // A failing progress callback must not fail or corrupt the upload.
    }
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError("put() bodies must yield bytes");
}

/** Node Readable for either body form `put` accepts. */
export function toNodeReadable(body: Readable | ReadableStream<Uint8Array>): Readable {
  if (body instanceof Readable) return body;
  return Readable.fromWeb(body);
}

export function validateExpectations(options: PutOptions): void {
  const { expectedSizeBytes, expectedSha256 } = options;
  if (
    expectedSizeBytes !== undefined &&
    (!Number.isSafeInteger(expectedSizeBytes) || expectedSizeBytes < 0)
  ) {
    throw new TypeError("expectedSizeBytes must be a non-negative integer");
  }
  if (expectedSha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(expectedSha256)) {
    throw new TypeError("expectedSha256 must be 64 hex characters");
  }
}
