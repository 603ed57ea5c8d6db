import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { artifactReadyNotice } from "./artifacts";
import { runMigrations } from "./migrate";
import { datasets, metricsPoints, modelArtifacts, notifications, trainingJobs } from "./schema";
import {
  createTestDatabase,
  insertDataset,
  insertMetricsPoints,
  insertTrainingJob,
  lossCurve,
  NOT_RATED,
  type TestDatabase,
} from "./testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const userId = randomUUID();

async function postgresError(
  promise: Promise<unknown>,
): Promise<{ code: string; constraint_name?: string }> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    return cause as { code: string; constraint_name?: string };
  }
  throw new Error("expected the statement to be refused");
}

async function storedArtifactFor(jobId: string, datasetId: string) {
  const id = randomUUID();
  await t.db.insert(modelArtifacts).values({
    id,
    userId,
    jobId,
    datasetId,
    name: "Support tickets v3 - 2026-11-23",
    status: "stored",
    storedAt: new Date(),
    qualityMetrics: {
      overall_score: 4,
      convergence_quality: "good",
      final_training_loss: 1.2,
      final_validation_loss: 1.3,
      perplexity: Math.exp(1.3),
      loss_reduction_percent: 42,
    },
    files: [
      {
        name: "adapter_config.json",
        storage_path: `${userId}/${id}/adapter_config.json`,
        size_bytes: 10,
        sha256: "0".repeat(64),
        content_type: "application/json",
      },
    ],
    artifacts: { "adapter_config.json": `${userId}/${id}/adapter_config.json` },
  });
  return id;
}

/** A fresh job of a fresh dataset, for tests that only need something to hang a row on. */
async function insertFreshJob() {
  const dataset = await insertDataset(t.db, { userId });
  return insertTrainingJob(t.db, { userId, datasetId: dataset.id });
}

/** A model_artifacts row with only the columns every row needs, plus those a test breaks. */
const insertBareArtifact = (
  job: { id: string; datasetId: string },
  values: Pick<typeof modelArtifacts.$inferInsert, "status" | "storedAt">,
) =>
  t.db.insert(modelArtifacts).values({
    id: randomUUID(),
    userId,
    jobId: job.id,
    datasetId: job.datasetId,
    name: "x",
    ...values,
  });

