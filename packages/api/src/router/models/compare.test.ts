import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";
import { adapterFactsFixture } from "@mad/db/factories";
import { insertMetricsPoints, lossCurve } from "@mad/db/testing";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

/** A stored model of `userId` trained with `hyperparameters`, with a loss history. */
async function trained(
  userId: string,
  options: { name: string; learningRate: number; steps: number; epochs: number },
) {
  const made = await insertArtifact(env.database.db, { userId, name: options.name, score: 4 });
  await env.database.db
    .update(modelArtifacts)
    .set({
      configuration: {
        preset_id: "balanced",
        hyperparameters: { learning_rate: options.learningRate, batch_size: 8 },
        gpu_config: { type: "A100-80GB", count: 2 },
      },
      adapterFacts: adapterFactsFixture(),
    })
    .where(eq(modelArtifacts.id, made.artifact.id));
  await insertMetricsPoints(
    env.database.db,
    made.job.id,
    lossCurve({ kind: "good", steps: options.steps, epochs: options.epochs }),
  );
  return made;
}

describe("models.compare", () => {
  it("returns each model in the order asked, with its downsampled curve, epoch boundaries and the configuration diff", async () => {
    const user = randomUUID();
    const a = await trained(user, { name: "Run A", learningRate: 0.0002, steps: 200, epochs: 2 });
    const b = await trained(user, { name: "Run B", learningRate: 0.0001, steps: 2_000, epochs: 4 });
    const c = await trained(user, { name: "Run C", learningRate: 0.0002, steps: 50, epochs: 1 });
    const result = await env
      .caller(user)
      .models.compare({ modelIds: [b.artifact.id, a.artifact.id, c.artifact.id] });

    expect(result.models.map((m) => m.name)).toEqual(["Run B", "Run A", "Run C"]);
    const [runB, runA, runC] = result.models;
    expect(runA).toMatchObject({
      id: a.artifact.id,
      status: "stored",
      dataset: { name: "Support tickets v3" },
      quality_metrics: { overall_score: 4, convergence_quality: "good" },
      training_summary: { epochs_completed: 3, total_steps: 200 },
      loss: {
        total_points: 200,
        // progress × 2 epochs over 200 steps: epoch 1 is reached at step 101, epoch 2 at the end.
        epoch_boundaries: [
          { epoch: 1, step: 101 },
          { epoch: 2, step: 200 },
        ],
      },
    });
    expect(runA!.completed_at).toEqual(expect.any(String));
    expect(runA!.created_at).toEqual(expect.any(String));
    expect(runA!.loss.points).toHaveLength(200);
    // The long run is downsampled by the metrics procedure's downsampler, ends kept.
    expect(runB!.loss.total_points).toBe(2_000);
    expect(runB!.loss.points.length).toBeLessThanOrEqual(300);
    expect(runB!.loss.points[0]!.step).toBe(1);
    expect(runB!.loss.points.at(-1)!.step).toBe(2_000);
    expect(runB!.loss.epoch_boundaries.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(runC!.loss.epoch_boundaries).toEqual([{ epoch: 1, step: 50 }]);

    const learningRate = result.configuration_diff.find((r) => r.key === "learning_rate");
    expect(learningRate).toEqual({
      group: "hyperparameter",
      key: "learning_rate",
      values: [0.0001, 0.0002, 0.0002],
      differs: true,
    });
    expect(result.configuration_diff.find((r) => r.key === "batch_size")).toMatchObject({
      differs: false,
    });
    expect(
      result.configuration_diff.find((r) => r.group === "adapter" && r.key === "rank"),
    ).toMatchObject({
      values: [64, 64, 64],
      differs: false,
    });

    const small = await env
      .caller(user)
      .models.compare({ modelIds: [a.artifact.id, b.artifact.id], maxPoints: 50 });
    expect(small.models[1]!.loss.points.length).toBeLessThanOrEqual(50);
  });

  it("compares a model not yet stored: its curve, but no verdict until ingest computes one", async () => {
    const user = randomUUID();
    const stored = await trained(user, {
      name: "Stored",
      learningRate: 0.0002,
      steps: 20,
      epochs: 1,
    });
    const processing = await insertArtifact(env.database.db, {
      userId: user,
      status: "processing",
    });
    await insertMetricsPoints(
      env.database.db,
      processing.job.id,
      lossCurve({ kind: "good", steps: 30 }),
    );
    const result = await env
      .caller(user)
      .models.compare({ modelIds: [stored.artifact.id, processing.artifact.id] });
    expect(result.models[1]).toMatchObject({
      status: "processing",
      quality_metrics: null,
      training_summary: null,
      stored_at: null,
      loss: { total_points: 30 },
    });
    // Its configuration comes from the job (begin ingestion), adapter facts not read yet.
    expect(
      result.configuration_diff.find((r) => r.group === "adapter" && r.key === "rank"),
    ).toMatchObject({
      values: [64, null],
      differs: true,
    });
  });

  it("answers NOT_FOUND, exactly as for a missing model, when any id is another user's, deleted or unknown", async () => {
    const owner = randomUUID();
    const intruder = randomUUID();
    const theirs = await insertArtifact(env.database.db, { userId: owner });
    const mine = await insertArtifact(env.database.db, { userId: intruder });
    const alsoMine = await insertArtifact(env.database.db, { userId: intruder });
    const deleted = await insertArtifact(env.database.db, {
      userId: intruder,
      deletedAt: new Date(),
    });
    const caller = env.caller(intruder);
    for (const other of [theirs.artifact.id, deleted.artifact.id, randomUUID()]) {
      expect(await outcome(caller.models.compare({ modelIds: [mine.artifact.id, other] }))).toEqual(
        { code: "NOT_FOUND", message: "Model not found" },
      );
      expect(
        await outcome(
          caller.models.compare({ modelIds: [mine.artifact.id, alsoMine.artifact.id, other] }),
        ),
      ).toEqual({ code: "NOT_FOUND", message: "Model not found" });
    }
    // The owner compares the same model fine: the refusal was about who asked.
    const own = await insertArtifact(env.database.db, { userId: owner });
    const ok = await env
      .caller(owner)
      .models.compare({ modelIds: [theirs.artifact.id, own.artifact.id] });
    expect(ok.models).toHaveLength(2);
  });

  it("refuses one id, five ids, duplicates and malformed ids as BAD_REQUEST before Postgres", async () => {
    const caller = env.caller(randomUUID());
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const one = await outcome(caller.models.compare({ modelIds: ids.slice(0, 1) }));
    expect(one.code).toBe("BAD_REQUEST");
    expect(one.message).toMatch(/modelIds: must name at least 2 models/);
    const five = await outcome(caller.models.compare({ modelIds: ids }));
    expect(five.code).toBe("BAD_REQUEST");
    expect(five.message).toMatch(/modelIds: must name at most 4 models/);
    const duplicate = await outcome(caller.models.compare({ modelIds: [ids[0]!, ids[0]!] }));
    expect(duplicate.message).toMatch(/modelIds: must name distinct models/);
    // The same UUID in another case is the same model.
    const cased = await outcome(
      caller.models.compare({ modelIds: [ids[0]!, ids[0]!.toUpperCase()] }),
    );
    expect(cased.message).toMatch(/must name distinct models/);
    const malformed = await outcome(caller.models.compare({ modelIds: [ids[0]!, "123"] }));
    expect(malformed.code).toBe("BAD_REQUEST");
    expect(malformed.message).toMatch(/modelIds.1: must be a UUID/);
    expect((await outcome(caller.models.compare({ modelIds: [] }))).code).toBe("BAD_REQUEST");
  });
});
