/**
 * Copies an artifact's files from the GPU cluster into storage: each file streams from the
 * cluster through its validator into `storage.put`, which writes it atomically and computes size
 * and sha256 — memory stays flat whatever the file size. A file whose transfer broke off is
 * fetched again (the put of the broken attempt leaves nothing behind); a file whose content is
 * wrong — invalid, or not the bytes the cluster's checksum names — fails the copy for good.
 */
import pRetry from "p-retry";

import { type ArtifactFile } from "@mad/db";
import {
  type ArtifactStorage,
  type PutResult,
  StorageBackendError,
  StorageIntegrityError,
} from "@mad/storage";

import {
  type ArtifactListingFile,
  type ClusterClient,
  ClusterError,
  type OpenedFile,
} from "../cluster";
import {
  contentTypeFor,
  InvalidArtifactFileError,
  JsonFileValidator,
  type SafetensorsSummary,
  SafetensorsValidator,
  validatorFor,
} from "../validate";

/** A stored file, as the artifact's row records it. */
export type CopiedFile = ArtifactFile;

/** What a file's validator read while the file streamed into storage. */
export type ParsedContent =
  { kind: "json"; value: unknown } | { kind: "safetensors"; summary: SafetensorsSummary };

export interface CopyOptions {
  cluster: ClusterClient;
  storage: ArtifactStorage;
  /** `{user_id}/{artifact_id}/` — every object is written directly under it. */
  folder: string;
  files: ArtifactListingFile[];
  /** Extra attempts per file after a transfer that broke off. */
  fileRetries: number;
  /** Back-off between those attempts (doubles, with jitter). */
  fileRetryBaseDelayMs?: number;
  signal?: AbortSignal;
  /** Total bytes copied so far across all files (called often; throttle on your side). */
  onProgress?: (bytesCopied: number, bytesTotalKnown: number | null) => void;
  onFileAttemptFailed?: (file: string, attempt: number, error: ClusterError) => void;
  /** Called once per stored file that a validator read (JSON files, safetensors headers). */
  onParsed?: (fileName: string, content: ParsedContent) => void;
}

/** Small files first, so bytes_total is (nearly) final once the big adapter starts. */
function copyOrder(files: ArtifactListingFile[]): ArtifactListingFile[] {
  return [...files].sort(
    (a, b) => Number(a.name.endsWith(".safetensors")) - Number(b.name.endsWith(".safetensors")),
  );
}

/** A failure no later attempt can fix: the cluster's answer or file is wrong, not late. */
export function isPermanentCopyError(error: unknown): boolean {
  if (error instanceof InvalidArtifactFileError || error instanceof ClusterError) {
    return error.permanent;
  }
  // Storage will never take a file larger than its limit, however often it is sent.
  if (error instanceof StorageWriteError && error.cause instanceof StorageBackendError) {
    return error.cause.kind === "too-large";
  }
  // The whole file arrived and is not what the cluster's checksum says: corrupt at the source.
  return error instanceof StorageIntegrityError && error.check === "sha256";
}

export async function copyArtifactFiles(options: CopyOptions): Promise<CopiedFile[]> {
  const { folder, signal } = options;
  if (!folder.endsWith("/")) throw new Error("folder must end with '/'");
  const copied: CopiedFile[] = [];
  let finishedBytes = 0;
  let knownTotal = 0;
  let totalComplete = true;

  for (const file of copyOrder(options.files)) {
    const path = `${folder}${file.name}`;
    // Defence in depth: names were validated with the listing; the path must still be one
    // segment below the folder.
    if (path.slice(folder.length).includes("/"))
      throw new Error(`refusing to write outside ${folder}`);
    const contentType = contentTypeFor(file.name);
    let firstAttempt = true;
    const result = await pRetry(
      async () => {
        const countSize = firstAttempt;
        firstAttempt = false;
        return copyOneFile({
          ...options,
          file,
          path,
          contentType,
          onBytes: (bytes) =>
            options.onProgress?.(finishedBytes + bytes, totalComplete ? knownTotal : null),
          onSize: (size) => {
            if (!countSize) return;
            if (size === null) totalComplete = false;
            else knownTotal += size;
          },
        });
      },
      {
        // Only a transfer that broke off is fetched again here; a refused request (already
        // retried by the client), wrong content or a checksum that disagrees with the listing
        // needs a fresh listing, i.e. another attempt of the whole job — or is permanent.
        retries: options.fileRetries,
        minTimeout: options.fileRetryBaseDelayMs ?? 500,
        factor: 2,
        randomize: true,
        ...(signal ? { signal } : {}),
        shouldRetry: ({ error }) => error instanceof TransferBrokeOffError,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (error instanceof TransferBrokeOffError && retriesLeft > 0) {
            options.onFileAttemptFailed?.(file.name, attemptNumber, error.cause);
          }
        },
      },
    ).catch((error: unknown) => {
      throw error instanceof TransferBrokeOffError ? error.cause : error;
    });
    finishedBytes += result.sizeBytes;
    options.onProgress?.(finishedBytes, totalComplete ? knownTotal : null);
    copied.push({
      name: file.name,
      storage_path: result.path,
      size_bytes: result.sizeBytes,
      sha256: result.sha256,
      crc32: result.crc32,
      content_type: contentType,
    });
  }
  return copied;
}

