/**
 * `pnpm --filter @mad/ingester start`: validates the environment, migrates (or starts the embedded
 * Postgres), starts pg-boss and works ingestion jobs until SIGTERM/SIGINT.
 */
import { createDb, resolveDatabase } from "@mad/db";
import { createLogger } from "@mad/logger";
import { databaseAndStorageChecks } from "@mad/readiness";
import { createStorage, StorageConfigError } from "@mad/storage";
import { webhookUrlPolicyOf } from "@mad/webhooks";

import { createClusterClient } from "./cluster";
import { readIngesterEnv, storageConfigFromEnv } from "./env";
import { startOpsServer } from "./ops/http-server";
import { createIngesterMetrics } from "./ops/metrics";
import { INGEST_QUEUE, startIngester } from "./queue/worker";

async function main(): Promise<void> {
  const env = readIngesterEnv();
  const logger = createLogger({ name: "ingester", level: env.LOG_LEVEL });
  const storage = createStorage(storageConfigFromEnv(env));
  // A wrong key or bucket would otherwise fail silently (the anon key lists [] and deletes
  // nothing); the error names the variable to fix, never its value.
  await storage.verifyAccess();
  const database = await resolveDatabase({
    onLog: (line) => logger.debug({ postgres: line }, "embedded postgres"),
  });
  const metricsClient = createDb(database.url, {
    max: 1,
    applicationName: "mad-ingester-metrics",
    poolMode: database.poolMode,
  });
  const metrics = createIngesterMetrics({ sql: metricsClient.sql, queue: INGEST_QUEUE });
  const cluster = createClusterClient({
    baseUrl: env.GPU_CLUSTER_API_URL,
    apiKey: env.GPU_CLUSTER_API_KEY,
    requestTimeoutMs: env.CLUSTER_REQUEST_TIMEOUT_MS,
    idleTimeoutMs: env.CLUSTER_IDLE_TIMEOUT_MS,
    retries: env.CLUSTER_RETRIES,
    retryBaseDelayMs: env.CLUSTER_RETRY_BASE_MS,
    retryMaxDelayMs: env.CLUSTER_RETRY_MAX_MS,
    notReadyWindowMs: env.CLUSTER_NOT_READY_WINDOW_SECONDS * 1_000,
    onRetry: (what, error, attempt, delayMs) => {
      metrics.clusterRetry(error.kind);
      logger.warn(
        {
          request: what,
          kind: error.kind,
          err: error.detail,
          attempt_number: attempt,
          delay_ms: delayMs,
        },
        "GPU cluster request failed; retrying",
      );
    },
  });
  const ingester = await startIngester({
    databaseUrl: database.url,
    poolMode: database.poolMode,
    storage,
    cluster,
    logger,
    concurrency: env.INGESTER_CONCURRENCY,
    retryLimit: env.INGEST_RETRY_LIMIT,
    retryDelaySeconds: env.INGEST_RETRY_DELAY_SECONDS,
    retryDelayMaxSeconds: env.INGEST_RETRY_DELAY_MAX_SECONDS,
    heartbeatSeconds: env.INGEST_HEARTBEAT_SECONDS,
    expireInSeconds: env.INGEST_EXPIRE_SECONDS,
    monitorIntervalSeconds: env.PGBOSS_MONITOR_INTERVAL_SECONDS,
    sweepCron: env.INGEST_SWEEP_CRON,
    staleUploadSeconds: env.INGEST_STALE_UPLOAD_SECONDS,
    webhooks: {
      policy: webhookUrlPolicyOf(env),
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      publicBaseUrl: env.PUBLIC_BASE_URL,
    },
    metrics,
  });
  const ops =
    env.INGESTER_HTTP_PORT === undefined
      ? null
      : await startOpsServer({
          port: env.INGESTER_HTTP_PORT,
          host: env.INGESTER_HTTP_HOST,
          registry: metrics.registry,
          readiness: databaseAndStorageChecks({
            pingDatabase: () => metricsClient.sql`select 1`,
            storage,
          }),
        });
  logger.info(
    { database: database.source, storage: storage.backend, pid: process.pid, ops: ops?.url },
    "ingester ready",
  );

  // On SIGTERM/SIGINT running jobs get the grace period, then an embedded Postgres (if this
  // process started one) is stopped.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing running jobs");
    // Draining: readiness says so at once; running jobs get the grace period, the rest are
    // handed back to pg-boss for another process.
    ops?.markDraining();
    void ingester
      .stop(env.SHUTDOWN_GRACE_SECONDS)
      .then(() => Promise.all([ops?.close(), metricsClient.close()]))
      .then(() => database.stop())
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(
          { err_message: error instanceof Error ? error.message : String(error) },
          "unclean stop",
        );
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  // The configuration error lists variable names only, never values.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    error instanceof StorageConfigError
      ? `Invalid ingester configuration:\n  ${message}\n`
      : `${message}\n`,
  );
  process.exit(1);
});
