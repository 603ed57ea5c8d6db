import { randomUUID } from "node:crypto";

import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelLineAliases, moveAlias, removeAlias, resolveAlias } from "./aliases";
import { beginIngestion, softDeleteArtifact } from "./artifacts";
import { modelArtifacts } from "./schema";
import {
  insertArtifactInState,
  insertDataset,
  insertStoredArtifact,
  insertTrainingJob,
} from "./testing";
import { useTestDatabase } from "./testing/use-test-database";

const database = useTestDatabase();

/** A user's line of `count` stored models of one dataset, trained a day apart (oldest first). */
async function line(count: number, userId = randomUUID()) {
  const first = await insertStoredArtifact(database.db, {
    userId,
    datasetName: "Support tickets",
    completedAt: new Date("2026-11-01T10:00:00Z"),
  });
  const models = [first.artifact];
  for (let index = 1; index < count; index++) {
    const next = await insertStoredArtifact(database.db, {
      userId,
      datasetId: first.datasetId,
      completedAt: new Date(Date.UTC(2026, 10, 1 + index, 10)),
    });
    models.push(next.artifact);
  }
  return { userId, datasetId: first.datasetId, models };
}

describe("model line versions", () => {
  it("number a line's models in order of training, whatever order they are copied in", async () => {
    const userId = randomUUID();
    const dataset = await insertDataset(database.db, { userId, name: "Invoices" });
    const other = await insertDataset(database.db, { userId, name: "Another dataset" });
    const job = (datasetId: string, day: number) =>
      insertTrainingJob(database.db, {
        userId,
        datasetId,
        status: "completed",
        externalJobId: `job-${randomUUID()}`,
        completedAt: new Date(Date.UTC(2026, 10, day, 10)),
      });
    const earlier = await job(dataset.id, 10);
    const later = await job(dataset.id, 20);
    const elsewhere = await job(other.id, 15);
    // The ingester happens to begin the later job first.
    for (const { id } of [later, elsewhere, earlier]) await beginIngestion(database.db, id);
    const versions = await database.db
      .select({ jobId: modelArtifacts.jobId, version: modelArtifacts.version })
      .from(modelArtifacts)
      .where(inArray(modelArtifacts.jobId, [earlier.id, later.id, elsewhere.id]));
    const byJob = new Map(versions.map((row) => [row.jobId, row.version]));
    expect([byJob.get(earlier.id), byJob.get(later.id), byJob.get(elsewhere.id)]).toEqual([
      "1.0.0",
      "2.0.0",
      "1.0.0",
    ]);
  });

  it("give the Nth completed job of a line version N.0.0", async () => {
    const { models } = await line(3);
    expect(models.map((model) => model.version)).toEqual(["1.0.0", "2.0.0", "3.0.0"]);
  });
});

