// The simulator's HTTP server: listens, routes each request to its handler, turns errors into
// JSON answers and writes one log entry per request.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";

import { z } from "zod";

import { HttpError, sendJson } from "./http";
import { type RequestLog, type SimContext } from "./routes/context";
import { handleControl } from "./routes/control";
import { handleFile } from "./routes/file";
import { handleListing } from "./routes/listing";
import {
  type ArtifactFileName,
  externalJobIdSchema,
  type FaultMode,
  type JobSpecInput,
} from "./spec";
import { InvalidJobSpecError, parseJobSpec, type SimRoute, SimState, type SimStats } from "./state";

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
  /** Stops the server; open connections (stalled or hanging ones too) are destroyed. */
  close(): Promise<void>;
}

/** The route table: which handler a path (split into decoded segments) and method go to. */
function routeOf(segments: string[], method: string | undefined): SimRoute {
  const readOnly = method === "GET" || method === "HEAD";
  const [first, second] = segments;
  if (first === "training" && second === "artifacts" && segments.length === 3 && readOnly)
    return "listing";
  if (first === "files" && (segments.length === 3 || segments.length === 2) && readOnly)
    return "file";
  if (first === "_control") return "control";
  if (first === "healthz" && segments.length === 1) return "health";
  return "unknown";
}

function dispatch(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  log: RequestLog,
): Promise<void> | void {
  let segments: string[];
  try {
    segments = url.pathname
      .split("/")
      .slice(1)
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(400, { error: "bad_path" });
  }
  const route = routeOf(segments, req.method);
  log.route = route;
  ctx.state.stats.routes[route] += 1;
  switch (route) {
    case "listing":
      return handleListing(ctx, req, res, segments[2] ?? "", log);
    case "file":
      return handleFile(
        ctx,
        req,
        res,
        {
          jobId: segments[1] ?? "",
          fileName: segments[2] ?? url.searchParams.get("name") ?? "",
          query: url.searchParams,
        },
        log,
      );
    case "control":
      return handleControl(ctx, req, res, segments, log);
    case "health":
      return sendJson(res, 200, { ok: true });
    default:
      throw new HttpError(404, { error: "not_found" });
  }
}

function answerError(res: ServerResponse, error: unknown): void {
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
}

export async function startGpuClusterSim(options: GpuClusterSimOptions): Promise<GpuClusterSim> {
  const shutdown = new AbortController();
  const state = new SimState(shutdown.signal);
  const ctx: SimContext = {
    state,
    apiKey: z.string().min(1, "apiKey must not be empty").parse(options.apiKey),
    signingSecret: options.signingSecret ? Buffer.from(options.signingSecret) : randomBytes(32),
    urlTtlSeconds: options.urlTtlSeconds ?? 3600,
    publicUrl: "",
    shutdown: shutdown.signal,
  };
  const host = options.host ?? "127.0.0.1";

  const server = createServer((req, res) => {
    const startedAt = performance.now();
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const log: RequestLog = { route: "unknown", jobId: null, fault: null, bytesSent: 0 };
    // Counted on arrival, so a client that has read its response always sees it in stats().
    state.stats.requests += 1;
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
    (async () => dispatch(ctx, req, res, url, log))().catch((error: unknown) =>
      answerError(res, error),
    );
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
  ctx.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "");

  return {
    url,
    port,
    registerJob(externalJobId, spec = {}) {
      const id = externalJobIdSchema.parse(externalJobId);
      try {
        state.register(id, parseJobSpec(spec));
      } catch (error) {
        if (error instanceof InvalidJobSpecError)
          throw new Error(`invalid job spec for ${id}: ${JSON.stringify(error.issues)}`);
        throw error;
      }
    },
    unregisterJob: (externalJobId) => state.unregister(externalJobId),
    checksums: (externalJobId) => state.checksums(externalJobId),
    fileSizes: (externalJobId) => state.fileSizes(externalJobId),
    stats: () => structuredClone(state.stats),
    resetStats: () => state.resetStats(),
    close() {
      shutdown.abort();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
