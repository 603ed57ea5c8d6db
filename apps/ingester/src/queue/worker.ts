/**
 * pg-boss wiring: the ingestion queue (de-duplicated per training job, NOTIFY on insert), the
 * one-minute sweep schedule, and the workers. Jobs are created by Postgres itself (the trigger
 * and the sweep call enqueue_artifact_ingestion()); this process only works them.
 */
import { type JobWithMetadata, PgBoss } from "pg-boss";

import { createDb, type Database, type PoolMode, type Sql } from "@mad/db";
import type { Logger } from "@mad/logger";
import type { ArtifactStorage } from "@mad/storage";

import type { ClusterClient } from "../cluster";
import { type IngestOutcome, ingestTrainingJob } from "../ingest/ingest-training-job";
import type { IngesterMetrics } from "../ops/metrics";
import { deliverWebhook, type DeliveryOptions } from "../webhooks/deliver";

/** Queue names are part of the SQL contract (migration 0002 names `artifact-ingestion`). */
export const INGEST_QUEUE = "artifact-ingestion";
export const SWEEP_QUEUE = "artifact-ingestion-sweep";
/** Named by enqueue_webhook_delivery() (migration 0011, through enqueue_pgboss_job). */
export const WEBHOOK_QUEUE = "webhook-delivery";
/** Deliveries one process sends at once (WEBHOOK_CONCURRENCY); a slow receiver holds one slot. */
export const WEBHOOK_CONCURRENCY = 4;
/** pg-boss's schema; the SQL functions derive the NOTIFY channel from this exact name. */
export const PGBOSS_SCHEMA = "pgboss";

export interface IngesterOptions {
  databaseUrl: string;
  storage: ArtifactStorage;
  cluster: ClusterClient;
  logger: Logger;
  /** Jobs worked at once by this process. */
  concurrency?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryDelayMaxSeconds?: number;
  heartbeatSeconds?: number;
  expireInSeconds?: number;
  monitorIntervalSeconds?: number;
  sweepCron?: string;
  /** Extra attempts per file after a transfer that broke off. */
  fileRetries?: number;
  progressIntervalMs?: number;
  /** Polling floor; NOTIFY wakes workers sooner. */
  pollingIntervalSeconds?: number;
  /**
   * `transaction` when databaseUrl is a transaction-mode pooler: no prepared statements and no
   * LISTEN (pickup falls back to polling every `pollingIntervalSeconds`). Decision 0009.
   */
  poolMode?: PoolMode;
  /** Counts outcomes, durations and bytes (the ops server serves them). */
  metrics?: Pick<IngesterMetrics, "ingestionFinished" | "bytesCopied">;
  /**
   * Each sweep also removes storage leftovers of writers that died (a SIGKILLed worker's
   * temporary file, an abandoned resumable upload) untouched for this long. Default 900 s.
   */
  staleUploadSeconds?: number;
  /** Outbound webhooks: URL policy, timeout, page links, retry schedule (decision 0017). */
  webhooks?: DeliveryOptions & {
    /** Deliveries sent at once by this process (default 4): one slow receiver blocks one slot. */
    concurrency?: number;
    retryLimit?: number;
    retryDelaySeconds?: number;
    retryDelayMaxSeconds?: number;
  };
  /** Set false to not register the cron schedule (tests that call sweepNow themselves). */
  schedule?: boolean;
}

export interface Ingester {
  boss: PgBoss;
  db: Database;
  sql: Sql;
  /**
   * Runs the safety-net sweep now (jobs without an artifact, then storage leftovers of dead
   * writers); resolves with how many jobs it enqueued.
   */
  sweepNow(): Promise<number>;
  /** Stops taking jobs, waits up to `graceSeconds` for running ones, closes connections. */
  stop(graceSeconds?: number): Promise<void>;
}

interface IngestJobData {
  training_job_id: string;
}

