/**
 * What went wrong with the GPU cluster, in two registers: `message` is plain words a user can
 * read on the model's page (it names the file, never a URL, a key or a library's error code);
 * `detail` is the technical account that goes to the log line beside the training job id.
 */
export type ClusterFailureKind =
  /** 401/403 on the listing: the cluster refuses this service's key. */
  | "refused"
  /** The listing or a file is not there yet (404, 409, 423, 425, 503, an empty listing). */
  | "not-ready"
  /** A passing fault: 5xx, 408, 429, a network error, no answer in time. */
  | "unavailable"
  /** A file's signed URL no longer works; a fresh listing is needed. */
  | "expired-url"
  /** The body stopped or broke off mid-way. */
  | "broke-off"
  /** The answer is not what the API promises (not JSON, wrong shape). */
  | "bad-answer"
  /** A listing this service must never act on (unsafe names or URLs, too many files). */
  | "unsafe-listing"
  /** Any other refusal that no retry can fix (400, 410, other 4xx). */
  | "rejected";

const PERMANENT: ReadonlySet<ClusterFailureKind> = new Set([
  "refused",
  "unsafe-listing",
  "rejected",
]);

export class ClusterError extends Error {
  override readonly name = "ClusterError";
  readonly kind: ClusterFailureKind;
  readonly status: number | undefined;
  /** Technical account for the log (may name URLs without their query, statuses, error codes). */
  readonly detail: string;
  /** From a `Retry-After` header, when the cluster sent one. */
  readonly retryAfterMs: number | undefined;
  /** True when no later attempt can succeed. */
  readonly permanent: boolean;

  constructor(
    message: string,
    options: {
      kind: ClusterFailureKind;
      detail?: string;
      status?: number;
      retryAfterMs?: number;
      permanent?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.detail = options.detail ?? message;
    this.retryAfterMs = options.retryAfterMs;
    this.permanent = options.permanent ?? PERMANENT.has(options.kind);
  }
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), bounded; undefined when absent or odd. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  const ms = /^\d{1,7}$/.test(trimmed) ? Number(trimmed) * 1_000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, 3_600_000);
}

/** A library error as one short line for a log: its message and the code of its cause. */
export function technicalCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code =
    cause instanceof Error
      ? ((cause as Error & { code?: string }).code ?? cause.message)
      : undefined;
  return code ? `${error.message}: ${code}` : error.message;
}
