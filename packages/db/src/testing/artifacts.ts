/**
 * Test factories for artifacts in every state. They go through the artifact lifecycle
 * (../artifacts) like the ingester does — begin, then complete or fail — so a factory-made row
 * can never take a shape the product itself could not produce.
 */
import { createHash, randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";

import {
  artifactFilePath,
  beginIngestion,
  completeIngestion,
  failIngestion,
  recordIngestionProgress,
  softDeleteArtifact,
  type StoredArtifactFacts,
} from "../artifacts";
import type { Queryable, Transaction } from "../artifacts/queryable";
import type { Database } from "../client";
import { insertDataset, insertTrainingJob } from "../factories";
import { modelArtifacts, type NewTrainingJob, type TrainingJob, trainingJobs } from "../schema";
import type { ArtifactFile, ModelMetadata, QualityMetricsRecord, TrainingSummary } from "../types";

export interface ArtifactFactoryOptions {
  userId: string;
  /** Reuse a dataset; otherwise one named `datasetName` is created. */
  datasetId?: string;
  datasetName?: string;
  /** When the job completed: the artifact's name date and its created_at. */
  completedAt?: Date;
  job?: Partial<NewTrainingJob>;
  quality?: QualityMetricsRecord;
  summary?: TrainingSummary;
  modelMetadata?: ModelMetadata;
  /** File name → content, recorded with the size and sha256 of that content. */
  contents?: Record<string, string | Buffer>;
  /** Or complete file entries (their paths are used as given). */
  files?: ArtifactFile[];
}

export const NOT_RATED: QualityMetricsRecord = {
  overall_score: null,
  convergence_quality: "unknown",
  final_training_loss: null,
  final_validation_loss: null,
  perplexity: null,
  loss_reduction_percent: null,
};

export function fileEntryFor(
  userId: string,
  artifactId: string,
  name: string,
  content: string | Buffer,
): ArtifactFile {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return {
    name,
    storage_path: artifactFilePath(userId, artifactId, name),
    size_bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    content_type: name.endsWith(".json") ? "application/json" : "application/octet-stream",
  };
}

/**
 * A completed job (with a cluster id) whose artifact is not begun yet: what the ingester is
 * handed. For tests that drive the lifecycle themselves; the factories below settle it at once.
 */
export async function insertCompletedJob(
  db: Queryable,
  userId: string,
  job: Partial<NewTrainingJob> = {},
) {
  const dataset = await insertDataset(db, { userId, name: "Support tickets v3" });
  return insertTrainingJob(db, {
    userId,
    datasetId: dataset.id,
    status: "completed",
    completedAt: new Date("2026-11-23T10:00:00Z"),
    ...job,
  });
}

/**
 * The least `completeIngestion` accepts for a begun artifact: one small adapter_config.json in its
 * folder, a made-up summary and metadata, and `quality` (not rated unless given).
 */
export function minimalStoredFacts(
  userId: string,
  artifactId: string,
  quality: QualityMetricsRecord = NOT_RATED,
): StoredArtifactFacts {
  return {
    quality,
    summary: {
      epochs_completed: 3,
      total_steps: 200,
      final_loss: quality.final_training_loss,
      training_duration_hours: 1,
      total_cost: 2,
    },
    modelMetadata: { base_model: "m", adapter_type: "lora" },
    files: [fileEntryFor(userId, artifactId, "adapter_config.json", "{}")],
  };
}

/**
 * Inserts a completed job, begins its artifact and runs `finish` on it, all in one transaction.
 * The insert's trigger enqueues the job for ingestion; a real ingester running on the same
 * database (the browser tests' stack) takes it once this commits, and must then find it already
 * settled — stored and linked, or failed — or it would copy the GPU cluster's files over the
 * fixture's.
 */
async function withBegunFixture<T>(
  db: Database,
  options: ArtifactFactoryOptions,
  finish: (
    tx: Transaction,
    begun: { job: TrainingJob; datasetId: string; artifactId: string; completedAt: Date },
  ) => Promise<T>,
): Promise<T> {
  const completedAt = options.completedAt ?? new Date();
  const datasetId =
    options.datasetId ??
    (
      await insertDataset(db, {
        userId: options.userId,
        name: options.datasetName ?? "Support tickets v3",
      })
    ).id;
  return db.transaction(async (tx) => {
    const job = await insertTrainingJob(tx, {
      userId: options.userId,
      datasetId,
      status: "completed",
      externalJobId: `fixture-${randomUUID()}`,
      completedAt,
      createdAt: new Date(completedAt.getTime() - 3_600_000),
      startedAt: new Date(completedAt.getTime() - 3_000_000),
      ...options.job,
    });
    const begun = await beginIngestion(tx, job.id, { at: completedAt });
    if (begun.status !== "started") throw new Error(`fixture could not begin: ${begun.reason}`);
    return finish(tx, { job, datasetId, artifactId: begun.artifactId, completedAt });
  });
}

async function artifactRow(db: Database, artifactId: string) {
  const [row] = await db.select().from(modelArtifacts).where(eq(modelArtifacts.id, artifactId));
  if (!row) throw new Error(`fixture artifact ${artifactId} vanished`);
  return row;
}

/** A dataset, a completed training job and its `stored` artifact (linked, announced). */
export async function insertStoredArtifact(db: Database, options: ArtifactFactoryOptions) {
  const { job, datasetId, artifactId } = await withBegunFixture(db, options, async (tx, begun) => {
    const { artifactId, completedAt } = begun;
    const files =
      options.files ??
      Object.entries(options.contents ?? { "adapter_config.json": '{"r":16}' }).map(
        ([name, content]) => fileEntryFor(options.userId, artifactId, name, content),
      );
    const result = await completeIngestion(
      tx,
      { artifactId, jobId: begun.job.id },
      {
        quality: options.quality ?? NOT_RATED,
        summary: options.summary ?? {
          epochs_completed: 3,
          total_steps: 200,
          final_loss: options.quality?.final_training_loss ?? null,
          training_duration_hours: 1.5,
          total_cost: 18.42,
        },
        modelMetadata: options.modelMetadata ?? {
          base_model: "meta-llama/Llama-3.1-8B",
          adapter_type: "lora",
        },
        files,
        at: completedAt,
      },
    );
    if (result !== "stored") throw new Error(`fixture could not be stored: ${result}`);
    return begun;
  });
  return { artifact: await artifactRow(db, artifactId), job, datasetId };
}

/** An artifact that is still `processing`, `failed` for good, or deleted by its owner. */
export async function insertArtifactInState(
  db: Database,
  options: ArtifactFactoryOptions &
    (
      | { state: "processing"; bytesCopied?: number; bytesTotal?: number | null }
      | { state: "failed"; failureReason?: string }
      | { state: "deleted"; deletedAt?: Date }
    ),
) {
  if (options.state === "deleted") {
    const stored = await insertStoredArtifact(db, options);
    await softDeleteArtifact(db, {
      userId: options.userId,
      artifactId: stored.artifact.id,
      at: options.deletedAt ?? new Date(),
    });
    return { ...stored, artifact: await artifactRow(db, stored.artifact.id) };
  }
  const { job, datasetId, artifactId } = await withBegunFixture(db, options, async (tx, begun) => {
    if (options.state === "failed") {
      await failIngestion(
        tx,
        begun.artifactId,
        options.failureReason ??
          "the GPU cluster does not have adapter_model.safetensors ready yet (HTTP 404)",
      );
      return begun;
    }
    if (options.bytesCopied !== undefined || options.bytesTotal !== undefined) {
      await recordIngestionProgress(
        tx,
        begun.artifactId,
        options.bytesCopied ?? 0,
        options.bytesTotal ?? null,
      );
    }
    // A processing row stands for an ingestion some worker owns, and there is no such worker
    // here: without a cluster id the trigger's job, the sweep and beginIngestion all pass the
    // job by, so a real ingester on this database leaves it processing.
    await tx
      .update(trainingJobs)
      .set({ externalJobId: null })
      .where(eq(trainingJobs.id, begun.job.id));
    return begun;
  });
  return {
    artifact: await artifactRow(db, artifactId),
    job: { ...job, externalJobId: null },
    datasetId,
  };
}
