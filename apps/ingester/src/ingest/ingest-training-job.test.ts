import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { crc32 } from "node:zlib";

import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { artifactIdForJob, metricsPoints, notifications, trainingJobs } from "@mad/db";
import { createLogger } from "@mad/logger";
import { calculateQualityMetrics } from "@mad/quality";

import { createClusterClient } from "../cluster";
import { retryIngestion } from "../queue/sql-api";
import {
  allStoredFiles,
  artifactOfJob,
  completeJob,
  createJob,
  TEST_API_KEY,
  USER_ID,
  useTestWorld,
  waitFor,
  waitForArtifact,
} from "../testing/world";
import { ingestTrainingJob } from "./ingest-training-job";

const world = useTestWorld();

const artifactOf = (jobId: string) => artifactOfJob(world.database.db, jobId);

/** A stored artifact's folder holds the cluster's three files and nothing else. */
const STORED_FILE_NAMES = [
  "adapter_config.json",
  "adapter_model.safetensors",
  "training_args.json",
];

/** The names of the objects in a folder, sorted. */
async function fileNamesIn(folder: string) {
  return (await world.storage.list(folder)).map((object) => path.basename(object.path)).sort();
}

const waitForStatus = (jobId: string, status: "stored" | "failed") =>
  waitForArtifact(
    world.database.db,
    jobId,
    (row) => row.status === status,
    `artifact of ${jobId} to be ${status}`,
  );

