import { Readable, pipeline } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { StorageClient } from "@supabase/storage-js";
import {
  abortError,
  StorageBackendError,
  StorageIntegrityError,
  StorageObjectNotFoundError,
} from "../errors";
import { IntegrityMeter, toNodeReadable, validateExpectations } from "../integrity";
import { assertExpiry } from "../local/local-storage";
import { assertSafeObjectPath, isSafeBucketName, normalizeFolderPrefix } from "../paths";
import { assertRangeInside } from "../read-range";
import type {
  ArtifactStorage,
  ByteRange,
  PutOptions,
  PutResult,
  SignedUrlRequest,
  StoredObject,
} from "../types";
import { createNoRedirectFetch, type FetchLike } from "./fetch";
import { TUS_CHUNK_BYTES, tusUpload } from "./tus";

export interface SupabaseStorageOptions {
  /** Storage API base, e.g. `https://<ref>.supabase.co/storage/v1`. */
  url: string;
  serviceRoleKey: string;
  bucket: string;
  /** Bodies of a known size above this go through resumable (TUS) uploads. Default 6 MiB. */
  resumableThresholdBytes?: number;
  /** TUS chunk size; Supabase requires 6 MiB. Only tests change it. */
  resumableChunkBytes?: number;
  fetch?: FetchLike;
}

/** Supabase caps a batch of signed URLs at 1,000 paths. */
const SIGN_BATCH_LIMIT = 1000;
const LIST_PAGE = 1000;
/** Lifetime of the signed URL a read goes through (only this process ever sees it). */
const READ_URL_TTL_SECONDS = 60;

