/**
 * Turns whatever a storage request threw (fetch's `TypeError: fetch failed` with an errno deep in
 * its causes, storage-js's StorageApiError/StorageUnknownError, tus-js-client's DetailedError,
 * our own timeout) into one StorageBackendError: a kind in plain words for the user, the whole
 * chain of causes for the log line.
 */
import { StorageBackendError, type StorageFailureKind } from "../errors";

/** The reason a request was cut by its own timeout (see fetch.ts and tus-http-stack.ts). */
export class StorageRequestTimeout extends Error {
  override readonly name = "StorageRequestTimeout";
  readonly code = "STORAGE_REQUEST_TIMEOUT";
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

const CONNECTION_LOST = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "ERR_STREAM_PREMATURE_CLOSE",
]);
const TIMEOUT = new Set([
  "STORAGE_REQUEST_TIMEOUT",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
const REFUSED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

interface HttpFacts {
  status?: number | undefined;
  statusCode?: string | undefined;
  code?: string | undefined;
  body?: string | undefined;
}

/** The next error in a chain, whichever library built it. */
function nextCause(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as { cause?: unknown; originalError?: unknown; causingError?: unknown };
  return record.cause ?? record.originalError ?? record.causingError ?? undefined;
}

function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let current = error; current != null && seen.length < 8; current = nextCause(current)) {
    if (seen.includes(current)) break;
    seen.push(current);
  }
  return seen;
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errnoCode(error);
  return `${error.name}: ${error.message}${code && !error.message.includes(code) ? ` (${code})` : ""}`;
}

/** What an HTTP answer says, from the error objects of storage-js and tus-js-client. */
function httpFacts(error: unknown): HttpFacts | undefined {
  const record = error as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    originalResponse?: { getStatus(): number; getBody(): string } | null;
  };
  if (record.originalResponse) {
    const body = record.originalResponse.getBody();
    const facts: HttpFacts = { status: record.originalResponse.getStatus(), body };
    try {
      const json = JSON.parse(body) as { statusCode?: unknown; code?: unknown; error?: unknown };
      if (typeof json.statusCode === "string") facts.statusCode = json.statusCode;
      if (typeof json.code === "string") facts.code = json.code;
      else if (typeof json.error === "string") facts.code = json.error;
    } catch {
      // TUS handler errors are plain text
    }
    return facts;
  }
  if (typeof record.status === "number" && typeof record.statusCode === "string") {
    return {
      status: record.status,
      statusCode: record.statusCode,
      code: typeof record.code === "string" ? record.code : undefined,
    };
  }
  return undefined;
}

function kindOfHttp(facts: HttpFacts): StorageFailureKind {
  const real = Number(facts.statusCode ?? facts.status);
  const code = facts.code ?? "";
  if (code === "NoSuchBucket" || /bucket not found/i.test(facts.body ?? ""))
    return "bucket-missing";
  if (real === 409 || code === "KeyAlreadyExists" || code === "Duplicate") return "conflict";
  if (real === 404 || code === "NoSuchKey") return "not-found";
  if (real === 401 || real === 403 || code === "AccessDenied" || code === "InvalidJWT")
    return "denied";
  if (real === 413 || code === "EntityTooLarge") return "too-large";
  if (real >= 500) return "server-error";
  return "unexpected-answer";
}

/** `action` names what was tried ("upload", "list", …) for the log line; never a path. */
export function classifyStorageFailure(error: unknown, action: string): StorageBackendError {
  if (error instanceof StorageBackendError) return error;
  const causes = chain(error);
  const detail = `${action}: ${causes.map(describe).join(" ← ")}`.slice(0, 2_000);
  for (const cause of causes) {
    const facts = httpFacts(cause);
    if (facts) {
      return new StorageBackendError(kindOfHttp(facts), {
        detail: facts.body
          ? `${detail} [HTTP ${facts.status}: ${facts.body.slice(0, 300)}]`
          : detail,
        status: facts.status,
        statusCode: facts.statusCode,
        code: facts.code,
        cause: error,
      });
    }
  }
  for (const cause of causes) {
    const code = errnoCode(cause) ?? "";
    const kind: StorageFailureKind | undefined = TIMEOUT.has(code)
      ? "timeout"
      : REFUSED.has(code)
        ? "refused"
        : CONNECTION_LOST.has(code) ||
            /socket hang up|other side closed|terminated/i.test(
              cause instanceof Error ? cause.message : "",
            )
          ? "connection-lost"
          : undefined;
    if (kind) return new StorageBackendError(kind, { detail, cause: error });
  }
  return new StorageBackendError("unexpected-answer", { detail, cause: error });
}
