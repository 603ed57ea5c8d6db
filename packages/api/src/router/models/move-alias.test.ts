import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

/** Three stored models of one dataset, trained a day apart, and one still being copied. */
async function lineOf(userId: string) {
  const first = await insertArtifact(env.database.db, {
    userId,
    datasetName: "Support tickets",
    createdAt: new Date("2026-11-01T10:00:00Z"),
  });
  const datasetId = first.artifact.datasetId;
  const more = [];
  for (const day of [2, 3]) {
    more.push(
      await insertArtifact(env.database.db, {
        userId,
        datasetId,
        createdAt: new Date(Date.UTC(2026, 10, day, 10)),
      }),
    );
  }
  const processing = await insertArtifact(env.database.db, {
    userId,
    datasetId,
    status: "processing",
    createdAt: new Date("2026-11-04T10:00:00Z"),
  });
  return {
    datasetId,
    ids: [first, ...more].map((made) => made.artifact.id),
    processingId: processing.artifact.id,
  };
}

describe("models.moveAlias, removeAlias, resolve and line", () => {
  it("move production from v1 to v3; services resolve it; the page's line shows versions and history", async () => {
    const user = randomUUID();
    const { datasetId, ids, processingId } = await lineOf(user);
    const [v1, v2, v3] = ids;
    const caller = env.caller(user);

    expect(await caller.models.moveAlias({ modelId: v1!, alias: "production" })).toEqual({
      alias: "production",
      model_id: v1,
      previous_model_id: null,
      moved: true,
    });
    // Case and spaces around it are forgiven; the stored alias is the canonical one.
    await caller.models.moveAlias({ modelId: v2!, alias: " Staging " });
    expect(await caller.models.moveAlias({ modelId: v3!, alias: "production" })).toMatchObject({
      model_id: v3,
      previous_model_id: v1,
    });
    expect((await caller.models.resolve({ datasetId, alias: "production" })).id).toBe(v3);

    const line = await caller.models.line({ modelId: v2! });
    expect(line.dataset.id).toBe(datasetId);
    expect(line.models.map((m) => [m.version, m.status, m.aliases])).toEqual([
      ["1.0.0", "stored", []],
      ["2.0.0", "stored", ["staging"]],
      ["3.0.0", "stored", ["production"]],
      ["4.0.0", "processing", []],
    ]);
    expect(line.models[3]!.id).toBe(processingId);
    expect(
      line.moves.map((m) => [m.alias, m.from?.version ?? null, m.to?.version ?? null]),
    ).toEqual([
      ["production", "1.0.0", "3.0.0"],
      ["staging", null, "2.0.0"],
      ["production", null, "1.0.0"],
    ]);
    expect(line.moves[0]!.moved_by).toBe(user);

    expect(await caller.models.removeAlias({ modelId: v2!, alias: "staging" })).toEqual({
      alias: "staging",
      model_id: v2,
      removed: true,
    });
    expect((await outcome(caller.models.resolve({ datasetId, alias: "staging" }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("refuse a model not yet stored, a bad alias, and anything of another user — which answers like a missing one", async () => {
    const owner = randomUUID();
    const { datasetId, ids, processingId } = await lineOf(owner);
    const caller = env.caller(owner);
    await caller.models.moveAlias({ modelId: ids[0]!, alias: "production" });

    expect(
      await outcome(caller.models.moveAlias({ modelId: processingId, alias: "prod" })),
    ).toEqual({ code: "PRECONDITION_FAILED", message: "Only a stored model can hold an alias" });
    for (const alias of ["", "9lives", "has space", "x".repeat(33), "prod/../x"]) {
      expect((await outcome(caller.models.moveAlias({ modelId: ids[0]!, alias }))).code).toBe(
        "BAD_REQUEST",
      );
    }

    const intruder = env.caller(randomUUID());
    const missing = randomUUID();
    // Thunks: each call starts only when it is awaited, so no rejection goes unhandled.
    const pairs: [() => Promise<unknown>, () => Promise<unknown>][] = [
      [
        () => intruder.models.moveAlias({ modelId: ids[1]!, alias: "production" }),
        () => intruder.models.moveAlias({ modelId: missing, alias: "production" }),
      ],
      [
        () => intruder.models.line({ modelId: ids[0]! }),
        () => intruder.models.line({ modelId: missing }),
      ],
      [
        () => intruder.models.resolve({ datasetId, alias: "production" }),
        () => intruder.models.resolve({ datasetId: missing, alias: "production" }),
      ],
      [
        () => intruder.models.removeAlias({ modelId: ids[0]!, alias: "production" }),
        () => intruder.models.removeAlias({ modelId: missing, alias: "production" }),
      ],
    ];
    for (const [theirs, nobodys] of pairs) {
      const [a, b] = [await outcome(theirs()), await outcome(nobodys())];
      expect(a.code).toBe("NOT_FOUND");
      expect(a).toEqual(b);
    }
    // Nothing moved.
    expect((await caller.models.resolve({ datasetId, alias: "production" })).id).toBe(ids[0]);
    expect((await caller.models.line({ modelId: ids[0]! })).moves).toHaveLength(1);
  });

  it("release a deleted model's alias", async () => {
    const user = randomUUID();
    const { datasetId, ids } = await lineOf(user);
    const caller = env.caller(user);
    await caller.models.moveAlias({ modelId: ids[2]!, alias: "production" });
    await caller.models.delete({ modelId: ids[2]! });
    expect((await outcome(caller.models.resolve({ datasetId, alias: "production" }))).code).toBe(
      "NOT_FOUND",
    );
    const line = await caller.models.line({ modelId: ids[0]! });
    expect(line.aliases).toEqual([]);
    // The deleted model is no longer in the line; its version stays known to the history as null.
    expect(line.moves[0]).toMatchObject({ alias: "production", to: null });
  });
});
