/**
 * The ingestion of one training job (SPEC §4): re-check the job, mark its artifact `processing`,
 * copy and verify every file, drop leftovers of older attempts, score the model, then record
 * everything, link the job and notify the user in ONE transaction. Safe to run again at any point:
 * the artifact id is derived from the job id, so every attempt writes the same paths and rows.
 */
import {
  type ArtifactConfiguration,
  type Database,
  datasets,
  metricsPoints,
  type QualityMetricsRecord,
  type Sql,
  type TrainingSummary,
  trainingJobs,
} from "@mad/db";
import { calculateQualityMetrics } from "@mad/quality";
import type { ArtifactStorage } from "@mad/storage";
import { asc, eq } from "drizzle-orm";

import type { ClusterClient } from "./cluster-client";
import { type CopiedFile, copyArtifactFiles, isPermanentCopyError } from "./copy";
import type { Logger } from "@mad/logger";
import { artifactName, artifactReadyMessage } from "./quality-message";
import { artifactIdForJob } from "./uuid-v5";
import { REQUIRED_FILES } from "./validate";

export interface IngestDeps {
  db: Database;
  sql: Sql;
  storage: ArtifactStorage;
  cluster: ClusterClient;
  logger: Logger;
  /** Extra attempts per file after a transfer that broke off. */
  fileRetries?: number;
  /** How often bytes_copied is written while a copy runs. */
  progressIntervalMs?: number;
}

export interface IngestAttempt {
  signal?: AbortSignal;
  /** When true, a failure is final: the artifact becomes `failed` instead of waiting for a retry. */
  isLastAttempt: boolean;
}

export type IngestOutcome =
  | { status: "stored"; artifactId: string }
  | { status: "skipped"; artifactId: string; reason: string }
  | { status: "failed"; artifactId: string; reason: string };

/** A failure that another attempt cannot fix (refused key, invalid file, unsafe listing). */
export class PermanentIngestionError extends Error {
  override readonly name = "PermanentIngestionError";
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentIngestionError || isPermanentCopyError(error);
}

/**
 * Runs one attempt. Resolves when the job needs nothing more (stored, skipped, or failed for
 * good); throws when the attempt failed but a later one may succeed (pg-boss retries it).
 */
export async function ingestTrainingJob(
  deps: IngestDeps,
  trainingJobId: string,
  attempt: IngestAttempt,
): Promise<IngestOutcome> {
  const artifactId = artifactIdForJob(trainingJobId);
  const log = deps.logger.child({ training_job_id: trainingJobId, artifact_id: artifactId });
  let started = false;
  try {
    const prepared = await prepare(deps, trainingJobId, artifactId);
    if (prepared.status === "skip") {
      log.info({ reason: prepared.reason }, "nothing to ingest");
      return { status: "skipped", artifactId, reason: prepared.reason };
    }
    started = true;
    log.info(
      { external_job_id: prepared.job.externalJobId, attempt_number: prepared.attempts },
      "ingestion started",
    );
    const recorded = await copyAndRecord(deps, prepared, artifactId, attempt.signal, log);
    if (recorded === "deleted") {
      log.info("the model was deleted while it was being ingested; its files are removed");
      return { status: "skipped", artifactId, reason: "the user deleted this model" };
    }
    if (recorded === "job-changed") {
      log.info("the training job is no longer completed; this attempt's artifact is withdrawn");
      return { status: "skipped", artifactId, reason: "the training job is no longer completed" };
    }
    if (recorded === "superseded") {
      log.warn(
        "the training job was linked to another artifact; this attempt's artifact is withdrawn",
      );
      return { status: "skipped", artifactId, reason: "the training job has another artifact" };
    }
    if (recorded === "already-linked") {
      log.info("another attempt stored this artifact first");
      return { status: "skipped", artifactId, reason: "stored by another attempt" };
    }
    log.info("artifact stored");
    return { status: "stored", artifactId };
  } catch (error) {
    const reason = readableReason(error, deps.cluster);
    const permanent = isPermanent(error);
    if (!started || attempt.signal?.aborted) {
      // Nothing visible was changed for this attempt (or pg-boss took the job back): let pg-boss
      // retry it; the sweep covers a job that was never marked processing.
      log.warn({ err_message: reason }, "ingestion attempt aborted before it started");
      throw new Error(reason);
    }
    if (permanent || attempt.isLastAttempt) {
      await markFailed(deps, artifactId, trainingJobId, reason);
      log.error({ err_message: reason, permanent }, "ingestion failed");
      return { status: "failed", artifactId, reason };
    }
    await deps.sql`
      update model_artifacts set failure_reason = ${reason}, updated_at = now()
       where id = ${artifactId} and status = 'processing'`;
    log.warn({ err_message: reason }, "ingestion attempt failed; it will be retried");
    throw new Error(reason);
  }
}

