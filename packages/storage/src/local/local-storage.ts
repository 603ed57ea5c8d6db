import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readdir, realpath, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import {
  abortError,
  StorageBackendError,
  StorageObjectNotFoundError,
  UnsafeObjectPathError,
} from "../errors";
import { IntegrityMeter, toNodeReadable, validateExpectations } from "../integrity";
import {
  assertSafeObjectPath,
  encodeObjectPath,
  isSafeBucketName,
  LOCAL_TEMP_PREFIX,
  normalizeFolderPrefix,
} from "../paths";
import { assertRangeInside } from "../read-range";
import { signDownloadToken } from "../signed-token";
import type {
  ArtifactStorage,
  ByteRange,
  PutOptions,
  PutResult,
  SignedUrlRequest,
  StoredObject,
} from "../types";
import { READ_CHUNK_BYTES, WRITE_BUFFER_BYTES } from "./io-sizes";
import { isErrno, removeFolderTree, removeStaleTempFiles, verifyWritable } from "./local-cleanup";

export interface LocalStorageOptions {
  rootDir: string;
  /** HS256 secret of the signed URLs; the download handler must use the same one. */
  signingSecret: string;
  /** Origin the download handler is mounted under, e.g. `http://localhost:3000`. */
  publicBaseUrl: string;
  bucket: string;
  /** Clock for token `iat`/`exp` (tests). */
  now?: () => Date;
}

/**
 * An upload temp file untouched for this long belongs to a writer that died (a killed worker):
 * nothing else ever deletes it, so the next put into the same folder does.
 */
export const STALE_UPLOAD_MS = 10 * 60 * 1000;

/** Where the local download handler answers, relative to `publicBaseUrl` (Supabase's shape). */
export const LOCAL_SIGNED_URL_BASE_PATH = "/storage/v1/object/sign";

