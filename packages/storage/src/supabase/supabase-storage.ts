import { pipeline, Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import { StorageClient } from "@supabase/storage-js";

import { abortError, StorageBackendError, StorageObjectNotFoundError } from "../errors";
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
import { classifyStorageFailure } from "./classify";
import { createStorageFetch, type FetchLike } from "./fetch";
import { verifySupabaseAccess } from "./supabase-access";
import { createSupabaseCleanup } from "./supabase-cleanup";
import { DEFAULT_TUS_RETRY_DELAYS_MS, TUS_CHUNK_BYTES, tusUpload } from "./tus";
import { createUploadJournal } from "./upload-journal";

export interface SupabaseStorageOptions {
  /** Storage API base, e.g. `https://<ref>.supabase.co/storage/v1`. */
  url: string;
  serviceRoleKey: string;
  bucket: string;
  /** Bodies of a known size above this go through resumable (TUS) uploads. Default 6 MiB. */
  resumableThresholdBytes?: number;
  /** TUS chunk size; Supabase requires 6 MiB. Only tests change it. */
  resumableChunkBytes?: number;
  /** A request that moves no byte for this long is cut (default 30 s). */
  requestTimeoutMs?: number;
  /** Waits between attempts of a failed resumable request (default: about a minute in all). */
  tusRetryDelaysMs?: readonly number[];
  fetch?: FetchLike;
}

/** Supabase caps a batch of signed URLs at 1,000 paths. */
const SIGN_BATCH_LIMIT = 1000;
const LIST_PAGE = 1000;
/** Small bodies of a known size are read whole first, so a bad one never reaches the server. */
const BUFFERED_BODY_MAX_BYTES = 8 * 1024 * 1024;
/** A journal entry older than the sweep's limit is taken for abandoned; refreshed this often. */
const JOURNAL_REFRESH_MS = 60_000;

export type SupabaseBucketApi = ReturnType<StorageClient["from"]>;
/** Lifetime of the signed URL a read goes through (only this process ever sees it). */
const READ_URL_TTL_SECONDS = 60;

export function createSupabaseStorage(options: SupabaseStorageOptions): ArtifactStorage {
  const { bucket, serviceRoleKey } = options;
  if (!isSafeBucketName(bucket))
    throw new TypeError(`Invalid bucket name ${JSON.stringify(bucket)}`);
  const storageUrl = options.url.replace(/\/+$/, "");
  const authHeaders = { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}` };
  const threshold = options.resumableThresholdBytes ?? TUS_CHUNK_BYTES;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const retryDelaysMs = options.tusRetryDelaysMs ?? DEFAULT_TUS_RETRY_DELAYS_MS;

  function client(signal?: AbortSignal, bodyProgress?: () => number): StorageClient {
    const fetch = createStorageFetch({
      timeoutMs,
      signal,
      bodyProgress,
      ...(options.fetch ? { baseFetch: options.fetch } : {}),
    });
    return new StorageClient(storageUrl, authHeaders, fetch);
  }
  const files = (signal?: AbortSignal, bodyProgress?: () => number): SupabaseBucketApi =>
    client(signal, bodyProgress).from(bucket);
  const journal = createUploadJournal(() => files());

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
    const bodyFailure = () => meter.errored ?? streamError ?? undefined;
    const onAbort = () => meter.destroy(abortError(signal as AbortSignal));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (expectedSizeBytes !== undefined && expectedSizeBytes > threshold) {
        await resumableUpload(path, meter, bodyFailure, expectedSizeBytes, contentType, signal);
      } else if (expectedSizeBytes !== undefined && expectedSizeBytes <= BUFFERED_BODY_MAX_BYTES) {
        // Read and checked whole before a byte is sent: a body that fails leaves nothing on
        // the server (a standard upload cut mid-way leaves a hidden partial file there).
        const bytes = Buffer.concat(await meter.toArray());
        await standardUpload(path, bytes, contentType, signal, () => 0);
      } else {
        // A Node stream goes out as the raw request body (storage-js sets `duplex: 'half'`);
        // if the meter fails, the request body errors and the server never commits the object.
        await standardUpload(path, meter, contentType, signal, () => meter.bytesSeen);
      }
    } catch (error) {
      source.destroy();
      meter.destroy();
      if (signal?.aborted) throw abortError(signal);
      throw bodyFailure() ?? error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    const { sizeBytes, sha256, crc32 } = meter.result();
    return { path, sizeBytes, sha256, crc32 };
  }

  async function standardUpload(
    path: string,
    body: Buffer | Readable,
    contentType: string,
    signal: AbortSignal | undefined,
    bodyProgress: () => number,
  ): Promise<void> {
    const { error } = await files(signal, bodyProgress).upload(path, body, {
      contentType,
      upsert: true,
      cacheControl: "3600",
    });
    if (error) throw classifyStorageFailure(error, "upload");
  }

  async function resumableUpload(
    path: string,
    body: Readable,
    bodyFailure: () => unknown,
    sizeBytes: number,
    contentType: string,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let entry: Promise<string | null> | null = null;
    let refreshedAt = 0;
    const record = (uploadUrl: string) => {
      refreshedAt = Date.now();
      // A journal that cannot be written must not fail the upload; the put still cleans up.
      entry = journal.record(uploadUrl, path).catch(() => null);
    };
    let uploadUrl: string | null = null;
    let leftOpen = false;
    try {
      await tusUpload({
        endpoint: `${storageUrl}/upload/resumable`,
        headers: authHeaders,
        bucket,
        path,
        contentType,
        sizeBytes,
        body,
        bodyFailure,
        chunkBytes: options.resumableChunkBytes ?? TUS_CHUNK_BYTES,
        retryDelaysMs,
        requestTimeoutMs: timeoutMs,
        signal,
        onUploadUrl: (url) => {
          uploadUrl = url;
          record(url);
        },
        onChunkComplete: () => {
          if (uploadUrl && Date.now() - refreshedAt > JOURNAL_REFRESH_MS) record(uploadUrl);
        },
        onLeftOpen: () => {
          leftOpen = true;
        },
      });
    } finally {
      // Completed, or terminated: the entry is done with. An upload whose termination failed
      // keeps its entry for the sweep.
      const journalPath = await (entry as Promise<string | null> | null);
      if (journalPath && !leftOpen) await journal.forget(journalPath).catch(() => undefined);
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
    if (error) throw signError(error, request.path);
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
      if (error) throw classifyStorageFailure(error, "sign a batch of URLs");
      if (data.length !== batch.length)
        throw new StorageBackendError("unexpected-answer", {
          detail: `sign a batch of ${batch.length} URLs: answered ${data.length} items`,
        });
      batch.forEach((request, index) => {
        const item = data[index];
        if (!item?.signedUrl || item.error) throw new StorageObjectNotFoundError(request.path);
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
    if (error) throw signError(error, path);
    const request = createStorageFetch({
      timeoutMs,
      signal,
      ...(options.fetch ? { baseFetch: options.fetch } : {}),
    });
    const response = await request(data.signedUrl, {
      headers: range ? { Range: `bytes=${range.start}-${range.end}` } : {},
      redirect: "error",
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
      if (details.code === "NoSuchKey" || response.status === 404)
        throw new StorageObjectNotFoundError(path);
      throw classifyStorageFailure(details, `read "${path}"`);
    }
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  async function listRows(folder: string) {
    const rows = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const { data, error } = await files().list(folder, {
        limit: LIST_PAGE,
        offset,
        sortBy: { column: "name", order: "asc" },
      });
      if (error) throw classifyStorageFailure(error, "list");
      rows.push(...data);
      if (data.length < LIST_PAGE) break;
    }
    return rows;
  }

  async function list(prefix: string): Promise<StoredObject[]> {
    const folder = normalizeFolderPrefix(prefix);
    const objects: StoredObject[] = [];
    for (const entry of await listRows(folder)) {
      // Folders come back with a null id and no metadata.
      if (entry.id === null || entry.id === undefined) continue;
      const size = Number((entry.metadata as { size?: unknown } | null)?.size ?? 0);
      objects.push({
        path: folder === "" ? entry.name : `${folder}/${entry.name}`,
        sizeBytes: size,
      });
    }
    return objects;
  }

  async function remove(paths: string[]): Promise<void> {
    for (const path of paths) assertSafeObjectPath(path);
    for (let start = 0; start < paths.length; start += SIGN_BATCH_LIMIT) {
      const { error } = await files().remove(paths.slice(start, start + SIGN_BATCH_LIMIT));
      if (error) throw classifyStorageFailure(error, "remove");
    }
  }

  const cleanup = createSupabaseCleanup({
    journal,
    listRows,
    remove,
    tusHeaders: { ...authHeaders, "x-upsert": "true" },
    requestTimeoutMs: timeoutMs,
  });

  return {
    backend: "supabase",
    bucket,
    put,
    createSignedUrl,
    createSignedUrls,
    read,
    list,
    remove,
    removeFolder: (prefix) => cleanup.removeFolder(prefix),
    sweepStale: (sweep) => cleanup.sweepStale(sweep),
    verifyAccess: () => verifySupabaseAccess({ client: client(), bucket, serviceRoleKey }),
  };
}

function withDownloadName(signedUrl: string, downloadName: string): string {
  const url = new URL(signedUrl);
  url.searchParams.set("download", downloadName);
  return url.toString();
}

function signError(error: unknown, path: string): Error {
  const failure = classifyStorageFailure(error, "sign");
  return failure.kind === "not-found" ? new StorageObjectNotFoundError(path) : failure;
}
