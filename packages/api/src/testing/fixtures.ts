/**
 * Test fixtures of this package: artifacts in every state, built on @mad/db's factories so their
 * datasets and jobs look like the real ones, and notifications.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";

import { eq } from "drizzle-orm";

import {
  type ArtifactFile,
  type Database,
  modelArtifacts,
  notifications,
  type QualityMetricsRecord,
  renameArtifact,
  softDeleteArtifact,
} from "@mad/db";
import { insertArtifactInState, insertStoredArtifact, NOT_RATED } from "@mad/db/testing";
import type { ArtifactStorage } from "@mad/storage";

export interface ArtifactFixtureOptions {
  userId: string;
  /** A name of its own (renamed after it was stored), instead of "{dataset} - {date}". */
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
  /** Or file name → content (entries made with the artifact's own paths). */
  contents?: Record<string, string | Buffer>;
  failureReason?: string;
  bytesCopied?: number;
  bytesTotal?: number | null;
}

export function qualityMetrics(score: QualityMetricsRecord["overall_score"]): QualityMetricsRecord {
  if (score === null) return NOT_RATED;
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

/**
 * A dataset, a completed training job and its artifact (stored by default), made through the
 * artifact lifecycle by @mad/db's factories.
 */
export async function insertArtifact(db: Database, options: ArtifactFixtureOptions) {
  const common = {
    userId: options.userId,
    ...(options.datasetId ? { datasetId: options.datasetId } : {}),
    ...(options.datasetName ? { datasetName: options.datasetName } : {}),
    ...(options.createdAt ? { completedAt: options.createdAt } : {}),
    job: { presetId: options.presetId ?? "balanced" },
  };
  const status = options.status ?? "stored";
  let made;
  if (status === "processing") {
    made = await insertArtifactInState(db, {
      ...common,
      state: "processing",
      ...(options.bytesCopied === undefined ? {} : { bytesCopied: options.bytesCopied }),
      ...(options.bytesTotal === undefined ? {} : { bytesTotal: options.bytesTotal }),
    });
  } else if (status === "failed") {
    made = await insertArtifactInState(db, {
      ...common,
      state: "failed",
      failureReason:
        options.failureReason ?? "GPU cluster answered 404 for adapter_model.safetensors",
    });
  } else {
    made = await insertStoredArtifact(db, {
      ...common,
      quality: qualityMetrics(options.score === undefined ? 4 : options.score),
      summary: {
        epochs_completed: 3,
        total_steps: 200,
        final_loss: 1.1,
        training_duration_hours: 1.5,
        total_cost: 18.42,
      },
      ...(options.files ? { files: options.files } : {}),
      ...(options.contents ? { contents: options.contents } : {}),
    });
  }
  if (options.name) {
    await renameArtifact(db, {
      userId: options.userId,
      artifactId: made.artifact.id,
      name: options.name,
    });
  }
  if (options.deletedAt) {
    await softDeleteArtifact(db, {
      userId: options.userId,
      artifactId: made.artifact.id,
      at: options.deletedAt,
    });
  }
  const [artifact] = await db
    .select()
    .from(modelArtifacts)
    .where(eq(modelArtifacts.id, made.artifact.id));
  return { artifact: artifact!, job: made.job, datasetId: made.datasetId };
}

/** A stored artifact whose files really exist in `storage`. */
export async function insertStoredArtifactWithFiles(
  db: Database,
  storage: ArtifactStorage,
  options: Omit<ArtifactFixtureOptions, "files" | "status"> & {
    contents: Record<string, string | Buffer>;
  },
) {
  const made = await insertArtifact(db, { ...options, status: "stored" });
  for (const file of made.artifact.files) {
    const content = options.contents[file.name]!;
    await storage.put(
      file.storage_path,
      Readable.from([typeof content === "string" ? Buffer.from(content) : content]),
      { contentType: file.content_type },
    );
  }
  return made;
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
