import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n, 12));

describe("models.list", () => {
  it("never lists another user's or deleted models", async () => {
    const me = randomUUID();
    await insertArtifact(env.database.db, { userId: me, name: "mine" });
    await insertArtifact(env.database.db, { userId: me, name: "gone", deletedAt: new Date() });
    await insertArtifact(env.database.db, { userId: randomUUID(), name: "theirs" });
    const result = await env.caller(me).models.list();
    expect(result.models.map((m) => m.name)).toEqual(["mine"]);
    expect(result.pagination.total).toBe(1);
  });

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
    // Its place in the line (exactly: db's aliases tests and models.line's).
    expect(stored.version).toMatch(/^[1-9]\d*\.0\.0$/);
    expect(stored).toMatchObject({
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
