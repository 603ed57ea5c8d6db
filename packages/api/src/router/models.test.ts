import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  insertDataset,
  insertMetricsPoints,
  lossCurve,
  modelArtifacts,
  metricsPoints,
} from "@mad/db";

import { createApiTestEnv, outcome, type ApiTestEnv } from "../testing/env";
import { insertArtifact, insertStoredArtifactWithFiles } from "../testing/fixtures";

let env: ApiTestEnv;
beforeAll(async () => {
  env = await createApiTestEnv();
});
afterAll(async () => {
  await env.cleanup();
});

const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n, 12));

describe("authentication", () => {
  it("answers UNAUTHORIZED to every procedure without a user", async () => {
    const anonymous = env.caller(null);
    const id = randomUUID();
    const calls: Array<() => Promise<unknown>> = [
      () => anonymous.models.list(),
      () => anonymous.models.byId({ modelId: id }),
      () => anonymous.models.download({ modelId: id }),
      () => anonymous.models.metrics({ modelId: id }),
      () => anonymous.models.delete({ modelId: id }),
      () => anonymous.models.retryIngestion({ modelId: id }),
      () => anonymous.notifications.list(),
      () => anonymous.notifications.markRead({ all: true }),
      () => anonymous.notifications.unreadCount(),
      // Even a bad input is not validated for an anonymous caller.
      () => anonymous.models.byId({ modelId: "not-a-uuid" }),
    ];
    for (const call of calls) expect((await outcome(call())).code).toBe("UNAUTHORIZED");
  });

  it("treats a user id that is not a UUID as anonymous", async () => {
    expect(
      (await outcome(env.caller("'; drop table model_artifacts; --").models.list())).code,
    ).toBe("UNAUTHORIZED");
  });
});

describe("ownership", () => {
  it("answers the same NOT_FOUND for another user's, a deleted and a nonexistent model", async () => {
    const owner = randomUUID();
    const intruder = randomUUID();
    const { artifact: theirs } = await insertArtifact(env.database.db, { userId: owner });
    const { artifact: deleted } = await insertArtifact(env.database.db, {
      userId: intruder,
      deletedAt: new Date(),
    });
    const { artifact: failed } = await insertArtifact(env.database.db, {
      userId: owner,
      status: "failed",
    });
    const caller = env.caller(intruder);
    const procedures = [
      (modelId: string) => caller.models.byId({ modelId }),
      (modelId: string) => caller.models.download({ modelId }),
      (modelId: string) => caller.models.metrics({ modelId }),
      (modelId: string) => caller.models.retryIngestion({ modelId }),
      (modelId: string) => caller.models.delete({ modelId }),
    ];
    for (const procedure of procedures) {
      const answers = [
        await outcome(procedure(theirs.id)),
        await outcome(procedure(failed.id)),
        await outcome(procedure(deleted.id)),
        await outcome(procedure(randomUUID())),
      ];
      for (const answer of answers)
        expect(answer).toEqual({ code: "NOT_FOUND", message: "Model not found" });
    }
    // Nothing happened to the owner's models.
    const [row] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, theirs.id));
    expect(row?.deletedAt).toBeNull();
    const [failedRow] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, failed.id));
    expect(failedRow?.status).toBe("failed");
  });

  it("never lists another user's or deleted models", async () => {
    const me = randomUUID();
    await insertArtifact(env.database.db, { userId: me, name: "mine" });
    await insertArtifact(env.database.db, { userId: me, name: "gone", deletedAt: new Date() });
    await insertArtifact(env.database.db, { userId: randomUUID(), name: "theirs" });
    const result = await env.caller(me).models.list();
    expect(result.models.map((m) => m.name)).toEqual(["mine"]);
    expect(result.pagination.total).toBe(1);
  });
});

