/**
 * FALLBACK SEED — writes stored artifacts straight into Postgres and storage (rows + files put
 * through @mad/storage), for when the real pipeline (GPU-cluster simulator → ingester) is not
 * usable. Only the benchmark uses it (it needs a known number of realistic rows); the e2e tests
 * always go through the real pipeline. It never imports apps/ingester.
 */
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";

import {
  type DbClient,
  DEMO_USERS,
  modelArtifacts,
  notifications,
  type QualityMetricsRecord,
} from "@mad/db";
import {
  insertDataset,
  insertMetricsPoints,
  insertTrainingJob,
  lossCurve,
  type LossCurveKind,
  type LossCurvePoint,
} from "@mad/db/factories";
import { calculateQualityMetrics } from "@mad/quality";
import type { ArtifactStorage } from "@mad/storage";

/** The same scorer the ingester uses, over the same point shape it reads from Postgres. */
export function fallbackQuality(points: LossCurvePoint[]): QualityMetricsRecord {
  return calculateQualityMetrics(
    points.map((p) => ({
      training_loss: p.trainingLoss ?? null,
      validation_loss: p.validationLoss ?? null,
    })),
  );
}

/** A tiny but valid safetensors file (8-byte header length, JSON header, tensor bytes). */
function safetensors(seed: number): Buffer {
  const data = Buffer.alloc(4 * 64);
  for (let i = 0; i < 64; i++) data.writeFloatLE(Math.sin(seed + i), i * 4);
  const header = Buffer.from(
    JSON.stringify({
      __metadata__: { format: "pt" },
      "base_model.model.layers.0.self_attn.q_proj.lora_A.weight": {
        dtype: "F32",
        shape: [8, 8],
        data_offsets: [0, 256],
      },
    }),
  );
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, data]);
}

const DATASETS = [
  "Support tickets v3",
  "Legal clauses",
  "Product FAQ",
  "Code review comments",
  "Medical notes (deid)",
];
const KINDS: LossCurveKind[] = [
  "excellent",
  "good",
  "fair",
  "poor",
  "diverged",
  "overfit",
  "unrated",
];
const BASE_MODELS = [
  "meta-llama/Llama-3.1-8B-Instruct",
  "mistralai/Mistral-7B-Instruct-v0.3",
  "Qwen/Qwen2.5-7B-Instruct",
];

export interface FallbackSeedOptions {
  client: DbClient;
  storage: ArtifactStorage;
  /** Stored models per demo user (Linus always has none). */
  counts?: { ada: number; grace: number };
  /** Also add one processing and one failed model for Ada. */
  withInFlight?: boolean;
  steps?: number;
}