describe("aliases", () => {
  it("move within a line, one holder at a time, with every move recorded", async () => {
    const { userId, datasetId, models } = await line(3);
    const [v1, v2, v3] = models.map((model) => model.id);
    expect(await moveAlias(database.db, { userId, artifactId: v1!, alias: "production" })).toEqual({
      status: "moved",
      fromArtifactId: null,
      toArtifactId: v1,
    });
    await moveAlias(database.db, { userId, artifactId: v2!, alias: "staging" });
    expect(await moveAlias(database.db, { userId, artifactId: v3!, alias: "production" })).toEqual({
      status: "moved",
      fromArtifactId: v1,
      toArtifactId: v3,
    });
    expect(await moveAlias(database.db, { userId, artifactId: v3!, alias: "production" })).toEqual({
      status: "unchanged",
      toArtifactId: v3,
    });
    expect(await resolveAlias(database.db, { userId, datasetId, alias: "production" })).toBe(v3);
    const { aliases, moves } = await modelLineAliases(database.db, { userId, datasetId });
    expect(aliases.map((a) => [a.alias, a.artifactId])).toEqual([
      ["production", v3],
      ["staging", v2],
    ]);
    expect(moves.map((m) => [m.alias, m.fromArtifactId, m.toArtifactId, m.movedBy])).toEqual([
      ["production", v1, v3, userId],
      ["staging", null, v2, userId],
      ["production", null, v1, userId],
    ]);
  });

  it("hold under two concurrent moves: one wins last, the history chains both", async () => {
    const { userId, datasetId, models } = await line(3);
    const [v1, v2, v3] = models.map((model) => model.id);
    await moveAlias(database.db, { userId, artifactId: v1!, alias: "production" });
    const results = await Promise.all([
      moveAlias(database.db, { userId, artifactId: v2!, alias: "production" }),
      moveAlias(database.db, { userId, artifactId: v3!, alias: "production" }),
    ]);
    expect(results.every((result) => result.status === "moved")).toBe(true);
    const { aliases, moves } = await modelLineAliases(database.db, { userId, datasetId });
    expect(aliases).toHaveLength(1);
    const [last, middle] = moves;
    // No lost update: the later move starts from the earlier one's target, and the holder is
    // the later move's target.
    expect(last!.fromArtifactId).toBe(middle!.toArtifactId);
    expect(middle!.fromArtifactId).toBe(v1);
    expect(aliases[0]!.artifactId).toBe(last!.toArtifactId);
    expect(new Set([last!.toArtifactId, middle!.toArtifactId])).toEqual(new Set([v2, v3]));
  });

  it("are released, and the release recorded, when their model is deleted", async () => {
    const { userId, datasetId, models } = await line(1);
    const model = models[0]!;
    await moveAlias(database.db, { userId, artifactId: model.id, alias: "production" });
    await softDeleteArtifact(database.db, { userId, artifactId: model.id });
    expect(await resolveAlias(database.db, { userId, datasetId, alias: "production" })).toBeNull();
    const { aliases, moves } = await modelLineAliases(database.db, { userId, datasetId });
    expect(aliases).toEqual([]);
    expect(moves[0]).toMatchObject({
      fromArtifactId: model.id,
      toArtifactId: null,
      movedBy: userId,
    });
  });

  it("can be removed by the holder's owner only", async () => {
    const { userId, datasetId, models } = await line(2);
    const [v1, v2] = models.map((model) => model.id);
    await moveAlias(database.db, { userId, artifactId: v1!, alias: "staging" });
    expect(await removeAlias(database.db, { userId, artifactId: v2!, alias: "staging" })).toBe(
      "not-held",
    );
    expect(
      await removeAlias(database.db, { userId: randomUUID(), artifactId: v1!, alias: "staging" }),
    ).toBe("no-such-model");
    expect(await removeAlias(database.db, { userId, artifactId: v1!, alias: "staging" })).toBe(
      "removed",
    );
    expect(await resolveAlias(database.db, { userId, datasetId, alias: "staging" })).toBeNull();
  });

  it("answer another user's model, a model not stored and a missing one without moving anything", async () => {
    const { userId, datasetId, models } = await line(1);
    const intruder = randomUUID();
    expect(
      await moveAlias(database.db, { userId: intruder, artifactId: models[0]!.id, alias: "prod" }),
    ).toEqual({ status: "not_found" });
    expect(
      await moveAlias(database.db, { userId, artifactId: randomUUID(), alias: "prod" }),
    ).toEqual({ status: "not_found" });
    const processing = await insertArtifactInState(database.db, {
      userId,
      datasetId,
      state: "processing",
    });
    expect(
      await moveAlias(database.db, { userId, artifactId: processing.artifact.id, alias: "prod" }),
    ).toEqual({ status: "not_stored" });
    expect(
      await resolveAlias(database.db, { userId: intruder, datasetId, alias: "prod" }),
    ).toBeNull();
    expect((await modelLineAliases(database.db, { userId, datasetId })).moves).toEqual([]);
  });

  it("refuse a name the table's rule does not allow", async () => {
    const { userId, models } = await line(1);
    await expect(
      moveAlias(database.db, { userId, artifactId: models[0]!.id, alias: "Prod Uction" }),
    ).rejects.toThrow();
  });
});
