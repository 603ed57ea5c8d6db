import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";

import { createStorage, storageConfigSchema } from "../config";
import { StorageIntegrityError, UnsafeObjectPathError } from "../errors";
import type { ArtifactStorage } from "../types";

let workDir: string;
let rootDir: string;
let storage: ArtifactStorage;
const signingSecret = "s".repeat(32);

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), "local-storage-"));
  rootDir = join(workDir, "storage");
  storage = createStorage({
    backend: "local",
    rootDir,
    signingSecret,
    publicBaseUrl: "http://localhost:3000/",
  });
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length));
}

describe("local backend", () => {
  it("stores objects at {rootDir}/{bucket}/{path}", async () => {
    await storage.put("u/a/f.bin", Readable.from([Buffer.from("abc")]), {
      contentType: "application/octet-stream",
    });
    expect(await allFiles(rootDir)).toEqual(["/lora-models/u/a/f.bin"]);
  });

  it("removes an upload abandoned by a dead writer, but not one still being written", async () => {
    const folder = join(rootDir, "lora-models", "u", "a");
    await mkdir(folder, { recursive: true });
    const abandoned = join(folder, ".mad-upload-abandoned.tmp");
    const live = join(folder, ".mad-upload-live.tmp");
    await writeFile(abandoned, "partial bytes of a killed worker");
    await writeFile(live, "another writer, still going");
    const longAgo = new Date(Date.now() - 11 * 60 * 1000);
    await utimes(abandoned, longAgo, longAgo);

    await storage.put("u/a/f.bin", Readable.from([Buffer.from("abc")]), {
      contentType: "application/octet-stream",
    });

    expect((await allFiles(folder)).sort()).toEqual(["/.mad-upload-live.tmp", "/f.bin"]);
  });

  it("leaves no temp files behind after failed puts", async () => {
    const body = () => Readable.from([randomBytes(100_000), randomBytes(100_000)]);
    await expect(
      storage.put("u/a/f.bin", body(), { contentType: "x", expectedSizeBytes: 5 }),
    ).rejects.toBeInstanceOf(StorageIntegrityError);
    await expect(
      storage.put("u/a/f.bin", body(), { contentType: "x", expectedSha256: "a".repeat(64) }),
    ).rejects.toBeInstanceOf(StorageIntegrityError);
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(1000);
        await Promise.resolve();
        throw new Error("boom");
      })(),
    );
    await expect(storage.put("u/a/f.bin", failing, { contentType: "x" })).rejects.toThrow("boom");
    expect(await allFiles(rootDir)).toEqual([]);
  });

  it("builds Supabase-shaped signed URLs on the public base URL", async () => {
    await storage.put("u/a/my model.bin", Readable.from([Buffer.from("abc")]), {
      contentType: "application/octet-stream",
    });
    const url = new URL(
      await storage.createSignedUrl({ path: "u/a/my model.bin", downloadName: "my model.bin" }, 60),
    );
    expect(url.origin).toBe("http://localhost:3000");
    expect(url.pathname).toBe("/storage/v1/object/sign/lora-models/u/a/my%20model.bin");
    expect(url.searchParams.get("download")).toBe("my model.bin");
    const [, payload] = (url.searchParams.get("token") ?? "").split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ url: "lora-models/u/a/my model.bin", scope: "download" });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(60);
    await expect(
      storage.createSignedUrl({ path: "u/a/my model.bin", downloadName: "x" }, 0),
    ).rejects.toThrow(TypeError);
  });

  it("refuses to write through a symlink that leads outside the bucket", async () => {
    const outside = join(workDir, "outside");
    await mkdir(outside);
    await mkdir(join(rootDir, "lora-models", "u"), { recursive: true });
    await symlink(outside, join(rootDir, "lora-models", "u", "evil"));
    await expect(
      storage.put("u/evil/f.bin", Readable.from([Buffer.from("x")]), { contentType: "x" }),
    ).rejects.toBeInstanceOf(UnsafeObjectPathError);
    expect(await readdir(outside)).toEqual([]);
  });
});

describe("storageConfigSchema / createStorage", () => {
  it("fills in the default bucket", () => {
    const config = storageConfigSchema.parse({
      backend: "supabase",
      url: "https://ref.supabase.co/storage/v1",
      serviceRoleKey: "k",
    });
    expect(config.bucket).toBe("lora-models");
    expect(
      createStorage({
        backend: "supabase",
        url: "https://ref.supabase.co/storage/v1",
        serviceRoleKey: "k",
      }).backend,
    ).toBe("supabase");
  });

  it.each([
    [
      {
        backend: "local",
        rootDir: "/tmp/x",
        signingSecret: "short",
        publicBaseUrl: "http://localhost:3000",
      },
      "signingSecret",
    ],
    [
      {
        backend: "local",
        rootDir: "/tmp/x",
        signingSecret: "s".repeat(32),
        publicBaseUrl: "not a url",
      },
      "publicBaseUrl",
    ],
    [
      { backend: "supabase", url: "https://ref.supabase.co/storage/v1", serviceRoleKey: "" },
      "serviceRoleKey",
    ],
    [{ backend: "supabase", url: "https://x", serviceRoleKey: "k", bucket: "../etc" }, "bucket"],
    [{ backend: "s3" }, "backend"],
  ])("names the bad field (%j)", (config, field) => {
    const error = (() => {
      try {
        createStorage(config as never);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((issue) => issue.path.join("."))).toContain(field);
  });
});

describe("verifyAccess (local)", () => {
  it("passes on a writable folder and names LOCAL_STORAGE_DIR otherwise", async () => {
    await expect(storage.verifyAccess()).resolves.toBeUndefined();
    const blocked = join(workDir, "a-file");
    await writeFile(blocked, "not a folder");
    const unusable = createStorage({
      backend: "local",
      rootDir: blocked,
      signingSecret,
      publicBaseUrl: "http://localhost:3000/",
    });
    await expect(unusable.verifyAccess()).rejects.toMatchObject({
      name: "StorageConfigError",
      variable: "LOCAL_STORAGE_DIR",
    });
  });
});
