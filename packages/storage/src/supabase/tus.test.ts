/**
 * Resumable uploads against the stand-in made faithful to Supabase Storage v1.70.6: replacing an
 * existing object (x-upsert on every request), riding out a restart, timeouts on a hung server,
 * and the typed errors that keep the real cause.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { Readable } from "node:stream";

import { StorageClient } from "@supabase/storage-js";
import { afterEach, describe, expect, it } from "vitest";

import { StorageBackendError } from "../errors";
import { inChunks, sha256Hex, startSupabaseStandin, type SupabaseStandin } from "../testing/index";
import { createSupabaseStorage, type SupabaseStorageOptions } from "./supabase-storage";
import { DEFAULT_TUS_RETRY_DELAYS_MS } from "./tus";
import { createUploadJournal } from "./upload-journal";

const CHUNK = 128 * 1024;

let standin: SupabaseStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function setup(options: Partial<SupabaseStorageOptions> = {}) {
  standin = await startSupabaseStandin();
  const storage = createSupabaseStorage({
    url: standin.url,
    serviceRoleKey: standin.serviceRoleKey,
    bucket: "lora-models",
    resumableThresholdBytes: CHUNK,
    resumableChunkBytes: CHUNK,
    ...options,
  });
  return { standin, storage };
}

async function download(storage: ReturnType<typeof createSupabaseStorage>, path: string) {
  const response = await fetch(await storage.createSignedUrl({ path, downloadName: "f" }, 60));
  return Buffer.from(await response.arrayBuffer());
}

const put = (storage: ReturnType<typeof createSupabaseStorage>, path: string, bytes: Buffer) =>
  storage.put(path, inChunks(bytes), {
    contentType: "application/octet-stream",
    expectedSizeBytes: bytes.length,
    expectedSha256: sha256Hex(bytes),
  });

/** Resolves once the stand-in has taken `count` PATCHes. */
async function afterPatches(server: SupabaseStandin, count: number): Promise<void> {
  while (server.stats.resumablePatches < count) await new Promise((r) => setTimeout(r, 5));
}

const meta = (value: string) => Buffer.from(value).toString("base64");
const tusHeaders = (server: SupabaseStandin, extra: Record<string, string> = {}) => ({
  apikey: server.serviceRoleKey,
  Authorization: `Bearer ${server.serviceRoleKey}`,
  "Tus-Resumable": "1.0.0",
  ...extra,
});
/** Creates a resumable upload by hand; answers its Location. */
async function createUpload(server: SupabaseStandin, path: string, length: number) {
  const created = await fetch(`${server.url}/upload/resumable`, {
    method: "POST",
    headers: tusHeaders(server, {
      "Upload-Length": String(length),
      "Upload-Metadata": `bucketName ${meta("lora-models")},objectName ${meta(path)}`,
      "x-upsert": "true",
    }),
  });
  expect(created.status).toBe(201);
  expect(created.headers.get("upload-offset")).toBeNull();
  return created.headers.get("location")!;
}
const patchUpload = (
  server: SupabaseStandin,
  location: string,
  offset: number,
  body: string,
  extra: Record<string, string> = { "x-upsert": "true" },
) =>
  fetch(location, {
    method: "PATCH",
    headers: tusHeaders(server, {
      "Upload-Offset": String(offset),
      "Content-Type": "application/offset+octet-stream",
      ...extra,
    }),
    body,
  });