type PreparedJob = Awaited<ReturnType<typeof loadJob>> & object;

async function loadJob(db: Database, trainingJobId: string) {
  const [row] = await db
    .select({ job: trainingJobs, datasetName: datasets.name })
    .from(trainingJobs)
    .innerJoin(datasets, eq(datasets.id, trainingJobs.datasetId))
    .where(eq(trainingJobs.id, trainingJobId));
  return row;
}

async function prepare(
  deps: IngestDeps,
  trainingJobId: string,
  artifactId: string,
): Promise<
  | { status: "skip"; reason: string }
  | {
      status: "go";
      job: NonNullable<PreparedJob>["job"];
      datasetName: string;
      name: string;
      attempts: number;
    }
> {
  const row = await loadJob(deps.db, trainingJobId);
  if (!row) return { status: "skip", reason: "training job does not exist" };
  const { job } = row;
  if (job.status !== "completed")
    return { status: "skip", reason: `training job is ${job.status}` };
  if (job.artifactId !== null)
    return { status: "skip", reason: "training job already has its artifact" };
  if (!job.externalJobId) return { status: "skip", reason: "training job has no external_job_id" };

  const name = artifactName(row.datasetName, job.completedAt ?? new Date());
  const configuration: ArtifactConfiguration = {
    preset_id: job.presetId,
    hyperparameters: job.hyperparameters,
    gpu_config: job.gpuConfig ?? null,
  };
  // A `failed` artifact waits for retry_artifact_ingestion(), which sets it back to processing
  // before enqueuing; a stale queue entry must not revive it.
  const upserted = await deps.sql.begin(async (tx) => {
    // Attempts on one job overlap (a lapsed heartbeat, a manual retry): the job row's lock makes
    // their upserts take turns. Without it, the loser of two concurrent inserts trips the
    // unique index on job_id, which ON CONFLICT (id) does not arbitrate.
    await tx`select 1 from training_jobs where id = ${job.id} for update`;
    return tx<{ ingestion_attempts: number }[]>`
    insert into model_artifacts
      (id, user_id, job_id, dataset_id, name, version, status, configuration, ingestion_attempts, bytes_copied, updated_at)
    values
      (${artifactId}, ${job.userId}, ${job.id}, ${job.datasetId}, ${name}, '1.0.0', 'processing',
       ${JSON.stringify(configuration)}::jsonb, 1, 0, now())
    on conflict (id) do update
      set name = excluded.name,
          configuration = excluded.configuration,
          ingestion_attempts = model_artifacts.ingestion_attempts + 1,
          bytes_copied = 0,
          bytes_total = null,
          updated_at = now()
      where model_artifacts.status = 'processing' and model_artifacts.deleted_at is null
    returning ingestion_attempts`;
  });
  if (upserted.length === 0) {
    const [existing] = await deps.sql<{ status: string; deleted: boolean }[]>`
      select status, deleted_at is not null as deleted from model_artifacts where id = ${artifactId}`;
    if (existing?.deleted) return { status: "skip", reason: "the user deleted this model" };
    return { status: "skip", reason: `artifact is already ${existing?.status ?? "gone"}` };
  }
  return {
    status: "go",
    job,
    datasetName: row.datasetName,
    name,
    attempts: upserted[0]!.ingestion_attempts,
  };
}

type RecordOutcome = "stored" | "already-linked" | "deleted" | "job-changed" | "superseded";

