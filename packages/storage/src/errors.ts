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

/** What went wrong with a storage request, in the words a user-facing reason can use. */
export type StorageFailureKind =
  | "conflict"
  | "refused"
  | "connection-lost"
  | "timeout"
  | "not-found"
  | "bucket-missing"
  | "denied"
  | "too-large"
  | "server-error"
  | "disk-full"
  | "disk-error"
  | "unexpected-answer";

const KIND_WORDS: Record<StorageFailureKind, string> = {
  conflict: "the storage server refused to replace an existing file (conflict)",
  refused: "the storage server refused the connection (it is down or restarting)",
  "connection-lost": "the connection to the storage server was lost (it may have restarted)",
  timeout: "the storage server did not answer in time",
  "not-found": "the storage server does not have the file",
  "bucket-missing": "the storage bucket does not exist",
  denied: "the storage server refused the credentials",
  "too-large": "the file is larger than the storage server accepts",
  "server-error": "the storage server failed with an internal error",
  "disk-full": "the storage disk is full",
  "disk-error": "the storage disk could not write the file",
  "unexpected-answer": "the storage server gave an unexpected answer",
};

/** Failures a later attempt may get past (the server was down, slow or briefly in conflict). */
const RETRYABLE: ReadonlySet<StorageFailureKind> = new Set([
  "conflict",
  "refused",
  "connection-lost",
  "timeout",
  "server-error",
]);

/**
 * A storage request failed. `message` is plain words (no path, URL, key or library error code),
 * safe for a failure reason a user reads; `detail` (and `cause`) carry the technical account
 * for the log line. For Supabase, `statusCode`/`code` are the body's real error (the server
 * answers HTTP 400 for most errors), `status` the HTTP status.
 */
export class StorageBackendError extends Error {
  override readonly name = "StorageBackendError";
  readonly kind: StorageFailureKind;
  readonly detail: string;
  readonly statusCode: string | undefined;
  readonly code: string | undefined;
  readonly status: number | undefined;
  constructor(
    kind: StorageFailureKind,
    details: {
      detail: string;
      statusCode?: string | undefined;
      code?: string | undefined;
      status?: number | undefined;
      cause?: unknown;
    },
  ) {
    super(KIND_WORDS[kind], details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.detail = details.detail;
    this.statusCode = details.statusCode;
    this.code = details.code;
    this.status = details.status;
  }

  /** A later attempt may succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** The storage configuration is unusable (wrong key role, missing or public bucket). */
export class StorageConfigError extends Error {
  override readonly name = "StorageConfigError";
  constructor(
    /** The environment variable to fix, e.g. `SUPABASE_SERVICE_ROLE_KEY`. */
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

/** The `signal` given to `put` fired; nothing was left at `path`. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException("The operation was aborted", "AbortError");
}
