/**
 * Client of the GPU cluster's artifacts API (SPEC §4.1). Everything it returns is untrusted and
 * validated here; passing faults (network errors, timeouts, 5xx, "not ready yet") are retried
 * with backoff, refusals (401/403/404) fail at once. The API key is sent only to the cluster's own
 * origin and never appears in an error message.
 */
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

import { z } from "zod";

import { artifactFileNameSchema } from "./validate/file-name";

export class ClusterError extends Error {
  override readonly name = "ClusterError";
  constructor(
    message: string,
    /** True when retrying cannot help (refused key, unknown job, unusable listing). */
    readonly permanent: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "is not a sha256 hex digest")
  .transform((value) => value.toLowerCase());

const listingSchema = z.object({
  download_urls: z.record(
    z.string(),
    z
      .string()
      .url()
      .refine((value) => /^https?:\/\//i.test(value), "is not an http(s) URL"),
  ),
  model_metadata: z
    .object({ base_model: z.string().min(1).max(500), adapter_type: z.string().min(1).max(100) })
    .loose(),
  checksums: z.record(z.string(), sha256Schema).optional(),
});

export interface ArtifactListingFile {
  name: string;
  url: string;
  sha256: string | null;
}

export interface ArtifactListing {
  files: ArtifactListingFile[];
  modelMetadata: { base_model: string; adapter_type: string; [extra: string]: unknown };
}

export interface OpenedFile {
  body: Readable;
  /** From Content-Length, when the cluster sent one. */
  sizeBytes: number | null;
}

export interface ClusterClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Until response headers arrive. */
  requestTimeoutMs?: number;
  /** Longest pause between two chunks of a file body. */
  idleTimeoutMs?: number;
  /** Extra attempts for passing faults, per request. */
  retries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Most files a listing may name. */
  maxFiles?: number;
}

export interface ClusterClient {
  getArtifactListing(externalJobId: string, signal?: AbortSignal): Promise<ArtifactListing>;
  /** `onBytes` gets the running total of body bytes received (for progress). */
  openFile(
    file: ArtifactListingFile,
    signal?: AbortSignal,
    onBytes?: (received: number) => void,
  ): Promise<OpenedFile>;
  /** The same backoff the client uses between attempts (for callers that retry a whole copy). */
  backoffDelayMs(attempt: number): number;
  /** Removes the API key from a text that came from elsewhere (response bodies, library errors). */
  redact(text: string): string;
}

/** Retried right away, with backoff, by the client itself. */
const RETRYABLE_STATUSES = new Set([408, 409, 425, 429, 500, 502, 503, 504]);
/** A refused key or a job the cluster does not know: no later attempt can succeed. */
const LISTING_PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410]);
/**
 * A file URL comes from a fresh listing on every attempt, so a 403 (expired URL) or 404 (file not
 * written yet) may pass; those fail only the attempt.
 */
const FILE_PERMANENT_STATUSES = new Set([400, 410]);

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function describeStatus(status: number): string {
  if (status === 401 || status === 403) {
    return `the GPU cluster refused the API key (HTTP ${status}); check GPU_CLUSTER_API_KEY`;
  }
  if (status === 404) return "the GPU cluster does not know this job or file (HTTP 404)";
  if (status === 409 || status === 425)
    return `the GPU cluster says the files are not ready yet (HTTP ${status})`;
  return `the GPU cluster answered HTTP ${status}`;
}

