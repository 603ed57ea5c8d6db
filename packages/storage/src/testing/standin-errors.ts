/**
 * Error answers of the stand-in, as Supabase Storage v1.70.6 gives them outside the TUS handler:
 * HTTP 400 for every non-500 error, the real status in `statusCode`, and always a `code`.
 */
import type { ServerResponse } from "node:http";

export class StorageHttpError extends Error {
  constructor(
    readonly statusCode: string,
    readonly code: string,
    readonly error: string,
    message: string,
    readonly httpStatus = statusCode === "500" ? 500 : 400,
  ) {
    super(message);
  }
}

export const noSuchKey = () =>
  new StorageHttpError("404", "NoSuchKey", "not_found", "Object not found");
export const noSuchBucket = () =>
  new StorageHttpError("404", "NoSuchBucket", "Bucket not found", "Bucket not found");
/** A key the server cannot verify: jose's message ("Invalid Compact JWS", "signature verification failed"). */
export const invalidJws = (message = "Invalid Compact JWS") =>
  new StorageHttpError("403", "AccessDenied", "Unauthorized", message);
export const rlsViolation = () =>
  new StorageHttpError(
    "403",
    "AccessDenied",
    "Unauthorized",
    "new row violates row-level security policy",
  );
export const duplicate = () =>
  new StorageHttpError("409", "KeyAlreadyExists", "Duplicate", "The resource already exists");
export const invalidRequest = (message: string) =>
  new StorageHttpError("400", "InvalidRequest", "Error", message);

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendStorageError(res: ServerResponse, error: StorageHttpError): void {
  sendJson(res, error.httpStatus, {
    statusCode: error.statusCode,
    error: error.error,
    message: error.message,
    code: error.code,
  });
}
