/**
 * The stand-in's `/upload/resumable` (TUS 1.0.0), copying Supabase Storage v1.70.6 as observed
 * (shared/notes/storage.md "Real server v1.70.6"):
 * - `x-upsert` is read on EVERY request: a PATCH or DELETE over an existing object without
 *   `x-upsert: true` answers HTTP 409 "The resource already exists", as the creation POST does.
 * - errors inside the TUS handler are real HTTP statuses with plain-text bodies
 *   (404 "Bucket not found", 413 "Maximum size exceeded", 409 …).
 * - `Location` is `{origin}/storage/v1/upload/resumable/<base64url(bucket/object/version)>`.
 * - the uploaded prefix survives a restart of the server (HEAD → `Upload-Offset`), and a partial
 *   upload stays on disk (invisible to `list`) until the upload is terminated (DELETE → 204).
 */
import { randomUUID } from "node:crypto";
import { rm, stat, truncate, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

import { isValidServerKey as isSafeObjectPath } from "../paths";

export interface ResumableUpload {
  id: string;
  bucket: string;
  path: string;
  length: number;
  offset: number;
  tempFile: string;
}

export interface StandinTusContext {
  tempDir: string;
  buckets: Set<string>;
  /** Bucket size limit in bytes (Supabase's `file_size_limit`); null for none. */
  fileSizeLimit: number | null;
  objectExists(bucket: string, path: string): Promise<boolean>;
  publish(tempFile: string, bucket: string, path: string): Promise<void>;
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

const TUS_HEADERS = { "Tus-Resumable": "1.0.0", "Cache-Control": "no-store" };

export function createStandinTus(context: StandinTusContext) {
  const uploads = new Map<string, ResumableUpload>();

  async function refuseWithoutUpsert(req: IncomingMessage, upload: ResumableUpload) {
    if (req.headers["x-upsert"] === "true") return;
    if (await context.objectExists(upload.bucket, upload.path))
      throw new TusTextError(409, "The resource already exists");
  }

  async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _chunk of req as AsyncIterable<Buffer>) {
      // creation requests carry no body here
    }
    const length = Number(req.headers["upload-length"]);
    if (!Number.isSafeInteger(length) || length < 0)
      throw new TusTextError(400, "Upload-Length or Upload-Defer-Length header required");
    const metadata = parseTusMetadata(String(req.headers["upload-metadata"] ?? ""));
    const bucket = metadata.bucketName ?? "";
    const path = metadata.objectName ?? "";
    if (!context.buckets.has(bucket)) throw new TusTextError(404, "Bucket not found");
    if (!isSafeObjectPath(path)) throw new TusTextError(400, `Invalid key: ${path}`);
    if (context.fileSizeLimit !== null && length > context.fileSizeLimit)
      throw new TusTextError(413, "Maximum size exceeded");
    if (req.headers["x-upsert"] !== "true" && (await context.objectExists(bucket, path)))
      throw new TusTextError(409, "The resource already exists");
    const version = randomUUID();
    const id = Buffer.from(`${bucket}/${path}/${version}`).toString("base64url");
    const tempFile = join(context.tempDir, `tus-${version}`);
    await writeFile(tempFile, "");
    uploads.set(id, { id, bucket, path, length, offset: 0, tempFile });
    context.stats.resumableUploadsCreated++;
    res.writeHead(201, {
      ...TUS_HEADERS,
      Location: `${context.origin()}/storage/v1/upload/resumable/${id}`,
      "Upload-Offset": "0",
      "Content-Length": "0",
    });
    res.end();
  }

  async function patch(req: IncomingMessage, res: ServerResponse, upload: ResumableUpload) {
    if (req.headers["content-type"] !== "application/offset+octet-stream")
      throw new TusTextError(415, "Unsupported Media Type");
    if (Number(req.headers["upload-offset"]) !== upload.offset)
      throw new TusTextError(409, "Upload-Offset conflict");
    await refuseWithoutUpsert(req, upload);
    context.stats.resumablePatches++;
    const cut =
      context.stats.resumablePatches === context.cutPatchNumber
        ? Math.floor(Number(req.headers["content-length"] ?? 0) / 2)
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
      throw new TusTextError(404, "Not Found");
    }
    if (upload.offset === upload.length) {
      uploads.delete(upload.id);
      await context.publish(upload.tempFile, upload.bucket, upload.path);
    }
    res.writeHead(204, { ...TUS_HEADERS, "Upload-Offset": String(upload.offset) });
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    if (req.method === "POST" && id === "") return create(req, res);
    const upload = uploads.get(id);
    if (!upload) throw new TusTextError(404, "Not Found");
    if (req.method === "HEAD") {
      res.writeHead(200, {
        ...TUS_HEADERS,
        "Upload-Offset": String(upload.offset),
        "Upload-Length": String(upload.length),
      });
      res.end();
      return;
    }
    if (req.method === "DELETE") {
      await refuseWithoutUpsert(req, upload);
      uploads.delete(id);
      await rm(upload.tempFile, { force: true });
      res.writeHead(204, TUS_HEADERS).end();
      return;
    }
    if (req.method === "PATCH") return patch(req, res, upload);
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