async function copyAndRecord(
  deps: IngestDeps,
  prepared: Extract<Awaited<ReturnType<typeof prepare>>, { status: "go" }>,
  artifactId: string,
  signal: AbortSignal | undefined,
  log: Logger,
): Promise<RecordOutcome> {
  const { job, name } = prepared;
  const listing = await deps.cluster.getArtifactListing(job.externalJobId!, signal);
  const names = new Set(listing.files.map((file) => file.name));
  const missing = REQUIRED_FILES.filter((required) => !names.has(required));
  if (missing.length > 0) {
    throw new PermanentIngestionError(`the GPU cluster's listing has no ${missing.join(" or ")}`);
  }

  const folder = `${job.userId}/${artifactId}/`;
  const progress = progressWriter(deps, artifactId);
  let copied: CopiedFile[];
  try {
    copied = await copyArtifactFiles({
      cluster: deps.cluster,
      storage: deps.storage,
      folder,
      files: listing.files,
      fileRetries: deps.fileRetries ?? 3,
      ...(signal ? { signal } : {}),
      onProgress: (copied, total) => progress.report(copied, total),
      onFileAttemptFailed: (file, attemptNumber, error) =>
        log.warn(
          { file, attempt_number: attemptNumber, err_message: deps.cluster.redact(error.message) },
          "file transfer failed; retrying",
        ),
    });
  } finally {
    await progress.stop();
  }

  // Leftovers of older attempts (a file the cluster no longer lists) must not linger.
  const keep = new Set(copied.map((file) => file.storage_path));
  const orphans = (await deps.storage.list(folder))
    .map((object) => object.path)
    .filter((path) => !keep.has(path));
  if (orphans.length > 0) {
    await deps.storage.remove(orphans);
    log.info({ removed: orphans.length }, "removed leftover objects of earlier attempts");
  }

  const points = await deps.db
    .select({
      training_loss: metricsPoints.trainingLoss,
      validation_loss: metricsPoints.validationLoss,
      step: metricsPoints.step,
      epoch: metricsPoints.epoch,
    })
    .from(metricsPoints)
    .where(eq(metricsPoints.jobId, job.id))
    .orderBy(asc(metricsPoints.step));
  const quality: QualityMetricsRecord = calculateQualityMetrics(points);
  const lastPoint = points.at(-1);
  const durationHours =
    job.startedAt && job.completedAt
      ? Math.round(((job.completedAt.getTime() - job.startedAt.getTime()) / 3_600_000) * 100) / 100
      : null;
  const epochsFromHyperparameters = job.hyperparameters.epochs;
  const summary: TrainingSummary = {
    epochs_completed:
      job.currentEpoch ??
      (typeof epochsFromHyperparameters === "number" ? epochsFromHyperparameters : null) ??
      (lastPoint?.epoch == null ? null : Math.round(lastPoint.epoch)),
    total_steps: job.currentStep ?? lastPoint?.step ?? null,
    final_loss: quality.final_training_loss,
    training_duration_hours: durationHours,
    total_cost: job.finalCost ?? null,
  };
  const totalSize = copied.reduce((sum, file) => sum + file.size_bytes, 0);
  const artifacts = Object.fromEntries(copied.map((file) => [file.name, file.storage_path]));

  const outcome = await deps.sql.begin(async (tx): Promise<RecordOutcome> => {
    // The job row lock orders this commit against any concurrent attempt on the same job.
    const [current] = await tx<{ status: string; artifact_id: string | null }[]>`
      select status, artifact_id from training_jobs where id = ${job.id} for update`;
    // A parallel attempt (a worker whose heartbeat lapsed but which still ran) got here first:
    // its result is this one's, so there is nothing left to do.
    if (current?.artifact_id === artifactId) return "already-linked";
    if (!current) throw new PermanentIngestionError("the training job no longer exists");
    if (current.status !== "completed" || current.artifact_id !== null) {
      // The job was set back (it is not finished after all) or another service linked it to an
      // artifact of its own: this attempt's artifact must not exist. The trigger enqueues the
      // job again if it becomes completed and unlinked once more.
      await tx`
          delete from model_artifacts
           where id = ${artifactId} and status = 'processing' and deleted_at is null`;
      return current.status !== "completed" ? "job-changed" : "superseded";
    }
    const stored = await tx`
      update model_artifacts
         set status = 'stored',
             quality_metrics = ${JSON.stringify(quality)}::jsonb,
             training_summary = ${JSON.stringify(summary)}::jsonb,
             model_metadata = ${JSON.stringify(listing.modelMetadata)}::jsonb,
             artifacts = ${JSON.stringify(artifacts)}::jsonb,
             files = ${JSON.stringify(copied)}::jsonb,
             total_size_bytes = ${totalSize},
             bytes_copied = ${totalSize},
             bytes_total = ${totalSize},
             failure_reason = null,
             stored_at = now(),
             updated_at = now()
       where id = ${artifactId} and status = 'processing' and deleted_at is null
       returning id`;
    if (stored.length === 0) {
      const [row] = await tx<{ deleted: boolean }[]>`
        select deleted_at is not null as deleted from model_artifacts where id = ${artifactId}`;
      // Deleted by its owner while the files were being copied: nothing to link or announce.
      if (row?.deleted) return "deleted";
      throw new Error("artifact is no longer processing");
    }
    await tx`update training_jobs set artifact_id = ${artifactId} where id = ${job.id} and artifact_id is null`;
    await tx`
      insert into notifications (user_id, type, title, message, priority, action_url, metadata)
      values (${job.userId}, 'artifact_ready', 'Model Ready for Download', ${artifactReadyMessage(name, quality)},
              'high', ${`/models/${artifactId}`}, ${JSON.stringify({ artifact_id: artifactId, job_id: job.id })}::jsonb)
      on conflict ((metadata ->> 'job_id')) where type = 'artifact_ready' do nothing`;
    return "stored";
  });
  if (outcome === "deleted" || outcome === "job-changed" || outcome === "superseded") {
    // A delete removed what was there when it ran; these were written after it.
    await deps.storage.remove(copied.map((file) => file.storage_path));
  }
  return outcome;
}