describe("models.list", () => {
  it("does the pagination arithmetic: first, last, beyond the last page, exact multiples", async () => {
    const user = randomUUID();
    const { datasetId } = await insertArtifact(env.database.db, {
      userId: user,
      createdAt: day(0),
    });
    for (let i = 1; i < 25; i++)
      await insertArtifact(env.database.db, { userId: user, datasetId, createdAt: day(i) });
    const caller = env.caller(user);

    const first = await caller.models.list();
    expect(first.models).toHaveLength(12);
    expect(first.pagination).toEqual({ page: 1, limit: 12, total: 25, totalPages: 3 });
    expect(first.models[0]!.created_at).toBe(day(24).toISOString());

    const last = await caller.models.list({ page: 3 });
    expect(last.models).toHaveLength(1);
    expect(last.models[0]!.created_at).toBe(day(0).toISOString());

    const beyond = await caller.models.list({ page: 4 });
    expect(beyond.models).toEqual([]);
    expect(beyond.pagination).toEqual({ page: 4, limit: 12, total: 25, totalPages: 3 });
    const farBeyond = await caller.models.list({ page: 1_000_000 });
    expect(farBeyond.models).toEqual([]);
    expect(farBeyond.pagination.total).toBe(25);

    const exact = await caller.models.list({ limit: 5, page: 5 });
    expect(exact.models).toHaveLength(5);
    expect(exact.pagination).toEqual({ page: 5, limit: 5, total: 25, totalPages: 5 });
    expect((await caller.models.list({ limit: 5, page: 6 })).models).toEqual([]);

    // Every model exactly once across the pages.
    const pages = await Promise.all([1, 2, 3].map((page) => caller.models.list({ page })));
    expect(new Set(pages.flatMap((p) => p.models.map((m) => m.id))).size).toBe(25);

    const nobody = await env.caller(randomUUID()).models.list();
    expect(nobody).toEqual({
      models: [],
      pagination: { page: 1, limit: 12, total: 0, totalPages: 0 },
    });
  });

  it("sorts newest first, ties by id, and by quality with unrated last and ties newest first", async () => {
    const user = randomUUID();
    const db = env.database.db;
    const { datasetId } = await insertArtifact(db, {
      userId: user,
      name: "five-old",
      score: 5,
      createdAt: day(1),
    });
    await insertArtifact(db, {
      userId: user,
      datasetId,
      name: "five-new",
      score: 5,
      createdAt: day(3),
    });
    await insertArtifact(db, {
      userId: user,
      datasetId,
      name: "unrated-newest",
      score: null,
      createdAt: day(9),
    });
    await insertArtifact(db, {
      userId: user,
      datasetId,
      name: "processing",
      status: "processing",
      createdAt: day(8),
      bytesCopied: 50,
      bytesTotal: 200,
    });
    await insertArtifact(db, { userId: user, datasetId, name: "two", score: 2, createdAt: day(5) });
    const tieA = await insertArtifact(db, {
      userId: user,
      datasetId,
      name: "tie-a",
      score: 3,
      createdAt: day(4),
    });
    const tieB = await insertArtifact(db, {
      userId: user,
      datasetId,
      name: "tie-b",
      score: 3,
      createdAt: day(4),
    });
    await insertArtifact(db, {
      userId: user,
      datasetId,
      name: "failed",
      status: "failed",
      createdAt: day(2),
    });
    const caller = env.caller(user);
    const ties = [tieA.artifact, tieB.artifact]
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .map((a) => a.name);

    const newest = await caller.models.list();
    expect(newest.models.map((m) => m.name)).toEqual([
      "unrated-newest",
      "processing",
      "two",
      ...ties,
      "five-new",
      "failed",
      "five-old",
    ]);

    const best = await caller.models.list({ sort: "quality" });
    expect(best.models.map((m) => m.name)).toEqual([
      "five-new",
      "five-old",
      ...ties,
      "two",
      "unrated-newest",
      "processing",
      "failed",
    ]);

    const processing = newest.models.find((m) => m.name === "processing")!;
    expect(processing.status).toBe("processing");
    expect(processing.progress).toEqual({ bytes_copied: 50, bytes_total: 200, percent: 25 });
    const failed = newest.models.find((m) => m.name === "failed")!;
    expect(failed.failure_reason).toMatch(/404/);
    expect(failed.progress).toBeNull();
    const stored = newest.models.find((m) => m.name === "two")!;
    expect(stored).toMatchObject({
      version: "1.0.0",
      status: "stored",
      quality_metrics: { overall_score: 2 },
      training_summary: { total_cost: 18.42 },
      dataset: { id: datasetId, name: "Support tickets v3" },
      job: { preset_id: "balanced" },
      progress: null,
      failure_reason: null,
    });
    expect(typeof stored.job.created_at).toBe("string");
  });

  it("searches model and dataset names, case-insensitively, with wildcards taken literally", async () => {
    const user = randomUUID();
    const db = env.database.db;
    await insertArtifact(db, {
      userId: user,
      name: "Legal QA - 2026-11-01",
      datasetName: "Contracts",
    });
    await insertArtifact(db, {
      userId: user,
      name: "Chatbot - 2026-11-02",
      datasetName: "Support tickets v3",
    });
    await insertArtifact(db, { userId: user, name: "100% accurate_model", datasetName: "Misc" });
    await insertArtifact(db, {
      userId: user,
      name: "100 percent accurateXmodel",
      datasetName: "Misc",
    });
    await insertArtifact(db, {
      userId: randomUUID(),
      name: "Legal QA of someone else",
      datasetName: "Contracts",
    });
    const caller = env.caller(user);
    const names = async (q: string) =>
      (await caller.models.list({ q })).models.map((m) => m.name).sort();

    expect(await names("legal")).toEqual(["Legal QA - 2026-11-01"]);
    expect(await names("  SUPPORT TICKETS  ")).toEqual(["Chatbot - 2026-11-02"]);
    expect(await names("contracts")).toEqual(["Legal QA - 2026-11-01"]);
    expect(await names("100%")).toEqual(["100% accurate_model"]);
    expect(await names("accurate_model")).toEqual(["100% accurate_model"]);
    expect(await names("%")).toEqual(["100% accurate_model"]);
    expect(await names("\\")).toEqual([]);
    expect(await names("")).toHaveLength(4);
    const counted = await caller.models.list({ q: "misc", limit: 1 });
    expect(counted.pagination).toEqual({ page: 1, limit: 1, total: 2, totalPages: 2 });
  });

  it("explains bad inputs", async () => {
    const caller = env.caller(randomUUID());
    const limit = await outcome(caller.models.list({ limit: 101 }));
    expect(limit.code).toBe("BAD_REQUEST");
    expect(limit.message).toMatch(/limit: Too big/);
    const sort = await outcome(caller.models.list({ sort: "name" as "quality" }));
    expect(sort.message).toMatch(/sort: /);
    const q = await outcome(caller.models.list({ q: "x".repeat(101) }));
    expect(q.message).toMatch(/q: must be at most 100 characters/);
    expect((await outcome(caller.models.list({ q: "a\u0000b" }))).code).toBe("BAD_REQUEST");
    expect((await outcome(caller.models.list({ page: 0 }))).code).toBe("BAD_REQUEST");
    expect((await outcome(caller.models.list({ page: 1.5 }))).code).toBe("BAD_REQUEST");
  });
});

