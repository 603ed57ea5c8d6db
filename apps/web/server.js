// Production HTTP server of the dashboard: the Remix build behind Express, optionally one
// process per core (WEB_CONCURRENCY). Used instead of `remix-serve` (docs/decisions/0011):
// remix-serve insists on a Vite dev server whenever NODE_ENV=development, and cannot use more
// than one core.
import cluster from "node:cluster";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

// The logger, the env rules and the HTTP guards are TypeScript sources (docs/decisions/0002),
// compiled by `pnpm build` next to the Remix build: the server runs with plain Node.
const {
  createLogger,
  redactUrl,
  REQUEST_ID_HEADER,
  requestIdFrom,
  readListenEnv,
  readWebEnv,
  bodyLimit,
  refuseMalformedPaths,
  strictTransportSecurity,
  refuseCrossSitePosts,
  metricsRegistry,
  observeRequest,
} = await import("./build/server-support.mjs");
const {
  PORT: port,
  HOST: host,
  WEB_CONCURRENCY: workers,
  WEB_METRICS_PORT: metricsPort,
  WEB_SHUTDOWN_GRACE_SECONDS: graceSeconds,
} = readListenEnv();

const logger = createLogger({ name: "web" });
let env;
try {
  env = readWebEnv();
} catch (error) {
  logger.fatal(`The dashboard cannot start. ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

if (cluster.isPrimary && workers > 1) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  // A worker that exits before it ever listened failed its start-up checks (and said why): the
  // others would too, so stop instead of restarting it forever.
  const listened = new Set();
  let failedStart = false;
  cluster.on("listening", (worker) => listened.add(worker.id));
  cluster.on("exit", (worker, code) => {
    if (failedStart) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    if (stopping) return;
    if (!listened.has(worker.id)) {
      stopping = failedStart = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill("SIGTERM");
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    logger.warn({ pid: worker.process.pid, code }, "dashboard worker exited; starting another");
    cluster.fork();
  });
  // One /metrics for all workers: the primary asks each for its registry and sums them.
  if (metricsPort !== undefined) {
    const { AggregatorRegistry } = await import("prom-client");
    const aggregator = new AggregatorRegistry();
    serveMetrics(metricsPort, async () => ({
      text: await aggregator.clusterMetrics(),
      contentType: aggregator.contentType,
    }));
  }
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const build = await import("./build/server/index.js");
  // Configuration, database and storage checked before the port opens (a failure exits 1 with
  // a message that names the setting).
  await build.entry.module.serverContextReady;
  const clientDir = fileURLToPath(new URL("./build/client", import.meta.url));
  const app = express();
  app.disable("x-powered-by");
  // One line per request, with the id that the pages and the API log under too. The URL goes
  // through redactUrl: signed download links carry their token in the query.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.get(REQUEST_ID_HEADER));
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once("finish", () => {
      const fields = {
        requestId,
        method: req.method,
        path: redactUrl(req.originalUrl),
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      };
      observeRequest(req.method, req.path, res.statusCode, fields.durationMs / 1_000);
      // A refusal (e.g. a cross-site post) is a warning, still one line for the request.
      const refusal = res.locals.refusal;
      if (refusal) logger.warn({ ...fields, refused: refusal }, "request refused");
      else logger.info(fields, "request");
    });
    next();
  });
  app.use(strictTransportSecurity(env.NODE_ENV === "production"));
  // `/%E0` and friends: a short 400 instead of a router error (and its stack) further in.
  app.use(refuseMalformedPaths());
  // Before any route reads a body: over the limit is 413 without reading it (issue 11, item 12).
  app.use(bodyLimit(env.REQUEST_BODY_LIMIT_BYTES));
  // Cross-site form posts: a 403 that says why, before Remix's own check turns them into a 500.
  app.use(
    refuseCrossSitePosts({
      publicOrigin: new URL(env.PUBLIC_BASE_URL).origin,
      exemptPathPrefixes: ["/api/trpc/"],
      // Said in the request's own log line (below): one line per refusal, no stack trace.
      onRefused: (details, response) => {
        response.locals.refusal = { reason: "cross-site form post", origin: details.origin };
      },
    }),
  );
  // gzip or brotli, whichever the client accepts; small answers (< 1 kB) go as they are.
  app.use(compression({ threshold: 1024 }));
  // Fingerprinted assets never change; everything else under build/client may.
  app.use("/assets", express.static(`${clientDir}/assets`, { immutable: true, maxAge: "1y" }));
  // The other public files (favicon, robots.txt…) are few and fixed at build time: only their
  // paths reach the static handler, so a page request costs no stat() of a missing file.
  const publicFiles = new Set(
    readdirSync(clientDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `${entry.parentPath.slice(clientDir.length)}/${entry.name}`)
      .filter((file) => !file.startsWith("/assets/")),
  );
  const servePublicFile = express.static(clientDir, { maxAge: "1h", index: false });
  app.use((req, res, next) =>
    publicFiles.has(req.path) ? servePublicFile(req, res, next) : next(),
  );
  app.all("*", createRequestHandler({ build, mode: build.mode }));

  const server = app.listen(port, host, () => {
    if (!cluster.isWorker || cluster.worker?.id === 1) {
      logger.info({ url: `http://${host}:${port}`, workers }, "dashboard listening");
    }
  });
  server.keepAliveTimeout = 65_000;
  if (metricsPort !== undefined && !cluster.isWorker) {
    const registry = metricsRegistry();
    serveMetrics(metricsPort, async () => ({
      text: await registry.metrics(),
      contentType: registry.contentType,
    }));
  }
  // Draining: no new connections, idle keep-alive ones closed, requests in flight finish; after
  // the grace period whatever is left is cut.
  let draining = false;
  const stop = (signal) => {
    if (draining) return;
    draining = true;
    logger.info({ signal, graceSeconds }, "stopping: finishing requests in flight");
    server.close(() => process.exit(0));
    build.entry.module.endLiveEvents().catch((error) => {
      logger.warn({ err: error }, "live event streams could not be ended");
    });
    // A keep-alive connection whose last request just finished would hold close() until the
    // client gives up on it: close connections as soon as they fall idle.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => {
      logger.warn("grace period over; closing the remaining connections");
      server.closeAllConnections();
      process.exit(0);
    }, graceSeconds * 1_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** Prometheus metrics on their own port, never on the public one. */
function serveMetrics(listenPort, collect) {
  const metricsApp = express();
  metricsApp.get("/metrics", (_req, res) => {
    collect().then(
      ({ text, contentType }) => res.type(contentType).send(text),
      () => res.status(500).type("text/plain").send("metrics failed\n"),
    );
  });
  metricsApp.listen(listenPort, host, () =>
    logger.info({ url: `http://${host}:${listenPort}/metrics` }, "metrics listening"),
  );
}