export async function startIngester(options: IngesterOptions): Promise<Ingester> {
  const { logger } = options;
  const concurrency = options.concurrency ?? 2;
  const { db, sql, close } = createDb(options.databaseUrl, {
    max: concurrency + 3,
    applicationName: "mad-ingester",
    poolMode: options.poolMode,
  });
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: PGBOSS_SCHEMA,
    application_name: "mad-ingester-pgboss",
    // A connection per worker slot's fetch (ingestion and webhooks), plus LISTEN and the sweep.
    max: concurrency + (options.webhooks?.concurrency ?? WEBHOOK_CONCURRENCY) + 4,
    // LISTEN needs a session; a transaction pooler would hand the channel to someone else.
    useListenNotify: options.poolMode !== "transaction",
    monitorIntervalSeconds: options.monitorIntervalSeconds ?? 10,
    superviseIntervalSeconds: Math.max(options.monitorIntervalSeconds ?? 10, 1),
    schedule: options.schedule ?? true,
    persistWarnings: false,
  });
  boss.on("error", (error: Error) => logger.error({ err_message: error.message }, "pg-boss error"));
  boss.on("warning", (warning: { message: string }) =>
    logger.warn({ warning: warning.message }, "pg-boss warning"),
  );

  try {
    await boss.start();
    const retryDelay = options.retryDelaySeconds ?? 30;
    const queueOptions = {
      retryLimit: options.retryLimit ?? 5,
      retryDelay,
      // Backoff needs a base delay; 0 (tests) means "retry at once".
      retryBackoff: retryDelay > 0,
      ...(retryDelay > 0 ? { retryDelayMax: options.retryDelayMaxSeconds ?? 900 } : {}),
      expireInSeconds: options.expireInSeconds ?? 4 * 3_600,
      heartbeatSeconds: options.heartbeatSeconds ?? 30,
      notify: true,
    };
    // createQueue leaves an existing queue alone; updateQueue brings its settings to this
    // version's (the SQL enqueue copies them from the queue row onto every job).
    await boss.createQueue(INGEST_QUEUE, { policy: "exclusive", ...queueOptions });
    await boss.updateQueue(INGEST_QUEUE, queueOptions);
    const hooks = options.webhooks;
    const hookDelay = hooks?.retryDelaySeconds ?? 30;
    // 30 s doubling to an hour, 32 retries: the last attempt comes a little over 24 h after the
    // first (decision 0017).
    const webhookQueueOptions = {
      retryLimit: hooks?.retryLimit ?? 32,
      retryDelay: hookDelay,
      retryBackoff: hookDelay > 0,
      ...(hookDelay > 0 ? { retryDelayMax: hooks?.retryDelayMaxSeconds ?? 3_600 } : {}),
      expireInSeconds: 120,
      notify: true,
    };
    await boss.createQueue(WEBHOOK_QUEUE, { policy: "exclusive", ...webhookQueueOptions });
    await boss.updateQueue(WEBHOOK_QUEUE, webhookQueueOptions);
    await boss.createQueue(SWEEP_QUEUE, {
      policy: "exclusive",
      retryLimit: 0,
      expireInSeconds: 300,
    });
  } catch (error) {
    await boss.stop({ graceful: false, timeout: 1_000 }).catch(() => {});
    await close();
    throw error;
  }

  const staleUploadMs = (options.staleUploadSeconds ?? 900) * 1_000;
  const sweepStorage = async () => {
    try {
      const { removed } = await options.storage.sweepStale({ olderThanMs: staleUploadMs });
      if (removed > 0) logger.info({ removed }, "sweep removed uploads abandoned by dead writers");
    } catch (error) {
      // The next sweep tries again; the queue sweep must not depend on storage being up.
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "sweep could not clean up storage",
      );
    }
  };
  const sweepNow = async () => {
    const [row] = await sql<{ enqueued: number }[]>`select sweep_artifact_ingestion() as enqueued`;
    await sql`select sweep_webhook_deliveries()`;
    await sweepStorage();
    return row?.enqueued ?? 0;
  };

  const deps = {
    db,
    sql,
    storage: options.storage,
    cluster: options.cluster,
    logger,
    ...(options.fileRetries === undefined ? {} : { fileRetries: options.fileRetries }),
    ...(options.progressIntervalMs === undefined
      ? {}
      : { progressIntervalMs: options.progressIntervalMs }),
  };
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  await workInSlots(
    boss,
    INGEST_QUEUE,
    concurrency,
    pollingIntervalSeconds,
    async (jobs: JobWithMetadata<IngestJobData>[]) => {
      const outcomes: IngestOutcome[] = [];
      for (const job of jobs) {
        const trainingJobId = job.data?.training_job_id;
        if (typeof trainingJobId !== "string") {
          logger.error({ pgboss_job_id: job.id }, "ingestion job without training_job_id; dropped");
          continue;
        }
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1_000;
        let outcome: IngestOutcome;
        try {
          outcome = await ingestTrainingJob(deps, trainingJobId, {
            signal: job.signal,
            isLastAttempt: job.retryCount >= job.retryLimit,
          });
        } catch (error) {
          options.metrics?.ingestionFinished("retrying", seconds());
          throw error;
        }
        // Bytes first: a scrape that sees the stored outcome also sees its bytes.
        if (outcome.status === "stored" && options.metrics) {
          const [row] = await sql<{ bytes: string | null }[]>`
            select bytes_total::text as bytes from model_artifacts where id = ${outcome.artifactId}`;
          options.metrics.bytesCopied(Number(row?.bytes ?? 0));
        }
        options.metrics?.ingestionFinished(outcome.status, seconds());
        outcomes.push(outcome);
      }
      return outcomes;
    },
  );

  const webhooks = options.webhooks;
  // Deliveries wake on the NOTIFY that enqueue_webhook_delivery() sends in the transition's
  // transaction (decision 0017), as ingestion jobs do; the polling interval is only the backstop
  // for retries coming due. Several slots, so one receiver that takes its whole timeout does not
  // hold up everyone else's, and a slot that finished a delivery fetches again at once, so an
  // event for many endpoints (one NOTIFY wakes every slot once) drains without a polling
  // interval between deliveries.
  if (webhooks) {
    await workInSlots(
      boss,
      WEBHOOK_QUEUE,
      webhooks.concurrency ?? WEBHOOK_CONCURRENCY,
      pollingIntervalSeconds,
      async ([job]: JobWithMetadata<{ delivery_id?: string }>[]) => {
        const deliveryId = job?.data?.delivery_id;
        if (!job || typeof deliveryId !== "string") return null;
        const outcome = await deliverWebhook(sql, webhooks, deliveryId, {
          isLastAttempt: job.retryCount >= job.retryLimit,
        });
        logger.info({ delivery_id: deliveryId, outcome }, "webhook delivery settled");
        return { outcome };
      },
    );
  }

  await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
    const enqueued = await sweepNow();
    if (enqueued > 0)
      logger.info({ enqueued }, "sweep enqueued completed jobs without an artifact");
    return { enqueued };
  });
  if (options.schedule ?? true) {
    await boss.schedule(SWEEP_QUEUE, options.sweepCron ?? "* * * * *");
  }

  // Jobs completed while no ingester ran (or before pg-boss was installed) are picked up now.
  const enqueued = await sweepNow();
  logger.info({ enqueued, concurrency }, "ingester started");

  let stopped: Promise<void> | null = null;
  return {
    boss,
    db,
    sql,
    sweepNow,
    stop(graceSeconds = 30) {
      stopped ??= (async () => {
        await boss.stop({ graceful: true, timeout: graceSeconds * 1_000, close: true });
        await close();
      })();
      return stopped;
    },
  };
}

/**
 * Works `queue` one job at a time in each of `slots` registrations. One registration per slot
 * (instead of localConcurrency) so each handler knows its worker's id: a worker that just
 * finished a job asks to fetch again at once. pg-boss otherwise sleeps a polling interval after
 * every job, which would cap a backlog at one job per slot per interval.
 */
async function workInSlots<Data, Result>(
  boss: PgBoss,
  queue: string,
  slots: number,
  pollingIntervalSeconds: number,
  handle: (jobs: JobWithMetadata<Data>[]) => Promise<Result>,
): Promise<void> {
  for (let slot = 0; slot < slots; slot++) {
    let workerId: string | null = null;
    workerId = await boss.work(
      queue,
      {
        includeMetadata: true as const,
        batchSize: 1,
        pollingIntervalSeconds,
        // NOTIFY wakes workers for new jobs, but not for retries coming due: keep polling brisk.
        notifyPollingIntervalSeconds: pollingIntervalSeconds,
      },
      async (jobs: JobWithMetadata<Data>[]) => {
        try {
          return await handle(jobs);
        } finally {
          if (workerId) boss.notifyWorker(workerId);
        }
      },
    );
  }
}
