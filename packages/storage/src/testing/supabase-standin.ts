/**
 * A stand-in for Supabase Storage: a real HTTP server on 127.0.0.1 speaking the routes our
 * Supabase backend uses (through storage-js and TUS), storing objects as files in a temp folder.
 * Errors look like the real server's: HTTP 400 with `{ statusCode, error, message }`. Uploads
 * stream to a temp file and are published by rename only when the request body completed, like
 * the real server (an aborted upload leaves nothing and keeps the older object).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream, type Dirent } from "node:fs";
import {
  mkdir,
  mkdtemp,
  readdir,
  rename,
  rm,
  stat,
  truncate,
  unlink,
  writeFile,
} from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createLocalDownloadHandler } from "../local/download-handler";
import { isSafeBucketName, isSafeObjectPath } from "../paths";
import { signDownloadToken } from "../signed-token";
import { listen, sendWebResponse, toWebRequest } from "./fetch-server";

export interface SupabaseStandinOptions {
  /** Default: a random key. */
  serviceRoleKey?: string;
  /** Buckets that exist. Default `["lora-models"]`. */
  buckets?: string[];
  /** Where objects are stored. Default: a new temp folder, removed on close. */
  rootDir?: string;
  /** Clock for signing and checking download tokens. */
  now?: () => Date;
  /**
   * Fault injection: the resumable PATCH with this number (1-based, counted over the server's
   * life) has its connection cut after half of its body, keeping what arrived (as a real server
   * does), so clients must resume from HEAD's `Upload-Offset`.
   */
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
  serviceRoleKey: string;
  /** Secret of the signed download tokens. */
  jwtSecret: string;
  rootDir: string;
  stats: SupabaseStandinStats;
  /** Resumable uploads created and neither completed nor terminated. */
  resumableUploadsInProgress(): number;
  close(): Promise<void>;
}

const BASE_PATH = "/storage/v1";
const MAX_JSON_BYTES = 1024 * 1024;

interface ResumableUpload {
  bucket: string;
  path: string;
  length: number;
  offset: number;
  tempFile: string;
  upsert: boolean;
}

/** Fault injection: the request's connection is dropped without any answer. */
class ConnectionCut extends Error {}

class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly statusCode: string,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = () => new HttpError(400, "404", "not_found", "Object not found");

