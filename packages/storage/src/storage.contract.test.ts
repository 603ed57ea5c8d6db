/**
 * One contract, both backends: the local-disk backend behind its real HTTP download handler, and
 * the Supabase backend (storage-js + TUS) against the stand-in Supabase Storage server — and,
 * when STORAGE_CONTRACT_SUPABASE_URL and STORAGE_CONTRACT_SUPABASE_SERVICE_KEY are set, against
 * that real Supabase Storage server too (README "Testing against a real server").
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer as readAll } from "node:stream/consumers";
import { crc32 } from "node:zlib";

import { StorageClient } from "@supabase/storage-js";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type ArtifactStorage,
  createLocalDownloadHandler,
  createLocalStorage,
  createStorage,
  StorageConfigError,
  StorageIntegrityError,
  StorageObjectNotFoundError,
  UnsafeObjectPathError,
} from "./index";
import {
  createGeneratedStream,
  inChunks,
  sha256Hex,
  startFetchServer,
  startSupabaseStandin,
} from "./testing/index";
import { expectInvalidRange } from "./testing/range-refusal";

interface Fixture {
  storage: ArtifactStorage;
  /**
   * Lets `seconds` pass for the clock that signs and checks download tokens: moved forward on
   * the local backend and the stand-in, waited out on a real server.
   */
  passTime(seconds: number): Promise<void>;
  /** Files the backend holds (to prove nothing else was written): on disk, or as listed. */
  filesOnDisk(): Promise<string[]>;
  close(): Promise<void>;
}

/** A real Supabase Storage server to run the contract against as well (see the README). */
interface ExternalSupabase {
  url: string;
  serviceRoleKey: string;
  /** Its anon key, for the start-up check; optional. */
  anonKey: string | undefined;
}

function externalSupabase(): ExternalSupabase | null {
  const url = process.env.STORAGE_CONTRACT_SUPABASE_URL;
  const serviceRoleKey = process.env.STORAGE_CONTRACT_SUPABASE_SERVICE_KEY;
  if (!url || !serviceRoleKey) return null;
  return { url, serviceRoleKey, anonKey: process.env.STORAGE_CONTRACT_SUPABASE_ANON_KEY };
}
const external = externalSupabase();
/** One folder per run: a real server keeps what earlier runs stored. */
const user = `3f1d2c4e-0000-4000-8000-${randomBytes(6).toString("hex")}`;

function controlledClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (seconds: number) => {
      offsetMs += seconds * 1000;
      return Promise.resolve();
    },
  };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function localFixture(): Promise<Fixture> {
  const workDir = await mkdtemp(join(tmpdir(), "storage-local-"));
  const rootDir = join(workDir, "storage");
  const signingSecret = randomBytes(32).toString("hex");
  const clock = controlledClock();
  const server = await startFetchServer(
    createLocalDownloadHandler({ rootDir, signingSecret, now: clock.now }),
  );
  // createLocalStorage (what createStorage builds) with the same controlled clock as the handler.
  const storage = createLocalStorage({
    rootDir,
    signingSecret,
    publicBaseUrl: server.origin,
    bucket: "lora-models",
    now: clock.now,
  });
  return {
    storage,
    passTime: clock.advance,
    filesOnDisk: () => walk(workDir),
    async close() {
      await server.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

async function supabaseFixture(): Promise<Fixture> {
  const clock = controlledClock();
  const standin = await startSupabaseStandin({ now: clock.now });
  const storage = createStorage(standin.storageConfig);
  return {
    storage,
    passTime: clock.advance,
    filesOnDisk: () => walk(join(standin.rootDir, "objects")),
    close: () => standin.close(),
  };
}

/** Every object under `folder` on a real server, through its listing (folders recursed). */
async function listedFiles(files: ReturnType<StorageClient["from"]>, folder: string) {
  const found: string[] = [];
  const { data, error } = await files.list(folder, { limit: 1000 });
  if (error) throw error;
  for (const row of data) {
    const path = folder === "" ? row.name : `${folder}/${row.name}`;
    if (row.id === null || row.id === undefined) found.push(...(await listedFiles(files, path)));
    else found.push(path);
  }
  return found.sort();
}

async function externalFixture(): Promise<Fixture> {
  const server = external as ExternalSupabase;
  const storage = createStorage({
    backend: "supabase",
    url: server.url,
    serviceRoleKey: server.serviceRoleKey,
    bucket: "lora-models",
  });
  const files = new StorageClient(server.url.replace(/\/+$/, ""), {
    apikey: server.serviceRoleKey,
    Authorization: `Bearer ${server.serviceRoleKey}`,
  }).from("lora-models");
  // A wrong URL, key or bucket fails here, in plain words, not in every test.
  await storage.verifyAccess();
  return {
    storage,
    passTime: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 200)),
    filesOnDisk: () => listedFiles(files, user),
    // What this run stored stays out of the next run's way.
    close: () => storage.removeFolder(user),
  };
}

/** Yields `goodBytes` and then fails, like a connection to the GPU cluster dropping. */
function failingStream(goodBytes: number): Readable {
  return Readable.from(
    (async function* () {
      for (let sent = 0; sent < goodBytes; sent += 64 * 1024) {
        yield randomBytes(Math.min(64 * 1024, goodBytes - sent));
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error("upstream connection reset");
    })(),
  );
}

async function downloadBytes(
  url: string,
  init?: RequestInit,
): Promise<{ response: Response; bytes: Buffer }> {
  const response = await fetch(url, init);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function expectStorageError(
  url: string,
  statusCode: string,
  code: string,
  message?: string,
): Promise<void> {
  const response = await fetch(url);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { statusCode: string; code: string; message: string };
  expect(body).toMatchObject({ statusCode, code, ...(message === undefined ? {} : { message }) });
  expect(typeof body.message).toBe("string");
}

function withToken(url: string, token: string): string {
  const next = new URL(url);
  next.searchParams.set("token", token);
  return next.toString();
}

const fixtures: (readonly [string, "local" | "supabase", () => Promise<Fixture>])[] = [
  ["local", "local", localFixture],
  ["supabase (stand-in)", "supabase", supabaseFixture],
  ...(external ? [["supabase (real server)", "supabase", externalFixture] as const] : []),
];

describe.each(fixtures)("ArtifactStorage contract: %s backend", (_name, backend, createFixture) => {
  let fixture: Fixture;
  let storage: ArtifactStorage;

  beforeAll(async () => {
    fixture = await createFixture();
    storage = fixture.storage;
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("reports its backend and bucket", () => {
    expect(storage.backend).toBe(backend);
    expect(storage.bucket).toBe("lora-models");
  });

  it("stores a streamed body and returns its exact size and sha256", async () => {
    const bytes = randomBytes(1024 * 1024 + 123);
    const progress: number[] = [];
    const result = await storage.put(`${user}/a1/adapter_model.safetensors`, inChunks(bytes), {
      contentType: "application/octet-stream",
      expectedSizeBytes: bytes.length,
      expectedSha256: sha256Hex(bytes),
      onProgress: (written) => progress.push(written),
    });
    expect(result).toEqual({
      path: `${user}/a1/adapter_model.safetensors`,
      sizeBytes: bytes.length,
      sha256: sha256Hex(bytes),
      crc32: crc32(bytes),
    });
    expect(progress.at(-1)).toBe(bytes.length);

    const url = await storage.createSignedUrl(
      { path: result.path, downloadName: "adapter_model.safetensors" },
      60,
    );
    const { response, bytes: downloaded } = await downloadBytes(url);
    expect(response.status).toBe(200);
    expect(sha256Hex(downloaded)).toBe(sha256Hex(bytes));
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(response.headers.get("content-disposition")).toBe(
      "attachment; filename=adapter_model.safetensors; filename*=UTF-8''adapter_model.safetensors",
    );
    expect(response.headers.get("accept-ranges")).toBe("bytes");
  });

  it("accepts a web ReadableStream body and an empty body", async () => {
    const bytes = randomBytes(300_000);
    const web = Readable.toWeb(inChunks(bytes)) as ReadableStream<Uint8Array>;
    const result = await storage.put(`${user}/a2/web.bin`, web, {
      contentType: "application/octet-stream",
    });
    expect(result.sha256).toBe(sha256Hex(bytes));
    const empty = await storage.put(`${user}/a2/empty.bin`, Readable.from([]), {
      contentType: "application/octet-stream",
      expectedSizeBytes: 0,
    });
    expect(empty).toMatchObject({ sizeBytes: 0, sha256: sha256Hex(Buffer.alloc(0)) });
    const { bytes: downloaded } = await downloadBytes(
      await storage.createSignedUrl({ path: empty.path, downloadName: "e" }, 60),
    );
    expect(downloaded.length).toBe(0);
  });

  it("replaces an older object on a successful put", async () => {
    const path = `${user}/a3/model.bin`;
    await storage.put(path, inChunks(Buffer.from("version one")), {
      contentType: "application/octet-stream",
    });
    await storage.put(path, inChunks(Buffer.from("version two!")), {
      contentType: "application/octet-stream",
    });
    const { bytes } = await downloadBytes(
      await storage.createSignedUrl({ path, downloadName: "model.bin" }, 60),
    );
    expect(bytes.toString()).toBe("version two!");
    expect(await storage.list(`${user}/a3/`)).toEqual([{ path, sizeBytes: 12 }]);
  });

  it("replaces an object above the resumable threshold with another one", async () => {
    const path = `${user}/a16/adapter_model.safetensors`;
    const first = randomBytes(6 * 1024 * 1024 + 1_001);
    const second = randomBytes(7 * 1024 * 1024 + 3);
    for (const bytes of [first, second]) {
      const result = await storage.put(path, inChunks(bytes, 1024 * 1024), {
        contentType: "application/octet-stream",
        expectedSizeBytes: bytes.length,
        expectedSha256: sha256Hex(bytes),
      });
      expect(result.sha256).toBe(sha256Hex(bytes));
    }
    const { bytes } = await downloadBytes(
      await storage.createSignedUrl({ path, downloadName: "adapter_model.safetensors" }, 60),
    );
    expect(bytes.equals(second)).toBe(true);
    expect(await storage.list(`${user}/a16/`)).toEqual([{ path, sizeBytes: second.length }]);
  });

  it.each([
    ["a size that is too small", { expectedSizeBytes: 1000 }, "size"],
    ["a size that is too large", { expectedSizeBytes: 999_999 }, "size"],
    ["another sha256", { expectedSha256: "0".repeat(64) }, "sha256"],
  ] as const)(
    "fails on %s, leaving nothing new and keeping the older object",
    async (_label, expectation, check) => {
      const path = `${user}/a4/${check}-${String(Object.values(expectation)[0]).slice(0, 6)}.bin`;
      const old = Buffer.from("the older object");
      await storage.put(path, inChunks(old), { contentType: "application/octet-stream" });
      const fresh = `${user}/a4/fresh-${check}-${randomBytes(4).toString("hex")}.bin`;

      const body = randomBytes(500_000);
      const error = await storage
        .put(path, inChunks(body), { contentType: "application/octet-stream", ...expectation })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageIntegrityError);
      expect((error as StorageIntegrityError).check).toBe(check);
      const { bytes } = await downloadBytes(
        await storage.createSignedUrl({ path, downloadName: "x" }, 60),
      );
      expect(bytes.toString()).toBe("the older object");

      await expect(
        storage.put(fresh, inChunks(body), {
          contentType: "application/octet-stream",
          ...expectation,
        }),
      ).rejects.toBeInstanceOf(StorageIntegrityError);
      expect((await storage.list(`${user}/a4`)).map((object) => object.path)).not.toContain(fresh);
    },
  );

  it("leaves nothing when the body errors midway, and keeps the older object", async () => {
    const path = `${user}/a5/model.bin`;
    await storage.put(path, inChunks(Buffer.from("older")), {
      contentType: "application/octet-stream",
    });
    await expect(
      storage.put(path, failingStream(2 * 1024 * 1024), {
        contentType: "application/octet-stream",
      }),
    ).rejects.toThrow("upstream connection reset");
    await expect(
      storage.put(`${user}/a5/new.bin`, failingStream(1024 * 1024), {
        contentType: "application/octet-stream",
      }),
    ).rejects.toThrow("upstream connection reset");
    expect(await storage.list(`${user}/a5/`)).toEqual([{ path, sizeBytes: 5 }]);
    const { bytes } = await downloadBytes(
      await storage.createSignedUrl({ path, downloadName: "m" }, 60),
    );
    expect(bytes.toString()).toBe("older");
  });

  it("stops on abort and leaves nothing", async () => {
    const controller = new AbortController();
    const { stream } = createGeneratedStream(32 * 1024 * 1024, {
      onChunk: (produced) => {
        if (produced >= 1024 * 1024) controller.abort();
      },
    });
    const error = await storage
      .put(`${user}/a6/aborted.bin`, stream, {
        contentType: "application/octet-stream",
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    const already = AbortSignal.abort();
    await expect(
      storage.put(`${user}/a6/never.bin`, inChunks(Buffer.from("x")), {
        contentType: "application/octet-stream",
        signal: already,
      }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(await storage.list(`${user}/a6/`)).toEqual([]);
  });

  it("refuses unsafe paths before writing anything", async () => {
    const before = await fixture.filesOnDisk();
    for (const path of [
      "../escape.bin",
      "/etc/escape.bin",
      `${user}//x.bin`,
      `${user}/../../x.bin`,
      "a\\..\\x.bin",
      "a/\u0000.bin",
      "a/b\n.bin",
      "",
      "a/./b",
      "a/b?c",
      "a/",
    ]) {
      await expect(
        storage.put(path, inChunks(Buffer.from("x")), { contentType: "text/plain" }),
        path,
      ).rejects.toBeInstanceOf(UnsafeObjectPathError);
    }
    await expect(
      storage.createSignedUrl({ path: "../x", downloadName: "x" }, 60),
    ).rejects.toBeInstanceOf(UnsafeObjectPathError);
    await expect(storage.remove(["../x"])).rejects.toBeInstanceOf(UnsafeObjectPathError);
    await expect(storage.list("../")).rejects.toBeInstanceOf(UnsafeObjectPathError);
    expect(await fixture.filesOnDisk()).toEqual(before);
  });

  it("lists the objects directly under a folder and removes objects, ignoring missing ones", async () => {
    const folder = `${user}/a7`;
    await storage.put(`${folder}/one.bin`, inChunks(Buffer.alloc(10)), {
      contentType: "application/octet-stream",
    });
    await storage.put(`${folder}/two.json`, inChunks(Buffer.from("{}")), {
      contentType: "application/json",
    });
    await storage.put(`${folder}/nested/three.bin`, inChunks(Buffer.alloc(3)), {
      contentType: "application/octet-stream",
    });
    expect(await storage.list(`${folder}/`)).toEqual([
      { path: `${folder}/one.bin`, sizeBytes: 10 },
      { path: `${folder}/two.json`, sizeBytes: 2 },
    ]);
    expect(await storage.list(folder)).toHaveLength(2);
    expect(await storage.list(`${user}/does-not-exist/`)).toEqual([]);
    await storage.remove([`${folder}/one.bin`, `${folder}/missing.bin`]);
    expect(await storage.list(`${folder}/`)).toEqual([
      { path: `${folder}/two.json`, sizeBytes: 2 },
    ]);
    await storage.remove([]);
  });

  it("signs URLs in batches, in order, with each download name", async () => {
    const paths = [`${user}/a8/x.bin`, `${user}/a8/y.bin`];
    await storage.put(paths[0]!, inChunks(Buffer.from("xx")), {
      contentType: "application/octet-stream",
    });
    await storage.put(paths[1]!, inChunks(Buffer.from("yyy")), {
      contentType: "application/octet-stream",
    });
    const urls = await storage.createSignedUrls(
      [
        { path: paths[1]!, downloadName: "why.bin" },
        { path: paths[0]!, downloadName: "ex.bin" },
      ],
      60,
    );
    const first = await downloadBytes(urls[0]!);
    const second = await downloadBytes(urls[1]!);
    expect(first.bytes.toString()).toBe("yyy");
    expect(first.response.headers.get("content-disposition")).toBe(
      "attachment; filename=why.bin; filename*=UTF-8''why.bin",
    );
    expect(second.bytes.toString()).toBe("xx");
    expect(await storage.createSignedUrls([], 60)).toEqual([]);
    await expect(
      storage.createSignedUrl({ path: `${user}/a8/missing.bin`, downloadName: "m" }, 60),
    ).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(
      storage.createSignedUrls([{ path: `${user}/a8/missing.bin`, downloadName: "m" }], 60),
    ).rejects.toBeInstanceOf(StorageObjectNotFoundError);
  });

  it("serves the download name as Supabase encodes it, with no header injection", async () => {
    const path = `${user}/a9/adapter (1).safetensors`;
    await storage.put(path, inChunks(Buffer.from("weights")), {
      contentType: "application/octet-stream",
    });
    const url = await storage.createSignedUrl(
      { path, downloadName: 'Modèl "v1"\r\nX-Evil: 1.safetensors' },
      60,
    );
    const { response, bytes } = await downloadBytes(url);
    expect(bytes.toString()).toBe("weights");
    const disposition = response.headers.get("content-disposition") ?? "";
    const encoded = "Mod%C3%A8l%20%22v1%22%0D%0AX-Evil%3A%201.safetensors";
    expect(disposition).toBe(`attachment; filename=${encoded}; filename*=UTF-8''${encoded}`);
    expect(response.headers.get("x-evil")).toBeNull();
  });

  it("answers single Range requests with 206 and unusable ones with 416 InvalidRange", async () => {
    const bytes = randomBytes(100_000);
    const path = `${user}/a10/ranged.bin`;
    await storage.put(path, inChunks(bytes), { contentType: "application/octet-stream" });
    const url = await storage.createSignedUrl({ path, downloadName: "ranged.bin" }, 60);

    const middle = await downloadBytes(url, { headers: { Range: "bytes=1000-1999" } });
    expect(middle.response.status).toBe(206);
    expect(middle.response.headers.get("content-range")).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(middle.bytes.equals(bytes.subarray(1000, 2000))).toBe(true);

    const open = await downloadBytes(url, { headers: { Range: "bytes=99990-" } });
    expect(open.response.status).toBe(206);
    expect(open.bytes.equals(bytes.subarray(99_990))).toBe(true);

    const suffix = await downloadBytes(url, { headers: { Range: "bytes=-10" } });
    expect(suffix.bytes.equals(bytes.subarray(bytes.length - 10))).toBe(true);

    for (const range of [`bytes=${bytes.length}-`, "bytes=9-3", "bytes=0-1,5-6", "bytes=x"]) {
      await expectInvalidRange(await fetch(url, { headers: { Range: range } }));
    }

    // The URL serves the object's current version (If-Range: local only, download-handler.test).
    const replaced = randomBytes(1_000);
    await storage.put(path, inChunks(replaced), { contentType: "application/octet-stream" });
    const current = await downloadBytes(url);
    expect(current.bytes.equals(replaced)).toBe(true);

    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(replaced.length));
    expect(await head.text()).toBe("");
  });

  it("refuses expired, tampered and reused tokens with Supabase's codes, in its order", async () => {
    const path = `${user}/a11/secret.bin`;
    const other = `${user}/a11/other.bin`;
    await storage.put(path, inChunks(Buffer.from("secret")), {
      contentType: "application/octet-stream",
    });
    await storage.put(other, inChunks(Buffer.from("other")), {
      contentType: "application/octet-stream",
    });
    const url = await storage.createSignedUrl({ path, downloadName: "secret.bin" }, 60);
    const otherUrl = await storage.createSignedUrl({ path: other, downloadName: "other.bin" }, 60);
    const token = new URL(url).searchParams.get("token") ?? "";

    // Tampered payload (a later expiry) with the original signature.
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as { exp: number };
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims, exp: claims.exp + 3600 }),
    ).toString("base64url");
    await expectStorageError(
      withToken(url, `${header}.${forgedPayload}.${signature}`),
      "400",
      "InvalidJWT",
      "signature verification failed",
    );
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "HS256" });

    // Signed with another secret.
    const foreign = await new SignJWT({ url: `lora-models/${path}`, scope: "download" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("x".repeat(40)));
    await expectStorageError(withToken(url, foreign), "400", "InvalidJWT");
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    await expectStorageError(withToken(url, unsigned), "400", "InvalidJWT");

    // The token of one object used on another.
    await expectStorageError(
      withToken(otherUrl, token),
      "400",
      "InvalidSignature",
      "Invalid signature",
    );
    await expectStorageError(withToken(url, "not-a-jwt"), "400", "InvalidJWT");
    const noToken = new URL(url);
    noToken.searchParams.delete("token");
    await expectStorageError(
      noToken.toString(),
      "400",
      "InvalidRequest",
      "querystring must have required property 'token'",
    );

    // Still fine before expiry; refused once the clock passes it — the expiry is checked
    // before the path, so an expired token on another object is InvalidJWT too.
    const shortUrl = await storage.createSignedUrl({ path, downloadName: "secret.bin" }, 2);
    const shortToken = new URL(shortUrl).searchParams.get("token") ?? "";
    expect((await fetch(shortUrl)).status).toBe(200);
    await fixture.passTime(3);
    await expectStorageError(shortUrl, "400", "InvalidJWT", '"exp" claim timestamp check failed');
    await expectStorageError(withToken(otherUrl, shortToken), "400", "InvalidJWT");
    expect((await fetch(url)).status).toBe(200);
  });

  it("reads an object whole or by an inclusive byte range, from one stream", async () => {
    const path = `${user}/a14/range.bin`;
    const bytes = randomBytes(700_001);
    const stored = await storage.put(path, inChunks(bytes), {
      contentType: "application/octet-stream",
    });
    expect(stored.crc32).toBe(crc32(bytes));
    expect((await readAll(await storage.read(path))).equals(bytes)).toBe(true);
    const middle = await readAll(await storage.read(path, { start: 65_530, end: 400_000 }));
    expect(middle.equals(bytes.subarray(65_530, 400_001))).toBe(true);
    const last = await readAll(
      await storage.read(path, { start: bytes.length - 1, end: bytes.length - 1 }),
    );
    expect([...last]).toEqual([bytes[bytes.length - 1]]);
  });

  it("refuses to read a missing object or a range outside the object", async () => {
    const path = `${user}/a15/small.bin`;
    await storage.put(path, inChunks(Buffer.from("0123456789")), {
      contentType: "application/octet-stream",
    });
    await expect(storage.read(`${user}/a15/missing.bin`)).rejects.toBeInstanceOf(
      StorageObjectNotFoundError,
    );
    await expect(storage.read(path, { start: 10, end: 12 })).rejects.toBeInstanceOf(RangeError);
    await expect(storage.read(path, { start: 5, end: 2 })).rejects.toBeInstanceOf(RangeError);
    await expect(storage.read("../escape.bin")).rejects.toBeInstanceOf(UnsafeObjectPathError);
  });

  it("answers a removed object with not_found in the body", async () => {
    const path = `${user}/a12/gone.bin`;
    await storage.put(path, inChunks(Buffer.from("soon gone")), {
      contentType: "application/octet-stream",
    });
    const url = await storage.createSignedUrl({ path, downloadName: "gone.bin" }, 3600);
    await storage.remove([path]);
    await expectStorageError(url, "404", "NoSuchKey", "Object not found");
  });

  it.each([
    ["with an expected size", true],
    ["without an expected size", false],
  ] as const)("streams a 64 MiB put %s with bounded memory", async (_label, withSize) => {
    const size = 64 * 1024 * 1024;
    // Retained memory (heap + array buffers after a full GC), sampled as the body is produced: a
    // copy of the body kept anywhere along the way would grow it towards 64 MiB.
    const retained = () => {
      globalThis.gc?.();
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };
    const baseline = retained();
    const baselineRss = process.memoryUsage.rss();
    let peak = baseline;
    let peakRss = baselineRss;
    const generated = createGeneratedStream(size, {
      onChunk: (produced) => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        if (produced % (4 * 1024 * 1024) === 0) peak = Math.max(peak, retained());
      },
    });
    const result = await storage.put(
      `${user}/a13/large-${String(withSize)}.bin`,
      generated.stream,
      {
        contentType: "application/octet-stream",
        ...(withSize ? { expectedSizeBytes: size } : {}),
      },
    );
    expect(result.sizeBytes).toBe(size);
    expect(result.sha256).toBe(generated.sha256());
    // Loose bounds on purpose: one 6 MiB TUS chunk plus stream buffers fit easily.
    expect(peak - baseline).toBeLessThan(24 * 1024 * 1024);
    expect(peakRss - baselineRss).toBeLessThan(size);
    const url = await storage.createSignedUrl({ path: result.path, downloadName: "large.bin" }, 60);
    const response = await fetch(url, { headers: { Range: `bytes=${size - 16}-` } });
    expect(response.status).toBe(206);
    expect((await response.arrayBuffer()).byteLength).toBe(16);
  });
});

/** The start-up check against the real server: only the check catches a wrong key or bucket. */
describe.each(external?.anonKey ? [external] : [])(
  "verifyAccess against the real server at $url",
  (server) => {
    const storageWith = (key: string, bucket = "lora-models") =>
      createStorage({ backend: "supabase", url: server.url, serviceRoleKey: key, bucket });

    it("passes with the service_role key and the private bucket", async () => {
      await expect(storageWith(server.serviceRoleKey).verifyAccess()).resolves.toBeUndefined();
    });

    it("catches the anon key, which lists nothing and deletes nothing without an error", async () => {
      const good = storageWith(server.serviceRoleKey);
      const path = `${user}/access/adapter_config.json`;
      await good.put(path, inChunks(Buffer.from("{}")), { contentType: "application/json" });
      const anon = storageWith(server.anonKey ?? "");
      expect(await anon.list(`${user}/access/`)).toEqual([]);
      await expect(anon.remove([path])).resolves.toBeUndefined();
      expect(await good.list(`${user}/access/`)).toEqual([{ path, sizeBytes: 2 }]);
      await expect(
        anon.put(`${user}/access/x.json`, inChunks(Buffer.from("{}")), {
          contentType: "application/json",
        }),
      ).rejects.toMatchObject({ kind: "denied", statusCode: "403" });
      await expect(anon.createSignedUrl({ path, downloadName: "a" }, 60)).rejects.toBeInstanceOf(
        StorageObjectNotFoundError,
      );
      const error = await anon.verifyAccess().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageConfigError);
      expect(error).toMatchObject({ variable: "SUPABASE_SERVICE_ROLE_KEY" });
      await good.removeFolder(`${user}/access/`);
    });

    it("names STORAGE_BUCKET for a missing bucket, whose list and remove still 'succeed'", async () => {
      const missing = storageWith(
        server.serviceRoleKey,
        `missing-${randomBytes(4).toString("hex")}`,
      );
      expect(await missing.list(`${user}/`)).toEqual([]);
      await expect(missing.remove([`${user}/x.bin`])).resolves.toBeUndefined();
      await expect(
        missing.put(`${user}/x.bin`, inChunks(Buffer.from("x")), { contentType: "text/plain" }),
      ).rejects.toMatchObject({ kind: "bucket-missing", statusCode: "404" });
      const error = await missing.verifyAccess().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageConfigError);
      expect(error).toMatchObject({ variable: "STORAGE_BUCKET" });
    });
  },
);
