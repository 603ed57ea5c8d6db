/**
 * `pullModel(client, modelId, dir, options)`: downloads a stored model's files (all, or the
 * named ones) into `dir`, several at a time, each resumed, verified against the API's sha256 and
 * renamed into place only when it matches. The `mad pull` command is this plus a display.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";

import pLimit from "p-limit";

import type { ModelsClient } from "@mad/api/client";

import { downloadFile, type FileToPull } from "./download-file";
import { DownloadFailedError, PullFailedError, UnknownFilesError } from "./errors";
import type { PulledFile, PullEvent } from "./events";
import { assertSafeFileName } from "./file-names";
import { fetchGet, undiciGet } from "./http-get";

export interface PullOptions {
  /** File names to pull; default every file. */
  files?: string[];
  onProgress?: (event: PullEvent) => void;
  signal?: AbortSignal;
  /** Files downloaded at the same time (default 4). */
  concurrency?: number;
  /** A fetch for the storage downloads (tests, proxies); default undici's `request`. */
  fetch?: typeof fetch;
  retryDelayMs?: number;
}

export interface PullResult {
  model_id: string;
  model_name: string;
  dir: string;
  files: PulledFile[];
}

export async function pullModel(
  client: ModelsClient,
  modelId: string,
  dir: string,
  options: PullOptions = {},
): Promise<PullResult> {
  const onEvent = options.onProgress ?? (() => undefined);
  const signal = options.signal;
  const model = await client.models.byId.query({ modelId }, { signal });
  const selected = selectFiles(model.files, options.files);
  for (const file of selected) assertSafeFileName(file.name);
  const names = selected.map((file) => file.name);
  // One call signs every URL up front; it also says why a model cannot be downloaded yet.
  const signed = await client.models.download.query({ modelId, files: names }, { signal });
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  onEvent({
    event: "start",
    model_id: model.id,
    model_name: model.name,
    dir: folder,
    files: selected.map((file) => ({ name: file.name, size_bytes: file.size_bytes })),
    total_bytes: selected.reduce((sum, file) => sum + file.size_bytes, 0),
  });

  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const settled = await Promise.allSettled(
    selected.map((file) =>
      limit(() =>
        downloadFile({
          file,
          dir: folder,
          urlFor: async (fresh) => {
            if (!fresh) return signedUrlOf(signed.download_urls, file.name);
            const again = await client.models.download.query(
              { modelId, files: [file.name] },
              { signal },
            );
            return signedUrlOf(again.download_urls, file.name);
          },
          get: options.fetch ? fetchGet(options.fetch) : undiciGet,
          onEvent,
          ...(signal ? { signal } : {}),
          ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
        }),
      ),
    ),
  );
  signal?.throwIfAborted();
  const failures = settled.flatMap((outcome) =>
    outcome.status === "rejected" ? [outcome.reason as Error] : [],
  );
  if (failures.length > 0) throw new PullFailedError(failures);
  return {
    model_id: model.id,
    model_name: model.name,
    dir: folder,
    files: settled.map((outcome) => (outcome as PromiseFulfilledResult<PulledFile>).value),
  };
}

function selectFiles(files: FileToPull[], wanted: string[] | undefined): FileToPull[] {
  if (!wanted) return files;
  const byName = new Map(files.map((file) => [file.name, file]));
  const unique = [...new Set(wanted)];
  const unknown = unique.filter((name) => !byName.has(name));
  if (unknown.length > 0) throw new UnknownFilesError(unknown, [...byName.keys()]);
  return unique.flatMap((name) => byName.get(name) ?? []);
}

/** The API answers with a URL for every file asked for; a reply without one is refused. */
function signedUrlOf(urls: Record<string, string>, fileName: string): string {
  const url = urls[fileName];
  if (url === undefined) {
    throw new DownloadFailedError(fileName, "the API answered without a download URL for it");
  }
  return url;
}