async function copyOneFile(
  options: CopyOptions & {
    file: ArtifactListingFile;
    path: string;
    contentType: string;
    onBytes: (bytes: number) => void;
    onSize: (size: number | null) => void;
  },
): Promise<PutResult> {
  const { cluster, file, signal } = options;
  // Progress counts bytes as they arrive (every chunk), so it is current even when a transfer
  // stalls; the storage's own progress callback is throttled.
  const opened = await cluster.openFile(file, signal, options.onBytes);
  options.onSize(opened.sizeBytes);
  try {
    return await streamIntoStorage(options, opened);
  } catch (error) {
    if (error instanceof ClusterError && error.kind === "broke-off") {
      throw new TransferBrokeOffError(error);
    }
    // The body ended before its announced length: it broke off, whatever noticed it first.
    if (
      error instanceof StorageIntegrityError &&
      error.check === "size" &&
      opened.sizeBytes !== null
    ) {
      throw new TransferBrokeOffError(
        new ClusterError(`the download of ${file.name} from the GPU cluster broke off`, {
          kind: "broke-off",
          detail: error.message,
          cause: error,
        }),
      );
    }
    throw error;
  }
}

/** Marks a body that broke off mid-way (connection reset, short body, stall). */
class TransferBrokeOffError extends Error {
  constructor(override readonly cause: ClusterError) {
    super(cause.message);
  }
}

async function streamIntoStorage(
  options: CopyOptions & {
    file: ArtifactListingFile;
    path: string;
    contentType: string;
    onBytes: (bytes: number) => void;
  },
  opened: OpenedFile,
): Promise<PutResult> {
  const { storage, file, path, signal } = options;
  const validator = validatorFor(file.name);
  let firstError: Error | null = null;
  const remember = (error: Error) => {
    firstError ??= error;
  };
  let body = opened.body;
  if (validator) {
    opened.body.on("error", (error) => {
      remember(error);
      validator.destroy(error);
    });
    validator.on("error", remember);
    body = opened.body.pipe(validator);
  } else {
    opened.body.on("error", remember);
  }
  try {
    const stored = await storage.put(path, body, {
      contentType: options.contentType,
      ...(opened.sizeBytes === null ? {} : { expectedSizeBytes: opened.sizeBytes }),
      ...(file.sha256 === null ? {} : { expectedSha256: file.sha256 }),
      ...(signal ? { signal } : {}),
    });
    // Only a file that is stored and verified counts: what a failed attempt parsed is dropped.
    if (validator instanceof JsonFileValidator) {
      options.onParsed?.(file.name, { kind: "json", value: validator.value });
    } else if (validator instanceof SafetensorsValidator && validator.summary) {
      options.onParsed?.(file.name, { kind: "safetensors", summary: validator.summary });
    }
    return stored;
  } catch (error) {
    // The stream's own error says what went wrong (a broken transfer, an invalid header); the
    // put's rejection only echoes it. A put that failed by itself (checksum, storage) stands.
    const failure = firstError ?? error;
    if (
      failure instanceof ClusterError ||
      failure instanceof InvalidArtifactFileError ||
      failure instanceof StorageIntegrityError ||
      signal?.aborted
    ) {
      throw failure;
    }
    throw new StorageWriteError(file.name, failure);
  } finally {
    if (!opened.body.destroyed) opened.body.destroy();
  }
}

/**
 * Storage could not take a file (unreachable, refused, timed out, full). `cause` is the
 * storage's typed error when there is one: its message says what happened in plain words, its
 * `detail` is for the log line.
 */
export class StorageWriteError extends Error {
  override readonly name = "StorageWriteError";
  constructor(
    readonly fileName: string,
    override readonly cause: unknown,
  ) {
    super(
      cause instanceof StorageBackendError
        ? `${fileName} could not be written to storage: ${cause.message}`
        : `${fileName} could not be written to storage`,
      { cause },
    );
  }
}
