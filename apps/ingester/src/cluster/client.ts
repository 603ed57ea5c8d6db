/**
 * Client of the GPU cluster's artifacts API (SPEC §4.1). Every request has its own timeout;
 * passing faults and "not ready yet" answers are retried (./retry.ts); refusals fail at once.
 * The API key is sent only to the cluster's own origin and never appears in an error or a log.
 */
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

import { REQUIRED_FILES } from "../validate";
import { ClusterError, type ClusterFailureKind, parseRetryAfter, technicalCause } from "./errors";
import { IdleTimeout } from "./idle-timeout";
import { type ArtifactListing, type ArtifactListingFile, parseListing } from "./listing";
import { type ClusterRetryPolicy, withClusterRetries } from "./retry";

export interface OpenedFile {
  body: Readable;
  /** From Content-Length, when the cluster sent one. */
  sizeBytes: number | null;
}

export interface ClusterClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Until response headers (and, for the listing, its whole body) arrive. */
  requestTimeoutMs?: number;
  /** Longest pause between two chunks of a file body. */
  idleTimeoutMs?: number;
  /** Extra attempts for passing faults, per request. */
  retries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** How long a listing or file may answer "not ready yet" (404, 409, 423, 425, 503). */
  notReadyWindowMs?: number;
  notReadyMaxDelayMs?: number;
  /** Most files a listing may name. */
  maxFiles?: number;
  /** Files a complete listing always names (until then it is "not ready yet"). */
  requiredFiles?: readonly string[];
  /** Told about every retry (for the log). */
  onRetry?: (what: string, error: ClusterError, attempt: number, delayMs: number) => void;
}

export interface ClusterClient {
  getArtifactListing(externalJobId: string, signal?: AbortSignal): Promise<ArtifactListing>;
  /** `onBytes` gets the running total of body bytes received (for progress). */
  openFile(
    file: ArtifactListingFile,
    signal?: AbortSignal,
    onBytes?: (received: number) => void,
  ): Promise<OpenedFile>;
  /** Removes the API key from a text that came from elsewhere (response bodies, library errors). */
  redact: (text: string) => string;
}

/** "Not there yet" answers of a cluster that has just finished a job. */
const NOT_READY_STATUSES = new Set([404, 409, 423, 425, 503]);
/** Passing faults. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 504]);

type Target = "listing" | "file";

function statusFailure(
  target: Target,
  what: string,
  status: number,
): { kind: ClusterFailureKind; message: string } {
  if (target === "listing" && (status === 401 || status === 403)) {
    return {
      kind: "refused",
      message: `the GPU cluster refused access to this job's files (HTTP ${status})`,
    };
  }
  if (target === "file" && status === 403) {
    return {
      kind: "expired-url",
      message: `the GPU cluster's download link for ${what} no longer works (HTTP 403)`,
    };
  }
  if (NOT_READY_STATUSES.has(status)) {
    return {
      kind: "not-ready",
      message:
        target === "listing"
          ? `the GPU cluster has no files for this job yet (HTTP ${status})`
          : `the GPU cluster does not have ${what} ready yet (HTTP ${status})`,
    };
  }
  if (TRANSIENT_STATUSES.has(status) || status >= 500) {
    return {
      kind: "unavailable",
      message: `the GPU cluster failed to serve ${target === "listing" ? "this job's list of files" : what} (HTTP ${status})`,
    };
  }
  return {
    kind: "rejected",
    message: `the GPU cluster rejected the request for ${target === "listing" ? "this job's list of files" : what} (HTTP ${status})`,
  };
}

/** A URL fit for a log line: the cluster's signed URLs carry their signature in the query. */
const withoutQuery = (url: URL) => `${url.origin}${url.pathname}`;

