import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { adapterFactsFixture } from "../factories";
import { modelArtifacts, notifications, trainingJobs } from "../schema";
import {
  fileEntryFor,
  insertArtifactInState,
  insertCompletedJob,
  insertStoredArtifact,
  minimalStoredFacts,
  NOT_RATED,
} from "../testing";
import { useTestDatabase } from "../testing/use-test-database";
import {
  artifactFolder,
  artifactIdForJob,
  beginIngestion,
  completeIngestion,
  failIngestion,
  retryFailedIngestion,
  softDeleteArtifact,
} from "./index";

const database = useTestDatabase();
const userId = randomUUID();
const otherUserId = randomUUID();

const completedJob = (job: Partial<typeof trainingJobs.$inferInsert> = {}) =>
  insertCompletedJob(database.db, userId, job);

const factsFor = (jobUserId: string, artifactId: string) =>
  minimalStoredFacts(jobUserId, artifactId, {
    ...NOT_RATED,
    overall_score: 4,
    convergence_quality: "good",
    loss_reduction_percent: 40,
  });

function sampleAdapterFacts() {
  return adapterFactsFixture({
    modules_to_save: ["lm_head"],
    tensors: {
      count: 5,
      parameter_count: 1234,
      dtypes: { F16: 5 },
      lora: 4,
      saved_modules: ["base_model.model.lm_head.weight"],
      layers: 1,
    },
  });
}

/** Completes the attempt with `factsFor`'s facts, as the worker does once the files are copied. */
const completeWithFacts = (jobId: string, artifactId: string) =>
  completeIngestion(database.db, { artifactId, jobId }, factsFor(userId, artifactId));

const artifactRowsOf = (artifactId: string) =>
  database.db.select().from(modelArtifacts).where(eq(modelArtifacts.id, artifactId));

const updateJob = (jobId: string, values: Partial<typeof trainingJobs.$inferInsert>) =>
  database.db.update(trainingJobs).set(values).where(eq(trainingJobs.id, jobId));

const jobRowsOf = (jobId: string) =>
  database.db.select().from(trainingJobs).where(eq(trainingJobs.id, jobId));

const noticesOf = (jobId: string) =>
  database.db
    .select()
    .from(notifications)
    .where(eq(notifications.metadata, { artifact_id: artifactIdForJob(jobId), job_id: jobId }));

describe("beginIngestion", () => {
  it("starts a completed, unlinked job's artifact as processing, counting attempts", async () => {
    const job = await completedJob();
    const first = await beginIngestion(database.db, job.id);
    expect(first).toMatchObject({
      status: "started",
      attempt: 1,
      name: "Support tickets v3 - 2026-11-23",
    });
    const second = await beginIngestion(database.db, job.id);
    expect(second).toMatchObject({ status: "started", attempt: 2 });
    const [row] = await database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.jobId, job.id));
    expect(row).toMatchObject({
      status: "processing",
      ingestionAttempts: 2,
      id: artifactIdForJob(job.id),
    });
  });

  it("skips jobs that need no artifact, saying why", async () => {
    const running = await completedJob({ status: "running" });
    expect(await beginIngestion(database.db, running.id)).toMatchObject({
      status: "skipped",
      reason: "training job is running",
    });
    const withoutId = await completedJob({ externalJobId: null });
    expect(await beginIngestion(database.db, withoutId.id)).toMatchObject({
      reason: "training job has no external_job_id",
    });
    expect(await beginIngestion(database.db, randomUUID())).toMatchObject({
      reason: "training job does not exist",
    });
  });

  it("never revives a failed or a deleted artifact", async () => {
    const failed = await insertArtifactInState(database.db, { userId, state: "failed" });
    expect(await beginIngestion(database.db, failed.job.id)).toMatchObject({
      reason: "artifact is already failed",
    });
    const job = await completedJob();
    await beginIngestion(database.db, job.id);
    await database.db
      .update(modelArtifacts)
      .set({ deletedAt: new Date() })
      .where(eq(modelArtifacts.jobId, job.id));
    expect(await beginIngestion(database.db, job.id)).toMatchObject({
      reason: "the user deleted this model",
    });
  });
});

