/**
 * A stand-in for Supabase Storage: a real HTTP server on 127.0.0.1 speaking the routes our
 * Supabase backend uses (storage-js and TUS), storing objects as files in a temp folder, and
 * copying the behaviour observed on the real server v1.70.6 (shared/notes/storage.md): error
 * bodies, the anon key's silent emptiness, `x-upsert` on every TUS request, partial files that
 * stay hidden until a TUS upload is terminated, uploads that survive a restart.
 * Fault injection: `restart(downMs)` (connections cut, port closed, then back with its uploads),
 * `freeze()` (requests are taken and never answered), a PATCH cut half-way.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import { jwtVerify, SignJWT } from "jose";

import { createLocalDownloadHandler } from "../local/download-handler";
import { isSafeBucketName } from "../paths";
import { signingKey } from "../signed-token";
import { sendWebResponse, toWebRequest } from "./fetch-server";
import { invalidJws, invalidRequest, sendStorageError, StorageHttpError } from "./standin-errors";
import {
  createStandinObjects,
  type ObjectMeta,
  type PublishUpload,
  type Role,
} from "./standin-objects";
import { createStandinTus, type ResumableUpload, TusTextError } from "./standin-tus";

export interface SupabaseStandinOptions {
  /** Buckets that exist. Default `["lora-models"]`. */
  buckets?: string[];
  /** Of those, the public ones (everything else is private). */
  publicBuckets?: string[];
  /** Supabase's bucket `file_size_limit` (enforced for TUS uploads). */
  fileSizeLimitBytes?: number;
  /** Where objects are stored. Default: a new temp folder, removed on close. */
  rootDir?: string;
  /** Clock for signing and checking download tokens. */
  now?: () => Date;
  /** Fault injection: the resumable PATCH with this number (1-based) is cut after half its body. */
  cutResumablePatchNumber?: number;
}

export interface SupabaseStandinStats {
  standardUploads: number;
  resumableUploadsCreated: number;
  resumablePatches: number;
  /** Peak bytes received by the server but not yet written to disk, over all requests. */
  peakBufferedBytes: number;
}