export async function startSupabaseStandin(
  options: SupabaseStandinOptions = {},
): Promise<SupabaseStandin> {
  const serviceRoleKey = options.serviceRoleKey ?? randomBytes(24).toString("hex");
  const jwtSecret = randomBytes(32).toString("hex");
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
  const uploads = new Map<string, ResumableUpload>();
  const stats: SupabaseStandinStats = {
    standardUploads: 0,
    resumableUploadsCreated: 0,
    resumablePatches: 0,
    peakBufferedBytes: 0,
  };
  const activeBodies = new Set<() => number>();
  let origin = "";

  function objectFile(bucket: string, path: string): string {
    return join(objectsDir, bucket, ...path.split("/"));
  }

  function checkBucket(bucket: string): void {
    if (!buckets.has(bucket))
      throw new HttpError(400, "404", "Bucket not found", "Bucket not found");
  }

  function checkKey(path: string): void {
    if (!isSafeObjectPath(path))
      throw new HttpError(400, "400", "InvalidKey", `Invalid key: ${path}`);
  }

  async function isFile(file: string): Promise<boolean> {
    try {
      return (await stat(file)).isFile();
    } catch {
      return false;
    }
  }

  /** Streams `req` into `file`, sampling how many bytes sit in memory between socket and disk. */
  async function receiveBody(
    req: IncomingMessage,
    file: string,
    flags: "w" | "a",
    cutAfterBytes?: number,
  ): Promise<void> {
    const out = createWriteStream(file, { flags });
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.byteLength;
        if (cutAfterBytes !== undefined && received > cutAfterBytes) {
          // Whatever reached the file stays (the caller records the file's size as the offset).
          callback(new ConnectionCut());
          return;
        }
        callback(null, chunk);
        samplePeak();
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

  function samplePeak(): void {
    let total = 0;
    for (const held of activeBodies) total += held();
    stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, total);
  }

  async function publish(tempFile: string, bucket: string, path: string): Promise<void> {
    const target = objectFile(bucket, path);
    await mkdir(dirname(target), { recursive: true });
    await rename(tempFile, target);
  }

  async function handleUpload(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    path: string,
  ): Promise<void> {
    checkBucket(bucket);
    checkKey(path);
    const target = objectFile(bucket, path);
    const exists = await isFile(target);
    const upsert = req.method === "PUT" || req.headers["x-upsert"] === "true";
    if (exists && !upsert)
      throw new HttpError(400, "409", "Duplicate", "The resource already exists");
    if (req.method === "PUT" && !exists) throw notFound();
    stats.standardUploads++;
    const tempFile = join(tempDir, randomUUID());
    try {
      await receiveBody(req, tempFile, "w");
      if (!req.complete) throw new Error("upload aborted");
      await publish(tempFile, bucket, path);
    } catch (error) {
      await rm(tempFile, { force: true });
      throw error;
    }
    sendJson(res, 200, { Id: randomUUID(), Key: `${bucket}/${path}` });
  }

  async function handleSign(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    path: string,
  ): Promise<void> {
    checkBucket(bucket);
    const body = (await readJson(req)) as { expiresIn?: unknown; paths?: unknown };
    const expiresIn = Number(body.expiresIn);
    if (!Number.isInteger(expiresIn) || expiresIn <= 0)
      throw new HttpError(400, "400", "InvalidRequest", "expiresIn must be a positive integer");
    const signedUrlFor = async (objectPath: string) => {
      const token = await signDownloadToken(jwtSecret, `${bucket}/${objectPath}`, expiresIn, now());
      return `/object/sign/${bucket}/${objectPath}?token=${token}`;
    };
    if (path === "") {
      if (!Array.isArray(body.paths))
        throw new HttpError(400, "400", "InvalidRequest", "paths must be an array");
      if (body.paths.length > 1000)
        throw new HttpError(400, "400", "InvalidRequest", "at most 1000 paths");
      const items = [];
      for (const item of body.paths as unknown[]) {
        const objectPath = String(item);
        if (isSafeObjectPath(objectPath) && (await isFile(objectFile(bucket, objectPath)))) {
          items.push({ error: null, path: objectPath, signedURL: await signedUrlFor(objectPath) });
        } else {
          items.push({
            error: "Either the object does not exist or you do not have access to it",
            path: objectPath,
            signedURL: null,
          });
        }
      }
      sendJson(res, 200, items);
      return;
    }
    checkKey(path);
    if (!(await isFile(objectFile(bucket, path)))) throw notFound();
    sendJson(res, 200, { signedURL: await signedUrlFor(path) });
  }

  async function handleList(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
  ): Promise<void> {
    checkBucket(bucket);
    const body = (await readJson(req)) as { prefix?: unknown; limit?: unknown; offset?: unknown };
    const prefix = (typeof body.prefix === "string" ? body.prefix : "").replace(/\/+$/, "");
    if (prefix !== "" && !isSafeObjectPath(prefix)) {
      sendJson(res, 200, []);
      return;
    }
    const limit = Number(body.limit ?? 100);
    const offset = Number(body.offset ?? 0);
    const dir = prefix === "" ? join(objectsDir, bucket) : objectFile(bucket, prefix);
    let entries: Dirent[] = [];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      entries = [];
    }
    const rows = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory()) {
        rows.push({
          name: entry.name,
          id: null,
          updated_at: null,
          created_at: null,
          last_accessed_at: null,
          metadata: null,
        });
      } else if (entry.isFile()) {
        const info = await stat(join(dir, entry.name));
        const time = info.mtime.toISOString();
        rows.push({
          name: entry.name,
          id: `${info.ino}`,
          updated_at: time,
          created_at: time,
          last_accessed_at: time,
          metadata: {
            size: info.size,
            contentLength: info.size,
            mimetype: "application/octet-stream",
            httpStatusCode: 200,
          },
        });
      }
    }
    sendJson(res, 200, rows.slice(offset, offset + limit));
  }

  async function handleRemove(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
  ): Promise<void> {
    checkBucket(bucket);
    const body = (await readJson(req)) as { prefixes?: unknown };
    if (!Array.isArray(body.prefixes))
      throw new HttpError(400, "400", "InvalidRequest", "prefixes must be an array");
    const deleted = [];
    for (const item of body.prefixes as unknown[]) {
      const path = String(item);
      if (!isSafeObjectPath(path)) continue;
      try {
        await unlink(objectFile(bucket, path));
        deleted.push({ name: path, bucket_id: bucket, id: randomUUID(), metadata: null });
      } catch {
        // missing objects are ignored, as Supabase does
      }
    }
    sendJson(res, 200, deleted);
  }

  async function handleResumable(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
  ): Promise<void> {
    const tusHeaders = { "Tus-Resumable": "1.0.0", "Cache-Control": "no-store" };
    if (req.method === "POST" && id === "") {
      const length = Number(req.headers["upload-length"]);
      if (!Number.isSafeInteger(length) || length < 0)
        throw new HttpError(400, "400", "InvalidRequest", "Upload-Length is required");
      const metadata = parseTusMetadata(String(req.headers["upload-metadata"] ?? ""));
      const bucket = metadata.bucketName ?? "";
      const path = metadata.objectName ?? "";
      checkBucket(bucket);
      checkKey(path);
      const upsert = req.headers["x-upsert"] === "true";
      if (!upsert && (await isFile(objectFile(bucket, path)))) {
        throw new HttpError(409, "409", "Duplicate", "The resource already exists");
      }
      const uploadId = randomUUID();
      const tempFile = join(tempDir, `tus-${uploadId}`);
      await receiveNothing(req);
      await writeFile(tempFile, "");
      uploads.set(uploadId, { bucket, path, length, offset: 0, tempFile, upsert });
      stats.resumableUploadsCreated++;
      res.writeHead(201, {
        ...tusHeaders,
        Location: `${origin}${BASE_PATH}/upload/resumable/${uploadId}`,
        "Content-Length": "0",
      });
      res.end();
      return;
    }
    const upload = uploads.get(id);
    if (!upload) throw new HttpError(404, "404", "not_found", "Upload not found");
    if (req.method === "HEAD") {
      res.writeHead(200, {
        ...tusHeaders,
        "Upload-Offset": String(upload.offset),
        "Upload-Length": String(upload.length),
      });
      res.end();
      return;
    }
    if (req.method === "DELETE") {
      uploads.delete(id);
      await rm(upload.tempFile, { force: true });
      res.writeHead(204, tusHeaders).end();
      return;
    }
    if (req.method !== "PATCH")
      throw new HttpError(405, "405", "MethodNotAllowed", "Method not allowed");
    if (req.headers["content-type"] !== "application/offset+octet-stream") {
      throw new HttpError(
        415,
        "415",
        "InvalidContentType",
        "Content-Type must be application/offset+octet-stream",
      );
    }
    if (Number(req.headers["upload-offset"]) !== upload.offset) {
      throw new HttpError(409, "409", "OffsetMismatch", `Upload-Offset must be ${upload.offset}`);
    }
    stats.resumablePatches++;
    const cut =
      stats.resumablePatches === options.cutResumablePatchNumber
        ? Math.floor(Number(req.headers["content-length"] ?? 0) / 2)
        : undefined;
    try {
      await receiveBody(req, upload.tempFile, "a", cut);
    } finally {
      // Keep what arrived (a client resumes from HEAD's offset), but never more than declared.
      let size = (await stat(upload.tempFile)).size;
      if (size > upload.length) {
        await truncate(upload.tempFile, upload.length);
        size = upload.length;
      }
      upload.offset = size;
    }
    if (upload.offset === upload.length) {
      uploads.delete(id);
      await publish(upload.tempFile, upload.bucket, upload.path);
    }
    res.writeHead(204, { ...tusHeaders, "Upload-Offset": String(upload.offset) });
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    if (!url.pathname.startsWith(`${BASE_PATH}/`))
      throw new HttpError(404, "404", "not_found", "Route not found");
    const route = url.pathname.slice(BASE_PATH.length);
    const method = req.method ?? "GET";

    if ((method === "GET" || method === "HEAD") && route.startsWith("/object/sign/")) {
      await sendWebResponse(res, await download(toWebRequest(req, origin)));
      return;
    }
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${serviceRoleKey}`)
      throw new HttpError(400, "403", "Unauthorized", "invalid signature");

    const resumable = /^\/upload\/resumable\/?(.*)$/.exec(route);
    if (resumable) {
      await handleResumable(req, res, resumable[1] ?? "");
      return;
    }
    // "/object/{bucket}/{path…}", "/object/list/{bucket}", "/object/sign/{bucket}[/{path…}]"
    const [kind, ...encodedSegments] = route.split("/").slice(1);
    if (kind !== "object") throw new HttpError(404, "404", "not_found", "Route not found");
    const segments = encodedSegments.map((segment) => decodeURIComponent(segment));
    const [first = "", ...others] = segments;
    if (method === "POST" && first === "list") return handleList(req, res, others[0] ?? "");
    if (method === "POST" && first === "sign")
      return handleSign(req, res, others[0] ?? "", others.slice(1).join("/"));
    if (method === "DELETE" && others.length === 0) return handleRemove(req, res, first);
    if ((method === "POST" || method === "PUT") && isSafeBucketName(first))
      return handleUpload(req, res, first, others.join("/"));
    throw new HttpError(404, "404", "not_found", "Route not found");
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (
        error instanceof ConnectionCut ||
        res.headersSent ||
        res.destroyed ||
        req.socket.destroyed
      ) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(res, error.httpStatus, {
          statusCode: error.statusCode,
          error: error.error,
          message: error.message,
        });
      } else {
        sendJson(res, 500, {
          statusCode: "500",
          error: "internal",
          message: "Internal server error",
        });
      }
    });
  });
  const running = await listen(server, (address) => {
    origin = address;
  });

  return {
    url: `${running.origin}${BASE_PATH}`,
    serviceRoleKey,
    jwtSecret,
    rootDir,
    stats,
    resumableUploadsInProgress: () => uploads.size,
    async close() {
      await running.close();
      if (ownsRoot) await rm(rootDir, { recursive: true, force: true });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_JSON_BYTES) throw new HttpError(400, "413", "EntityTooLarge", "Body too large");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
  } catch {
    throw new HttpError(400, "400", "InvalidRequest", "Body is not JSON");
  }
}

async function receiveNothing(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req as AsyncIterable<Buffer>) {
    // creation requests carry no body here
  }
}

function parseTusMetadata(header: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of header.split(",")) {
    const [key, value = ""] = pair.trim().split(" ");
    if (key) metadata[key] = Buffer.from(value, "base64").toString("utf8");
  }
  return metadata;
}
