/**
 * The ingestion of one training job (SPEC §4): begin (the artifact becomes `processing`), copy and
 * verify every file, drop leftovers, score the model, then complete — record, link and notify in
 * ONE transaction. The artifact's states and the writes that go with them belong to the lifecycle
 * in @mad/db; this file only orchestrates. Safe to run again at any point: the artifact id is
 * derived from the job id, so every attempt writes the same paths and rows.
 */
import {
  type AdapterFactsRecord,
  artifactFolder,
  beginIngestion,
  completeIngestion,
  type Database,
  failIngestion,
  type ModelMetadata,
  recordAttemptFailure,
  type TrainingJob,
} from "@mad/db";
import type { Logger } from "@mad/logger";
import type { ArtifactStorage } from "@mad/storage";

import type { ClusterClient } from "../cluster";
import { type CopiedFile, copyArtifactFiles } from "../copy/copy-files";
import { collectAdapterFacts } from "./adapter-facts";
import { describeFailure } from "./failure-reason";
import { createProgressWriter } from "./progress-writer";
import { scoreTrainingJob } from "./training-summary";

export interface IngestDeps {
  db: Database;
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

/**
 * Runs one attempt. Resolves when the job needs nothing more (stored, skipped, or failed for
 * good); throws when the attempt failed but a later one may succeed (pg-boss retries it).
 */
export async function ingestTrainingJob(
  deps: IngestDeps,
  trainingJobId: string,
  attempt: IngestAttempt,
): Promise<IngestOutcome> {
  const begun = await beginIngestion(deps.db, trainingJobId);
  const { artifactId } = begun;
  const log = deps.logger.child({ training_job_id: trainingJobId, artifact_id: artifactId });
  if (begun.status === "skipped") {
    log.info({ reason: begun.reason }, "nothing to ingest");
    return { status: "skipped", artifactId, reason: begun.reason };
  }
  const { job } = begun;
  log.info(
    { external_job_id: job.externalJobId, attempt_number: begun.attempt },
    "ingestion started",
  );
  const folder = artifactFolder(job.userId, artifactId);
  try {
    const { files, modelMetadata, adapterFacts } = await copyFiles(
      deps,
      job,
      artifactId,
      attempt.signal,
      log,
    );
    const scored = await scoreTrainingJob(deps.db, job);
    const result = await completeIngestion(
      deps.db,
      { artifactId, jobId: job.id },
      { quality: scored.quality, summary: scored.summary, modelMetadata, files, adapterFacts },
    );
    if (result === "stored") {
      log.info("artifact stored");
      return { status: "stored", artifactId };
    }
    if (result === "already-linked") {
      log.info("another attempt stored this artifact first");
      return { status: "skipped", artifactId, reason: "stored by another attempt" };
    }
    // Deleted, withdrawn: what this attempt wrote must not stay behind.
    await removeFolder(deps, folder, log);
    const reasons = {
      deleted: "the user deleted this model",
      "job-changed": "the training job is no longer completed",
      superseded: "the training job has another artifact",
    } as const;
    log.info({ outcome: result }, "the artifact is withdrawn; its files are removed");
    return { status: "skipped", artifactId, reason: reasons[result] };
  } catch (error) {
    const failure = describeFailure(error, { trainingJobId, redact: deps.cluster.redact });
    if (attempt.signal?.aborted) {
      // pg-boss took the job back (shutdown, expiry): another worker goes on from here.
      log.warn({ err: failure.detail }, "ingestion attempt aborted");
      throw new Error(failure.reason);
    }
    if (failure.permanent || attempt.isLastAttempt) {
      // Failed for good: nothing of it stays in storage (a retry copies everything again).
      await removeFolder(deps, folder, log);
      await failIngestion(deps.db, artifactId, failure.reason);
      log.error(
        { err: failure.detail, reason: failure.reason, permanent: failure.permanent },
        "ingestion failed",
      );
      return { status: "failed", artifactId, reason: failure.reason };
    }
    await recordAttemptFailure(deps.db, artifactId, failure.reason);
    log.warn(
      { err: failure.detail, reason: failure.reason },
      "ingestion attempt failed; it will be retried",
    );
    throw new Error(failure.reason);
  }
}

async function copyFiles(
  deps: IngestDeps,
  job: TrainingJob,
  artifactId: string,
  signal: AbortSignal | undefined,
  log: Logger,
): Promise<{
  files: CopiedFile[];
  modelMetadata: ModelMetadata;
  adapterFacts: AdapterFactsRecord | null;
}> {
  // beginIngestion only starts jobs that have an external id.
  const listing = await deps.cluster.getArtifactListing(job.externalJobId ?? "", signal);
  const folder = artifactFolder(job.userId, artifactId);
  const progress = createProgressWriter(deps.db, artifactId, deps.progressIntervalMs ?? 500);
  const facts = collectAdapterFacts();
  let copied: CopiedFile[];
  try {
    copied = await copyArtifactFiles({
      cluster: deps.cluster,
      storage: deps.storage,
      folder,
      files: listing.files,
      fileRetries: deps.fileRetries ?? 3,
      ...(signal ? { signal } : {}),
      onProgress: (bytesCopied, total) => progress.report(bytesCopied, total),
      onParsed: facts.onParsed,
      onFileAttemptFailed: (file, attemptNumber, error) =>
        log.warn(
          { file, attempt_number: attemptNumber, err: deps.cluster.redact(error.detail) },
          "file transfer broke off; fetching it again",
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
  const outcome = facts.outcome();
  if (outcome.facts === null) {
    log.warn({ reason: outcome.reason }, "adapter facts could not be read; stored without them");
  }
  return { files: copied, modelMetadata: listing.modelMetadata, adapterFacts: outcome.facts };
}

/**
 * Removes everything in the artifact's folder — objects, temporary and partial files, open
 * resumable uploads; a storage failure is logged, not thrown (the stale sweep gets the rest).
 */
async function removeFolder(deps: IngestDeps, folder: string, log: Logger): Promise<void> {
  try {
    await deps.storage.removeFolder(folder);
  } catch (error) {
    log.error(
      { err: error instanceof Error ? error.message : String(error), folder },
      "could not remove the artifact's files",
    );
  }
}
