import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { z } from "zod";

import {
  adapterConfig,
  brokenJsonFile,
  bufferFile,
  jsonFile,
  safetensorsFile,
  safetensorsLayout,
  type SafetensorsVariant,
  sha256OfFile,
  trainingArgs,
  type VirtualFile,
} from "./generate";
import { secretsEqual, signFileRef, verifyFileSignature } from "./signing";
import {
  ARTIFACT_FILE_NAMES,
  type ArtifactFileName,
  externalJobIdSchema,
  type FaultMode,
  type JobSpec,
  type JobSpecInput,
  jobSpecInputSchema,
  resolveJobSpec,
} from "./spec";

export interface GpuClusterSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bearer key the listing endpoint accepts. */
  apiKey: string;
  /** Origin used in file URLs; default `http://{host}:{port}`. */
  publicUrl?: string;
  /** HMAC secret of file URLs; default random per start. */
  signingSecret?: string;
  /** Lifetime of file URLs; default 3600 s. */
  urlTtlSeconds?: number;
  /** Called once per finished (or aborted) request. */
  onLog?: (entry: SimLogEntry) => void;
}

export type SimRoute = "listing" | "file" | "control" | "health" | "unknown";

export interface SimLogEntry {
  level: "info" | "warn";
  msg: "request";
  method: string;
  route: SimRoute;
  /** Path only: query strings (signatures) are never logged. */
  path: string;
  jobId: string | null;
  status: number;
  bytesSent: number;
  durationMs: number;
  fault: FaultMode | null;
  /** True when the client went away (or a fault cut the socket) before the response ended. */
  aborted: boolean;
}

export interface JobStats {
  listingRequests: number;
  fileRequests: Record<string, number>;
  bytesSent: number;
  faultsInjected: number;
}

export interface SimStats {
  requests: number;
  bytesSent: number;
  routes: Record<SimRoute, number>;
  jobs: Record<string, JobStats>;
}

export interface GpuClusterSim {
  /** Origin of the server, e.g. `http://127.0.0.1:41234` (use as GPU_CLUSTER_API_URL). */
  url: string;
  port: number;
  /** Registers (or replaces) a job's spec; throws on an invalid spec. Resets its fault counter. */
  registerJob(externalJobId: string, spec?: JobSpecInput): void;
  /** Forgets a job: it is served with the default spec again. */
  unregisterJob(externalJobId: string): void;
  /** The true sha256 of each of the job's files (as served without faults). */
  checksums(externalJobId: string): Promise<Record<ArtifactFileName, string>>;
  /** The exact size in bytes of each of the job's files (as served without faults). */
  fileSizes(externalJobId: string): Record<ArtifactFileName, number>;
  stats(): SimStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** Names a `path_traversal` listing adds next to the real files. */
export const PATH_TRAVERSAL_NAMES = [
  "../../etc/passwd",
  "a/b.json",
  "..\\evil",
  "/tmp/absolute.json",
  "..",
] as const;

const LISTING_FAULTS = new Set<FaultMode>([
  "http_500",
  "not_ready",
  "not_found",
  "auth_refused",
  "bad_listing",
  "path_traversal",
  "wrong_checksum",
  "invalid_json",
  "bad_safetensors_header",
]);
const FILE_FAULTS = new Set<FaultMode>(["reset_mid_file", "truncated", "missing_file"]);

interface JobState {
  spec: JobSpec;
  /** Faulty requests still to serve; Infinity when faultCount was not given. */
  faultsLeft: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.error));
  }
}

const CONTROL_BODY_LIMIT = 64 * 1024;

function contentFingerprint(spec: JobSpec): string {
  const { baseModel, rank, loraAlpha, targetModules, dtype, adapterSizeBytes } = spec;
  return JSON.stringify({ baseModel, rank, loraAlpha, targetModules, dtype, adapterSizeBytes });
}

