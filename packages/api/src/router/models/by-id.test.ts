import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";
import { adapterFactsFixture, insertDataset } from "@mad/db/testing";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

const rank64Facts = adapterFactsFixture();

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

  it("returns the adapter's facts and, from them, each engine's verdict and command", async () => {
    const user = randomUUID();
    const db = env.database.db;
    const { artifact } = await insertArtifact(db, { userId: user, name: "Support bot (rank 64)" });
    const before = await env.caller(user).models.byId({ modelId: artifact.id });
    expect(before).toMatchObject({
      adapter_facts: null,
      serving: null,
      tags: [],
      description: null,
    });

    await db
      .update(modelArtifacts)
      .set({ adapterFacts: rank64Facts })
      .where(eq(modelArtifacts.id, artifact.id));
    const model = await env.caller(user).models.byId({ modelId: artifact.id });
    expect(model.adapter_facts).toEqual(rank64Facts);
    expect(model.serving?.adapter_dir).toBe("support-bot-rank-64");
    const [peft, vllm, tgi] = model.serving!.engines;
    expect(model.serving!.engines).toHaveLength(3);
    expect(peft).toMatchObject({ engine: "peft", status: "loads" });
    expect(tgi).toMatchObject({ engine: "tgi", status: "loads" });
    expect(tgi!.command).toContain(
      "--lora-adapters support-bot-rank-64=/adapters/support-bot-rank-64",
    );
    expect(vllm).toMatchObject({ engine: "vllm", status: "loads_with_flags" });
    expect(vllm!.command).toBe(
      [
        "vllm serve meta-llama/Llama-3.1-8B \\",
        "  --enable-lora \\",
        "  --max-lora-rank 64 \\",
        "  --lora-modules support-bot-rank-64=./support-bot-rank-64",
      ].join("\n"),
    );
  });

  it("rejects a malformed id as BAD_REQUEST before it reaches Postgres", async () => {
    const answer = await outcome(env.caller(randomUUID()).models.byId({ modelId: "123" }));
    expect(answer.code).toBe("BAD_REQUEST");
    expect(answer.message).toMatch(/modelId: must be a UUID/);
  });
});
