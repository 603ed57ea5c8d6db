import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { metricsPoints, modelArtifacts } from "@mad/db";
import { adapterFactsFixture, insertDataset } from "@mad/db/testing";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

const facts = adapterFactsFixture({
  tensors: { count: 4, parameter_count: 1_048_576, dtypes: { F16: 4 }, lora: 4, layers: 1 },
});

/** Splits a card into its YAML front matter and its Markdown body. */
function parts(markdown: string) {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(markdown);
  if (!match) throw new Error("no front matter");
  return { front: match[1]!, body: match[2]! };
}

describe("models.card", () => {
  it("writes a README.md in the Hugging Face format that says only what we know", async () => {
    const user = randomUUID();
    const db = env.database.db;
    const dataset = await insertDataset(db, {
      userId: user,
      name: 'Support "tickets"\nv3',
      format: "jsonl",
      totalTrainingPairs: 1200,
    });
    const { artifact, job } = await insertArtifact(db, { userId: user, datasetId: dataset.id });
    await db
      .update(modelArtifacts)
      .set({ adapterFacts: facts, tags: ["support", "llama"], description: "Answers **tickets**." })
      .where(eq(modelArtifacts.id, artifact.id));
    await db.insert(metricsPoints).values(
      Array.from({ length: 200 }, (_, i) => {
        const step = i + 1;
        const validation =
          step % 10 === 0 ? (step <= 100 ? 2 - 0.008 * step : 1.2 + 0.004 * (step - 100)) : null;
        return { jobId: job.id, step, trainingLoss: 2 - 0.009 * step, validationLoss: validation };
      }),
    );

    const card = await env.caller(user).models.card({ modelId: artifact.id });
    expect(card.file_name).toBe("README.md");
    expect(card.content_type).toBe("text/markdown; charset=utf-8");
    const { front, body } = parts(card.markdown);
    expect(front.split("\n")).toEqual([
      'base_model: "meta-llama/Llama-3.1-8B"',
      "library_name: peft",
      "tags:",
      '  - "peft"',
      '  - "lora"',
      '  - "support"',
      '  - "llama"',
      "datasets:",
      // A newline or quote in a user's name stays inside one quoted scalar.
      '  - "Support \\"tickets\\"\\nv3"',
    ]);
    expect(body).toContain(`# ${artifact.name.replace("\n", " ")}\n\nAnswers **tickets**.`);
    expect(body).toContain("| Rank (r) | 64 |");
    expect(body).toContain("| Target modules | q_proj, v_proj |");
    expect(body).toContain("Score 4/5 (good), because:");
    expect(body).toContain("- Overfitting began at step 110:");
    const file = artifact.files[0]!;
    expect(body).toContain(`| ${file.name} | ${file.size_bytes} | \`${file.sha256}\` |`);
    expect(body).toContain(
      [
        "```sh",
        "vllm serve meta-llama/Llama-3.1-8B \\",
        "  --enable-lora \\",
        "  --max-lora-rank 64 \\",
      ].join("\n"),
    );
    expect(body).not.toContain("storage_path");
    expect(body).not.toContain(user);
  });

  it("without adapter facts it says so instead of guessing", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const { markdown } = await env.caller(user).models.card({ modelId: artifact.id });
    expect(markdown).toContain("The adapter's files have not been read for this model.");
    expect(markdown).not.toContain("vllm serve");
    expect(markdown).toContain("No training loss was logged");
  });

  it("another user's model is NOT_FOUND, like a missing one", async () => {
    const owner = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: owner });
    const other = await outcome(env.caller(randomUUID()).models.card({ modelId: artifact.id }));
    const missing = await outcome(env.caller(owner).models.card({ modelId: randomUUID() }));
    expect(other).toEqual(missing);
    expect(other.code).toBe("NOT_FOUND");
  });
});