describe("a completed training job", () => {
  it("becomes a stored artifact with its files, score, link and one notification", async () => {
    const { db } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "good",
      datasetName: "Support tickets v3",
    });
    const artifact = await waitForStatus(job.id, "stored");
    const artifactId = artifactIdForJob(job.id);

    expect(artifact.id).toBe(artifactId);
    expect(artifact.name).toBe("Support tickets v3 - 2026-11-23");
    expect(artifact.version).toBe("1.0.0");
    expect(artifact.userId).toBe(USER_ID);
    expect(artifact.datasetId).toBe(job.datasetId);
    expect(artifact.failureReason).toBeNull();
    expect(artifact.storedAt).not.toBeNull();
    expect(artifact.ingestionAttempts).toBe(1);

    // Files: the cluster's true bytes, at {user}/{artifact}/{name}, nothing else in storage.
    const checksums = await world.sim.checksums(job.externalJobId);
    const sizes = world.sim.fileSizes(job.externalJobId);
    expect(artifact.files.map((file) => file.name).sort()).toEqual(Object.keys(checksums).sort());
    for (const file of artifact.files) {
      const name = file.name as keyof typeof checksums;
      expect(file.storage_path).toBe(`${USER_ID}/${artifactId}/${file.name}`);
      expect(file.sha256).toBe(checksums[name]);
      expect(file.size_bytes).toBe(sizes[name]);
      const bytes = await readFile(path.join(world.storageRoot, "lora-models", file.storage_path));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(checksums[name]);
      // Recorded at ingest so the model's ZIP bundle can be laid out without reading the files.
      expect(file.crc32).toBe(crc32(bytes));
      expect(artifact.artifacts[file.name]).toBe(file.storage_path);
    }
    expect(artifact.files.find((file) => file.name === "adapter_config.json")?.content_type).toBe(
      "application/json",
    );
    expect(artifact.totalSizeBytes).toBe(Object.values(sizes).reduce((a, b) => a + b, 0));
    expect(artifact.bytesCopied).toBe(artifact.totalSizeBytes);
    expect(artifact.modelMetadata).toMatchObject({
      base_model: "meta-llama/Llama-3.1-8B",
      adapter_type: "lora",
    });

    // Quality from packages/quality over the job's points in step order.
    const points = await db
      .select()
      .from(metricsPoints)
      .where(eq(metricsPoints.jobId, job.id))
      .orderBy(asc(metricsPoints.step));
    const expected = calculateQualityMetrics(
      points.map((p) => ({ training_loss: p.trainingLoss, validation_loss: p.validationLoss })),
    );
    expect(artifact.qualityMetrics).toEqual(expected);
    expect(artifact.qualityScore).toBe(4);
    expect(artifact.trainingSummary).toEqual({
      epochs_completed: 3,
      total_steps: 200,
      final_loss: expected.final_training_loss,
      training_duration_hours: 73,
      total_cost: 18.42,
    });
    expect(artifact.configuration).toEqual({
      preset_id: "balanced",
      hyperparameters: job.hyperparameters,
      gpu_config: { type: "A100-80GB", count: 2 },
    });

    const [linked] = await db.select().from(trainingJobs).where(eq(trainingJobs.id, job.id));
    expect(linked?.artifactId).toBe(artifactId);

    const notes = await db.select().from(notifications).where(eq(notifications.userId, USER_ID));
    const mine = notes.filter((note) => note.metadata.job_id === job.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      type: "artifact_ready",
      title: "Model Ready for Download",
      message: "Your model 'Support tickets v3 - 2026-11-23' is ready — quality 4/5 (good).",
      priority: "high",
      actionUrl: `/models/${artifactId}`,
      metadata: { artifact_id: artifactId, job_id: job.id },
    });
  });

  it("says 'not rated' when the loss history cannot be scored", async () => {
    const job = await createJob(world.database.db, {
      sim: world.sim,
      curve: "unrated",
      datasetName: "Tiny set",
    });
    await waitForStatus(job.id, "stored");
    const [note] = await world.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.actionUrl, `/models/${artifactIdForJob(job.id)}`));
    expect(note?.message).toBe("Your model 'Tiny set - 2026-11-23' is ready — not rated.");
  });

  it("is ingested once however often the trigger fires and the sweep runs", async () => {
    const { db, sql } = world.database;
    const jobs = await Promise.all(
      Array.from({ length: 5 }, () =>
        createJob(db, { sim: world.sim, curve: "fair", complete: false }),
      ),
    );
    // Complete, then keep re-firing the trigger (status rewritten) while sweeps run concurrently.
    await Promise.all(jobs.map((job) => completeJob(db, job.id)));
    await Promise.all([
      ...Array.from({ length: 5 }, () => world.ingester.sweepNow()),
      ...jobs.flatMap((job) =>
        Array.from(
          { length: 3 },
          () => sql`update training_jobs set status = 'completed' where id = ${job.id}`,
        ),
      ),
    ]);
    for (const job of jobs) await waitForStatus(job.id, "stored");
    // And once more after they are stored: nothing to do.
    expect(await world.ingester.sweepNow()).toBe(0);
    for (const job of jobs) {
      const [{ count } = { count: -1 }] = await sql<{ count: number }[]>`
        select count(*)::int as count from notifications where metadata ->> 'job_id' = ${job.id}`;
      expect(count).toBe(1);
      const artifacts = await sql`select 1 from model_artifacts where job_id = ${job.id}`;
      expect(artifacts).toHaveLength(1);
      expect(world.sim.stats().jobs[job.externalJobId]?.listingRequests).toBe(1);
    }
  });

  it("ignores jobs that are not completed, and a rolled-back completion enqueues nothing", async () => {
    const { db, sql } = world.database;
    const running = await createJob(db, { sim: world.sim, complete: false });
    await sql
      .begin(async (tx) => {
        await tx`update training_jobs set status = 'completed' where id = ${running.id}`;
        await tx`rollback`.catch(() => {});
        throw new Error("roll back");
      })
      .catch(() => {});
    const [queued] = await sql<{ count: number }[]>`
      select count(*)::int as count from pgboss.job where name = 'artifact-ingestion' and singleton_key = ${running.id}`;
    expect(queued?.count).toBe(0);
    expect(await world.ingester.sweepNow()).toBe(0);
    expect(await artifactOf(running.id)).toBeUndefined();
  });

  it("fails for good on a refused key, waits for a manual retry, then succeeds", async () => {
    const { db, sql } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "excellent",
      spec: { fault: "auth_refused" },
    });
    const failed = await waitForStatus(job.id, "failed");
    expect(failed.failureReason).toMatch(/refused access to this job's files \(HTTP 401\)/);
    expect(failed.failureReason).not.toContain(TEST_API_KEY);
    // The sweep leaves failed jobs alone, so no request loop against a refusing cluster.
    expect(await world.ingester.sweepNow()).toBe(0);
    const failedNotes =
      await sql`select * from notifications where type = 'ingestion_failed' and metadata ->> 'job_id' = ${job.id}`;
    expect(failedNotes).toHaveLength(1);

    world.sim.registerJob(job.externalJobId, { adapterSizeBytes: 4096 });
    expect(await retryIngestion(sql, job.id)).toBe(true);
    const stored = await waitForStatus(job.id, "stored");
    expect(stored.ingestionAttempts).toBe(2);
    expect(stored.failureReason).toBeNull();
    expect(await retryIngestion(sql, job.id)).toBe(false);
    const readyNotes =
      await sql`select * from notifications where type = 'artifact_ready' and metadata ->> 'job_id' = ${job.id}`;
    expect(readyNotes).toHaveLength(1);
  });

  it("leaves nothing behind when its owner deletes the model while it is being copied", async () => {
    const { db, sql } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "good",
      // The adapter's body stalls half-way, so the delete lands mid-copy.
      spec: { fault: "slow", faultVariant: "file_mid_body", faultDelayMs: 1500, faultCount: 1 },
    });
    const artifactId = artifactIdForJob(job.id);
    await waitFor(async () => (await artifactOf(job.id))?.status === "processing", "copy start");
    await sql`update model_artifacts set deleted_at = now() where id = ${artifactId}`;
    await waitFor(async () => {
      const [queued] = await sql<{ state: string }[]>`
        select state from pgboss.job where name = 'artifact-ingestion' and singleton_key = ${job.id}`;
      return queued?.state === "completed";
    }, "the attempt to finish");

    const artifact = await artifactOf(job.id);
    expect(artifact?.status).toBe("processing");
    expect(artifact?.deletedAt).not.toBeNull();
    expect(await world.storage.list(`${USER_ID}/${artifactId}/`)).toEqual([]);
    const [linked] = await db.select().from(trainingJobs).where(eq(trainingJobs.id, job.id));
    expect(linked?.artifactId).toBeNull();
    const notes = await sql`select 1 from notifications where metadata ->> 'job_id' = ${job.id}`;
    expect(notes).toHaveLength(0);
    // Never picked up again: neither the sweep nor the trigger revives a deleted model.
    expect(await world.ingester.sweepNow()).toBe(0);
    await sql`update training_jobs set status = 'completed' where id = ${job.id}`;
    const requeued = await sql`
      select 1 from pgboss.job
       where name = 'artifact-ingestion' and singleton_key = ${job.id} and state <> 'completed'`;
    expect(requeued).toHaveLength(0);
  });

  // The final transaction re-checks the job: still completed, and linked to nothing. Each half
  // of that condition withdraws the attempt's artifact, its files and any announcement.
  async function copyThatStalls() {
    const { db } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "good",
      // The adapter's body stalls half-way, so the change lands mid-copy.
      spec: { fault: "slow", faultVariant: "file_mid_body", faultDelayMs: 1500, faultCount: 1 },
    });
    await waitFor(async () => (await artifactOf(job.id))?.status === "processing", "copy start");
    return job;
  }

  /** Every file on disk under the artifact's folder, hidden temporaries included. */
  async function filesOfArtifact(jobId: string) {
    const folder = `${USER_ID}/${artifactIdForJob(jobId)}/`;
    return (await allStoredFiles(world.storageRoot)).filter((file) => file.startsWith(folder));
  }

  async function attemptFinished(jobId: string) {
    await waitFor(async () => {
      const rows = await world.database.sql<{ state: string }[]>`
        select state from pgboss.job where name = 'artifact-ingestion' and singleton_key = ${jobId}`;
      return rows.length > 0 && rows.every((row) => row.state === "completed");
    }, "the attempt to finish");
  }

  it("withdraws its artifact when another service links the job to another artifact mid-copy", async () => {
    const { db, sql } = world.database;
    const job = await copyThatStalls();
    // Another service's artifact (of a job of its own), linked to this job while we copy.
    const other = await createJob(db, { sim: world.sim, complete: false });
    const [otherArtifact] = await sql<{ id: string }[]>`
      insert into model_artifacts (id, user_id, job_id, dataset_id, name, version, status)
      values (gen_random_uuid(), ${USER_ID}, ${other.id}, ${other.datasetId}, 'Linked by another service', '1.0.0', 'processing')
      returning id`;
    await sql`update training_jobs set artifact_id = ${otherArtifact!.id} where id = ${job.id}`;
    await attemptFinished(job.id);

    const [linked] = await db.select().from(trainingJobs).where(eq(trainingJobs.id, job.id));
    expect(linked?.artifactId).toBe(otherArtifact!.id);
    // Exactly one artifact for the job: the one it is linked to; ours is gone, files and all.
    expect(await artifactOf(job.id)).toBeUndefined();
    expect(await filesOfArtifact(job.id)).toEqual([]);
    const notes = await sql`select type from notifications where metadata ->> 'job_id' = ${job.id}`;
    expect(notes).toHaveLength(0);
    expect(await world.ingester.sweepNow()).toBe(0);
  });

  it("withdraws its artifact when the job leaves `completed` mid-copy, and ingests it once it is back", async () => {
    const { db, sql } = world.database;
    const job = await copyThatStalls();
    await sql`update training_jobs set status = 'running' where id = ${job.id}`;
    await attemptFinished(job.id);

    expect(await artifactOf(job.id)).toBeUndefined();
    expect(await filesOfArtifact(job.id)).toEqual([]);
    expect(
      await sql`select 1 from notifications where metadata ->> 'job_id' = ${job.id}`,
    ).toHaveLength(0);

    await completeJob(db, job.id);
    const artifact = await waitForStatus(job.id, "stored");
    expect(artifact.files).toHaveLength(3);
    const notes = await sql<{ type: string }[]>`
      select type from notifications where metadata ->> 'job_id' = ${job.id}`;
    expect(notes.map((note) => note.type)).toEqual(["artifact_ready"]);
  });

  it("stays exactly once when attempts on one job overlap (a lapsed heartbeat)", async () => {
    const { db, sql } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "poor",
      spec: { adapterSizeBytes: 2 * 1024 * 1024 },
    });
    // Besides the worker the trigger woke, two more attempts on the same job at the same time.
    const deps = {
      db,
      sql,
      storage: world.storage,
      cluster: createClusterClient({ baseUrl: world.sim.url, apiKey: TEST_API_KEY }),
      logger: createLogger({ name: "ingester", destination: world.logs }),
    };
    const outcomes = await Promise.all([
      ingestTrainingJob(deps, job.id, { isLastAttempt: false }),
      ingestTrainingJob(deps, job.id, { isLastAttempt: false }),
    ]);
    for (const outcome of outcomes) expect(["stored", "skipped"]).toContain(outcome.status);
    const artifact = await waitForStatus(job.id, "stored");
    const folder = `${USER_ID}/${artifact.id}/`;
    expect(await fileNamesIn(folder)).toEqual(STORED_FILE_NAMES);
    const notes = await sql`select 1 from notifications where metadata ->> 'job_id' = ${job.id}`;
    expect(notes).toHaveLength(1);
    const checksums = await world.sim.checksums(job.externalJobId);
    for (const file of artifact.files)
      expect(file.sha256).toBe(checksums[file.name as keyof typeof checksums]);
  });

  it("removes leftovers of earlier attempts from the artifact's folder", async () => {
    const { db } = world.database;
    const job = await createJob(db, { sim: world.sim, complete: false });
    const folder = `${USER_ID}/${artifactIdForJob(job.id)}/`;
    const { Readable } = await import("node:stream");
    await world.storage.put(`${folder}old_checkpoint.bin`, Readable.from([Buffer.from("stale")]), {
      contentType: "application/octet-stream",
    });
    await completeJob(db, job.id);
    await waitForStatus(job.id, "stored");
    expect(await fileNamesIn(folder)).toEqual(STORED_FILE_NAMES);
  });

  it("writes nothing but artifact folders, and never logs the API key", async () => {
    const files = await allStoredFiles(world.storageRoot);
    for (const file of files) {
      expect(file).toMatch(
        /^lora-models\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/[A-Za-z0-9][A-Za-z0-9._-]*$/,
      );
    }
    expect(world.logs.lines.length).toBeGreaterThan(0);
    expect(world.logs.text()).not.toContain(TEST_API_KEY);
    for (const line of world.logs.lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === "ingestion started" || entry.msg === "artifact stored")
        expect(entry.training_job_id).toEqual(expect.any(String));
    }
  });
});
