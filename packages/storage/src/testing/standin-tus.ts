/**
 * The stand-in's `/upload/resumable` (TUS 1.0.0), copying Supabase Storage v1.70.6 as observed
 * (shared/notes/storage.md "Real server v1.70.6"; packages/storage/README.md, 2026-12-03):
 * - `x-upsert` is read on EVERY request: a PATCH or DELETE over an existing object without
 *   `x-upsert: true` answers HTTP 409 "The resource already exists", as the creation POST does.
 * - errors are real HTTP statuses with plain-text bodies (`text/plain;charset=UTF-8`); those of
 *   the TUS library end with a newline ("Upload-Offset conflict\n"), Supabase's own do not
 *   ("Bucket not found", "The resource already exists").
 * - checks in the server's order: the headers (a wrong Content-Type → 400 "Invalid
 *   content-type"), Upload-Offset and Content-Type present (403), the upload known (404) and
 *   still there (410), the caller allowed to write it (RLS 403, x-upsert 409), then the offset
 *   (409) and the size (413, nothing written).
 * - `Location` is `{origin}/storage/v1/upload/resumable/<base64url(bucket/object/version)>`.
 * - a completed upload stays known: HEAD answers its full offset, DELETE with x-upsert 400
 *   "Cannot terminate an already completed upload"; once its object is removed or replaced,
 *   HEAD, PATCH and DELETE answer 410 "The file for this url no longer exists".
 * - HEAD needs a valid key only (the anon key too); writing requests need the service key.
 * - the uploaded prefix survives a restart of the server (HEAD → `Upload-Offset`), and a partial
 *   upload stays on disk (invisible to `list`) until the upload is terminated (DELETE → 204).
 */
