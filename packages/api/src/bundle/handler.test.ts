/**
 * The bundle download end to end on both storage backends: a real HTTP server in front of the
 * handler, real storage (local disk / the Supabase stand-in), a real database, and the real
 * `unzip` and `sha256sum` checking what was downloaded.
 */
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";
import { createTestDatabase, type TestDatabase } from "@mad/db/testing";
import type {} from "@mad/db/testing/global-setup";
import { type ArtifactStorage, createLocalStorage, createStorage } from "@mad/storage";
import { startSupabaseStandin } from "@mad/storage/testing";

import { insertArtifact, insertStoredArtifactWithFiles } from "../testing/fixtures";
import { type RunningServer, serveFetch } from "../testing/http-server";
import { createBundleHandler } from "./handler";
import { signBundleToken } from "./token";

const run = promisify(execFile);
const secret = randomBytes(32).toString("hex");

interface Backend {
  storage: ArtifactStorage;
  /** Overwrites an object's bytes behind the storage's back (bit rot, a bad actor). */
  tamper(path: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

async function localBackend(): Promise<Backend> {
  const rootDir = await mkdtemp(join(tmpdir(), "bundle-local-"));
  const storage = createLocalStorage({
    rootDir,
    signingSecret: randomBytes(32).toString("hex"),
    publicBaseUrl: "http://127.0.0.1:9",
    bucket: "lora-models",
  });
  return {
    storage,
    tamper: (path, bytes) => writeFile(join(rootDir, "lora-models", ...path.split("/")), bytes),
    close: () => rm(rootDir, { recursive: true, force: true }),
  };
}

async function supabaseBackend(): Promise<Backend> {
  const standin = await startSupabaseStandin();
  const storage = createStorage(standin.storageConfig);
  return {
    storage,
    tamper: (path, bytes) =>
      writeFile(join(standin.rootDir, "objects", "lora-models", ...path.split("/")), bytes),
    close: () => standin.close(),
  };
}

const weights = randomBytes(3 * 1024 * 1024 + 17);
const contents = {
  "adapter_model.safetensors": weights,
  "adapter_config.json": '{"r":16,"lora_alpha":32}',
  "training_args.json": '{"epochs":3}',
  "empty.txt": "",
};

describe.each([
  ["local", localBackend],
  ["supabase", supabaseBackend],
] as const)("model bundle download: %s storage", (_name, createBackend) => {
  let database: TestDatabase;
  let backend: Backend;
  let server: RunningServer;
  let workDir: string;
  let zip64Threshold: number | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    backend = await createBackend();
    workDir = await mkdtemp(join(tmpdir(), "bundle-out-"));
    server = await serveFetch((pathname) => {
      const match = /^\/bundles\/([^/]+)\//.exec(pathname);
      if (!match) return null;
      const handler = createBundleHandler({
        db: database.db,
        storage: backend.storage,
        signingSecret: secret,
        logger: { error: () => undefined, warn: () => undefined },
        ...(zip64Threshold === undefined ? {} : { zip64Threshold }),
      });
      return (request) => handler(request, match[1]!);
    });
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
    await database?.drop();
    await rm(workDir, { recursive: true, force: true });
  });

  async function storedModel(files: Record<string, string | Buffer> = contents) {
    const userId = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(database.db, backend.storage, {
      userId,
      name: "Support tickets v3",
      contents: files,
    });
    return { userId, artifact };
  }

  async function urlFor(userId: string, artifactId: string, expiresIn = 3600) {
    const token = await signBundleToken(secret, { userId, artifactId }, expiresIn, new Date());
    return `${server.url}/bundles/${artifactId}/model.zip?token=${token}`;
  }

  async function download(url: string, init?: RequestInit) {
    const response = await fetch(url, init);
    return { response, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** unzip -t, then extract and `sha256sum -c SHA256SUMS` in the extracted folder. */
  async function verifyWithTools(zip: Buffer) {
    const dir = await mkdtemp(join(workDir, "x-"));
    const file = join(dir, "bundle.zip");
    await writeFile(file, zip);
    const tested = await run("unzip", ["-t", file]);
    expect(tested.stdout).toContain("No errors detected");
    await run("unzip", ["-q", file, "-d", join(dir, "out")]);
    const checked = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: join(dir, "out") });
    return { out: join(dir, "out"), checked: checked.stdout };
  }

  it("downloads the model as one ZIP that unzip -t and sha256sum -c accept", async () => {
    const { userId, artifact } = await storedModel();
    const { response, bytes } = await download(await urlFor(userId, artifact.id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-disposition")).toBe(
      "attachment; filename=Support%20tickets%20v3.zip; filename*=UTF-8''Support%20tickets%20v3.zip",
    );
    const { out, checked } = await verifyWithTools(bytes);
    for (const name of Object.keys(contents)) expect(checked).toContain(`${name}: OK`);
    expect((await readFile(join(out, "adapter_model.safetensors"))).equals(weights)).toBe(true);
    // Stored, not compressed: the archive is the files plus a few hundred bytes of headers.
    expect(bytes.length - weights.length).toBeLessThan(1024);

    // The CRC-32s computed for this older artifact were recorded, so later bundles need no pass.
    const [row] = await database.db
      .select({ files: modelArtifacts.files })
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifact.id));
    expect(row!.files.find((f) => f.name === "adapter_model.safetensors")?.crc32).toBe(
      crc32(weights),
    );
  });