describe("completeIngestion", () => {
  it("stores, links and announces in one go — once, however often it is called", async () => {
    const job = await completedJob();
    const begun = await beginIngestion(database.db, job.id);
    const artifactId = begun.artifactId;
    const facts = factsFor(userId, artifactId);
    expect(await completeIngestion(database.db, { artifactId, jobId: job.id }, facts)).toBe(
      "stored",
    );
    expect(await completeIngestion(database.db, { artifactId, jobId: job.id }, facts)).toBe(
      "already-linked",
    );
    const [linked] = await jobRowsOf(job.id);
    expect(linked?.artifactId).toBe(artifactId);
    const notes = await noticesOf(job.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      type: "artifact_ready",
      title: "Model Ready for Download",
      priority: "high",
      actionUrl: `/models/${artifactId}`,
      message: "Your model 'Support tickets v3 - 2026-11-23' is ready — quality 4/5 (good).",
    });
  });

  it("records the adapter's facts with the artifact, and null when there are none", async () => {
    const job = await completedJob();
    const { artifactId } = await beginIngestion(database.db, job.id);
    const adapterFacts = sampleAdapterFacts();
    await completeIngestion(
      database.db,
      { artifactId, jobId: job.id },
      { ...factsFor(userId, artifactId), adapterFacts },
    );
    const [row] = await database.db
      .select({ adapterFacts: modelArtifacts.adapterFacts })
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifactId));
    expect(row?.adapterFacts).toEqual(adapterFacts);

    const without = await completedJob();
    const second = await beginIngestion(database.db, without.id);
    await completeWithFacts(without.id, second.artifactId);
    const [bare] = await database.db
      .select({ adapterFacts: modelArtifacts.adapterFacts })
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, second.artifactId));
    expect(bare?.adapterFacts).toBeNull();
  });

  it("withdraws the attempt's row when the job left `completed`, and says so", async () => {
    const job = await completedJob();
    const { artifactId } = await beginIngestion(database.db, job.id);
    await updateJob(job.id, { status: "running" });
    expect(await completeWithFacts(job.id, artifactId)).toBe("job-changed");
    expect(await artifactRowsOf(artifactId)).toEqual([]);
    expect(await noticesOf(job.id)).toEqual([]);
  });

  it("withdraws the attempt's row when another artifact was linked to the job", async () => {
    const job = await completedJob();
    const { artifactId } = await beginIngestion(database.db, job.id);
    const other = await insertStoredArtifact(database.db, { userId });
    await updateJob(other.job.id, { artifactId: null });
    await updateJob(job.id, { artifactId: other.artifact.id });
    expect(await completeWithFacts(job.id, artifactId)).toBe("superseded");
    expect(await artifactRowsOf(artifactId)).toEqual([]);
  });

  it("leaves a model its owner deleted meanwhile unlinked and unannounced", async () => {
    const job = await completedJob();
    const { artifactId } = await beginIngestion(database.db, job.id);
    await softDeleteArtifact(database.db, { userId, artifactId });
    expect(await completeWithFacts(job.id, artifactId)).toBe("deleted");
    const [linked] = await jobRowsOf(job.id);
    expect(linked?.artifactId).toBeNull();
    expect(await noticesOf(job.id)).toEqual([]);
  });
});

describe("failIngestion and retryFailedIngestion", () => {
  it("fails once with one notice, and only its owner can retry it", async () => {
    const job = await completedJob();
    const { artifactId } = await beginIngestion(database.db, job.id);
    expect(
      await failIngestion(database.db, artifactId, "adapter_config.json: is not valid JSON"),
    ).toBe(true);
    expect(await failIngestion(database.db, artifactId, "again")).toBe(false);
    const notes = await noticesOf(job.id);
    expect(notes.map((note) => [note.type, note.message])).toEqual([
      [
        "ingestion_failed",
        "Your model 'Support tickets v3 - 2026-11-23' could not be stored: adapter_config.json: is not valid JSON",
      ],
    ]);

    expect(await retryFailedIngestion(database.db, { userId: otherUserId, artifactId })).toEqual({
      status: "not-found",
    });
    // No pg-boss in this database: the transition happens, nothing is enqueued.
    expect(await retryFailedIngestion(database.db, { userId, artifactId })).toMatchObject({
      status: "retried",
      enqueued: false,
    });
    expect(await retryFailedIngestion(database.db, { userId, artifactId })).toEqual({
      status: "not-failed",
      current: "processing",
    });
    const [row] = await artifactRowsOf(artifactId);
    expect(row).toMatchObject({ status: "processing", failureReason: null });
  });
});

describe("softDeleteArtifact", () => {
  it("hides the model at once and hands back only paths inside its own folder", async () => {
    const model = await insertStoredArtifact(database.db, {
      userId,
      contents: { "adapter_config.json": "{}", "training_args.json": "{}" },
    });
    expect(
      await softDeleteArtifact(database.db, { userId: otherUserId, artifactId: model.artifact.id }),
    ).toBeNull();
    const deleted = await softDeleteArtifact(database.db, {
      userId,
      artifactId: model.artifact.id,
    });
    const folder = artifactFolder(userId, model.artifact.id);
    expect(deleted?.filePaths.sort()).toEqual([
      `${folder}adapter_config.json`,
      `${folder}training_args.json`,
    ]);
    expect(
      await softDeleteArtifact(database.db, { userId, artifactId: model.artifact.id }),
    ).toBeNull();
    const [row] = await artifactRowsOf(model.artifact.id);
    expect(row?.deletedAt).not.toBeNull();
  });

  it("never hands back a path outside the folder, whatever a row says", async () => {
    const tampered = await insertStoredArtifact(database.db, {
      userId,
      files: [
        {
          ...fileEntryFor(userId, "x", "adapter_config.json", "{}"),
          storage_path: `${otherUserId}/x/adapter_config.json`,
        },
      ],
    });
    const deleted = await softDeleteArtifact(database.db, {
      userId,
      artifactId: tampered.artifact.id,
    });
    expect(deleted?.filePaths).toEqual([]);
  });
});