export async function fallbackSeed(
  options: FallbackSeedOptions,
): Promise<{ artifactIds: string[] }> {
  const { storage } = options;
  const db = options.client.db;
  const counts = options.counts ?? { ada: 15, grace: 3 };
  const [ada, grace] = DEMO_USERS;
  const artifactIds: string[] = [];
  const plan: { userId: string; index: number }[] = [
    ...Array.from({ length: counts.ada }, (_, index) => ({ userId: ada.id, index })),
    ...Array.from({ length: counts.grace }, (_, index) => ({ userId: grace.id, index })),
  ];
  const datasetIds = new Map<string, string>();

  for (const { userId, index } of plan) {
    const datasetName = DATASETS[index % DATASETS.length]!;
    const key = `${userId}:${datasetName}`;
    if (!datasetIds.has(key)) {
      const dataset = await insertDataset(db, {
        userId,
        name: datasetName,
        totalTrainingPairs: 2_000 + index * 731,
      });
      datasetIds.set(key, dataset.id);
    }
    const kind = KINDS[index % KINDS.length]!;
    const completedAt = new Date(Date.UTC(2026, 10, 22, 12) - index * 26 * 3600_000);
    const startedAt = new Date(completedAt.getTime() - (1.5 + (index % 4)) * 3600_000);
    const job = await insertTrainingJob(db, {
      userId,
      datasetId: datasetIds.get(key)!,
      status: "completed",
      startedAt,
      completedAt,
      createdAt: new Date(startedAt.getTime() - 600_000),
      finalCost: Number((6 + index * 3.37).toFixed(2)),
    });
    const points = lossCurve({ kind, seed: index + 1, steps: options.steps ?? 200, startedAt });
    await insertMetricsPoints(db, job.id, points);

    const artifactId = randomUUID();
    const files = [
      {
        name: "adapter_model.safetensors",
        body: safetensors(index),
        type: "application/octet-stream",
      },
      {
        name: "adapter_config.json",
        body: Buffer.from(
          JSON.stringify(
            { peft_type: "LORA", r: 16, lora_alpha: 32, target_modules: ["q_proj", "v_proj"] },
            null,
            2,
          ),
        ),
        type: "application/json",
      },
      {
        name: "training_args.json",
        body: Buffer.from(
          JSON.stringify(
            { learning_rate: 0.0002, per_device_train_batch_size: 8, num_train_epochs: 3 },
            null,
            2,
          ),
        ),
        type: "application/json",
      },
    ];
    const stored = [];
    for (const file of files) {
      const path = `${userId}/${artifactId}/${file.name}`;
      const result = await storage.put(path, Readable.from([file.body]), {
        contentType: file.type,
        expectedSizeBytes: file.body.length,
        expectedSha256: createHash("sha256").update(file.body).digest("hex"),
      });
      stored.push({
        name: file.name,
        storage_path: path,
        size_bytes: result.sizeBytes,
        sha256: result.sha256,
        content_type: file.type,
      });
    }
    const quality = fallbackQuality(points);
    const totalSize = stored.reduce((sum, f) => sum + f.size_bytes, 0);
    const date = completedAt.toISOString().slice(0, 10);
    const name = `${datasetName} - ${date}`;
    await db.insert(modelArtifacts).values({
      id: artifactId,
      userId,
      jobId: job.id,
      datasetId: job.datasetId,
      name,
      status: "stored",
      qualityMetrics: quality,
      trainingSummary: {
        epochs_completed: 3,
        total_steps: points.length,
        final_loss: quality.final_training_loss,
        training_duration_hours: (completedAt.getTime() - startedAt.getTime()) / 3600_000,
        total_cost: job.finalCost,
      },
      configuration: {
        preset_id: job.presetId,
        hyperparameters: job.hyperparameters,
        gpu_config: job.gpuConfig ?? null,
      },
      modelMetadata: { base_model: BASE_MODELS[index % BASE_MODELS.length]!, adapter_type: "lora" },
      artifacts: Object.fromEntries(stored.map((f) => [f.name, f.storage_path])),
      files: stored,
      totalSizeBytes: totalSize,
      bytesCopied: totalSize,
      bytesTotal: totalSize,
      ingestionAttempts: 1,
      createdAt: completedAt,
      storedAt: completedAt,
    });
    await options.client
      .sql`update training_jobs set artifact_id = ${artifactId} where id = ${job.id}`;
    await db.insert(notifications).values({
      userId,
      type: "artifact_ready",
      title: "Model Ready for Download",
      message: `${name} is ready${quality.overall_score ? ` — quality ${quality.overall_score}/5 (${quality.convergence_quality})` : " (not rated)"}.`,
      priority: "high",
      actionUrl: `/models/${artifactId}`,
      metadata: { artifact_id: artifactId, job_id: job.id },
      createdAt: completedAt,
    });
    artifactIds.push(artifactId);
  }

  if (options.withInFlight) {
    const datasetId =
      datasetIds.get(`${ada.id}:${DATASETS[0]}`) ??
      (await insertDataset(db, { userId: ada.id })).id;
    for (const status of ["processing", "failed"] as const) {
      const job = await insertTrainingJob(db, {
        userId: ada.id,
        datasetId,
        status: "completed",
        completedAt: new Date(),
      });
      const id = randomUUID();
      await db.insert(modelArtifacts).values({
        id,
        userId: ada.id,
        jobId: job.id,
        datasetId,
        name: `${DATASETS[0]} - ${status === "processing" ? "in progress" : "failed copy"}`,
        status,
        bytesCopied: status === "processing" ? 734_003_200 : 0,
        bytesTotal: 1_610_612_736,
        failureReason:
          status === "failed"
            ? "adapter_model.safetensors: size 1.2 GB does not match the expected 1.5 GB after 6 attempts"
            : null,
        ingestionAttempts: status === "failed" ? 6 : 1,
      });
    }
  }
  return { artifactIds };
}