describe("models.byId", () => {
  it("returns the whole artifact with its dataset, job, files and ingestion state", async () => {
    const user = randomUUID();
    const db = env.database.db;
    const dataset = await insertDataset(db, {
      userId: user,
      name: "Legal corpus",
      format: "jsonl",
      totalTrainingPairs: 4_200,
    });
    const { artifact, job } = await insertArtifact(db, {
      userId: user,
      datasetId: dataset.id,
      name: "Legal corpus - 2026-11-23",
    });
    const model = await env.caller(user).models.byId({ modelId: artifact.id });
    expect(model).toMatchObject({
      id: artifact.id,
      name: "Legal corpus - 2026-11-23",
      status: "stored",
      quality_metrics: { overall_score: 4, convergence_quality: "good" },
      configuration: { preset_id: "balanced", gpu_config: { type: "A100-80GB", count: 2 } },
      model_metadata: { base_model: "meta-llama/Llama-3.1-8B", adapter_type: "lora" },
      dataset: {
        id: dataset.id,
        name: "Legal corpus",
        format: "jsonl",
        total_training_pairs: 4_200,
      },
      job: { id: job.id, preset_id: "balanced" },
      ingestion: { status: "stored", failure_reason: null, attempts: 0 },
    });
    expect(model.files).toEqual([
      {
        name: "adapter_config.json",
        size_bytes: 8,
        sha256: artifact.files[0]!.sha256,
        content_type: "application/json",
      },
    ]);
    expect(model.job.started_at).toBe(job.startedAt!.toISOString());
    expect(model.job.completed_at).toBe(job.completedAt!.toISOString());
    // Storage paths are internal.
    expect(JSON.stringify(model)).not.toContain("storage_path");
  });

  it("rejects a malformed id as BAD_REQUEST before it reaches Postgres", async () => {
    const answer = await outcome(env.caller(randomUUID()).models.byId({ modelId: "123" }));
    expect(answer.code).toBe("BAD_REQUEST");
    expect(answer.message).toMatch(/modelId: must be a UUID/);
  });
});