function parseSpec(input: unknown): JobSpec {
  const parsed = jobSpecInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new HttpError(400, {
      error: "invalid_job_spec",
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
      })),
    });
  }
  const spec = resolveJobSpec(parsed.data);
  try {
    safetensorsLayout(spec);
  } catch (error) {
    throw new HttpError(400, {
      error: "invalid_job_spec",
      issues: [{ path: "adapterSizeBytes", message: String((error as Error).message) }],
    });
  }
  return spec;
}

function safetensorsVariantFor(variant: string): SafetensorsVariant {
  return variant === "length_beyond_file" || variant === "not_json" ? variant : "ok";
}

/** The bytes behind (job, file name, variant). Variants come only from signed URLs. */
function buildFile(
  jobId: string,
  spec: JobSpec,
  fileName: string,
  variant: string,
): VirtualFile | null {
  switch (fileName) {
    case "adapter_model.safetensors":
      return safetensorsFile(jobId, spec, safetensorsVariantFor(variant));
    case "adapter_config.json":
      return variant === "invalid_json"
        ? brokenJsonFile(adapterConfig(spec))
        : jsonFile(adapterConfig(spec));
    case "training_args.json":
      return variant === "invalid_json"
        ? brokenJsonFile(trainingArgs(jobId, spec))
        : jsonFile(trainingArgs(jobId, spec));
    default:
      return variant === "probe"
        ? bufferFile(
            Buffer.from(
              `path traversal probe for ${jobId}: this file must never leave its folder\n`,
            ),
            "text/plain",
          )
        : null;
  }
}

interface ByteRange {
  start: number;
  end: number; // exclusive
}

