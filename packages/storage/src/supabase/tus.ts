/**
 * The part of the TUS 1.0.0 protocol Supabase's `/upload/resumable` speaks (creation, PATCH,
 * HEAD to resume after a failed PATCH, termination), with plain fetch. Chunks are read from the
 * (already metered) body one at a time, so memory stays around one chunk.
 */
import { Readable } from "node:stream";
import { StorageBackendError } from "../errors";
import type { FetchLike } from "./fetch";

/** Supabase requires exactly 6 MiB chunks (except the last). */
export const TUS_CHUNK_BYTES = 6 * 1024 * 1024;
const PATCH_ATTEMPTS = 4;

export interface TusUploadOptions {
  storageUrl: string;
  headers: Record<string, string>;
  bucket: string;
  path: string;
  contentType: string;
  sizeBytes: number;
  body: AsyncIterable<unknown>;
  /** Used for every request; `signal` is added to all but the termination (DELETE). */
  fetch: FetchLike;
  signal?: AbortSignal;
  chunkBytes?: number;
}

export async function tusUpload(options: TusUploadOptions): Promise<void> {
  const { fetch, sizeBytes } = options;
  const chunkBytes = options.chunkBytes ?? TUS_CHUNK_BYTES;
  const endpoint = `${options.storageUrl}/upload/resumable`;
  const baseHeaders = { ...options.headers, "Tus-Resumable": "1.0.0" };
  const signal = options.signal ?? null;
  const created = await fetch(endpoint, {
    method: "POST",
    signal,
    headers: {
      ...baseHeaders,
      "Upload-Length": String(sizeBytes),
      "Upload-Metadata": encodeMetadata({
        bucketName: options.bucket,
        objectName: options.path,
        contentType: options.contentType,
        cacheControl: "3600",
      }),
      "x-upsert": "true",
    },
  });
  if (created.status !== 201) throw await tusError("create the resumable upload", created);
  await created.body?.cancel();
  const locationHeader = created.headers.get("location");
  if (!locationHeader) throw new StorageBackendError("Resumable upload created without a Location");
  const location = new URL(locationHeader, endpoint).toString();

  let completed = false;
  try {
    let offset = 0;
    for await (const chunk of readChunks(options.body, chunkBytes, sizeBytes)) {
      offset = await patchChunk(options, location, baseHeaders, chunk, offset);
    }
    if (offset !== sizeBytes) {
      throw new StorageBackendError(`Resumable upload ended at ${offset} of ${sizeBytes} bytes`);
    }
    completed = true;
  } finally {
    if (!completed) {
      // Termination: the server drops the partial upload; nothing was committed at the path.
      await fetch(location, { method: "DELETE", headers: baseHeaders })
        .then((response) => response.body?.cancel())
        .catch(() => undefined);
    }
  }
}

async function patchChunk(
  options: TusUploadOptions,
  location: string,
  headers: Record<string, string>,
  chunk: Uint8Array,
  chunkStart: number,
): Promise<number> {
  const chunkEnd = chunkStart + chunk.byteLength;
  let offset = chunkStart;
  let lastError: unknown;
  for (let attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
    options.signal?.throwIfAborted();
    if (attempt > 0) {
      await delay(200 * 2 ** attempt);
      // Resume where the server says it is: it may have kept part of the failed PATCH.
      const probe = await options.fetch(location, {
        method: "HEAD",
        headers,
        signal: options.signal ?? null,
      });
      if (!probe.ok) throw await tusError("resume the upload", probe);
      const serverOffset = Number(probe.headers.get("upload-offset"));
      if (
        !Number.isSafeInteger(serverOffset) ||
        serverOffset < chunkStart ||
        serverOffset > chunkEnd
      ) {
        throw new StorageBackendError(
          `Resumable upload is at an unexpected offset (${String(serverOffset)})`,
        );
      }
      offset = serverOffset;
      if (offset === chunkEnd) return offset;
    }
    try {
      const part = chunk.subarray(offset - chunkStart);
      const response = await options.fetch(location, {
        method: "PATCH",
        signal: options.signal ?? null,
        headers: {
          ...headers,
          "Upload-Offset": String(offset),
          "Content-Type": "application/offset+octet-stream",
          "Content-Length": String(part.byteLength),
        },
        // Streamed as views of the chunk: a byte-array body would be copied whole by fetch.
        body: Readable.from(views(part, 256 * 1024)),
        duplex: "half",
      });
      if (response.status === 204 || response.status === 200) {
        await response.body?.cancel();
        const next = Number(response.headers.get("upload-offset"));
        if (next !== chunkEnd)
          throw new StorageBackendError(
            `Resumable upload acknowledged ${String(next)}, expected ${chunkEnd}`,
          );
        return next;
      }
      lastError = await tusError("upload a chunk", response);
      // 4xx other than an offset conflict will not get better by retrying.
      if (response.status >= 400 && response.status < 500 && response.status !== 409)
        throw lastError;
    } catch (error) {
      if (options.signal?.aborted || error instanceof StorageBackendError) throw error;
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new StorageBackendError("Resumable upload failed");
}

/**
 * Yields chunks of exactly `chunkBytes` (the last one shorter). The final chunk is yielded only
 * after the body has ended, i.e. after the integrity checks in the body's flush have passed, so a
 * bad body never completes the upload.
 */
async function* readChunks(
  body: AsyncIterable<unknown>,
  chunkBytes: number,
  totalBytes: number,
): AsyncGenerator<Uint8Array> {
  let buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(totalBytes, 1)));
  let filled = 0;
  let sent = 0;
  for await (const piece of body) {
    let bytes = piece as Uint8Array;
    while (bytes.byteLength > 0) {
      const take = Math.min(bytes.byteLength, buffer.byteLength - filled);
      if (take === 0)
        throw new StorageBackendError(`Body is longer than the declared ${totalBytes} bytes`);
      buffer.set(bytes.subarray(0, take), filled);
      filled += take;
      bytes = bytes.subarray(take);
      if (filled === buffer.byteLength && sent + filled < totalBytes) {
        // The consumer resumes us only once the server acknowledged every byte of the chunk,
        // so the one buffer is reused (a new one per chunk would keep two alive at once).
        yield buffer;
        sent += filled;
        filled = 0;
        if (totalBytes - sent < buffer.byteLength) buffer = buffer.subarray(0, totalBytes - sent);
      }
    }
  }
  if (filled > 0 || totalBytes === 0) yield buffer.subarray(0, filled);
}

function* views(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += size)
    yield bytes.subarray(offset, offset + size);
}

function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value, "utf8").toString("base64")}`)
    .join(",");
}

async function tusError(action: string, response: Response): Promise<StorageBackendError> {
  const text = await response.text().catch(() => "");
  let statusCode: string | undefined;
  let code: string | undefined;
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as {
      statusCode?: unknown;
      code?: unknown;
      error?: unknown;
      message?: unknown;
    };
    statusCode = typeof body.statusCode === "string" ? body.statusCode : undefined;
    code =
      typeof body.code === "string"
        ? body.code
        : typeof body.error === "string"
          ? body.error
          : undefined;
    if (typeof body.message === "string") message = body.message;
  } catch {
    // not JSON: keep the text
  }
  return new StorageBackendError(
    `Could not ${action} (HTTP ${response.status}${code ? `, ${code}` : ""}): ${message}`,
    {
      status: response.status,
      ...(statusCode ? { statusCode } : {}),
      ...(code ? { code } : {}),
    },
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
