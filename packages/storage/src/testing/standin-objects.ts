/**
 * The stand-in's object routes (what storage-js calls): upload, sign, list, remove, the
 * authenticated download and the bucket lookup, each answering for the caller's role as the
 * real server does — the anon key sees an empty bucket, deletes nothing and cannot write (RLS).
 */
import { randomUUID } from "node:crypto";
import { createReadStream, type Dirent } from "node:fs";
import { readdir, stat, unlink } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

import { isValidServerKey as isSafeObjectPath } from "../paths";
import { signDownloadToken } from "../signed-token";
import {
  duplicate,
  invalidRequest,
  noSuchBucket,
  noSuchKey,
  rlsViolation,
  sendJson,
  StorageHttpError,
} from "./standin-errors";

export type Role = "service_role" | "anon";

/** What the real server keeps in `storage.objects` and the stand-in in memory. */
export interface ObjectMeta {
  contentType: string;
  /** The upload that wrote this version (a TUS upload's id, or a random one). */
  version: string;
}

/** Moves a finished upload's file into place as the object's current version (both routes). */
export type PublishUpload = (
  tempFile: string,
  bucket: string,
  path: string,
  contentType: string,
  version: string,
) => Promise<void>;

export interface StandinObjectsContext {
  buckets: Set<string>;
  publicBuckets: Set<string>;
  objectsDir: string;
  tempDir: string;
  jwtSecret: string;
  now: () => Date;
  objectFile(bucket: string, path: string): string;
  isFile(file: string): Promise<boolean>;
  publish: PublishUpload;
  meta: Map<string, ObjectMeta>;
  receiveBody(req: IncomingMessage, file: string): Promise<void>;
  stats: { standardUploads: number };
}

const MAX_JSON_BYTES = 1024 * 1024;