describe("the stand-in's TUS handler copies the real server's checks and their order", () => {
  it("checks headers, then the upload, then x-upsert, then the offset, then the size", async () => {
    const { standin, storage } = await setup();
    await put(storage, "u/a/big.bin", randomBytes(CHUNK * 2));
    const location = await createUpload(standin, "u/a/big.bin", 3);
    const expectText = async (response: Response, status: number, text: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
      expect(await response.text()).toBe(text);
    };
    // Without x-upsert over an existing object, even a wrong offset is a 409 "already exists".
    await expectText(
      await patchUpload(standin, location, 2, "c", {}),
      409,
      "The resource already exists",
    );
    await expectText(
      await patchUpload(standin, location, 0, "c", {
        "x-upsert": "true",
        "Content-Type": "text/plain",
      }),
      400,
      "Invalid content-type\n",
    );
    await expectText(
      await fetch(location, {
        method: "PATCH",
        headers: tusHeaders(standin, {
          "Content-Type": "application/offset+octet-stream",
          "x-upsert": "true",
        }),
        body: "c",
      }),
      403,
      "Upload-Offset header required\n",
    );
    await expectText(await patchUpload(standin, location, 2, "c"), 409, "Upload-Offset conflict\n");
    // More bytes than declared: 413, and nothing of them is written.
    await expectText(
      await patchUpload(standin, location, 0, "abcd"),
      413,
      "upload's size exceeded\n",
    );
    const head = await fetch(location, { method: "HEAD", headers: tusHeaders(standin) });
    expect(head.headers.get("upload-offset")).toBe("0");
    // HEAD needs any valid key; writing needs the service key.
    const anon = { apikey: standin.anonKey, Authorization: `Bearer ${standin.anonKey}` };
    expect(
      (await fetch(location, { method: "HEAD", headers: { ...tusHeaders(standin), ...anon } }))
        .status,
    ).toBe(200);
    await expectText(
      await fetch(location, {
        method: "PATCH",
        headers: {
          ...tusHeaders(standin, {
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
            "x-upsert": "true",
          }),
          ...anon,
        },
        body: "abc",
      }),
      403,
      "new row violates row-level security policy",
    );
    const done = await patchUpload(standin, location, 0, "abc");
    expect(done.status).toBe(204);
    expect(done.headers.get("tus-complete")).toBe("1");
  });

  it("keeps answering for a completed upload: 400 on termination, 410 once its object is gone", async () => {
    const { standin, storage } = await setup();
    const location = await createUpload(standin, "u/a/done.bin", 3);
    expect((await patchUpload(standin, location, 0, "abc")).status).toBe(204);
    const head = await fetch(location, { method: "HEAD", headers: tusHeaders(standin) });
    expect(head.status).toBe(200);
    expect(head.headers.get("upload-offset")).toBe("3");
    const terminate = (extra: Record<string, string>) =>
      fetch(location, { method: "DELETE", headers: tusHeaders(standin, extra) });
    expect((await terminate({})).status).toBe(409);
    const refused = await terminate({ "x-upsert": "true" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe("Cannot terminate an already completed upload");
    expect((await download(storage, "u/a/done.bin")).toString()).toBe("abc");

    await storage.remove(["u/a/done.bin"]);
    expect((await fetch(location, { method: "HEAD", headers: tusHeaders(standin) })).status).toBe(
      410,
    );
    const gone = await terminate({ "x-upsert": "true" });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toBe("The file for this url no longer exists\n");
  });
});

describe("the sweep and removeFolder", () => {
  it("drop the journal entry of a completed upload, which the server refuses to terminate", async () => {
    const { standin, storage } = await setup();
    const files = new StorageClient(standin.url, {
      apikey: standin.serviceRoleKey,
      Authorization: `Bearer ${standin.serviceRoleKey}`,
    }).from("lora-models");
    const journal = createUploadJournal(() => files);
    // A worker killed between the last PATCH and the journal's removal leaves an entry for an
    // upload that completed: DELETE answers 400; once the object is removed, 410.
    const kept = await createUpload(standin, "u/a/kept.bin", 3);
    expect((await patchUpload(standin, kept, 0, "abc")).status).toBe(204);
    await journal.record(kept, "u/a/kept.bin");
    const removed = await createUpload(standin, "u/b/removed.bin", 3);
    expect((await patchUpload(standin, removed, 0, "xyz")).status).toBe(204);
    await storage.remove(["u/b/removed.bin"]);
    await journal.record(removed, "u/b/removed.bin");
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await storage.sweepStale({ olderThanMs: 10 })).toEqual({ removed: 2 });
    expect(await journal.entries()).toEqual([]);
    expect((await download(storage, "u/a/kept.bin")).toString()).toBe("abc");

    const again = await createUpload(standin, "u/c/again.bin", 3);
    expect((await patchUpload(standin, again, 0, "abc")).status).toBe(204);
    await journal.record(again, "u/c/again.bin");
    await storage.removeFolder("u/c/");
    expect(await journal.entries()).toEqual([]);
  });
});

describe("the stand-in's TUS handler copies the real server", () => {
  it("answers a PATCH over an existing object without x-upsert with 409 in plain text", async () => {
    const { standin, storage } = await setup();
    await put(storage, "u/a/big.bin", randomBytes(CHUNK * 2));
    const auth = {
      apikey: standin.serviceRoleKey,
      Authorization: `Bearer ${standin.serviceRoleKey}`,
    };
    const meta = (value: string) => Buffer.from(value).toString("base64");
    const created = await fetch(`${standin.url}/upload/resumable`, {
      method: "POST",
      headers: {
        ...auth,
        "Tus-Resumable": "1.0.0",
        "Upload-Length": "3",
        "Upload-Metadata": `bucketName ${meta("lora-models")},objectName ${meta("u/a/big.bin")}`,
        "x-upsert": "true",
      },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    expect(Buffer.from(location.split("/").pop()!, "base64url").toString()).toMatch(
      /^lora-models\/u\/a\/big\.bin\/[0-9a-f-]{36}$/,
    );
    const patched = await fetch(location, {
      method: "PATCH",
      headers: {
        ...auth,
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
      },
      body: "abc",
    });
    expect(patched.status).toBe(409);
    expect(await patched.text()).toBe("The resource already exists");
    const terminated = await fetch(location, {
      method: "DELETE",
      headers: { ...auth, "Tus-Resumable": "1.0.0" },
    });
    expect(terminated.status).toBe(409);
  });

  it("answers a missing bucket with HTTP 404 'Bucket not found' in plain text", async () => {
    const { standin } = await setup();
    const storage = createSupabaseStorage({
      url: standin.url,
      serviceRoleKey: standin.serviceRoleKey,
      bucket: "missing",
      resumableThresholdBytes: CHUNK,
      resumableChunkBytes: CHUNK,
    });
    const error = await put(storage, "u/a/big.bin", randomBytes(CHUNK * 2)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageBackendError);
    expect(error).toMatchObject({ kind: "bucket-missing", status: 404 });
    expect((error as StorageBackendError).detail).toContain("Bucket not found");
  });
});

describe("resumable uploads", () => {
  it("replace an existing object above the threshold (x-upsert on every request)", async () => {
    const { standin, storage } = await setup();
    const first = randomBytes(CHUNK * 3 + 5);
    const second = randomBytes(CHUNK * 4 + 9);
    await put(storage, "u/a/adapter.safetensors", first);
    await put(storage, "u/a/adapter.safetensors", second);
    expect(standin.stats.resumableUploadsCreated).toBe(2);
    expect((await download(storage, "u/a/adapter.safetensors")).equals(second)).toBe(true);
    expect(standin.resumableUploadsInProgress()).toBe(0);
    expect(await standin.partialFiles()).toEqual([]);
  });

  it("ride out a 30 s storage restart with the default retry delays and resume from the server's offset", async () => {
    const { standin, storage } = await setup({ tusRetryDelaysMs: DEFAULT_TUS_RETRY_DELAYS_MS });
    const bytes = randomBytes(CHUNK * 6 + 11);
    const upload = put(storage, "u/a/restart.bin", bytes);
    await afterPatches(standin, 2);
    const offsetBefore = standin.resumableUploads()[0]?.offset ?? 0;
    await standin.restart(30_000);
    const result = await upload;
    expect(result.sha256).toBe(sha256Hex(bytes));
    // One upload, resumed: not created again, and no chunk sent from the start.
    expect(standin.stats.resumableUploadsCreated).toBe(1);
    expect(offsetBefore).toBeGreaterThan(0);
    expect(standin.stats.resumablePatches).toBeLessThanOrEqual(8);
    expect((await download(storage, "u/a/restart.bin")).equals(bytes)).toBe(true);
    expect(standin.resumableUploadsInProgress()).toBe(0);
  }, 90_000);

  it("cut a request to a hung server after the request timeout, with a typed timeout error", async () => {
    const { standin, storage } = await setup({ requestTimeoutMs: 300, tusRetryDelaysMs: [50, 50] });
    standin.freeze();
    const started = Date.now();
    const error = await put(storage, "u/a/hung.bin", randomBytes(CHUNK * 2)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageBackendError);
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    expect((error as Error).message).toBe("the storage server did not answer in time");
    expect(Date.now() - started).toBeLessThan(5_000);
    const listError = await storage.list("u/a/").catch((e: unknown) => e);
    expect(listError).toMatchObject({ kind: "timeout" });
  });
});

describe("storage errors keep the real cause", () => {
  it("says the connection was refused, with the errno in the detail only", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address() as { port: number };
        probe.close(() => resolve(address.port));
      });
    });
    const storage = createSupabaseStorage({
      url: `http://127.0.0.1:${port}/storage/v1`,
      serviceRoleKey: "k",
      bucket: "lora-models",
      resumableThresholdBytes: CHUNK,
      resumableChunkBytes: CHUNK,
      tusRetryDelaysMs: [10],
    });
    for (const attempt of [
      () => storage.list("u/"),
      () => put(storage, "u/a/small.txt", Buffer.from("hello")),
      () => put(storage, "u/a/big.bin", randomBytes(CHUNK * 2)),
    ]) {
      const error = (await attempt().catch((e: unknown) => e)) as StorageBackendError;
      expect(error).toBeInstanceOf(StorageBackendError);
      expect(error.kind).toBe("refused");
      expect(error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|u\/a/);
      expect(error.detail).toContain("ECONNREFUSED");
    }
  });

  it("says the connection was lost when the server restarts under a standard upload", async () => {
    const { standin, storage } = await setup({ requestTimeoutMs: 5_000 });
    const body = new Readable({ read() {} });
    const upload = storage
      .put("u/a/streamed.bin", body, { contentType: "application/octet-stream" })
      .catch((e: unknown) => e);
    body.push(randomBytes(64 * 1024));
    while (standin.stats.standardUploads === 0) await new Promise((r) => setTimeout(r, 5));
    await standin.restart(10);
    const error = (await upload) as StorageBackendError;
    expect(error).toBeInstanceOf(StorageBackendError);
    expect(["connection-lost", "refused"]).toContain(error.kind);
    expect(error.message).not.toMatch(/UND_ERR|terminated|AbortError/);
  });
});