describe("models.metrics", () => {
  it("downsamples a long loss history to maxPoints, keeping its ends and every validation point", async () => {
    const user = randomUUID();
    const { artifact, job } = await insertArtifact(env.database.db, { userId: user });
    await insertMetricsPoints(
      env.database.db,
      job.id,
      lossCurve({ kind: "good", steps: 5_000, validationEvery: 100 }),
    );
    const result = await env.caller(user).models.metrics({ modelId: artifact.id });
    expect(result.total_points).toBe(5_000);
    expect(result.points.length).toBeLessThanOrEqual(300);
    expect(result.points.length).toBeGreaterThan(250);
    expect(result.points[0]!.step).toBe(1);
    expect(result.points.at(-1)!.step).toBe(5_000);
    const validationSteps = result.points
      .filter((p) => p.validation_loss !== null)
      .map((p) => p.step);
    expect(validationSteps).toHaveLength(50);
    const steps = result.points.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));

    const small = await env.caller(user).models.metrics({ modelId: artifact.id, maxPoints: 60 });
    expect(small.points.length).toBeLessThanOrEqual(60);
  });

  it("returns a short history whole, with NaN and Infinity as null", async () => {
    const user = randomUUID();
    const { artifact, job } = await insertArtifact(env.database.db, { userId: user });
    await env.database.db.insert(metricsPoints).values([
      { jobId: job.id, step: 1, epoch: 0, trainingLoss: 2.5, validationLoss: null },
      {
        jobId: job.id,
        step: 2,
        epoch: 0.5,
        trainingLoss: Number.NaN,
        validationLoss: Number.POSITIVE_INFINITY,
      },
      { jobId: job.id, step: 3, epoch: 1, trainingLoss: 1.5, validationLoss: 1.7 },
    ]);
    const result = await env.caller(user).models.metrics({ modelId: artifact.id });
    expect(result).toEqual({
      total_points: 3,
      points: [
        { step: 1, epoch: 0, training_loss: 2.5, validation_loss: null },
        { step: 2, epoch: 0.5, training_loss: null, validation_loss: null },
        { step: 3, epoch: 1, training_loss: 1.5, validation_loss: 1.7 },
      ],
    });
    const empty = await insertArtifact(env.database.db, { userId: user });
    expect(await env.caller(user).models.metrics({ modelId: empty.artifact.id })).toEqual({
      points: [],
      total_points: 0,
    });
  });
});

describe("models.delete", () => {
  it("soft-deletes the model, removes its files, and hides it from every procedure at once", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      contents: {
        "adapter_config.json": '{"r":8}',
        "adapter_model.safetensors": Buffer.alloc(64, 7),
      },
    });
    // A stray object in the artifact's folder (an interrupted earlier copy) goes too.
    await env.storage.put(`${user}/${artifact.id}/training_args.json`, ReadableFrom("{}"), {
      contentType: "application/json",
    });
    const caller = env.caller(user);
    expect((await caller.models.list()).pagination.total).toBe(1);

    expect(await caller.models.delete({ modelId: artifact.id })).toEqual({
      model_id: artifact.id,
      deleted: true,
      files_removed: true,
    });
    const [row] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifact.id));
    expect(row?.deletedAt?.getTime()).toBe(env.clock.now().getTime());
    expect(await env.storage.list(`${user}/${artifact.id}/`)).toEqual([]);

    expect((await caller.models.list()).pagination.total).toBe(0);
    for (const call of [
      () => caller.models.byId({ modelId: artifact.id }),
      () => caller.models.download({ modelId: artifact.id }),
      () => caller.models.metrics({ modelId: artifact.id }),
      () => caller.models.delete({ modelId: artifact.id }),
    ]) {
      expect((await outcome(call())).code).toBe("NOT_FOUND");
    }
  });
});

describe("models.retryIngestion", () => {
  it("puts a failed artifact back to processing and enqueues its job again", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, {
      userId: user,
      status: "failed",
      bytesCopied: 100,
    });
    const result = await env.caller(user).models.retryIngestion({ modelId: artifact.id });
    // pg-boss is not installed in the test database, so the function enqueues nothing (the
    // ingester's sweep would); that it ran at all proves the migration's function is called.
    expect(result).toEqual({ model_id: artifact.id, status: "processing", enqueued: false });
    const [row] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifact.id));
    expect(row).toMatchObject({ status: "processing", failureReason: null, bytesCopied: 0 });
  });

  it("refuses a model that has not failed", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const answer = await outcome(env.caller(user).models.retryIngestion({ modelId: artifact.id }));
    expect(answer).toEqual({
      code: "PRECONDITION_FAILED",
      message: "Only a failed ingestion can be retried; this model is stored",
    });
  });
});

function ReadableFrom(text: string) {
  return new Blob([text]).stream();
}