  it("resumes a download cut in the middle with Range + If-Range, byte for byte", async () => {
    const { userId, artifact } = await storedModel();
    const url = await urlFor(userId, artifact.id);
    const whole = await download(url);
    const etag = whole.response.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    // The first attempt dies after ~1 MiB (the client stops reading and goes away).
    const first = await fetch(url);
    const received: Buffer[] = [];
    let got = 0;
    for await (const chunk of first.body as unknown as AsyncIterable<Uint8Array>) {
      received.push(Buffer.from(chunk));
      got += chunk.byteLength;
      if (got >= 1024 * 1024) break; // leaving the loop cancels the body
    }
    const head = Buffer.concat(received);
    expect(head.length).toBeLessThan(whole.bytes.length);

    const rest = await download(url, {
      headers: { Range: `bytes=${head.length}-`, "If-Range": etag },
    });
    expect(rest.response.status).toBe(206);
    expect(rest.response.headers.get("content-range")).toBe(
      `bytes ${head.length}-${whole.bytes.length - 1}/${whole.bytes.length}`,
    );
    const resumed = Buffer.concat([head, rest.bytes]);
    expect(resumed.equals(whole.bytes)).toBe(true);
    await verifyWithTools(resumed);

    // Every range of the archive is the same bytes as the whole (headers, data, directory).
    for (const [start, end] of [
      [0, 10],
      [25, 200],
      [whole.bytes.length - 300, whole.bytes.length - 1],
    ] as const) {
      const part = await download(url, { headers: { Range: `bytes=${start}-${end}` } });
      expect(part.response.status).toBe(206);
      expect(part.bytes.equals(whole.bytes.subarray(start, end + 1))).toBe(true);
    }
  });

  it("sends the whole archive when If-Range names other bytes, and 416 past the end", async () => {
    const { userId, artifact } = await storedModel();
    const url = await urlFor(userId, artifact.id);
    const stale = await download(url, { headers: { Range: "bytes=100-", "If-Range": '"old"' } });
    expect(stale.response.status).toBe(200);
    const lastModified = stale.response.headers.get("last-modified")!;
    const byDate = await download(url, {
      headers: { Range: "bytes=100-", "If-Range": lastModified },
    });
    expect(byDate.response.status).toBe(206);
    expect(byDate.bytes.equals(stale.bytes.subarray(100))).toBe(true);
    const past = await fetch(url, { headers: { Range: `bytes=${stale.bytes.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${stale.bytes.length}`);
    const head = await fetch(url, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe(String(stale.bytes.length));
  });

  it("refuses expired and foreign tokens; another user's or a deleted model is not found", async () => {
    const { userId, artifact } = await storedModel({ "a.json": "{}" });
    const expired = await signBundleToken(
      secret,
      { userId, artifactId: artifact.id },
      60,
      new Date(Date.now() - 120_000),
    );
    const expiredResponse = await fetch(
      `${server.url}/bundles/${artifact.id}/m.zip?token=${expired}`,
    );
    expect(expiredResponse.status).toBe(403);
    expect(await expiredResponse.text()).toContain("expired");

    const other = await storedModel({ "b.json": "{}" });
    // A token for one model does not open another, even of the same user.
    const reused = new URL(await urlFor(userId, artifact.id));
    reused.pathname = `/bundles/${other.artifact.id}/m.zip`;
    expect((await fetch(reused)).status).toBe(403);
    const forged = await signBundleToken(
      "x".repeat(64),
      { userId, artifactId: artifact.id },
      60,
      new Date(),
    );
    expect((await fetch(`${server.url}/bundles/${artifact.id}/m.zip?token=${forged}`)).status).toBe(
      403,
    );
    expect((await fetch(`${server.url}/bundles/${artifact.id}/m.zip`)).status).toBe(403);

    // Signed for a user who does not own it (as if the model changed hands): same as missing.
    const stranger = await fetch(await urlFor(randomUUID(), artifact.id));
    expect(stranger.status).toBe(404);
    const { artifact: deleted } = await insertArtifact(database.db, {
      userId,
      deletedAt: new Date(),
    });
    expect((await fetch(await urlFor(userId, deleted.id))).status).toBe(404);
    const { artifact: processing } = await insertArtifact(database.db, {
      userId,
      status: "processing",
    });
    expect((await fetch(await urlFor(userId, processing.id))).status).toBe(404);
  });

  it("never makes a ZIP entry that would extract outside its folder", async () => {
    const userId = randomUUID();
    const { artifact } = await insertArtifact(database.db, {
      userId,
      files: [
        {
          name: "../evil.sh",
          storage_path: `${userId}/x/evil.sh`,
          size_bytes: 1,
          sha256: "0".repeat(64),
          crc32: 0,
          content_type: "text/plain",
        },
      ],
    });
    const response = await fetch(await urlFor(userId, artifact.id));
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).not.toBe("application/zip");
  });

  it("ends the download short when a file's stored bytes no longer match its CRC-32", async () => {
    const { userId, artifact } = await storedModel();
    const url = await urlFor(userId, artifact.id);
    await download(url); // records the CRC-32s of the good bytes
    const corrupt = Buffer.from(weights);
    corrupt[1000] = corrupt[1000]! ^ 0xff;
    await backend.tamper(`${userId}/${artifact.id}/adapter_model.safetensors`, corrupt);
    const response = await fetch(url);
    const announced = Number(response.headers.get("content-length"));
    const received = await response.arrayBuffer().then(
      (body) => body.byteLength,
      () => -1,
    );
    // Either the body fails outright or it stops before the announced length: never a full,
    // wrong archive.
    expect(received).not.toBe(announced);
  });

  it("writes ZIP64 records when sizes and offsets pass the threshold", async () => {
    zip64Threshold = 1024;
    try {
      const { userId, artifact } = await storedModel();
      const { bytes } = await download(await urlFor(userId, artifact.id));
      // Zip64 end of central directory record and locator are present.
      expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
      expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
      const { checked } = await verifyWithTools(bytes);
      expect(checked).toContain("adapter_model.safetensors: OK");
    } finally {
      zip64Threshold = undefined;
    }
  });
});
