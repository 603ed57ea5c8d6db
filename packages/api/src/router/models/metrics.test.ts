import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { metricsPoints } from "@mad/db";
import { insertMetricsPoints, lossCurve } from "@mad/db/testing";

import { useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

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
    // The diagnostics see the NaN the chart leaves out.
    expect(result.diagnostics.instability).toMatchObject({
      non_finite_points: 1,
      non_finite_runs: [{ start_step: 2, end_step: 2, points: 1 }],
      non_finite_validation_points: 1,
    });
    expect(result).toEqual({
      diagnostics: result.diagnostics,
      total_points: 3,
      points: [
        { step: 1, epoch: 0, training_loss: 2.5, validation_loss: null },
        { step: 2, epoch: 0.5, training_loss: null, validation_loss: null },
        { step: 3, epoch: 1, training_loss: 1.5, validation_loss: 1.7 },
      ],
    });
    const empty = await insertArtifact(env.database.db, { userId: user });
    expect(await env.caller(user).models.metrics({ modelId: empty.artifact.id })).toMatchObject({
      points: [],
      total_points: 0,
      diagnostics: { best_step: null, overfitting: null },
    });
  });

  it("diagnoses the whole history: best step and overfitting onset of a run that overfit", async () => {
    const user = randomUUID();
    const { artifact, job } = await insertArtifact(env.database.db, { userId: user });
    // Training falls throughout; validation (every 10 steps) is lowest at step 100, then rises.
    await env.database.db.insert(metricsPoints).values(
      Array.from({ length: 200 }, (_, i) => {
        const step = i + 1;
        const validation =
          step % 10 === 0 ? (step <= 100 ? 2 - 0.008 * step : 1.2 + 0.004 * (step - 100)) : null;
        return { jobId: job.id, step, trainingLoss: 2 - 0.009 * step, validationLoss: validation };
      }),
    );
    const result = await env.caller(user).models.metrics({ modelId: artifact.id, maxPoints: 60 });
    expect(result.points.length).toBeLessThanOrEqual(60);
    expect(result.diagnostics.points).toEqual({ total: 200, training: 200, validation: 20 });
    expect(result.diagnostics.best_step).toMatchObject({ step: 100, source: "validation" });
    expect(result.diagnostics.overfitting).toMatchObject({
      onset_step: 110,
      best_validation_step: 100,
    });
    expect(result.diagnostics.summary[0]).toMatch(/^Overfitting began at step 110/);
  });
});