export interface SupabaseStandin {
  /** Storage API base, like `https://<ref>.supabase.co/storage/v1`. */
  url: string;
  /** A JWT with `role: service_role`, signed with `jwtSecret` (as Supabase's keys are). */
  serviceRoleKey: string;
  /** What createStorage takes to reach this stand-in as the service role (default bucket). */
  storageConfig: { backend: "supabase"; url: string; serviceRoleKey: string };
  /** The project's anon key (`role: anon`): what a wrong configuration would use. */
  anonKey: string;
  /** Secret of the keys and the signed download tokens. */
  jwtSecret: string;
  rootDir: string;
  stats: SupabaseStandinStats;
  /** Resumable uploads created and neither completed nor terminated. */
  resumableUploadsInProgress(): number;
  resumableUploads(): ResumableUpload[];
  /** Files in the server's upload folder (partial uploads, hidden ones too), by name. */
  partialFiles(): Promise<string[]>;
  /** Cuts every connection, stays unreachable for `downMs`, then listens again on the same port. */
  restart(downMs: number): Promise<void>;
  /** Until `thaw()`, requests are accepted and never answered (a hung server). */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

const BASE_PATH = "/storage/v1";

async function supabaseKey(secret: string, role: Role): Promise<string> {
  return new SignJWT({ role, iss: "supabase" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("10y")
    .sign(signingKey(secret));
}

export async function startSupabaseStandin(
  options: SupabaseStandinOptions = {},
): Promise<SupabaseStandin> {
  const jwtSecret = randomBytes(32).toString("hex");
  const serviceRoleKey = await supabaseKey(jwtSecret, "service_role");
  const anonKey = await supabaseKey(jwtSecret, "anon");
  const ownsRoot = options.rootDir === undefined;
  const rootDir = options.rootDir ?? (await mkdtemp(join(tmpdir(), "supabase-standin-")));
  const objectsDir = join(rootDir, "objects");
  const tempDir = join(rootDir, "tmp");
  const buckets = new Set(options.buckets ?? ["lora-models"]);
  for (const bucket of buckets) await mkdir(join(objectsDir, bucket), { recursive: true });
  await mkdir(tempDir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const download = createLocalDownloadHandler({
    rootDir: objectsDir,
    signingSecret: jwtSecret,
    now,
  });
  const stats: SupabaseStandinStats = {
    standardUploads: 0,
    resumableUploadsCreated: 0,
    resumablePatches: 0,
    peakBufferedBytes: 0,
  };
  const activeBodies = new Set<() => number>();
  let origin = "";

  const objectFile = (bucket: string, path: string) => join(objectsDir, bucket, ...path.split("/"));
  const isFile = async (file: string) => {
    try {
      return (await stat(file)).isFile();
    } catch {
      return false;
    }
  };
  /** Per object: its content type (list, downloads) and the upload that wrote its version. */
  const meta = new Map<string, ObjectMeta>();
  const publish: PublishUpload = async (tempFile, bucket, path, contentType, version) => {
    const target = objectFile(bucket, path);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempFile, target);
    meta.set(`${bucket}/${path}`, { contentType, version });
  };

  /** Streams `req` into `file` (appending), sampling the bytes held between socket and disk. */
  async function receiveBody(req: IncomingMessage, file: string, cutAfterBytes?: number) {
    const out = createWriteStream(file, { flags: "a" });
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.byteLength;
        if (cutAfterBytes !== undefined && received > cutAfterBytes) {
          callback(new ConnectionCut());
          return;
        }
        callback(null, chunk);
        let total = 0;
        for (const held of activeBodies) total += held();
        stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, total);
      },
    });
    const held = () =>
      req.readableLength + counter.readableLength + counter.writableLength + out.writableLength;
    activeBodies.add(held);
    try {
      await pipeline(req, counter, out);
    } finally {
      activeBodies.delete(held);
      // Callers stat the file next: in-flight writes must have landed.
      if (!out.closed) await once(out, "close");
    }
  }

  const objects = createStandinObjects({
    buckets,
    publicBuckets: new Set(options.publicBuckets ?? []),
    objectsDir,
    tempDir,
    jwtSecret,
    now,
    objectFile,
    isFile,
    publish,
    meta,
    receiveBody: (req, file) => receiveBody(req, file),
    stats,
  });
  const tus = createStandinTus({
    tempDir,
    buckets,
    fileSizeLimit: options.fileSizeLimitBytes ?? null,
    objectExists: (bucket, path) => isFile(objectFile(bucket, path)),
    objectVersion: (bucket, path) => meta.get(`${bucket}/${path}`)?.version,
    publish,
    receiveBody,
    origin: () => origin,
    cutPatchNumber: options.cutResumablePatchNumber,
    stats,
  });

  /** The key's `role` claim, verified as the real server does; its errors are jose's words. */
  async function roleOf(req: IncomingMessage): Promise<Role> {
    const auth = req.headers.authorization;
    if (auth === undefined)
      throw invalidRequest("headers must have required property 'authorization'");
    try {
      const { payload } = await jwtVerify(auth.replace(/^Bearer\s+/i, ""), signingKey(jwtSecret), {
        algorithms: ["HS256"],
      });
      return payload.role === "service_role" ? "service_role" : "anon";
    } catch (error) {
      throw invalidJws(error instanceof Error ? error.message : undefined);
    }
  }

  /** A signed-URL download as the real server answers it (no If-Range, no nosniff). */
  async function signedDownload(req: IncomingMessage, res: ServerResponse, path: string) {
    const request = toWebRequest(req, origin);
    const headers = new Headers(request.headers);
    headers.delete("if-range");
    const response = await download(new Request(request, { headers }));
    response.headers.delete("x-content-type-options");
    const [bucket, ...rest] = path.slice("/object/sign/".length).split("/");
    const stored = meta.get(`${bucket}/${rest.map((s) => safeDecode(s)).join("/")}`);
    if (stored && response.headers.has("accept-ranges"))
      response.headers.set("content-type", stored.contentType);
    await sendWebResponse(res, response);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    if (!url.pathname.startsWith(`${BASE_PATH}/`))
      throw new StorageHttpError("404", "NotFound", "Not Found", "Route not found");
    const path = url.pathname.slice(BASE_PATH.length);
    const method = req.method ?? "GET";
    if ((method === "GET" || method === "HEAD") && path.startsWith("/object/sign/")) {
      await signedDownload(req, res, path);
      return;
    }
    const role = await roleOf(req);
    const resumable = /^\/upload\/resumable\/?(.*)$/.exec(path);
    if (resumable) {
      await tus.handle(req, res, resumable[1] ?? "", role);
      return;
    }
    const [kind, ...encoded] = path.split("/").slice(1);
    const segments = encoded.map((segment) => decodeURIComponent(segment));
    const [first = "", ...others] = segments;
    if (kind === "bucket" && method === "GET") return objects.getBucket(res, role, first);
    if (kind !== "object")
      throw new StorageHttpError("404", "NotFound", "Not Found", "Route not found");
    if (method === "POST" && first === "list") return objects.list(req, res, role, others[0] ?? "");
    if (method === "POST" && first === "sign")
      return objects.sign(req, res, role, others[0] ?? "", others.slice(1).join("/"));
    if (method === "DELETE" && others.length === 0) return objects.remove(req, res, role, first);
    if (method === "GET" && isSafeBucketName(first))
      return objects.download(res, role, first, others.join("/"));
    if ((method === "POST" || method === "PUT") && isSafeBucketName(first))
      return objects.upload(req, res, role, first, others.join("/"));
    throw new StorageHttpError("404", "NotFound", "Not Found", "Route not found");
  }

  let frozen: Promise<void> | null = null;
  let thaw = () => {};
  const server = createServer((req, res) => {
    void (async () => {
      if (frozen) await frozen;
      await route(req, res);
    })().catch((error: unknown) => {
      if (
        error instanceof ConnectionCut ||
        res.headersSent ||
        res.destroyed ||
        req.socket.destroyed
      ) {
        res.destroy();
        return;
      }
      if (error instanceof TusTextError) {
        res.writeHead(error.status, {
          "Content-Type": "text/plain;charset=UTF-8",
          "Tus-Resumable": "1.0.0",
        });
        res.end(error.message);
      } else if (error instanceof StorageHttpError) {
        sendStorageError(res, error);
      } else {
        sendStorageError(
          res,
          new StorageHttpError("500", "InternalError", "internal", "Internal Server Error"),
        );
      }
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const apiUrl = `${origin}${BASE_PATH}`;
  return {
    url: apiUrl,
    serviceRoleKey,
    storageConfig: { backend: "supabase", url: apiUrl, serviceRoleKey },
    anonKey,
    jwtSecret,
    rootDir,
    stats,
    resumableUploadsInProgress: () => tus.uploads.size,
    resumableUploads: () => [...tus.uploads.values()].map((upload) => ({ ...upload })),
    partialFiles: () => readdir(tempDir),
    async restart(downMs) {
      await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await listen(port);
    },
    freeze() {
      frozen ??= new Promise<void>((resolve) => {
        thaw = () => {
          frozen = null;
          resolve();
        };
      });
    },
    thaw: () => thaw(),
    async close() {
      thaw();
      await stop();
      if (ownsRoot) await rm(rootDir, { recursive: true, force: true });
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Fault injection: the request's connection is dropped without any answer. */
class ConnectionCut extends Error {}