/** Objects live at `{rootDir}/{bucket}/{path}`; uploads are written beside them and renamed. */
export function createLocalStorage(options: LocalStorageOptions): ArtifactStorage {
  const { rootDir, signingSecret, bucket } = options;
  const now = options.now ?? (() => new Date());
  if (!isSafeBucketName(bucket))
    throw new TypeError(`Invalid bucket name ${JSON.stringify(bucket)}`);
  const bucketDir = join(rootDir, bucket);
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, "");

  function objectFile(path: string): string {
    assertSafeObjectPath(path);
    return join(bucketDir, ...path.split("/"));
  }

  /** Refuses directories that resolve (through symlinks) outside the bucket folder. */
  async function assertInsideBucket(dir: string, path: string): Promise<void> {
    const [realDir, realBucket] = await Promise.all([realpath(dir), realpath(bucketDir)]);
    if (realDir !== realBucket && !realDir.startsWith(realBucket + sep)) {
      throw new UnsafeObjectPathError(path, "it resolves outside the bucket");
    }
  }

  async function put(
    path: string,
    body: Readable | ReadableStream<Uint8Array>,
    putOptions: PutOptions,
  ): Promise<PutResult> {
    const target = objectFile(path);
    validateExpectations(putOptions);
    const { signal } = putOptions;
    const source = toNodeReadable(body);
    if (signal?.aborted) {
      source.destroy();
      throw abortError(signal);
    }
    const dir = dirname(target);
    await mkdir(dir, { recursive: true });
    await assertInsideBucket(dir, path);
    await removeStaleTempFiles(dir, STALE_UPLOAD_MS, now());
    const tempFile = join(dir, `${LOCAL_TEMP_PREFIX}${randomUUID()}.tmp`);
    const meter = new IntegrityMeter(path, putOptions);
    try {
      // `flush: true` fsyncs before close, so the rename below never publishes unsynced bytes.
      const file = createWriteStream(tempFile, {
        flags: "wx",
        flush: true,
        highWaterMark: WRITE_BUFFER_BYTES,
      });
      await pipeline(source, meter, file, signal ? { signal } : {});
      const { sizeBytes, sha256, crc32 } = meter.result();
      if (signal?.aborted) throw abortError(signal);
      await rename(tempFile, target);
      await syncDirectory(dir);
      return { path, sizeBytes, sha256, crc32 };
    } catch (error) {
      source.destroy();
      await rm(tempFile, { force: true });
      if (signal?.aborted) throw abortError(signal);
      throw diskFailure(error);
    }
  }

  async function assertExists(path: string): Promise<void> {
    const file = objectFile(path);
    try {
      const info = await stat(file);
      if (info.isFile()) return;
    } catch {
      // reported below
    }
    throw new StorageObjectNotFoundError(path);
  }

  async function createSignedUrl(
    request: SignedUrlRequest,
    expiresInSeconds: number,
  ): Promise<string> {
    assertExpiry(expiresInSeconds);
    await assertExists(request.path);
    const token = await signDownloadToken(
      signingSecret,
      `${bucket}/${request.path}`,
      expiresInSeconds,
      now(),
    );
    const query = new URLSearchParams({ token, download: request.downloadName });
    return `${baseUrl}${LOCAL_SIGNED_URL_BASE_PATH}/${encodeURIComponent(bucket)}/${encodeObjectPath(request.path)}?${query.toString()}`;
  }

  async function createSignedUrls(
    requests: SignedUrlRequest[],
    expiresInSeconds: number,
  ): Promise<string[]> {
    return Promise.all(requests.map((request) => createSignedUrl(request, expiresInSeconds)));
  }

  async function read(path: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable> {
    const file = objectFile(path);
    let handle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) {
        throw new StorageObjectNotFoundError(path);
      }
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new StorageObjectNotFoundError(path);
      await assertInsideBucket(dirname(file), path);
      if (range) assertRangeInside(range, info.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
    // One open handle: a concurrent replacement (rename) never mixes two versions.
    return handle.createReadStream({
      highWaterMark: READ_CHUNK_BYTES,
      ...(range ? { start: range.start, end: range.end } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  async function list(prefix: string): Promise<StoredObject[]> {
    const folder = normalizeFolderPrefix(prefix);
    const dir = folder === "" ? bucketDir : objectFile(folder);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return [];
      throw error;
    }
    const objects: StoredObject[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith(LOCAL_TEMP_PREFIX)) continue;
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      try {
        const info = await stat(join(dir, entry.name));
        objects.push({ path, sizeBytes: info.size });
      } catch (error) {
        if (!isErrno(error, "ENOENT")) throw error;
      }
    }
    return objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async function remove(paths: string[]): Promise<void> {
    const files = paths.map(objectFile);
    for (const file of files) {
      try {
        await unlink(file);
      } catch (error) {
        if (!isErrno(error, "ENOENT")) throw error;
      }
    }
  }

  async function removeFolder(prefix: string): Promise<void> {
    const folder = normalizeFolderPrefix(prefix);
    if (folder === "") throw new TypeError("removeFolder needs a folder, not the whole bucket");
    const dir = objectFile(folder);
    try {
      await assertInsideBucket(dir, folder);
    } catch (error) {
      if (isErrno(error, "ENOENT")) return;
      throw error;
    }
    await removeFolderTree(bucketDir, dir);
  }

  return {
    backend: "local",
    bucket,
    put,
    createSignedUrl,
    createSignedUrls,
    read,
    list,
    remove,
    removeFolder,
    sweepStale: ({ olderThanMs }) => removeStaleTempFiles(bucketDir, olderThanMs, now()),
    verifyAccess: () => verifyWritable(bucketDir),
  };
}

/** A filesystem error of the write itself becomes a typed storage error; others pass as they are. */
function diskFailure(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return error;
  return new StorageBackendError(
    code === "ENOSPC" || code === "EDQUOT" ? "disk-full" : "disk-error",
    {
      detail: `write: ${(error as Error).message}`,
      code,
      cause: error,
    },
  );
}

export function assertExpiry(expiresInSeconds: number): void {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0) {
    throw new TypeError("expiresInSeconds must be a positive integer");
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; some filesystems refuse fsync on directories, which is harmless.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