export function createClusterClient(options: ClusterClientOptions): ClusterClient {
  const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const maxFiles = options.maxFiles ?? 64;
  const requiredFiles = options.requiredFiles ?? REQUIRED_FILES;
  const policy: ClusterRetryPolicy = {
    transientRetries: options.retries ?? 4,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 15_000,
    notReadyWindowMs: options.notReadyWindowMs ?? 10 * 60_000,
    notReadyMaxDelayMs: options.notReadyMaxDelayMs ?? 60_000,
  };
  const apiKey = options.apiKey;
  const redact = (text: string) =>
    apiKey.length > 0 ? text.split(apiKey).join("[redacted]") : text;

  /** The key goes only to the cluster itself, never to a storage host a listing points at. */
  const headersFor = (url: URL): Record<string, string> =>
    url.origin === base.origin ? { authorization: `Bearer ${apiKey}` } : {};

  /**
   * One try: resolves with a 2xx response and the controller that stays armed for its body, or
   * throws a ClusterError. The timeout covers the wait for the headers.
   */
  async function requestOnce(url: URL, target: Target, what: string, signal?: AbortSignal) {
    signal?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const release = () => signal?.removeEventListener("abort", onAbort);
    const timer = setTimeout(() => controller.abort(new Error("timeout")), requestTimeoutMs);
    try {
      const response = await fetch(url, { headers: headersFor(url), signal: controller.signal });
      clearTimeout(timer);
      if (response.ok) return { response, controller, release };
      await response.body?.cancel().catch(() => {});
      release();
      const failure = statusFailure(target, what, response.status);
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      throw new ClusterError(failure.message, {
        kind: failure.kind,
        status: response.status,
        detail: `GET ${withoutQuery(url)} answered HTTP ${response.status}${retryAfterMs === undefined ? "" : ` (Retry-After ${retryAfterMs} ms)`}${failure.kind === "refused" ? "; check GPU_CLUSTER_API_KEY" : ""}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    } catch (error) {
      clearTimeout(timer);
      release();
      if (error instanceof ClusterError) throw error;
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : error;
      const timedOut =
        controller.signal.reason instanceof Error && controller.signal.reason.message === "timeout";
      throw new ClusterError(
        timedOut
          ? `the GPU cluster did not answer within ${Math.round(requestTimeoutMs / 1_000)} s`
          : `the GPU cluster could not be reached`,
        {
          kind: "unavailable",
          detail: `GET ${withoutQuery(url)}: ${timedOut ? `no response headers within ${requestTimeoutMs} ms` : redact(technicalCause(error))}`,
          cause: error,
        },
      );
    }
  }

  const retrying = <T>(
    what: string,
    signal: AbortSignal | undefined,
    operation: () => Promise<T>,
  ) =>
    withClusterRetries(operation, policy, {
      ...(signal ? { signal } : {}),
      onRetry: (error, attempt, delayMs) => options.onRetry?.(what, error, attempt, delayMs),
    });

  async function getArtifactListing(
    externalJobId: string,
    signal?: AbortSignal,
  ): Promise<ArtifactListing> {
    const url = new URL(`training/artifacts/${encodeURIComponent(externalJobId)}`, base);
    return retrying("listing", signal, async () => {
      const { response, controller, release } = await requestOnce(
        url,
        "listing",
        "listing",
        signal,
      );
      let text: string;
      const timer = setTimeout(() => controller.abort(new Error("timeout")), requestTimeoutMs);
      try {
        text = await response.text();
      } catch (error) {
        throw new ClusterError("the GPU cluster's list of files broke off", {
          kind: "unavailable",
          detail: `reading the listing: ${redact(technicalCause(error))}`,
          cause: error,
        });
      } finally {
        clearTimeout(timer);
        release();
      }
      // A listing that is not ready yet is asked for again; other bad answers fail this attempt.
      return parseListing(text, { maxFiles, requiredFiles, redact });
    });
  }

  async function openFile(
    file: ArtifactListingFile,
    signal?: AbortSignal,
    onBytes?: (received: number) => void,
  ): Promise<OpenedFile> {
    const url = new URL(file.url);
    const { response, controller, release } = await retrying(file.name, signal, () =>
      requestOnce(url, "file", file.name, signal),
    );
    if (!response.body) {
      release();
      throw new ClusterError(`the GPU cluster sent no content for ${file.name}`, {
        kind: "broke-off",
        detail: `GET ${withoutQuery(url)}: 2xx without a body`,
      });
    }
    const length = response.headers.get("content-length");
    const sizeBytes = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    const source = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
    const body = new IdleTimeout(
      idleTimeoutMs,
      () => controller.abort(new Error("idle timeout")),
      onBytes,
    );
    source.on("error", (error) => {
      body.destroy(
        new ClusterError(
          body.timedOut
            ? `the GPU cluster stopped sending ${file.name} for ${Math.round(idleTimeoutMs / 1_000)} s`
            : `the download of ${file.name} from the GPU cluster broke off`,
          {
            kind: "broke-off",
            detail: `GET ${withoutQuery(url)}: ${body.timedOut ? `no bytes for ${idleTimeoutMs} ms` : redact(technicalCause(error))}`,
            cause: error,
          },
        ),
      );
    });
    body.on("close", () => {
      release();
      if (!source.destroyed) source.destroy();
    });
    source.pipe(body);
    return { body, sizeBytes };
  }

  return { getArtifactListing, openFile, redact };
}
