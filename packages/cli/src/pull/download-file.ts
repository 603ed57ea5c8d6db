/**
 * One file of a pull: resumed from its `.part` file with `Range`, hashed as it arrives (the
 * resumed prefix is hashed from disk first), verified against the API's sha256 and only then
 * renamed to its name. A link the storage refuses (400/401/403: expired or revoked) is asked
 * for again; a connection that breaks is retried from the bytes already written.
 */
import { createWriteStream } from "node:fs";
import { rename, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";

import { ChecksumMismatchError, DownloadFailedError } from "./errors";
import type { PulledFile, PullEvent } from "./events";
import { PART_SUFFIX } from "./file-names";
import { hashPrefix, sizeOf } from "./hashing";
import type { GetResponse, HttpGet } from "./http-get";

export interface FileToPull {
  name: string;
  size_bytes: number;
  sha256: string;
}

export interface DownloadFileOptions {
  file: FileToPull;
  dir: string;
  /** The file's signed URL; `fresh` asks the API for a new one (the old one was refused). */
  urlFor: (fresh: boolean) => Promise<string>;
  get: HttpGet;
  onEvent: (event: PullEvent) => void;
  signal?: AbortSignal;
  /** Broken connections in a row before giving up. */
  maxRetries?: number;
  retryDelayMs?: number;
}

const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
const PROGRESS_EVERY_BYTES = 1024 * 1024;

/** Refused links in a row (each after asking for a new one) before giving up. */
const MAX_REFRESHES = 3;

export async function downloadFile(options: DownloadFileOptions): Promise<PulledFile> {
  const { file, dir, onEvent, signal } = options;
  const target = join(dir, file.name);
  const part = `${target}${PART_SUFFIX}`;
  const maxRetries = options.maxRetries ?? 5;

  if ((await sizeOf(target)) === file.size_bytes) {
    const existing = (await hashPrefix(target, file.size_bytes)).digest("hex");
    if (existing === file.sha256) {
      const done = { ...result(file, "already-present"), resumed_from_bytes: file.size_bytes };
      onEvent({ event: "file-done", ...done });
      return done;
    }
  }

  let offset = (await sizeOf(part)) ?? 0;
  if (offset > file.size_bytes) {
    await truncate(part, 0);
    offset = 0;
  }
  const resumedFrom = offset;
  let hash = await hashPrefix(part, offset);
  onEvent({ event: "file-start", file: file.name, size_bytes: file.size_bytes, offset });

  await writeFile(part, "", { flag: "a" }); // exists even for an empty file
  let url = await options.urlFor(false);
  let refreshes = 0;
  let failures = 0;
  const restart = async () => {
    await truncate(part, 0).catch(() => undefined);
    offset = 0;
    hash = await hashPrefix(part, 0);
  };
  const retryOrThrow = async (reason: string, cause?: unknown) => {
    signal?.throwIfAborted();
    failures += 1;
    if (failures > maxRetries) {
      throw new DownloadFailedError(file.name, `gave up after ${failures} attempts: ${reason}`, {
        cause,
      });
    }
    onEvent({ event: "retry", file: file.name, attempt: failures, reason });
    await sleep((options.retryDelayMs ?? 500) * 2 ** (failures - 1), undefined, { signal });
  };

  while (offset < file.size_bytes) {
    let response: GetResponse;
    try {
      response = await options.get(url, offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal);
    } catch (error) {
      await retryOrThrow(`could not connect (${(error as Error).message})`, error);
      continue;
    }
    const { status } = response;
    if (status === 400 || status === 401 || status === 403) {
      response.body.destroy();
      refreshes += 1;
      if (refreshes > MAX_REFRESHES) {
        throw new DownloadFailedError(
          file.name,
          `storage refused the download link (HTTP ${status}) even after asking for a new one`,
        );
      }
      url = await options.urlFor(true);
      onEvent({ event: "url-refreshed", file: file.name, status });
      continue;
    }
    if (status === 416) {
      // The part file does not fit what the server has: start over (once per attempt).
      response.body.destroy();
      if (offset === 0) await retryOrThrow("storage refused the byte range");
      await restart();
      continue;
    }
    if (status !== 200 && status !== 206) {
      response.body.destroy();
      if (status >= 500 || status === 429) {
        await retryOrThrow(`storage answered HTTP ${status}`);
        continue;
      }
      throw new DownloadFailedError(file.name, `storage answered HTTP ${status}`);
    }
    if (status === 200 && offset > 0) await restart(); // the server ignored Range
    if (status === 206 && !contentRangeStartsAt(response, offset)) {
      response.body.destroy();
      await restart();
      continue;
    }
    // Large buffers: the body arrives in small chunks, and writing each on its own costs more
    // system calls and garbage than the copying itself (writev batches them).
    const sink = createWriteStream(part, { flags: "a", highWaterMark: WRITE_BUFFER_BYTES });
    let reported = offset;
    const meter = new Transform({
      highWaterMark: WRITE_BUFFER_BYTES,
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        offset += chunk.length;
        if (offset > file.size_bytes) {
          callback(new DownloadFailedError(file.name, "storage sent more bytes than the file has"));
          return;
        }
        // Every MiB (and the last byte), not every chunk: listeners stay cheap at 1 GB/s.
        if (offset - reported >= PROGRESS_EVERY_BYTES || offset === file.size_bytes) {
          reported = offset;
          onEvent({
            event: "progress",
            file: file.name,
            bytes: offset,
            size_bytes: file.size_bytes,
          });
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response.body, meter, sink, ...(signal ? [{ signal }] : []));
      refreshes = 0;
      failures = 0;
    } catch (error) {
      if (error instanceof DownloadFailedError) {
        await rm(part, { force: true });
        throw error;
      }
      // Only what reached the disk counts: continue from there, with its hash.
      offset = (await sizeOf(part)) ?? 0;
      hash = await hashPrefix(part, offset);
      await retryOrThrow(`the connection broke off (${(error as Error).message})`, error);
    }
  }

  const actual = hash.digest("hex");
  if (actual !== file.sha256) {
    await rm(part, { force: true });
    throw new ChecksumMismatchError(file.name, file.sha256, actual);
  }
  await rename(part, target);
  const done = {
    ...result(file, resumedFrom > 0 ? "resumed" : "downloaded"),
    resumed_from_bytes: resumedFrom,
  };
  onEvent({ event: "file-done", ...done });
  return done;
}

function result(file: FileToPull, status: PulledFile["status"]) {
  return { name: file.name, size_bytes: file.size_bytes, sha256: file.sha256, status };
}

function contentRangeStartsAt(response: GetResponse, offset: number): boolean {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.header("content-range") ?? "");
  return match !== null && Number(match[1]) === offset;
}
