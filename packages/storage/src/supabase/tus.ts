/**
 * Resumable uploads to Supabase's `/upload/resumable` with tus-js-client (what Supabase
 * documents; decision 0012). Every request carries the auth headers and `x-upsert: true` — the
 * real server reads `x-upsert` on each PATCH and DELETE, not only on the creation POST, so an
 * existing object can be replaced. Failed requests (refused, cut, timed out, 5xx, 409/423) are
 * retried after each of `retryDelays` in turn, resuming from the server's `Upload-Offset`; the
 * counter starts over whenever bytes got through, so a server that restarts again and again
 * still gets a full run of delays each time.
 */
import type { Readable } from "node:stream";

import { type DetailedError, Upload } from "tus-js-client";

import { abortError } from "../errors";
import { classifyStorageFailure } from "./classify";
import { createTimedHttpStack } from "./tus-http-stack";
import { MeteredStreamSource } from "./tus-source";

/** Supabase requires exactly 6 MiB chunks (except the last). */
export const TUS_CHUNK_BYTES = 6 * 1024 * 1024;

/** Sums to 62 s: rides out a storage restart of well over 30 s between two acknowledged bytes. */
export const DEFAULT_TUS_RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000, 10_000, 15_000, 18_000];

export interface TusUploadOptions {
  /** `{storageUrl}/upload/resumable` */
  endpoint: string;
  /** Auth headers (apikey, Authorization). */
  headers: Record<string, string>;
  bucket: string;
  path: string;
  contentType: string;
  sizeBytes: number;
  /** The metered body; its error (integrity, source) is what the upload fails with. */
  body: Readable;
  bodyFailure: () => unknown;
  chunkBytes: number;
  retryDelaysMs: readonly number[];
  requestTimeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Called with the upload URL as soon as the server created it (for the upload journal). */
  onUploadUrl?: (uploadUrl: string) => void;
  /** After each chunk the server acknowledged. */
  onChunkComplete?: () => void;
  /** The upload failed and could not be terminated either (the server was gone). */
  onLeftOpen?: () => void;
}

/** Resolves when the server has every byte; on failure the upload was terminated (best effort). */
export async function tusUpload(options: TusUploadOptions): Promise<void> {
  const { signal } = options;
  const source = new MeteredStreamSource(options.body, options.sizeBytes, options.chunkBytes);
  const httpStack = createTimedHttpStack(options.requestTimeoutMs);
  const headers = { ...options.headers, "x-upsert": "true" };
  let reportedUrl: string | null = null;
  let upload: Upload | undefined;
  let fail: (error: unknown) => void = () => {};
  const bodyFailure = () => options.bodyFailure() ?? source.failure;
  const finished = new Promise<void>((resolve, reject) => {
    fail = reject;
    upload = new Upload(Buffer.alloc(0), {
      endpoint: options.endpoint,
      headers,
      httpStack,
      fileReader: { openFile: () => Promise.resolve(source) },
      uploadSize: options.sizeBytes,
      chunkSize: options.chunkBytes,
      retryDelays: [...options.retryDelaysMs],
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: true,
      metadata: {
        bucketName: options.bucket,
        objectName: options.path,
        contentType: options.contentType,
        cacheControl: "3600",
      },
      onUploadUrlAvailable: () => {
        const url = upload?.url;
        if (url && url !== reportedUrl) {
          reportedUrl = url;
          options.onUploadUrl?.(url);
        }
      },
      onShouldRetry: (error: DetailedError) => {
        if (signal?.aborted || bodyFailure() !== undefined) return false;
        const status = error.originalResponse?.getStatus() ?? 0;
        // 4xx will not get better (a missing bucket, a size limit), except an offset
        // conflict or a locked upload, which the next HEAD sorts out.
        return status === 0 || status >= 500 || status === 409 || status === 423;
      },
      onChunkComplete: () => options.onChunkComplete?.(),
      onSuccess: () => resolve(),
      onError: (error) => reject(error),
    });
  });
  // tus-js-client goes silent after abort(): the promise is settled here instead.
  const onAbort = () => {
    void upload?.abort(false);
    fail(abortError(signal as AbortSignal));
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal?.aborted) throw abortError(signal);
    upload?.start();
    await finished;
  } catch (error) {
    void upload?.abort(false);
    if (!(await terminate(upload?.url ?? null, headers, httpStack))) options.onLeftOpen?.();
    if (signal?.aborted) throw abortError(signal);
    const failure = bodyFailure();
    if (failure instanceof Error) throw failure;
    throw classifyStorageFailure(error, "resumable upload");
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Drops a partial upload on the server; failures are left to the sweep (the journal). */
export async function terminate(
  uploadUrl: string | null,
  headers: Record<string, string>,
  httpStack = createTimedHttpStack(10_000),
): Promise<boolean> {
  if (uploadUrl === null) return true;
  try {
    await Upload.terminate(uploadUrl, { headers, httpStack, retryDelays: [0, 500, 2_000] });
    return true;
  } catch (error) {
    return leavesNothing((error as DetailedError).originalResponse ?? null);
  }
}

/**
 * Answers to a termination that mean no partial file is left (Supabase Storage v1.70.6,
 * observed 2026-12-03): 404, an upload the server does not know; 410, a completed upload whose
 * object was removed or replaced since; 400 "Cannot terminate an already completed upload"
 * (its object is stored whole). Anything else (refused, 5xx, 409 without x-upsert) leaves the
 * upload for the sweep.
 */
function leavesNothing(response: { getStatus(): number; getBody(): string } | null): boolean {
  const status = response?.getStatus();
  if (status === 404 || status === 410) return true;
  return status === 400 && /already completed upload/i.test(response?.getBody() ?? "");
}
