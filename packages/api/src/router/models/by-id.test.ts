import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { insertDataset } from "@mad/db/testing";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

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
      ingestion: { status: "stored", failure_reason: null, attempts: 1 },
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
