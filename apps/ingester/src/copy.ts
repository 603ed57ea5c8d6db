/**
 * Copies an artifact's files from the GPU cluster into storage: each file streams from the
 * cluster through its validator into `storage.put`, which writes it atomically and computes size
 * and sha256 — memory stays flat whatever the file size. A file that breaks off is fetched again
 * (the put of the broken attempt leaves nothing behind); a file whose content is wrong fails the
 * copy for good.
 */
import type { ArtifactStorage, PutResult } from "@mad/storage";

import {
  type ArtifactListingFile,
  type ClusterClient,
  ClusterError,
  type OpenedFile,
  sleep,
} from "./cluster-client";
import { contentTypeFor, InvalidArtifactFileError, validatorFor } from "./validate";

export interface CopiedFile {
  name: string;
  storage_path: string;
  size_bytes: number;
  sha256: string;
  content_type: string;
}

export interface CopyOptions {
  cluster: ClusterClient;
  storage: ArtifactStorage;
  /** `{user_id}/{artifact_id}/` — every object is written directly under it. */
  folder: string;
  files: ArtifactListingFile[];
  /** Extra attempts per file after a transfer that broke off. */
  fileRetries: number;
  signal?: AbortSignal;
  /** Total bytes copied so far across all files (called often; throttle on your side). */
  onProgress?: (bytesCopied: number, bytesTotalKnown: number | null) => void;
  onFileAttemptFailed?: (file: string, attempt: number, error: Error) => void;
}

/** Small files first, so bytes_total is (nearly) final once the big adapter starts. */
function copyOrder(files: ArtifactListingFile[]): ArtifactListingFile[] {
  return [...files].sort(
    (a, b) => Number(a.name.endsWith(".safetensors")) - Number(b.name.endsWith(".safetensors")),
  );
}

export function isPermanentCopyError(error: unknown): boolean {
  return (
    (error instanceof InvalidArtifactFileError || error instanceof ClusterError) && error.permanent
  );
}

export async function copyArtifactFiles(options: CopyOptions): Promise<CopiedFile[]> {
  const { cluster, folder, signal } = options;
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
    let result: PutResult | null = null;
    for (let attempt = 0; result === null; attempt++) {
      try {
        result = await copyOneFile({
          ...options,
          file,
          path,
          contentType,
          onBytes: (bytes) =>
            options.onProgress?.(finishedBytes + bytes, totalComplete ? knownTotal : null),
          onSize: (size) => {
            if (attempt === 0) {
              if (size === null) totalComplete = false;
              else knownTotal += size;
            }
          },
        });
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        // Only a transfer that broke off is fetched again here; a refused request (already
        // retried by the client), wrong content or a checksum that disagrees with the listing
        // needs a fresh listing, i.e. another attempt of the whole job.
        const brokeOff = failure instanceof TransferBrokeOffError;
        if (signal?.aborted || !brokeOff || attempt >= options.fileRetries)
          throw brokeOff ? failure.cause : failure;
        options.onFileAttemptFailed?.(file.name, attempt + 1, failure);
        await sleep(cluster.backoffDelayMs(attempt), signal);
      }
    }
    finishedBytes += result.sizeBytes;
    options.onProgress?.(finishedBytes, totalComplete ? knownTotal : null);
    copied.push({
      name: file.name,
      storage_path: result.path,
      size_bytes: result.sizeBytes,
      sha256: result.sha256,
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
    if (error instanceof ClusterError && !error.permanent) throw new TransferBrokeOffError(error);
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
    return await storage.put(path, body, {
      contentType: options.contentType,
      ...(opened.sizeBytes === null ? {} : { expectedSizeBytes: opened.sizeBytes }),
      ...(file.sha256 === null ? {} : { expectedSha256: file.sha256 }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    // The stream's own error says what went wrong (a broken transfer, an invalid header); the
    // put's rejection only echoes it. A put that failed by itself (checksum, storage) stands.
    throw firstError ?? describePutError(file.name, error);
  } finally {
    if (!opened.body.destroyed) opened.body.destroy();
  }
}

function describePutError(fileName: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${fileName}: storing failed (${message})`, { cause: error });
}
