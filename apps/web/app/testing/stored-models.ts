/**
 * Stored models for tests, the browser tests and the benchmark, made the way the product makes
 * them: the artifact lifecycle's factories (@mad/db/testing: a completed job, begin → complete,
 * its "model ready" notification), the job's loss curve in metrics_points, the quality the
 * ingester's scorer gives that curve, and the files put through the real storage code.
 */
import { Readable } from "node:stream";

import type { DbClient } from "@mad/db";
import {
  insertArtifactInState,
  insertMetricsPoints,
  insertStoredArtifact,
  lossCurve,
  type LossCurveKind,
} from "@mad/db/testing";
import { calculateQualityMetrics } from "@mad/quality";
import type { ArtifactStorage } from "@mad/storage";

export const KINDS: LossCurveKind[] = ["excellent", "good", "fair", "poor", "diverged", "overfit"];
export const DATASETS = [
  "Support tickets v3",
  "Legal clauses",
  "Product FAQ",
  "Code review comments",
  "Medical notes (deid)",
];
/** Learning rates the factories cycle through, so compared models differ as real runs do. */
const LEARNING_RATES = [0.0002, 0.0001, 0.00005];
const BASE_MODELS = [
  "meta-llama/Llama-3.1-8B-Instruct",
  "mistralai/Mistral-7B-Instruct-v0.3",
  "Qwen/Qwen2.5-7B-Instruct",
];

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

const learningRateOf = (seed: number) => LEARNING_RATES[seed % LEARNING_RATES.length]!;

function adapterFiles(seed: number): Record<string, Buffer> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
  return {
    "adapter_model.safetensors": safetensors(seed),
    "adapter_config.json": json({
      peft_type: "LORA",
      r: 16,
      lora_alpha: 32,
      target_modules: ["q_proj", "v_proj"],
    }),
    "training_args.json": json({
      learning_rate: learningRateOf(seed),
      per_device_train_batch_size: 8,
      num_train_epochs: 3,
    }),
  };
}

export interface StoredModelOptions {
  userId: string;
  datasetName?: string;
  datasetId?: string;
  /** When training finished (the model's "trained" date). */
  completedAt?: Date;
  kind?: LossCurveKind;
  steps?: number;
  seed?: number;
}

export async function createStoredModel(
  client: DbClient,
  storage: ArtifactStorage,
  options: StoredModelOptions,
) {
  const seed = options.seed ?? 1;
  const completedAt = options.completedAt ?? new Date();
  const startedAt = new Date(completedAt.getTime() - (1.5 + (seed % 4)) * 3600_000);
  const points = lossCurve({
    kind: options.kind ?? "good",
    seed,
    steps: options.steps ?? 200,
    startedAt,
  });
  const quality = calculateQualityMetrics(
    points.map((p) => ({
      training_loss: p.trainingLoss ?? null,
      validation_loss: p.validationLoss ?? null,
    })),
  );
  const contents = adapterFiles(seed);
  const finalCost = Number((6 + seed * 3.37).toFixed(2));
  const { artifact, job, datasetId } = await insertStoredArtifact(client.db, {
    userId: options.userId,
    ...(options.datasetId ? { datasetId: options.datasetId } : {}),
    datasetName: options.datasetName ?? DATASETS[seed % DATASETS.length]!,
    completedAt,
    job: {
      startedAt,
      finalCost,
      hyperparameters: {
        learning_rate: learningRateOf(seed),
        batch_size: 8,
        epochs: 3,
        rank: 16,
        lora_alpha: 32,
      },
    },
    quality,
    summary: {
      epochs_completed: 3,
      total_steps: points.length,
      final_loss: quality.final_training_loss,
      training_duration_hours: (completedAt.getTime() - startedAt.getTime()) / 3600_000,
      total_cost: finalCost,
    },
    modelMetadata: { base_model: BASE_MODELS[seed % BASE_MODELS.length]!, adapter_type: "lora" },
    contents,
  });
  await insertMetricsPoints(client.db, job.id, points);
  for (const file of artifact.files) {
    const body = contents[file.name]!;
    await storage.put(file.storage_path, Readable.from([body]), {
      contentType: file.content_type,
      expectedSizeBytes: body.length,
      expectedSha256: file.sha256,
    });
  }
  return { artifact, job, datasetId, points };
}

/**
 * `count` stored models for a user, trained a day apart (the first most recently), cycling
 * through the curve kinds and datasets.
 */
export async function createStoredModels(
  client: DbClient,
  storage: ArtifactStorage,
  options: { userId: string; count: number; steps?: number; newest?: Date; firstSeed?: number },
) {
  const newest = options.newest ?? new Date(Date.UTC(2026, 10, 22, 12));
  const made = [];
  for (let index = 0; index < options.count; index++) {
    const seed = (options.firstSeed ?? 0) + index;
    made.push(
      await createStoredModel(client, storage, {
        userId: options.userId,
        completedAt: new Date(newest.getTime() - index * 26 * 3600_000),
        kind: KINDS[seed % KINDS.length]!,
        seed,
        steps: options.steps,
      }),
    );
  }
  return made;
}

/** One model still being copied and one whose copy failed for good (with a reason a user can act on). */
export async function createInFlightModels(client: DbClient, userId: string) {
  const processing = await insertArtifactInState(client.db, {
    userId,
    datasetName: DATASETS[0],
    state: "processing",
    bytesCopied: 734_003_200,
    bytesTotal: 1_610_612_736,
  });
  const failed = await insertArtifactInState(client.db, {
    userId,
    datasetName: DATASETS[0],
    state: "failed",
    failureReason:
      "adapter_model.safetensors: size 1.2 GB does not match the expected 1.5 GB after 6 attempts",
  });
  return { processing: processing.artifact, failed: failed.artifact };
}
