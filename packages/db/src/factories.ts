/**
 * Fake-data factories shared by tests (every package) and the demo seed, so both exercise the
 * same realistic shapes: datasets, training jobs and loss curves of every convergence class.
 */
import { randomUUID } from "node:crypto";

import type { Queryable } from "./artifacts/queryable";
import { returnedRow } from "./query-helpers";
import {
  datasets,
  metricsPoints,
  type NewDataset,
  type NewMetricsPoint,
  type NewTrainingJob,
  trainingJobs,
} from "./schema";

/** Deterministic PRNG (mulberry32): the same seed gives the same curve in tests and demos. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Shapes that land in each quality band of SPEC §5 (reduction > 50 / 30 / 15 / 5 %, worse,
 * overfit, or too short to rate).
 */
export type LossCurveKind =
  "excellent" | "good" | "fair" | "poor" | "diverged" | "overfit" | "unrated";

const FINAL_FRACTION: Record<Exclude<LossCurveKind, "unrated">, number> = {
  excellent: 0.3, // 70 % reduction
  good: 0.6, // 40 %
  fair: 0.78, // 22 %
  poor: 0.9, // 10 %
  diverged: 1.15, // loss went up
  overfit: 0.35, // 65 % reduction on training, validation far above
};

export interface LossCurveOptions {
  kind: LossCurveKind;
  steps?: number;
  /** Validation is logged every N steps (and not at all on other steps). */
  validationEvery?: number;
  initialLoss?: number;
  seed?: number;
  epochs?: number;
  startedAt?: Date;
}

export type LossCurvePoint = Omit<NewMetricsPoint, "jobId">;

export function lossCurve(options: LossCurveOptions): LossCurvePoint[] {
  const steps = options.kind === "unrated" ? 1 : (options.steps ?? 200);
  const validationEvery = options.validationEvery ?? 25;
  const initial = options.initialLoss ?? 2.4;
  const epochs = options.epochs ?? 3;
  const random = seededRandom(options.seed ?? 1);
  const startedAt = options.startedAt ?? new Date("2026-11-01T00:00:00Z");
  const finalFraction = options.kind === "unrated" ? 1 : FINAL_FRACTION[options.kind];
  const final = initial * finalFraction;

  const points: LossCurvePoint[] = [];
  for (let i = 0; i < steps; i++) {
    const progress = steps === 1 ? 0 : i / (steps - 1);
    // Exponential approach to the final loss, with noise that shrinks as training settles.
    const ideal =
      final +
      (initial - final) * Math.exp(-4 * progress) -
      (initial - final) * Math.exp(-4) * progress;
    const noise = i === 0 || i === steps - 1 ? 0 : (random() - 0.5) * 0.06 * ideal;
    const trainingLoss = ideal + noise;
    let validationLoss: number | null = null;
    const isLast = i === steps - 1;
    if (
      (i > 0 && i % validationEvery === 0) ||
      (isLast && steps > 1 && options.kind !== "unrated")
    ) {
      const gap = options.kind === "overfit" ? 0.1 + 1.2 * progress : 0.05 + 0.03 * random();
      validationLoss = trainingLoss + gap;
    }
    points.push({
      step: i + 1,
      epoch: Number((progress * epochs || 0).toFixed(4)),
      trainingLoss: Number(trainingLoss.toFixed(6)),
      validationLoss: validationLoss === null ? null : Number(validationLoss.toFixed(6)),
      learningRate: 2e-4 * (1 - 0.9 * progress),
      timestamp: new Date(startedAt.getTime() + i * 15_000),
    });
  }
  return points;
}

export function datasetFixture(overrides: Partial<NewDataset> & { userId: string }): NewDataset {
  return {
    id: randomUUID(),
    name: "Support tickets v3",
    format: "jsonl",
    totalTrainingPairs: 12_480,
    ...overrides,
  };
}

export function trainingJobFixture(
  overrides: Partial<NewTrainingJob> & { userId: string; datasetId: string },
): NewTrainingJob {
  const startedAt = overrides.startedAt ?? new Date("2026-11-20T09:00:00Z");
  return {
    id: randomUUID(),
    presetId: "balanced",
    status: "running",
    externalJobId: `ext-${randomUUID()}`,
    hyperparameters: { learning_rate: 0.0002, batch_size: 8, epochs: 3, rank: 16, lora_alpha: 32 },
    gpuConfig: { type: "A100-80GB", count: 2 },
    currentEpoch: 3,
    currentStep: 200,
    currentMetrics: { training_loss: 0.72 },
    finalCost: 18.42,
    startedAt,
    ...overrides,
  };
}

export async function insertDataset(
  db: Queryable,
  overrides: Partial<NewDataset> & { userId: string },
) {
  return returnedRow(
    await db.insert(datasets).values(datasetFixture(overrides)).returning(),
    "insertDataset",
  );
}

export async function insertTrainingJob(
  db: Queryable,
  overrides: Partial<NewTrainingJob> & { userId: string; datasetId: string },
) {
  return returnedRow(
    await db.insert(trainingJobs).values(trainingJobFixture(overrides)).returning(),
    "insertTrainingJob",
  );
}

export async function insertMetricsPoints(db: Queryable, jobId: string, points: LossCurvePoint[]) {
  if (points.length === 0) return;
  // Large curves in chunks: Postgres allows at most 65,535 bind parameters per statement.
  for (let i = 0; i < points.length; i += 5_000) {
    await db.insert(metricsPoints).values(points.slice(i, i + 5_000).map((p) => ({ ...p, jobId })));
  }
}

// Owned by @mad/adapters (the package that reads facts); kept here for the tests that take
// their fixtures from @mad/db.
export { adapterFactsFixture } from "@mad/adapters/testing";
