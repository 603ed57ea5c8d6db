import { createHash } from "node:crypto";
import { type FileHandle, open, realpath } from "node:fs/promises";
import { extname, join, sep } from "node:path";

import { attachmentDisposition } from "../content-disposition";
import { isSafeBucketName, isSafeObjectPath } from "../paths";
import { verifyDownloadToken } from "../signed-token";
import { READ_CHUNK_BYTES } from "./io-sizes";
import { ifRangeAllows, parseRange } from "./range";

export interface LocalDownloadHandlerOptions {
  rootDir: string;
  signingSecret: string;
  /** Clock for token expiry (tests). */
  now?: () => Date;
}

const SIGN_SEGMENT = "/object/sign/";

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".yaml": "application/yaml",
  ".yml": "application/yaml",
  ".csv": "text/csv; charset=utf-8",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".tar": "application/x-tar",
};

/**
 * Serves the local backend's signed URLs, `…/object/sign/{bucket}/{path}?token=…&download=…`,
 * answering exactly like Supabase Storage v1.70.6 (shared/notes/storage.md, the download table):
 * its headers, its error bodies (always with a `code`), its token checks in its order, its 416
 * for unusable ranges — plus `If-Range`, so users' tools resume safely. Mount it at
 * `/storage/v1/object/sign/*`. Files stream from one open handle (a concurrent replacement never
 * mixes two versions).
 */
export function createLocalDownloadHandler(
  options: LocalDownloadHandlerOptions,
): (request: Request) => Promise<Response> {
  const now = options.now ?? (() => new Date());

  return async function handleLocalDownload(request: Request): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    const url = new URL(request.url);
    const token = url.searchParams.get("token");
    if (token === null)
      return storageError(
        "400",
        "InvalidRequest",
        "querystring must have required property 'token'",
        "Error",
      );
    const target = parseTarget(url.pathname);
    if (target === null) return storageError("400", "InvalidSignature", "Invalid signature");
    const check = await verifyDownloadToken(
      options.signingSecret,
      token,
      `${target.bucket}/${target.path}`,
      now(),
    );
    if (!check.ok) return storageError("400", check.error, check.message);

    const handle = await openObject(options.rootDir, target.bucket, target.path);
    if (handle === null) return storageError("404", "NoSuchKey", "Object not found", "not_found");
    let handed = false;
    try {
      const info = await handle.stat();
      const size = info.size;
      const validators = {
        // A replacement is a new file (rename), so size, mtime and inode name one version.
        etag: `"${createHash("md5").update(`${size}:${info.mtimeMs}:${info.ino}`).digest("hex")}"`,
        lastModified: info.mtime,
      };
      const headers = new Headers({
        "Content-Type": contentTypeFor(target.path),
        "Accept-Ranges": "bytes",
        ETag: validators.etag,
        "Last-Modified": info.mtime.toUTCString(),
        "X-Robots-Tag": "none",
        "X-Content-Type-Options": "nosniff",
      });
      if (check.expiresAt) headers.set("Expires", check.expiresAt.toUTCString());
      const download = url.searchParams.get("download");
      if (download !== null) headers.set("Content-Disposition", attachmentDisposition(download));
      const range = ifRangeAllows(request.headers.get("if-range"), validators)
        ? parseRange(request.headers.get("range"), size)
        : null;
      if (range === "invalid") {
        return jsonResponse(416, {
          statusCode: "416",
          error: "invalid_range",
          message: "invalid range provided",
          code: "InvalidRange",
        });
      }
      const start = range?.start ?? 0;
      const end = range?.end ?? size - 1;
      const length = size === 0 ? 0 : end - start + 1;
      headers.set("Content-Length", String(length));
      if (range) headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
      const status = range ? 206 : 200;
      if (request.method === "HEAD" || length === 0) return new Response(null, { status, headers });
      handed = true;
      return new Response(fileStream(handle, start, length), { status, headers });
    } finally {
      if (!handed) await handle.close();
    }
  };
}

/** Supabase answers HTTP 400 for these and puts the real status in `statusCode`, always a `code`. */
function storageError(
  statusCode: "400" | "404",
  code: string,
  message: string,
  error: string = code,
): Response {
  return jsonResponse(400, { statusCode, error, message, code });
}

/** Supabase's JSON answers: `application/json; charset=utf-8`. */
function jsonResponse(status: number, body: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

function parseTarget(pathname: string): { bucket: string; path: string } | null {
  const at = pathname.indexOf(SIGN_SEGMENT);
  if (at === -1) return null;
  let segments: string[];
  try {
    segments = pathname
      .slice(at + SIGN_SEGMENT.length)
      .split("/")
      .map(decodeURIComponent);
  } catch {
    return null;
  }
  const [bucket, ...rest] = segments;
  const path = rest.join("/");
  if (bucket === undefined || !isSafeBucketName(bucket) || !isSafeObjectPath(path)) return null;
  return { bucket, path };
}

async function openObject(
  rootDir: string,
  bucket: string,
  path: string,
): Promise<FileHandle | null> {
  const file = join(rootDir, bucket, ...path.split("/"));
  try {
    // Symlinks inside the storage folder must not serve files from elsewhere.
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(rootDir)]);
    if (!realFile.startsWith(realRoot + sep)) return null;
    const handle = await open(realFile, "r");
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      return null;
    }
    return handle;
  } catch {
    return null;
  }
}

/** Pull-based, so at most one chunk is in memory however slowly the client reads. */
function fileStream(handle: FileHandle, start: number, length: number): ReadableStream<Uint8Array> {
  let position = start;
  const end = start + length;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const want = Math.min(READ_CHUNK_BYTES, end - position);
        const buffer = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buffer, 0, want, position);
        if (bytesRead === 0) {
          // The file shrank under us: end short rather than hang; Content-Length tells the client.
          await close();
          controller.error(new Error("Object changed while being read"));
          return;
        }
        position += bytesRead;
        controller.enqueue(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
        if (position >= end) {
          await close();
          controller.close();
        }
      } catch (error) {
        await close().catch(() => undefined);
        controller.error(error);
      }
    },
    async cancel() {
      await close();
    },
  });
}

function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}