/**
 * Writes bytes_copied / bytes_total at most every `progressIntervalMs`, never two writes at once,
 * and the latest value always lands (a trailing write when reports stop, e.g. a stalled transfer).
 */
function progressWriter(deps: IngestDeps, artifactId: string) {
  const interval = deps.progressIntervalMs ?? 500;
  let latest: { copied: number; total: number | null } | null = null;
  let lastWrite = 0;
  let writing: Promise<void> | null = null;
  let trailing: NodeJS.Timeout | null = null;
  let stopped = false;
  const write = async () => {
    const value = latest;
    latest = null;
    if (!value) return;
    lastWrite = Date.now();
    await deps.sql`
      update model_artifacts set bytes_copied = ${value.copied}, bytes_total = ${value.total}, updated_at = now()
       where id = ${artifactId} and status = 'processing'`.catch(() => {
      // Progress is advisory; the copy goes on when the write fails.
    });
  };
  const tick = () => {
    if (stopped || writing || !latest) return;
    const wait = lastWrite + interval - Date.now();
    if (wait > 0) {
      trailing ??= setTimeout(() => {
        trailing = null;
        tick();
      }, wait);
      return;
    }
    writing = write().finally(() => {
      writing = null;
      tick();
    });
  };
  return {
    report(copied: number, total: number | null) {
      latest = { copied, total };
      tick();
    },
    async stop() {
      stopped = true;
      if (trailing) clearTimeout(trailing);
      await writing;
    },
  };
}

async function markFailed(
  deps: IngestDeps,
  artifactId: string,
  trainingJobId: string,
  reason: string,
): Promise<void> {
  await deps.sql.begin(async (tx) => {
    const failed = await tx<{ user_id: string; name: string }[]>`
      update model_artifacts set status = 'failed', failure_reason = ${reason}, updated_at = now()
       where id = ${artifactId} and status = 'processing'
       returning user_id, name`;
    // One notice per failure (the transition processing → failed happens once per episode).
    const row = failed[0];
    if (!row) return;
    await tx`
      insert into notifications (user_id, type, title, message, priority, action_url, metadata)
      values (${row.user_id}, 'ingestion_failed', 'Model could not be stored',
              ${`Your model '${row.name}' could not be stored: ${reason}`}, 'normal',
              ${`/models/${artifactId}`}, ${JSON.stringify({ artifact_id: artifactId, job_id: trainingJobId })}::jsonb)`;
  });
}

function readableReason(error: unknown, cluster: ClusterClient): string {
  const message = error instanceof Error ? error.message : String(error);
  return cluster.redact(message).slice(0, 1000);
}