export function createSupabaseStorage(options: SupabaseStorageOptions): ArtifactStorage {
  const { bucket, serviceRoleKey } = options;
  if (!isSafeBucketName(bucket))
    throw new TypeError(`Invalid bucket name ${JSON.stringify(bucket)}`);
  const storageUrl = options.url.replace(/\/+$/, "");
  const baseFetch = options.fetch ?? fetch;
  const authHeaders = { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}` };
  const threshold = options.resumableThresholdBytes ?? TUS_CHUNK_BYTES;

  function files(signal?: AbortSignal) {
    return new StorageClient(
      storageUrl,
      authHeaders,
      createNoRedirectFetch(signal, baseFetch),
    ).from(bucket);
  }

  async function put(
    path: string,
    body: Readable | ReadableStream<Uint8Array>,
    putOptions: PutOptions,
  ): Promise<PutResult> {
    assertSafeObjectPath(path);
    validateExpectations(putOptions);
    const { signal, expectedSizeBytes, contentType } = putOptions;
    const source = toNodeReadable(body);
    if (signal?.aborted) {
      source.destroy();
      throw abortError(signal);
    }
    const meter = new IntegrityMeter(path, putOptions);
    let streamError: unknown;
    pipeline(source, meter, (error) => {
      if (error) streamError ??= error;
    });
    const onAbort = () => meter.destroy(abortError(signal as AbortSignal));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (expectedSizeBytes !== undefined && expectedSizeBytes > threshold) {
        await tusUpload({
          storageUrl,
          headers: authHeaders,
          bucket,
          path,
          contentType,
          sizeBytes: expectedSizeBytes,
          body: meter,
          // The signal goes to the upload's requests, not to the termination request after an abort.
          fetch: createNoRedirectFetch(undefined, baseFetch),
          ...(signal ? { signal } : {}),
          ...(options.resumableChunkBytes ? { chunkBytes: options.resumableChunkBytes } : {}),
        });
      } else {
        // A Node stream goes out as the raw request body (storage-js sets `duplex: 'half'`);
        // if the meter fails, the request body errors and the server never commits the object.
        const { error } = await files(signal).upload(path, meter, {
          contentType,
          upsert: true,
          cacheControl: "3600",
        });
        if (error) throw toBackendError(error, `upload "${path}"`);
      }
    } catch (error) {
      source.destroy();
      meter.destroy();
      if (signal?.aborted) throw abortError(signal);
      const cause = meter.errored ?? streamError;
      throw cause ?? error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    try {
      const { sizeBytes, sha256, crc32 } = meter.result();
      return { path, sizeBytes, sha256, crc32 };
    } catch (error) {
      // Cannot happen when the meter's flush ran, but all-or-nothing is the contract.
      if (error instanceof StorageIntegrityError) await files().remove([path]);
      throw error;
    }
  }

  async function createSignedUrl(
    request: SignedUrlRequest,
    expiresInSeconds: number,
  ): Promise<string> {
    assertSafeObjectPath(request.path);
    assertExpiry(expiresInSeconds);
    // No `download` option here: storage-js runs encodeURI over the finished URL, which
    // double-encodes a percent-encoded file name; the parameter is appended below instead.
    const { data, error } = await files().createSignedUrl(request.path, expiresInSeconds);
    if (error) throw toBackendError(error, `sign "${request.path}"`, request.path);
    return withDownloadName(data.signedUrl, request.downloadName);
  }

  async function createSignedUrls(
    requests: SignedUrlRequest[],
    expiresInSeconds: number,
  ): Promise<string[]> {
    assertExpiry(expiresInSeconds);
    for (const request of requests) assertSafeObjectPath(request.path);
    const urls: string[] = [];
    for (let start = 0; start < requests.length; start += SIGN_BATCH_LIMIT) {
      const batch = requests.slice(start, start + SIGN_BATCH_LIMIT);
      const { data, error } = await files().createSignedUrls(
        batch.map((request) => request.path),
        expiresInSeconds,
      );
      if (error) throw toBackendError(error, "sign a batch of URLs");
      if (data.length !== batch.length)
        throw new StorageBackendError("Signed URL batch answered the wrong number of items");
      batch.forEach((request, index) => {
        const item = data[index];
        if (!item?.signedUrl || item.error) {
          throw new StorageObjectNotFoundError(request.path);
        }
        urls.push(withDownloadName(item.signedUrl, request.downloadName));
      });
    }
    return urls;
  }

  async function read(path: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable> {
    assertSafeObjectPath(path);
    if (range) assertRangeInside(range, Number.MAX_SAFE_INTEGER);
    // A signed URL of a minute: Range requests on it are what the server supports (and checked).
    const { data, error } = await files(signal).createSignedUrl(path, READ_URL_TTL_SECONDS);
    if (error) throw toBackendError(error, `sign "${path}"`, path);
    const response = await createNoRedirectFetch(signal, baseFetch)(data.signedUrl, {
      headers: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
    });
    const expected = range ? 206 : 200;
    if (response.status !== expected || !response.body) {
      const body = await response.text().catch(() => "");
      if (response.status === 416) {
        throw new RangeError(`byte range ${range?.start}-${range?.end} is outside "${path}"`);
      }
      let details: Record<string, unknown> = {};
      try {
        details = JSON.parse(body) as Record<string, unknown>;
      } catch {
        details = { message: `HTTP ${response.status}` };
      }
      throw toBackendError(details, `read "${path}"`, path);
    }
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  async function list(prefix: string): Promise<StoredObject[]> {
    const folder = normalizeFolderPrefix(prefix);
    const objects: StoredObject[] = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const { data, error } = await files().list(folder, {
        limit: LIST_PAGE,
        offset,
        sortBy: { column: "name", order: "asc" },
      });
      if (error) throw toBackendError(error, `list "${folder}"`);
      for (const entry of data) {
        // Folders come back with a null id and no metadata.
        if (entry.id === null || entry.id === undefined) continue;
        const size = Number((entry.metadata as { size?: unknown } | null)?.size ?? 0);
        objects.push({
          path: folder === "" ? entry.name : `${folder}/${entry.name}`,
          sizeBytes: size,
        });
      }
      if (data.length < LIST_PAGE) break;
    }
    return objects;
  }

  async function remove(paths: string[]): Promise<void> {
    for (const path of paths) assertSafeObjectPath(path);
    for (let start = 0; start < paths.length; start += SIGN_BATCH_LIMIT) {
      const { error } = await files().remove(paths.slice(start, start + SIGN_BATCH_LIMIT));
      if (error) throw toBackendError(error, "remove objects");
    }
  }

  return {
    backend: "supabase",
    bucket,
    put,
    createSignedUrl,
    createSignedUrls,
    read,
    list,
    remove,
  };
}

function withDownloadName(signedUrl: string, downloadName: string): string {
  const url = new URL(signedUrl);
  url.searchParams.set("download", downloadName);
  return url.toString();
}

/** Branches on the body's `statusCode`/`code` (Supabase answers HTTP 400 for most errors). */
function toBackendError(error: unknown, action: string, path?: string): Error {
  const details = error as {
    message?: unknown;
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
  };
  const statusCode = typeof details.statusCode === "string" ? details.statusCode : undefined;
  const code = typeof details.code === "string" ? details.code : undefined;
  if (
    path !== undefined &&
    (statusCode === "404" || code === "NoSuchKey" || code === "not_found")
  ) {
    return new StorageObjectNotFoundError(path);
  }
  const message = typeof details.message === "string" ? details.message : "unknown error";
  return new StorageBackendError(`Supabase Storage could not ${action}: ${message}`, {
    ...(statusCode ? { statusCode } : {}),
    ...(code ? { code } : {}),
    ...(typeof details.status === "number" ? { status: details.status } : {}),
    cause: error,
  });
}
