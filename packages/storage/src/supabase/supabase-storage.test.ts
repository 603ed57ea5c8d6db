import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { StorageBackendError, StorageIntegrityError } from "../errors";
import {
  createGeneratedStream,
  inChunks,
  sha256Hex,
  startSupabaseStandin,
  type SupabaseStandin,
} from "../testing/index";
import { createSupabaseStorage } from "./supabase-storage";

let standin: SupabaseStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

/** Small TUS chunks so several PATCHes happen on a few hundred KiB. */
async function setup(options: { cutResumablePatchNumber?: number } = {}) {
  standin = await startSupabaseStandin(options);
  const storage = createSupabaseStorage({
    url: standin.url,
    serviceRoleKey: standin.serviceRoleKey,
    bucket: "lora-models",
    resumableThresholdBytes: 128 * 1024,
    resumableChunkBytes: 128 * 1024,
  });
  return { standin, storage };
}

async function download(
  storage: ReturnType<typeof createSupabaseStorage>,
  path: string,
): Promise<Buffer> {
  const response = await fetch(await storage.createSignedUrl({ path, downloadName: "f" }, 60));
  return Buffer.from(await response.arrayBuffer());
}

describe("Supabase backend", () => {
  it("uploads bodies of a known size above the threshold with resumable (TUS) uploads", async () => {
    const { standin, storage } = await setup();
    const bytes = randomBytes(600 * 1024 + 7);
    const result = await storage.put("u/a/model.bin", inChunks(bytes), {
      contentType: "application/octet-stream",
      expectedSizeBytes: bytes.length,
      expectedSha256: sha256Hex(bytes),
    });
    expect(result.sha256).toBe(sha256Hex(bytes));
    expect(standin.stats).toMatchObject({
      // The one standard upload is the upload journal's entry (removed once the upload completed).
      standardUploads: 1,
      resumableUploadsCreated: 1,
      resumablePatches: 5,
    });
    expect(standin.resumableUploadsInProgress()).toBe(0);
    expect(
      await readdir(join(standin.rootDir, "objects", "lora-models", ".mad-upload-journal")),
    ).toEqual([]);
    expect((await download(storage, "u/a/model.bin")).equals(bytes)).toBe(true);
  });

  it("resumes from the server's offset when a PATCH connection is cut", async () => {
    const { standin, storage } = await setup({ cutResumablePatchNumber: 2 });
    const bytes = randomBytes(500 * 1024);
    const result = await storage.put("u/a/resumed.bin", inChunks(bytes), {
      contentType: "application/octet-stream",
      expectedSizeBytes: bytes.length,
    });
    expect(result.sha256).toBe(sha256Hex(bytes));
    expect(standin.stats.resumablePatches).toBeGreaterThan(4);
    expect((await download(storage, "u/a/resumed.bin")).equals(bytes)).toBe(true);
  });

  it("never completes a resumable upload whose sha256 is wrong, and terminates it", async () => {
    const { standin, storage } = await setup();
    await storage.put("u/a/kept.bin", inChunks(Buffer.from("older")), {
      contentType: "application/octet-stream",
    });
    const bytes = randomBytes(400 * 1024);
    await expect(
      storage.put("u/a/kept.bin", inChunks(bytes), {
        contentType: "application/octet-stream",
        expectedSizeBytes: bytes.length,
        expectedSha256: "f".repeat(64),
      }),
    ).rejects.toBeInstanceOf(StorageIntegrityError);
    expect(standin.resumableUploadsInProgress()).toBe(0);
    expect((await download(storage, "u/a/kept.bin")).toString()).toBe("older");
  });

  it("terminates a resumable upload on abort, leaving nothing", async () => {
    const { standin, storage } = await setup();
    const controller = new AbortController();
    const size = 2 * 1024 * 1024;
    const { stream } = createGeneratedStream(size, {
      chunkBytes: 64 * 1024,
      onChunk: (produced) => {
        if (produced >= 700 * 1024) controller.abort();
      },
    });
    await expect(
      storage.put("u/a/aborted.bin", stream, {
        contentType: "application/octet-stream",
        expectedSizeBytes: size,
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(standin.stats.resumableUploadsCreated).toBe(1);
    await expect.poll(() => standin.resumableUploadsInProgress()).toBe(0);
    expect(await storage.list("u/a/")).toEqual([]);
  });

  it("reports Supabase errors with their statusCode and code", async () => {
    const { standin } = await setup();
    const wrongKey = createSupabaseStorage({
      url: standin.url,
      serviceRoleKey: "not-the-key",
      bucket: "lora-models",
    });
    const error = await wrongKey.list("u/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageBackendError);
    expect(error).toMatchObject({ statusCode: "403", status: 400 });
    expect((error as Error).message).not.toContain("not-the-key");
    await expect(
      wrongKey.put("u/a/x.bin", inChunks(Buffer.from("x")), { contentType: "text/plain" }),
    ).rejects.toMatchObject({
      statusCode: "403",
    });

    const noBucket = createSupabaseStorage({
      url: standin.url,
      serviceRoleKey: standin.serviceRoleKey,
      bucket: "missing-bucket",
    });
    await expect(
      noBucket.put("u/a/x.bin", inChunks(Buffer.from("x")), { contentType: "text/plain" }),
    ).rejects.toMatchObject({
      statusCode: "404",
    });
  });
});
