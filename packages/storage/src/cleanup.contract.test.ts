/**
 * "Nothing left behind", on both backends, checked where it matters: the folder on disk (hidden
 * files included) and, for Supabase, the stand-in's own resumable uploads and partial files —
 * not `list()`, which never shows those.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type ArtifactStorage, createStorage } from "./index";
import { startSupabaseStandin, type SupabaseStandin } from "./testing/index";

const MiB = 1024 * 1024;
const user = "3f1d2c4e-0000-4000-8000-000000000002";

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

interface Fixture {
  storage: ArtifactStorage;
  /** Every file the backend holds for `folder`, hidden and partial ones included. */
  leftovers(folder: string): Promise<string[]>;
  /** A put into `folder` whose writer stops dead mid-body (as a killed worker would). */
  abandonUpload(folder: string): Promise<{ release(): void }>;
  close(): Promise<void>;
}

async function localFixture(): Promise<Fixture> {
  const rootDir = await mkdtemp(join(tmpdir(), "cleanup-local-"));
  const storage = createStorage({
    backend: "local",
    rootDir,
    signingSecret: "s".repeat(40),
    publicBaseUrl: "http://localhost:3000",
  });
  const folderDir = (folder: string) => join(rootDir, "lora-models", ...folder.split("/"));
  return {
    storage,
    leftovers: (folder) => filesUnder(folderDir(folder)),
    async abandonUpload(folder) {
      const body = new Readable({ read() {} });
      body.push(randomBytes(MiB));
      const put = storage
        .put(`${folder}adapter.safetensors`, body, {
          contentType: "application/octet-stream",
          expectedSizeBytes: 16 * MiB,
        })
        .catch(() => undefined);
      while (!(await filesUnder(folderDir(folder))).some((name) => name.startsWith(".mad-upload-")))
        await new Promise((resolve) => setTimeout(resolve, 5));
      return {
        release: () => {
          body.destroy(new Error("writer gone"));
          void put;
        },
      };
    },
    close: () => rm(rootDir, { recursive: true, force: true }),
  };
}

async function supabaseFixture(): Promise<Fixture> {
  const standin: SupabaseStandin = await startSupabaseStandin();
  const storage = createStorage(standin.storageConfig);
  return {
    storage,
    async leftovers(folder) {
      const objects = await filesUnder(
        join(standin.rootDir, "objects", "lora-models", ...folder.split("/")),
      );
      const open = standin
        .resumableUploads()
        .filter((upload) => upload.path.startsWith(folder))
        .map((upload) => `open upload of ${upload.path}`);
      return [...objects, ...open, ...(await standin.partialFiles())];
    },
    async abandonUpload(folder) {
      const body = new Readable({ read() {} });
      body.push(randomBytes(7 * MiB));
      const put = storage
        .put(`${folder}adapter.safetensors`, body, {
          contentType: "application/octet-stream",
          expectedSizeBytes: 16 * MiB,
        })
        .catch(() => undefined);
      // The first 6 MiB chunk is on the server, and the upload is in the journal.
      const target = `${folder}adapter.safetensors`;
      while (!standin.resumableUploads().some((u) => u.path === target && u.offset >= 6 * MiB))
        await new Promise((resolve) => setTimeout(resolve, 5));
      const journalDir = join(standin.rootDir, "objects", "lora-models", ".mad-upload-journal");
      while ((await filesUnder(journalDir)).length === 0)
        await new Promise((resolve) => setTimeout(resolve, 5));
      return {
        release: () => {
          void put;
        },
      };
    },
    close: () => standin.close(),
  };
}

describe.each([
  ["local", localFixture],
  ["supabase", supabaseFixture],
] as const)("cleanup: %s backend", (backend, createFixture) => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await createFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it("removeFolder takes objects and an upload still open in the folder, and nothing else", async () => {
    const { storage } = fixture;
    const folder = `${user}/artifact-1/`;
    const neighbour = `${user}/artifact-2/`;
    for (const name of ["adapter_config.json", "training_args.json"])
      await storage.put(`${folder}${name}`, Readable.from([Buffer.from("{}")]), {
        contentType: "application/json",
      });
    await storage.put(`${neighbour}adapter_config.json`, Readable.from([Buffer.from("{}")]), {
      contentType: "application/json",
    });
    const abandoned = await fixture.abandonUpload(folder);
    expect((await fixture.leftovers(folder)).length).toBeGreaterThan(2);

    await storage.removeFolder(folder);
    abandoned.release();
    expect(await fixture.leftovers(folder)).toEqual([]);
    expect(await fixture.leftovers(neighbour)).toEqual(["adapter_config.json"]);
    await expect(storage.removeFolder("")).rejects.toThrow(TypeError);
  });

  it("sweepStale terminates what dead writers left, once it is old enough", async () => {
    const { storage } = fixture;
    const folder = `${user}/artifact-3/`;
    // The writer stops dead and stays silent (a killed process never cleans up).
    const abandoned = await fixture.abandonUpload(folder);
    expect(await storage.sweepStale({ olderThanMs: 60 * 60_000 })).toEqual({ removed: 0 });
    const left = await fixture.leftovers(folder);
    expect(left.length).toBeGreaterThan(0);
    if (backend === "local")
      expect(left.every((name) => name.startsWith(".mad-upload-"))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await storage.sweepStale({ olderThanMs: 10 })).removed).toBe(1);
    expect(await fixture.leftovers(folder)).toEqual([]);
    abandoned.release();
  });
});

describe("a local writer killed with SIGKILL", () => {
  it("leaves a hidden temporary file that the sweep removes", async () => {
    const rootDir = await mkdtemp(join(tmpdir(), "cleanup-kill-"));
    try {
      const script = `
        import { createStorage } from "./src/index.ts";
        import { Readable } from "node:stream";
        const storage = createStorage({ backend: "local", rootDir: ${JSON.stringify(rootDir)},
          signingSecret: "s".repeat(40), publicBaseUrl: "http://localhost:3000" });
        const body = new Readable({ read() {} });
        body.push(Buffer.alloc(1024 * 1024, 7));
        void storage.put("u/a/adapter.safetensors", body,
          { contentType: "application/octet-stream", expectedSizeBytes: 8 * 1024 * 1024 });
        setInterval(() => process.stdout.write("writing\\n"), 20);`;
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        {
          cwd: join(import.meta.dirname, ".."),
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const folder = join(rootDir, "lora-models", "u", "a");
      while (!(await filesUnder(folder)).some((name) => name.startsWith(".mad-upload-"))) {
        expect(child.exitCode).toBeNull();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const [left] = await filesUnder(folder);
      expect(left).toMatch(/^\.mad-upload-.*\.tmp$/);

      const storage = createStorage({
        backend: "local",
        rootDir,
        signingSecret: "s".repeat(40),
        publicBaseUrl: "http://localhost:3000",
      });
      expect(await storage.list("u/a/")).toEqual([]); // why list() is not the check
      const old = new Date(Date.now() - 60_000);
      await utimes(join(folder, left!), old, old);
      await writeFile(join(folder, ".mad-upload-live.tmp"), "still being written");
      expect(await storage.sweepStale({ olderThanMs: 30_000 })).toEqual({ removed: 1 });
      expect(await filesUnder(folder)).toEqual([".mad-upload-live.tmp"]);
    } finally {
      await rm(rootDir, { recursive: true, force: true });
    }
  }, 30_000);
});