export function createClusterClient(options: ClusterClientOptions): ClusterClient {
  const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const retries = options.retries ?? 4;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 15_000;
  const maxFiles = options.maxFiles ?? 64;
  const apiKey = options.apiKey;

  const redact = (text: string) =>
    apiKey.length > 0 ? text.split(apiKey).join("[redacted]") : text;

  const backoffDelayMs = (attempt: number) => {
    const ceiling = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };

  /** The key goes only to the cluster itself, never to a storage host a listing points at. */
  const headersFor = (url: URL): Record<string, string> =>
    url.origin === base.origin ? { authorization: `Bearer ${apiKey}` } : {};

  /**
   * One request with retries; resolves with a response whose status is 2xx. The returned
   * `controller` stays armed for the body (callers add their own idle timer).
   */
  async function request(
    url: URL,
    what: string,
    signal: AbortSignal | undefined,
    /** Statuses that fail the job for good (others fail this attempt only). */
    permanentStatuses: ReadonlySet<number>,
  ): Promise<{ response: Response; controller: AbortController }> {
    let lastError: ClusterError | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt - 1), signal);
      signal?.throwIfAborted();
      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error("timeout"));
      }, requestTimeoutMs);
      try {
        const response = await fetch(url, { headers: headersFor(url), signal: controller.signal });
        clearTimeout(timer);
        if (response.ok) {
          // Detach the caller's signal from this attempt only when the body is done; the
          // caller's abort still reaches the controller through onAbort until then.
          return { response, controller };
        }
        await response.body?.cancel().catch(() => {});
        signal?.removeEventListener("abort", onAbort);
        lastError = new ClusterError(
          `${what}: ${describeStatus(response.status)}`,
          permanentStatuses.has(response.status),
          response.status,
        );
        if (!RETRYABLE_STATUSES.has(response.status)) throw lastError;
      } catch (error) {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (error instanceof ClusterError) throw error;
        if (signal?.aborted)
          throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
        lastError = new ClusterError(
          timedOut
            ? `${what}: no answer from the GPU cluster within ${requestTimeoutMs} ms`
            : `${what}: network error (${redact(causeMessage(error))})`,
          false,
        );
      }
    }
    throw new ClusterError(
      `${lastError?.message ?? what} (gave up after ${retries + 1} attempts)`,
      false,
      lastError?.status,
    );
  }

  async function getArtifactListing(
    externalJobId: string,
    signal?: AbortSignal,
  ): Promise<ArtifactListing> {
    const url = new URL(`training/artifacts/${encodeURIComponent(externalJobId)}`, base);
    const what = `listing of cluster job ${externalJobId}`;
    const { response, controller } = await request(url, what, signal, LISTING_PERMANENT_STATUSES);
    let text: string;
    try {
      const timer = setTimeout(() => controller.abort(new Error("timeout")), requestTimeoutMs);
      try {
        text = await response.text();
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      throw new ClusterError(
        `${what}: the answer broke off (${redact(causeMessage(error))})`,
        false,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ClusterError(`${what}: the GPU cluster's answer is not JSON`, false);
    }
    const parsed = listingSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
        .join("; ");
      throw new ClusterError(
        `${what}: the GPU cluster's answer has an unexpected shape (${redact(problems)})`,
        false,
      );
    }
    const entries = Object.entries(parsed.data.download_urls);
    if (entries.length === 0)
      throw new ClusterError(`${what}: the GPU cluster lists no files`, true);
    if (entries.length > maxFiles) {
      throw new ClusterError(
        `${what}: the GPU cluster lists ${entries.length} files (at most ${maxFiles})`,
        true,
      );
    }
    const files: ArtifactListingFile[] = [];
    for (const [name, fileUrl] of entries) {
      const checked = artifactFileNameSchema.safeParse(name);
      if (!checked.success) {
        throw new ClusterError(
          `${what}: the GPU cluster lists an unsafe file name ${JSON.stringify(name.slice(0, 80))} (${checked.error.issues[0]?.message ?? "invalid"})`,
          true,
        );
      }
      files.push({ name, url: fileUrl, sha256: parsed.data.checksums?.[name] ?? null });
    }
    return { files, modelMetadata: parsed.data.model_metadata };
  }

  async function openFile(
    file: ArtifactListingFile,
    signal?: AbortSignal,
    onBytes?: (received: number) => void,
  ): Promise<OpenedFile> {
    const what = `download of ${file.name}`;
    const { response, controller } = await request(
      new URL(file.url),
      what,
      signal,
      FILE_PERMANENT_STATUSES,
    );
    if (!response.body) throw new ClusterError(`${what}: the GPU cluster sent no body`, false);
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
            ? `${what}: the GPU cluster stopped sending for ${idleTimeoutMs} ms`
            : `${what}: the transfer broke off (${redact(causeMessage(error))})`,
          false,
        ),
      );
    });
    body.on("close", () => {
      if (!source.destroyed) source.destroy();
    });
    source.pipe(body);
    return { body, sizeBytes };
  }

  return { getArtifactListing, openFile, backoffDelayMs, redact };
}

/**
 * Passes bytes through, counting them; calls `onIdle` when none arrived for `timeoutMs`. A chunk only stamps the
 * time (no timer churn per chunk on multi-GB files); a coarse interval checks the stamp.
 */
class IdleTimeout extends Transform {
  private readonly timer: NodeJS.Timeout;
  private lastChunkAt = performance.now();
  private received = 0;
  timedOut = false;

  constructor(
    timeoutMs: number,
    private readonly onIdle: () => void,
    private readonly onBytes?: (received: number) => void,
  ) {
    super();
    this.timer = setInterval(
      () => {
        if (performance.now() - this.lastChunkAt < timeoutMs) return;
        this.timedOut = true;
        clearInterval(this.timer);
        this.onIdle();
      },
      Math.max(10, Math.min(1_000, timeoutMs / 4)),
    );
    this.timer.unref();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.lastChunkAt = performance.now();
    this.received += chunk.length;
    this.onBytes?.(this.received);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearInterval(this.timer);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.timer);
    callback(error);
  }
}

function causeMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const causeText =
    cause instanceof Error ? `: ${(cause as Error & { code?: string }).code ?? cause.message}` : "";
  return `${error.message}${causeText}`;
}