export function createStandinObjects(context: StandinObjectsContext) {
  const { buckets } = context;
  const objectFile = (bucket: string, path: string) => context.objectFile(bucket, path);
  const isFile = (file: string) => context.isFile(file);

  async function upload(
    req: IncomingMessage,
    res: ServerResponse,
    role: Role,
    bucket: string,
    path: string,
  ) {
    if (!buckets.has(bucket)) throw noSuchBucket();
    if (!isSafeObjectPath(path))
      throw new StorageHttpError("400", "InvalidKey", "Invalid Key", `Invalid key: ${path}`);
    if (role !== "service_role") throw rlsViolation();
    const exists = await isFile(objectFile(bucket, path));
    const upsert = req.method === "PUT" || req.headers["x-upsert"] === "true";
    if (exists && !upsert) throw duplicate();
    if (req.method === "PUT" && !exists) throw noSuchKey();
    context.stats.standardUploads++;
    // A body cut mid-way leaves this file behind, invisible to list(), as on the real server.
    const tempFile = join(context.tempDir, `standard-${randomUUID()}`);
    await context.receiveBody(req, tempFile);
    if (!req.complete) throw new Error("upload aborted");
    const contentType = String(req.headers["content-type"] ?? "text/plain;charset=UTF-8");
    await context.publish(tempFile, bucket, path, contentType, randomUUID());
    sendJson(res, 200, { Id: randomUUID(), Key: `${bucket}/${path}` });
  }

  async function sign(
    req: IncomingMessage,
    res: ServerResponse,
    role: Role,
    bucket: string,
    path: string,
  ) {
    const body = (await readJson(req)) as { expiresIn?: unknown; paths?: unknown };
    const expiresIn = Number(body.expiresIn);
    if (!Number.isInteger(expiresIn) || expiresIn <= 0)
      throw invalidRequest("body/expiresIn must be >= 1");
    const visible = async (objectPath: string) =>
      role === "service_role" &&
      buckets.has(bucket) &&
      isSafeObjectPath(objectPath) &&
      (await isFile(objectFile(bucket, objectPath)));
    const signedUrlFor = async (objectPath: string) => {
      const token = await signDownloadToken(
        context.jwtSecret,
        `${bucket}/${objectPath}`,
        expiresIn,
        context.now(),
      );
      return `/object/sign/${bucket}/${objectPath}?token=${token}`;
    };
    if (path === "") {
      if (!Array.isArray(body.paths))
        throw invalidRequest("body must have required property 'paths'");
      if (body.paths.length > 1000)
        throw invalidRequest("body/paths must NOT have more than 1000 items");
      const items = [];
      for (const item of body.paths as unknown[]) {
        const objectPath = String(item);
        items.push(
          (await visible(objectPath))
            ? { error: null, path: objectPath, signedURL: await signedUrlFor(objectPath) }
            : {
                error: "Either the object does not exist or you do not have access to it",
                path: objectPath,
                signedURL: null,
              },
        );
      }
      sendJson(res, 200, items);
      return;
    }
    if (!(await visible(path))) throw noSuchKey();
    sendJson(res, 200, { signedURL: await signedUrlFor(path) });
  }

  async function list(req: IncomingMessage, res: ServerResponse, role: Role, bucket: string) {
    const body = (await readJson(req)) as { prefix?: unknown; limit?: unknown; offset?: unknown };
    const prefix = (typeof body.prefix === "string" ? body.prefix : "").replace(/\/+$/, "");
    if (
      role !== "service_role" ||
      !buckets.has(bucket) ||
      (prefix !== "" && !isSafeObjectPath(prefix))
    ) {
      sendJson(res, 200, []);
      return;
    }
    const limit = Number(body.limit ?? 100);
    const offset = Number(body.offset ?? 0);
    const dir = prefix === "" ? join(context.objectsDir, bucket) : objectFile(bucket, prefix);
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
            mimetype:
              context.meta.get(`${bucket}/${prefix === "" ? "" : `${prefix}/`}${entry.name}`)
                ?.contentType ?? "application/octet-stream",
            httpStatusCode: 200,
          },
        });
      }
    }
    sendJson(res, 200, rows.slice(offset, offset + limit));
  }

  async function remove(req: IncomingMessage, res: ServerResponse, role: Role, bucket: string) {
    const body = (await readJson(req)) as { prefixes?: unknown };
    if (!Array.isArray(body.prefixes))
      throw invalidRequest("body must have required property 'prefixes'");
    const deleted = [];
    // The anon key and a missing bucket "succeed" deleting nothing, as on the real server.
    if (role === "service_role" && buckets.has(bucket)) {
      for (const item of body.prefixes as unknown[]) {
        const path = String(item);
        if (!isSafeObjectPath(path)) continue;
        try {
          await unlink(objectFile(bucket, path));
          context.meta.delete(`${bucket}/${path}`);
          const time = context.now().toISOString();
          // The real server answers the deleted rows of storage.objects whole.
          deleted.push({
            bucket_id: bucket,
            name: path,
            owner: null,
            owner_id: null,
            id: randomUUID(),
            updated_at: time,
            created_at: time,
            last_accessed_at: time,
            metadata: null,
            user_metadata: null,
            version: randomUUID(),
          });
        } catch {
          // missing objects are ignored
        }
      }
    }
    sendJson(res, 200, deleted);
  }

  async function download(res: ServerResponse, role: Role, bucket: string, path: string) {
    const file = objectFile(bucket, path);
    if (
      role !== "service_role" ||
      !buckets.has(bucket) ||
      !isSafeObjectPath(path) ||
      !(await isFile(file))
    )
      throw noSuchKey();
    res.writeHead(200, {
      "Content-Type":
        context.meta.get(`${bucket}/${path}`)?.contentType ?? "application/octet-stream",
      "Content-Length": (await stat(file)).size,
      "Accept-Ranges": "bytes",
      "Cache-Control": "no-cache",
      "X-Robots-Tag": "none",
    });
    await pipeline(createReadStream(file), res);
  }

  function getBucket(res: ServerResponse, role: Role, bucket: string) {
    const isPublic = context.publicBuckets.has(bucket);
    // A private bucket is invisible to the anon key (RLS), like a missing one.
    if (!buckets.has(bucket) || (role !== "service_role" && !isPublic)) throw noSuchBucket();
    const time = new Date(0).toISOString();
    sendJson(res, 200, {
      id: bucket,
      name: bucket,
      owner: "",
      public: isPublic,
      file_size_limit: null,
      allowed_mime_types: null,
      created_at: time,
      updated_at: time,
    });
  }

  return { upload, sign, list, remove, download, getBucket };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_JSON_BYTES)
      throw new StorageHttpError("413", "EntityTooLarge", "Payload too large", "Body too large");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
  } catch {
    throw invalidRequest("Body is not JSON");
  }
}