/** Single `bytes=` ranges only; anything else is served whole, as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  const end = last === "" ? size : Math.min(Number(last) + 1, size);
  if (start >= size || end <= start) return "unsatisfiable";
  return { start, end };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

function sendRaw(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

/** Resolves true on 'drain', false if the response is closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      res.off("close", onClose);
      resolve(true);
    };
    const onClose = () => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    length += part.length;
    if (length > CONTROL_BODY_LIMIT) throw new HttpError(413, { error: "body_too_large" });
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, { error: "invalid_json_body" });
  }
}

const emptyStats = (): SimStats => ({
  requests: 0,
  bytesSent: 0,
  routes: { listing: 0, file: 0, control: 0, health: 0, unknown: 0 },
  jobs: {},
});

export async function startGpuClusterSim(options: GpuClusterSimOptions): Promise<GpuClusterSim> {
  const apiKey = z.string().min(1, "apiKey must not be empty").parse(options.apiKey);
  const host = options.host ?? "127.0.0.1";
  const signingSecret = options.signingSecret
    ? Buffer.from(options.signingSecret)
    : randomBytes(32);
  const urlTtlSeconds = options.urlTtlSeconds ?? 3600;
  const jobs = new Map<string, JobState>();
  const checksumCache = new Map<string, Promise<string>>();
  const shutdown = new AbortController();
  let stats = emptyStats();
  let publicUrl = "";

  const jobState = (jobId: string): JobState =>
    jobs.get(jobId) ?? { spec: resolveJobSpec(), faultsLeft: 0 };

  const jobStats = (jobId: string): JobStats => {
    let entry = stats.jobs[jobId];
    if (!entry) {
      entry = { listingRequests: 0, fileRequests: {}, bytesSent: 0, faultsInjected: 0 };
      stats.jobs[jobId] = entry;
    }
    return entry;
  };

  /** Takes one faulty request from the job's budget; false once the budget is spent. */
  const takeFault = (jobId: string, state: JobState): boolean => {
    if (state.faultsLeft <= 0) return false;
    state.faultsLeft -= 1;
    jobStats(jobId).faultsInjected += 1;
    return true;
  };

  const checksumOf = (
    jobId: string,
    spec: JobSpec,
    fileName: string,
    variant: string,
  ): Promise<string> => {
    const key = `${jobId}\n${contentFingerprint(spec)}\n${fileName}\n${variant}`;
    let pending = checksumCache.get(key);
    if (!pending) {
      const file = buildFile(jobId, spec, fileName, variant);
      if (!file) return Promise.reject(new Error(`no file ${fileName}`));
      pending = sha256OfFile(file, shutdown.signal);
      pending.catch(() => checksumCache.delete(key));
      checksumCache.set(key, pending);
    }
    return pending;
  };

  const forgetChecksums = (jobId: string) => {
    for (const key of checksumCache.keys())
      if (key.startsWith(`${jobId}\n`)) checksumCache.delete(key);
  };

  const fileUrl = (jobId: string, fileName: string, variant: string): string => {
    const expiresAt = Math.floor(Date.now() / 1000) + urlTtlSeconds;
    const sig = signFileRef(signingSecret, { jobId, fileName, variant, expiresAt });
    const query = new URLSearchParams({
      ...(variant ? { v: variant } : {}),
      exp: String(expiresAt),
      sig,
    });
    if (variant === "probe") {
      // Hostile names ("..", "a/b.json") cannot survive as a path segment (URL parsers resolve
      // dot segments), so probe URLs carry the name in the query instead.
      return `${publicUrl}/files/${encodeURIComponent(jobId)}?${new URLSearchParams({ name: fileName }).toString()}&${query.toString()}`;
    }
    return `${publicUrl}/files/${encodeURIComponent(jobId)}/${encodeURIComponent(fileName)}?${query.toString()}`;
  };

  const delay = async (ms: number, res: ServerResponse): Promise<boolean> => {
    const gone = new AbortController();
    const onClose = () => gone.abort();
    res.once("close", onClose);
    try {
      await sleep(ms, undefined, { signal: AbortSignal.any([gone.signal, shutdown.signal]) });
      return true;
    } catch {
      return false;
    } finally {
      res.off("close", onClose);
    }
  };

  // -------------------------------------------------------------------------------------------
  // GET /training/artifacts/{id}

  const handleListing = async (
    req: IncomingMessage,
    res: ServerResponse,
    jobId: string,
    log: LogContext,
  ) => {
    const authorization = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (!match?.[1] || !secretsEqual(match[1].trim(), apiKey)) {
      throw new HttpError(
        401,
        { error: "unauthorized", message: "missing or invalid API key" },
        { "www-authenticate": "Bearer" },
      );
    }
    if (!externalJobIdSchema.safeParse(jobId).success)
      throw new HttpError(404, { error: "job_not_found" });
    log.jobId = jobId;
    jobStats(jobId).listingRequests += 1;
    const state = jobState(jobId);
    const { spec } = state;

    let fault: FaultMode | null = null;
    const slowListing = spec.fault === "slow" && (spec.faultVariant ?? "listing") === "listing";
    if (spec.fault && (LISTING_FAULTS.has(spec.fault) || slowListing) && takeFault(jobId, state))
      fault = spec.fault;
    log.fault = fault;

    switch (fault) {
      case "http_500": {
        const status = spec.faultStatus ?? 500;
        throw new HttpError(
          status,
          { error: "internal_error", message: "simulated cluster failure" },
          status === 503 ? { "retry-after": "1" } : {},
        );
      }
      case "not_ready":
        throw new HttpError(
          spec.faultStatus ?? 409,
          { error: "artifacts_not_ready" },
          { "retry-after": "1" },
        );
      case "not_found":
        throw new HttpError(404, { error: "job_not_found" });
      case "auth_refused": {
        const status = spec.faultStatus ?? 401;
        throw new HttpError(status, { error: status === 403 ? "forbidden" : "unauthorized" });
      }
      case "slow":
        if (!(await delay(spec.faultDelayMs, res))) return;
        break;
      case "bad_listing":
        switch (spec.faultVariant ?? "malformed_json") {
          case "wrong_shape":
            return sendJson(res, 200, {
              download_urls: [fileUrl(jobId, "adapter_model.safetensors", "")],
              model_metadata: "lora",
            });
          case "missing_urls":
            return sendJson(res, 200, {
              model_metadata: { base_model: spec.baseModel, adapter_type: "lora" },
            });
          case "not_json":
            return sendRaw(res, 200, "<html><body>502 Bad Gateway</body></html>", "text/html");
          default:
            return sendRaw(
              res,
              200,
              `{"download_urls": {"adapter_model.safetensors": "${publicUrl}/files/`,
              "application/json",
            );
        }
      default:
        break;
    }

    const variants: Record<ArtifactFileName, string> = {
      "adapter_model.safetensors": "",
      "adapter_config.json": "",
      "training_args.json": "",
    };
    if (fault === "bad_safetensors_header") {
      variants["adapter_model.safetensors"] =
        spec.faultVariant === "not_json" ? "not_json" : "length_beyond_file";
    }
    if (fault === "invalid_json") {
      variants[
        spec.faultFile === "training_args.json" ? "training_args.json" : "adapter_config.json"
      ] = "invalid_json";
    }

    const downloadUrls: Record<string, string> = {};
    for (const name of ARTIFACT_FILE_NAMES)
      downloadUrls[name] = fileUrl(jobId, name, variants[name]);
    if (fault === "path_traversal") {
      for (const name of PATH_TRAVERSAL_NAMES) downloadUrls[name] = fileUrl(jobId, name, "probe");
    }

    const body: Record<string, unknown> = {
      download_urls: downloadUrls,
      model_metadata: { base_model: spec.baseModel, adapter_type: "lora" },
    };
    if (spec.includeChecksums || fault === "wrong_checksum") {
      const checksums: Record<string, string> = {};
      if (spec.includeChecksums) {
        for (const name of ARTIFACT_FILE_NAMES)
          checksums[name] = await checksumOf(jobId, spec, name, variants[name]);
      }
      if (fault === "wrong_checksum") {
        checksums[spec.faultFile] = createHash("sha256")
          .update(`wrong checksum for ${jobId}/${spec.faultFile}`)
          .digest("hex");
      }
      body.checksums = checksums;
    }
    if (res.destroyed) return;
    sendJson(res, 200, body);
  };

  // -------------------------------------------------------------------------------------------
  // GET /files/{id}/{name}?v=&exp=&sig=

  const handleFile = async (
    req: IncomingMessage,
    res: ServerResponse,
    jobId: string,
    fileName: string,
    query: URLSearchParams,
    log: LogContext,
  ) => {
    const variant = query.get("v") ?? "";
    const expiresAt = Number(query.get("exp"));
    const signature = query.get("sig") ?? "";
    if (
      !Number.isInteger(expiresAt) ||
      !verifyFileSignature(signingSecret, { jobId, fileName, variant, expiresAt }, signature)
    ) {
      throw new HttpError(403, { error: "invalid_signature" });
    }
    if (expiresAt < Date.now() / 1000) throw new HttpError(403, { error: "url_expired" });
    log.jobId = jobId;
    const stat = jobStats(jobId);
    stat.fileRequests[fileName] = (stat.fileRequests[fileName] ?? 0) + 1;
    const state = jobState(jobId);
    const { spec } = state;
    const file = buildFile(jobId, spec, fileName, variant);
    if (!file) throw new HttpError(404, { error: "file_not_found" });

    let fault: FaultMode | null = null;
    const slowFile =
      spec.fault === "slow" &&
      (spec.faultVariant === "file_headers" || spec.faultVariant === "file_mid_body");
    if (
      spec.fault &&
      (FILE_FAULTS.has(spec.fault) || slowFile) &&
      fileName === spec.faultFile &&
      takeFault(jobId, state)
    ) {
      fault = spec.fault;
    }
    log.fault = fault;
    if (fault === "missing_file") throw new HttpError(404, { error: "file_not_found" });
    if (
      fault === "slow" &&
      spec.faultVariant === "file_headers" &&
      !(await delay(spec.faultDelayMs, res))
    )
      return;

    const etag = `"${createHash("sha256")
      .update(`${jobId}\n${contentFingerprint(spec)}\n${fileName}\n${variant}`)
      .digest("hex")
      .slice(0, 32)}"`;
    const ifRange = req.headers["if-range"];
    const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, file.size);
    if (range === "unsatisfiable") {
      throw new HttpError(
        416,
        { error: "range_not_satisfiable" },
        { "content-range": `bytes */${file.size}` },
      );
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? file.size;
    const length = end - start;
    // How many body bytes this response will really carry, and what it promises.
    let sendBytes = length;
    let declaredLength = length;
    if (fault === "reset_mid_file" || fault === "truncated") sendBytes = Math.floor(length / 2);
    if (fault === "truncated" && spec.faultVariant === "short_length") declaredLength = sendBytes;

    const headers: Record<string, string | number> = {
      "content-type": file.contentType,
      "content-length": declaredLength,
      "accept-ranges": "bytes",
      etag,
      "cache-control": "no-store",
      "content-disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    };
    if (range) headers["content-range"] = `bytes ${start}-${end - 1}/${file.size}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === "HEAD") {
      res.end();
      return;
    }

    const pauseAt =
      fault === "slow" && spec.faultVariant === "file_mid_body" ? Math.floor(length / 2) : -1;
    let sent = 0;
    let flushed: Promise<unknown> = Promise.resolve();
    const write = (piece: Buffer): boolean => {
      sent += piece.length;
      log.bytesSent += piece.length;
      stat.bytesSent += piece.length;
      stats.bytesSent += piece.length;
      let ok = true;
      // The callback runs once the piece (and so everything before it) is handed to the kernel.
      flushed = new Promise((resolve) => {
        ok = res.write(piece, resolve);
      });
      return ok;
    };
    for (const chunk of file.chunks(start, start + sendBytes)) {
      if (res.destroyed) return;
      let piece = chunk;
      if (pauseAt >= 0 && sent < pauseAt && sent + piece.length > pauseAt) {
        const head = pauseAt - sent;
        write(piece.subarray(0, head));
        piece = piece.subarray(head);
        if (!(await delay(spec.faultDelayMs, res))) return;
      }
      if (!write(piece) && !(await drained(res))) return;
    }
    if (fault === "reset_mid_file" || (fault === "truncated" && declaredLength !== sendBytes)) {
      await Promise.race([flushed, new Promise((resolve) => res.once("close", resolve))]);
      if (fault === "reset_mid_file") {
        // Cut the connection with an RST: the client sees ECONNRESET mid-body.
        res.socket?.resetAndDestroy();
      } else {
        // Promised the whole file, sent half: close cleanly (FIN); the client sees a short body.
        res.socket?.end();
      }
      return;
    }
    res.end();
  };

  // -------------------------------------------------------------------------------------------
  // /_control

  const describeJob = (jobId: string) => {
    const state = jobs.get(jobId);
    const spec = state?.spec ?? resolveJobSpec();
    return {
      id: jobId,
      registered: Boolean(state),
      spec,
      faultsLeft: state ? (Number.isFinite(state.faultsLeft) ? state.faultsLeft : null) : 0,
      fileSizes: fileSizesOf(jobId, spec),
    };
  };

  const fileSizesOf = (jobId: string, spec: JobSpec): Record<ArtifactFileName, number> => {
    const sizes = {} as Record<ArtifactFileName, number>;
    for (const name of ARTIFACT_FILE_NAMES)
      sizes[name] = buildFile(jobId, spec, name, "")?.size ?? 0;
    return sizes;
  };

  const register = (jobId: string, spec: JobSpec) => {
    forgetChecksums(jobId);
    jobs.set(jobId, {
      spec,
      faultsLeft: spec.fault ? (spec.faultCount ?? Number.POSITIVE_INFINITY) : 0,
    });
  };

  const handleControl = async (
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    log: LogContext,
  ) => {
    const [, resource, rawId] = segments;
    if (resource === "stats" && segments.length === 2) {
      if (req.method === "GET") return sendJson(res, 200, stats);
      if (req.method === "DELETE") {
        stats = emptyStats();
        res.writeHead(204).end();
        return;
      }
      throw new HttpError(405, { error: "method_not_allowed" });
    }
    if (resource === "jobs" && rawId !== undefined && segments.length === 3) {
      const jobId = externalJobIdSchema.safeParse(rawId);
      if (!jobId.success) throw new HttpError(400, { error: "invalid_job_id" });
      log.jobId = jobId.data;
      if (req.method === "PUT") {
        register(jobId.data, parseSpec(await readBody(req)));
        return sendJson(res, 200, describeJob(jobId.data));
      }
      if (req.method === "GET") return sendJson(res, 200, describeJob(jobId.data));
      if (req.method === "DELETE") {
        jobs.delete(jobId.data);
        forgetChecksums(jobId.data);
        res.writeHead(204).end();
        return;
      }
      throw new HttpError(405, { error: "method_not_allowed" });
    }
    throw new HttpError(404, { error: "not_found" });
  };

  // -------------------------------------------------------------------------------------------

  interface LogContext {
    route: SimRoute;
    jobId: string | null;
    fault: FaultMode | null;
    bytesSent: number;
  }

  const server = createServer((req, res) => {
    const startedAt = performance.now();
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const log: LogContext = { route: "unknown", jobId: null, fault: null, bytesSent: 0 };
    // Counted on arrival, so a client that has read its response always sees it in stats().
    stats.requests += 1;
    res.once("close", () => {
      options.onLog?.({
        level: res.statusCode >= 500 || !res.writableFinished ? "warn" : "info",
        msg: "request",
        method: req.method ?? "",
        route: log.route,
        path: url.pathname,
        jobId: log.jobId,
        status: res.statusCode,
        bytesSent: log.bytesSent,
        durationMs: Math.round(performance.now() - startedAt),
        fault: log.fault,
        aborted: !res.writableFinished,
      });
    });

    const handle = async () => {
      let segments: string[];
      try {
        segments = url.pathname
          .split("/")
          .slice(1)
          .map((segment) => decodeURIComponent(segment));
      } catch {
        throw new HttpError(400, { error: "bad_path" });
      }
      const readOnly = req.method === "GET" || req.method === "HEAD";
      const route: SimRoute =
        segments[0] === "training" &&
        segments[1] === "artifacts" &&
        segments.length === 3 &&
        readOnly
          ? "listing"
          : segments[0] === "files" && (segments.length === 3 || segments.length === 2) && readOnly
            ? "file"
            : segments[0] === "_control"
              ? "control"
              : segments[0] === "healthz" && segments.length === 1
                ? "health"
                : "unknown";
      log.route = route;
      stats.routes[route] += 1;
      switch (route) {
        case "listing":
          return handleListing(req, res, segments[2] ?? "", log);
        case "file":
          return handleFile(
            req,
            res,
            segments[1] ?? "",
            segments[2] ?? url.searchParams.get("name") ?? "",
            url.searchParams,
            log,
          );
        case "control":
          return handleControl(req, res, segments, log);
        case "health":
          return sendJson(res, 200, { ok: true });
        default:
          throw new HttpError(404, { error: "not_found" });
      }
    };

    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(res, error.status, error.body, error.headers);
      } else {
        sendJson(res, 500, {
          error: "internal_error",
          message: String((error as Error)?.message ?? error),
        });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost =
    host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "");

  return {
    url,
    port,
    registerJob(externalJobId, spec = {}) {
      const id = externalJobIdSchema.parse(externalJobId);
      try {
        register(id, parseSpec(spec));
      } catch (error) {
        if (error instanceof HttpError)
          throw new Error(`invalid job spec for ${id}: ${JSON.stringify(error.body.issues)}`);
        throw error;
      }
    },
    unregisterJob(externalJobId) {
      jobs.delete(externalJobId);
      forgetChecksums(externalJobId);
    },
    async checksums(externalJobId) {
      const { spec } = jobState(externalJobId);
      const result = {} as Record<ArtifactFileName, string>;
      for (const name of ARTIFACT_FILE_NAMES)
        result[name] = await checksumOf(externalJobId, spec, name, "");
      return result;
    },
    fileSizes(externalJobId) {
      return fileSizesOf(externalJobId, jobState(externalJobId).spec);
    },
    stats: () => structuredClone(stats),
    resetStats() {
      stats = emptyStats();
    },
    close() {
      shutdown.abort();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
