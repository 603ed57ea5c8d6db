/**
 * Test fixtures of this package: artifacts in every state, built on @mad/db's factories so their
 * datasets and jobs look like the real ones, and notifications.
 */
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";

import {
  type ArtifactFile,
  type Database,
  insertDataset,
  insertTrainingJob,
  modelArtifacts,
  type NewModelArtifact,
  notifications,
  type QualityMetricsRecord,
} from "@mad/db";
import type { ArtifactStorage } from "@mad/storage";

export interface ArtifactFixtureOptions {
  userId: string;
  name?: string;
  datasetName?: string;
  /** Reuse an existing dataset instead of creating one. */
  datasetId?: string;
  presetId?: string;
  status?: "processing" | "stored" | "failed";
  /** 1–5, or null for "Not rated". */
  score?: QualityMetricsRecord["overall_score"];
  createdAt?: Date;
  deletedAt?: Date | null;
  files?: ArtifactFile[];
  failureReason?: string;
  bytesCopied?: number;
  bytesTotal?: number | null;
  overrides?: Partial<NewModelArtifact>;
}

export function qualityMetrics(score: QualityMetricsRecord["overall_score"]): QualityMetricsRecord {
  if (score === null) {
    return {
      overall_score: null,
      convergence_quality: "unknown",
      final_training_loss: null,
      final_validation_loss: null,
      perplexity: null,
      loss_reduction_percent: null,
    };
  }
  const quality = (["poor", "poor", "fair", "good", "excellent"] as const)[score - 1]!;
  return {
    overall_score: score,
    convergence_quality: quality,
    final_training_loss: 1.1,
    final_validation_loss: 1.2,
    perplexity: Math.exp(1.2),
    loss_reduction_percent: [3, 10, 22, 40, 70][score - 1]!,
  };
}

export function fileEntry(
  userId: string,
  artifactId: string,
  name: string,
  content: string | Buffer,
): ArtifactFile {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return {
    name,
    storage_path: `${userId}/${artifactId}/${name}`,
    size_bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    content_type: name.endsWith(".json") ? "application/json" : "application/octet-stream",
  };
}

/** A dataset, a completed training job and its artifact (stored by default). */
export async function insertArtifact(db: Database, options: ArtifactFixtureOptions) {
  const datasetId =
    options.datasetId ??
    (
      await insertDataset(db, {
        userId: options.userId,
        name: options.datasetName ?? "Support tickets v3",
      })
    ).id;
  const createdAt = options.createdAt ?? new Date();
  const job = await insertTrainingJob(db, {
    userId: options.userId,
    datasetId,
    presetId: options.presetId ?? "balanced",
    status: "completed",
    completedAt: createdAt,
    createdAt: new Date(createdAt.getTime() - 3_600_000),
  });
  const id = randomUUID();
  const status = options.status ?? "stored";
  const files =
    options.files ??
    (status === "stored" ? [fileEntry(options.userId, id, "adapter_config.json", '{"r":16}')] : []);
  const score = options.score === undefined ? 4 : options.score;
  const [row] = await db
    .insert(modelArtifacts)
    .values({
      id,
      userId: options.userId,
      jobId: job.id,
      datasetId,
      name:
        options.name ??
        `${options.datasetName ?? "Support tickets v3"} - ${createdAt.toISOString().slice(0, 10)}`,
      status,
      qualityMetrics: status === "stored" ? qualityMetrics(score) : null,
      trainingSummary: {
        epochs_completed: 3,
        total_steps: 200,
        final_loss: 1.1,
        training_duration_hours: 1.5,
        total_cost: 18.42,
      },
      configuration: {
        preset_id: options.presetId ?? "balanced",
        hyperparameters: { learning_rate: 0.0002, batch_size: 8, epochs: 3, rank: 16 },
        gpu_config: { type: "A100-80GB", count: 2 },
      },
      modelMetadata: { base_model: "meta-llama/Llama-3.1-8B", adapter_type: "lora" },
      files,
      artifacts: Object.fromEntries(files.map((file) => [file.name, file.storage_path])),
      totalSizeBytes: files.reduce((sum, file) => sum + file.size_bytes, 0),
      bytesCopied:
        options.bytesCopied ??
        (status === "stored" ? files.reduce((sum, f) => sum + f.size_bytes, 0) : 0),
      bytesTotal: options.bytesTotal === undefined ? null : options.bytesTotal,
      failureReason:
        status === "failed"
          ? (options.failureReason ?? "GPU cluster answered 404 for adapter_model.safetensors")
          : null,
      createdAt,
      storedAt: status === "stored" ? createdAt : null,
      deletedAt: options.deletedAt ?? null,
      ...options.overrides,
    })
    .returning();
  return { artifact: row!, job, datasetId };
}

/** A stored artifact whose files really exist in `storage`. */
export async function insertStoredArtifactWithFiles(
  db: Database,
  storage: ArtifactStorage,
  options: Omit<ArtifactFixtureOptions, "files" | "status"> & {
    contents: Record<string, string | Buffer>;
  },
) {
  const { contents, ...rest } = options;
  const id = randomUUID();
  const files: ArtifactFile[] = [];
  for (const [name, content] of Object.entries(contents)) {
    const entry = fileEntry(options.userId, id, name, content);
    await storage.put(
      entry.storage_path,
      Readable.from([typeof content === "string" ? Buffer.from(content) : content]),
      {
        contentType: entry.content_type,
      },
    );
    files.push(entry);
  }
  return insertArtifact(db, {
    ...rest,
    status: "stored",
    files,
    overrides: { id, ...rest.overrides },
  });
}

/**
 * `count` unread "model ready" notifications, a minute apart from 2026-11-23 09:00 UTC (or all
 * at that instant, to test ties on created_at).
 */
export async function insertNotifications(
  db: Database,
  userId: string,
  count: number,
  sameTime = false,
) {
  const base = Date.UTC(2026, 10, 23, 9);
  const rows = Array.from({ length: count }, (_, i) => ({
    userId,
    type: "artifact_ready" as const,
    title: "Model Ready for Download",
    message: `Model ${i} is ready (quality 4/5)`,
    priority: "high" as const,
    actionUrl: `/models/${randomUUID()}`,
    metadata: { artifact_id: randomUUID(), job_id: randomUUID() },
    createdAt: new Date(sameTime ? base : base + i * 60_000),
  }));
  return db.insert(notifications).values(rows).returning();
}