describe("migrations", () => {
  it("run a second time harmlessly", async () => {
    await runMigrations(t.url);
    await runMigrations(t.url);
    const [{ count }] =
      (await t.sql`select count(*)::int as count from drizzle.__drizzle_migrations`) as unknown as [
        { count: number },
      ];
    const files = (await import("node:fs"))
      .readdirSync(new URL("../drizzle", import.meta.url))
      .filter((f) => f.endsWith(".sql"));
    expect(count).toBe(files.length);
  });

  it("create every table of SPEC §3 with its fixed name", async () => {
    const rows = await t.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1`;
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "datasets",
        "metrics_points",
        "model_artifacts",
        "notifications",
        "training_jobs",
      ]),
    );
  });
});

describe("round trips", () => {
  it("store and read back every table", async () => {
    const dataset = await insertDataset(t.db, { userId, name: "Legal QA" });
    const job = await insertTrainingJob(t.db, { userId, datasetId: dataset.id });
    await insertMetricsPoints(t.db, job.id, lossCurve({ kind: "good", steps: 50 }));
    const artifactId = await storedArtifactFor(job.id, dataset.id);
    await t.db
      .update(trainingJobs)
      .set({ status: "completed", artifactId })
      .where(eq(trainingJobs.id, job.id));
    await t.db.insert(notifications).values(
      artifactReadyNotice({
        id: artifactId,
        userId,
        jobId: job.id,
        name: "Legal QA - 2026-11-23",
        quality: NOT_RATED,
      }),
    );

    const [readDataset] = await t.db.select().from(datasets).where(eq(datasets.id, dataset.id));
    expect(readDataset).toMatchObject({
      name: "Legal QA",
      format: "jsonl",
      totalTrainingPairs: 12_480,
    });
    const [readJob] = await t.db.select().from(trainingJobs).where(eq(trainingJobs.id, job.id));
    expect(readJob).toMatchObject({
      status: "completed",
      artifactId,
      finalCost: 18.42,
      gpuConfig: { type: "A100-80GB", count: 2 },
      hyperparameters: { learning_rate: 0.0002, batch_size: 8, epochs: 3, rank: 16 },
    });
    const points = await t.db
      .select()
      .from(metricsPoints)
      .where(eq(metricsPoints.jobId, job.id))
      .orderBy(metricsPoints.step);
    expect(points).toHaveLength(50);
    expect(points[0]!.trainingLoss).toBeCloseTo(2.4);
    expect(points.some((p) => p.validationLoss === null)).toBe(true);
    const [artifact] = await t.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifactId));
    expect(artifact).toMatchObject({ version: "1.0.0", status: "stored", qualityScore: 4 });
    expect(artifact!.files[0]!.sha256).toHaveLength(64);
    const [notification] = await t.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userId));
    expect(notification).toMatchObject({ type: "artifact_ready", priority: "high", readAt: null });
  });
});

describe("constraints", () => {
  it("refuse a second artifact for the same job", async () => {
    const job = await insertFreshJob();
    await storedArtifactFor(job.id, job.datasetId);
    const error = await postgresError(storedArtifactFor(job.id, job.datasetId));
    expect(error.code).toBe("23505");
    expect(error.constraint_name).toBe("model_artifacts_job_id_key");
  });

  it("refuse a second 'model ready' notification for the same job", async () => {
    const jobId = randomUUID();
    const notify = () =>
      t.db.insert(notifications).values({
        userId,
        type: "artifact_ready",
        title: "t",
        message: "m",
        metadata: { job_id: jobId },
      });
    await notify();
    const error = await postgresError(notify());
    expect(error.constraint_name).toBe("notifications_artifact_ready_job_key");
  });

  it("refuse a stored artifact without files or score", async () => {
    const job = await insertFreshJob();
    const error = await postgresError(
      insertBareArtifact(job, { status: "stored", storedAt: new Date() }),
    );
    expect(error.constraint_name).toBe("model_artifacts_stored_is_complete");
  });

  it("refuse a failed artifact without a reason, an unknown status and a negative cost", async () => {
    const job = await insertFreshJob();
    const failed = await postgresError(insertBareArtifact(job, { status: "failed" }));
    expect(failed.constraint_name).toBe("model_artifacts_failed_has_reason");
    const badStatus = await postgresError(
      t.sql`update training_jobs set status = 'done' where id = ${job.id}`,
    );
    expect(badStatus.code).toBe("22P02");
    const negative = await postgresError(
      t.db.update(trainingJobs).set({ finalCost: -1 }).where(eq(trainingJobs.id, job.id)),
    );
    expect(negative.constraint_name).toBe("training_jobs_final_cost_check");
  });

  it("refuse a job that points at a missing dataset and an artifact linked to two jobs", async () => {
    const missing = await postgresError(
      insertTrainingJob(t.db, { userId, datasetId: randomUUID() }),
    );
    expect(missing.code).toBe("23503");
    const dataset = await insertDataset(t.db, { userId });
    const a = await insertTrainingJob(t.db, { userId, datasetId: dataset.id });
    const b = await insertTrainingJob(t.db, { userId, datasetId: dataset.id });
    const artifactId = await storedArtifactFor(a.id, dataset.id);
    await t.db.update(trainingJobs).set({ artifactId }).where(eq(trainingJobs.id, a.id));
    const twice = await postgresError(
      t.db.update(trainingJobs).set({ artifactId }).where(eq(trainingJobs.id, b.id)),
    );
    expect(twice.constraint_name).toBe("training_jobs_artifact_id_key");
  });

  it("default tags to none, find them through the GIN index, and bound description and tags", async () => {
    const job = await insertFreshJob();
    const id = await storedArtifactFor(job.id, job.datasetId);
    const [fresh] = await t.db.select().from(modelArtifacts).where(eq(modelArtifacts.id, id));
    expect(fresh).toMatchObject({ tags: [], description: null, adapterFacts: null });
    await t.db
      .update(modelArtifacts)
      .set({ tags: ["support", "llama"], description: "**Support** model" })
      .where(eq(modelArtifacts.id, id));
    const tagged = await t.sql<{ id: string }[]>`
      select id from model_artifacts where tags @> array['llama']::text[] and user_id = ${userId}`;
    expect(tagged.map((row) => row.id)).toEqual([id]);
    const tooMany = await postgresError(
      t.db
        .update(modelArtifacts)
        .set({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })
        .where(eq(modelArtifacts.id, id)),
    );
    expect(tooMany.constraint_name).toBe("model_artifacts_tags_count_check");
    const tooLong = await postgresError(
      t.db
        .update(modelArtifacts)
        .set({ description: "x".repeat(10_001) })
        .where(eq(modelArtifacts.id, id)),
    );
    expect(tooLong.constraint_name).toBe("model_artifacts_description_length_check");
  });

  it("derive the quality sort key from quality_metrics, null for unrated", async () => {
    const rows = await t.db.execute<{ quality_score: number | null }>(
      sql`select quality_score from model_artifacts where user_id = ${userId} order by quality_score desc nulls last`,
    );
    expect(rows.every((r) => r.quality_score === 4)).toBe(true);
  });
});