import { randomUUID } from "node:crypto";
import { rm, stat, truncate, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

import { isValidServerKey as isSafeObjectPath } from "../paths";
import type { PublishUpload } from "./standin-objects";

export interface ResumableUpload {
  id: string;
  bucket: string;
  path: string;
  length: number;
  offset: number;
  tempFile: string;
  contentType: string;
  /** The Upload-Metadata header as given at creation (HEAD answers it). */
  metadata: string;
}

export interface StandinTusContext {
  tempDir: string;
  buckets: Set<string>;
  /** Bucket size limit in bytes (Supabase's `file_size_limit`); null for none. */
  fileSizeLimit: number | null;
  objectExists(bucket: string, path: string): Promise<boolean>;
  /** The id of the upload that wrote the object's current version, if a TUS upload did. */
  objectVersion(bucket: string, path: string): string | undefined;
  publish: PublishUpload;
  receiveBody(req: IncomingMessage, file: string, cutAfterBytes?: number): Promise<void>;
  origin(): string;
  /** Fault injection: the PATCH with this 1-based number is cut after half its body. */
  cutPatchNumber?: number | undefined;
  stats: { resumableUploadsCreated: number; resumablePatches: number };
}

/** A TUS handler error: real status, plain text. */
export class TusTextError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TUS_HEADERS = { "Tus-Resumable": "1.0.0" };
const TEXT = "text/plain;charset=UTF-8";

export type TusRole = "service_role" | "anon";

export function createStandinTus(context: StandinTusContext) {
  /** Open uploads (neither completed nor terminated). */
  const uploads = new Map<string, ResumableUpload>();
  /** Completed uploads: the real server still answers for them. */
  const completed = new Map<string, ResumableUpload>();

  /** Supabase's `canUpload`: RLS, then x-upsert over an existing object. */
  async function canWrite(req: IncomingMessage, role: TusRole, bucket: string, path: string) {
    if (role !== "service_role")
      throw new TusTextError(403, "new row violates row-level security policy");
    if (req.headers["x-upsert"] === "true") return;
    if (await context.objectExists(bucket, path))
      throw new TusTextError(409, "The resource already exists");
  }

  /** A completed upload whose object was removed or replaced since. */
  const isGone = (upload: ResumableUpload) =>
    completed.has(upload.id) && context.objectVersion(upload.bucket, upload.path) !== upload.id;

  async function create(req: IncomingMessage, res: ServerResponse, role: TusRole): Promise<void> {
    for await (const _chunk of req as AsyncIterable<Buffer>) {
      // creation requests carry no body here
    }
    const length = Number(req.headers["upload-length"]);
    if (!Number.isSafeInteger(length) || length < 0)
      throw new TusTextError(400, "Upload-Length or Upload-Defer-Length header required\n");
    const metadataHeader = String(req.headers["upload-metadata"] ?? "");
    const metadata = parseTusMetadata(metadataHeader);
    const bucket = metadata.bucketName ?? "";
    const path = metadata.objectName ?? "";
    const version = randomUUID();
    if (!isSafeObjectPath(path))
      throw new TusTextError(
        400,
        `Invalid key: storage-single-tenant/${bucket}/${path}/${version}` +
          (/(^|\/)\.\.?(\/|$)/.test(path) ? " contains dot path segment" : ""),
      );
    await canWrite(req, role, bucket, path);
    if (!context.buckets.has(bucket)) throw new TusTextError(404, "Bucket not found");
    if (context.fileSizeLimit !== null && length > context.fileSizeLimit)
      throw new TusTextError(413, "Maximum size exceeded\n");
    // Supabase stores `cacheControl` as "max-age=<n>" for a number, "no-cache" otherwise.
    const cacheControl = /^-?\d+$/.test(metadata.cacheControl ?? "")
      ? `max-age=${metadata.cacheControl}`
      : "no-cache";
    const storedMetadata = [
      ...metadataHeader
        .split(",")
        .map((pair) => pair.trim())
        .filter((pair) => pair !== "" && !pair.startsWith("cacheControl")),
      `cacheControl ${Buffer.from(cacheControl).toString("base64")}`,
    ].join(",");
    const id = Buffer.from(`${bucket}/${path}/${version}`).toString("base64url");
    const tempFile = join(context.tempDir, `tus-${version}`);
    await writeFile(tempFile, "");
    uploads.set(id, {
      id,
      bucket,
      path,
      length,
      offset: 0,
      tempFile,
      contentType: metadata.contentType ?? "application/octet-stream",
      metadata: storedMetadata,
    });
    context.stats.resumableUploadsCreated++;
    res.writeHead(201, {
      ...TUS_HEADERS,
      "Content-Type": TEXT,
      Location: `${context.origin()}/storage/v1/upload/resumable/${id}`,
      "Content-Length": "0",
    });
    res.end();
  }

  async function patch(req: IncomingMessage, res: ServerResponse, upload: ResumableUpload) {
    if (Number(req.headers["upload-offset"]) !== upload.offset)
      throw new TusTextError(409, "Upload-Offset conflict\n");
    const declared = Number(req.headers["content-length"] ?? 0);
    if (upload.offset + declared > upload.length)
      throw new TusTextError(413, "upload's size exceeded\n");
    context.stats.resumablePatches++;
    const cut =
      context.stats.resumablePatches === context.cutPatchNumber
        ? Math.floor(declared / 2)
        : undefined;
    try {
      await context.receiveBody(req, upload.tempFile, cut);
    } finally {
      // Keep what arrived (a client resumes from HEAD's offset), never more than declared.
      let size = (await stat(upload.tempFile)).size;
      if (size > upload.length) {
        await truncate(upload.tempFile, upload.length);
        size = upload.length;
      }
      upload.offset = size;
    }
    if (!uploads.has(upload.id)) {
      // Terminated while this PATCH was running: nothing of it stays.
      await rm(upload.tempFile, { force: true });
      throw new TusTextError(404, "The file for this url was not found\n");
    }
    const done = upload.offset === upload.length;
    if (done) {
      uploads.delete(upload.id);
      completed.set(upload.id, upload);
      await context.publish(
        upload.tempFile,
        upload.bucket,
        upload.path,
        upload.contentType,
        upload.id,
      );
    }
    res.writeHead(204, {
      ...TUS_HEADERS,
      "Upload-Offset": String(upload.offset),
      ...(done ? { "Tus-Complete": "1" } : {}),
    });
    res.end();
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    role: TusRole,
  ): Promise<void> {
    const contentType = req.headers["content-type"];
    if (contentType !== undefined && contentType !== "application/offset+octet-stream")
      throw new TusTextError(400, "Invalid content-type\n");
    if (req.method === "POST" && id === "") return create(req, res, role);
    const method = req.method ?? "GET";
    if (method === "PATCH") {
      if (req.headers["upload-offset"] === undefined)
        throw new TusTextError(403, "Upload-Offset header required\n");
      if (contentType === undefined) throw new TusTextError(403, "Content-Type header required\n");
    }
    // An id that is not base64url("bucket/object/version") is refused before anything else.
    if (!/^[^/]+\/.+\/[0-9a-f-]{36}$/.test(Buffer.from(id, "base64url").toString("utf8")))
      throw new TusTextError(400, "");
    const upload = uploads.get(id) ?? completed.get(id);
    if (!upload) {
      if (method === "HEAD") throw new TusTextError(404, "");
      throw new TusTextError(404, "The file for this url was not found\n");
    }
    if (isGone(upload))
      throw new TusTextError(
        410,
        method === "HEAD" ? "" : "The file for this url no longer exists\n",
      );
    if (method === "HEAD") {
      res.writeHead(200, {
        ...TUS_HEADERS,
        "Content-Type": TEXT,
        "Cache-Control": "no-store",
        "Upload-Offset": String(upload.offset),
        "Upload-Length": String(upload.length),
        "Upload-Metadata": upload.metadata,
      });
      res.end();
      return;
    }
    await canWrite(req, role, upload.bucket, upload.path);
    if (method === "DELETE") {
      if (completed.has(id))
        throw new TusTextError(400, "Cannot terminate an already completed upload");
      uploads.delete(id);
      await rm(upload.tempFile, { force: true });
      res.writeHead(204, TUS_HEADERS).end();
      return;
    }
    if (method === "PATCH") return patch(req, res, upload);
    throw new TusTextError(405, "Method Not Allowed");
  }

  return { handle, uploads };
}

function parseTusMetadata(header: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of header.split(",")) {
    const [key, value = ""] = pair.trim().split(" ");
    if (key) metadata[key] = Buffer.from(value, "base64").toString("utf8");
  }
  return metadata;
}
