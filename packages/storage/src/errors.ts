/**
 * Errors callers branch on. Messages name the object path (never a filesystem path, a key or a
 * token), so they are safe to log.
 */

/** The stored bytes did not match what the caller expected; nothing was left at `path`. */
export class StorageIntegrityError extends Error {
  override readonly name = "StorageIntegrityError";
  constructor(
    readonly path: string,
    readonly check: "size" | "sha256",
    readonly expected: string | number,
    readonly actual: string | number,
  ) {
    super(
      `Integrity check failed for "${path}": expected ${check} ${String(expected)}, got ${String(actual)}`,
    );
  }
}

/** An object path that could escape its bucket or that the backends cannot carry in a URL. */
export class UnsafeObjectPathError extends Error {
  override readonly name = "UnsafeObjectPathError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Unsafe object path ${JSON.stringify(path)}: ${reason}`);
  }
}

/** Signing a URL for an object that does not exist (Supabase answers `NoSuchKey` here too). */
export class StorageObjectNotFoundError extends Error {
  override readonly name = "StorageObjectNotFoundError";
  readonly statusCode = "404";
  readonly code = "NoSuchKey";
  constructor(readonly path: string) {
    super(`Object not found: "${path}"`);
  }
}

/**
 * Any other failure reported by a backend. For Supabase, `statusCode`/`code` carry the real error
 * (the server answers HTTP 400 for almost everything), `status` the HTTP status.
 */
export class StorageBackendError extends Error {
  override readonly name = "StorageBackendError";
  readonly statusCode: string | undefined;
  readonly code: string | undefined;
  readonly status: number | undefined;
  constructor(
    message: string,
    details: { statusCode?: string; code?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.statusCode = details.statusCode;
    this.code = details.code;
    this.status = details.status;
  }
}

/** The `signal` given to `put` fired; nothing was left at `path`. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException("The operation was aborted", "AbortError");
}
