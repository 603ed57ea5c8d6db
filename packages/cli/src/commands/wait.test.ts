/**
 * `mad wait` as a pipeline runs it: the bin in its own process, following models.events from
 * the real API over loopback while the artifact lifecycle moves the model along.
 */
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { insertArtifact } from "@mad/api/testing/fixtures";
import { completeIngestion, failIngestion, recordIngestionProgress } from "@mad/db";
import { minimalStoredFacts } from "@mad/db/testing";

import { jsonLines, runMad } from "../testing/bin";
import { useCliWorld } from "../testing/world";

const world = useCliWorld();

const madWait = (args: string[], token: string) =>
  runMad(world.env.server.url, ["wait", ...args], token);

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function processingModel() {
  const userId = randomUUID();
  const { artifact } = await insertArtifact(world.env.database.db, {
    userId,
    status: "processing",
    bytesCopied: 0,
    bytesTotal: 4096,
  });
  const token = await world.env.auth.mintAccessToken(userId);
  return { userId, artifact, token };
}

describe("mad wait", () => {
  it("follows the copy and exits 0 once the model is stored", async () => {
    const { userId, artifact, token } = await processingModel();
    const run = madWait([artifact.id, "--json"], token);
    await until(() => world.env.events!.subscriberCount() === 1, "the bin to subscribe");
    await recordIngestionProgress(world.env.database.db, artifact.id, 2048, 4096);
    await until(() => run.output().stdout.includes('"progress"'), "a progress line");
    await completeIngestion(
      world.env.database.db,
      { artifactId: artifact.id, jobId: artifact.jobId },
      minimalStoredFacts(userId, artifact.id),
    );
    expect(await run.exited).toBe(0);
    expect(jsonLines(run.output().stdout)).toEqual([
      { event: "progress", model_id: artifact.id, bytes_copied: 2048, bytes_total: 4096 },
      { event: "stored", model_id: artifact.id, model_name: artifact.name },
    ]);
    expect(world.env.events!.subscriberCount()).toBe(0);
  });

  it("exits 1 with the reason when the copy fails for good", async () => {
    const { artifact, token } = await processingModel();
    const run = madWait([artifact.id], token);
    await until(() => world.env.events!.subscriberCount() === 1, "the bin to subscribe");
    await failIngestion(
      world.env.database.db,
      artifact.id,
      "adapter_model.safetensors: checksum mismatch",
    );
    expect(await run.exited).toBe(1);
    expect(run.output().stdout).toContain("failed: adapter_model.safetensors: checksum mismatch");
  });

  it("a model that is already stored: exits 0 at once", async () => {
    const { modelId, token } = await world.storedModel({ "adapter_config.json": "{}" });
    const run = madWait([modelId, "--json"], token);
    expect(await run.exited).toBe(0);
    expect(jsonLines(run.output().stdout)).toEqual([
      expect.objectContaining({ event: "stored", model_id: modelId }),
    ]);
  });

  it("another user's model answers as a missing one; --timeout gives up with 124", async () => {
    const { artifact } = await processingModel();
    const stranger = await world.env.auth.mintAccessToken(randomUUID());
    const foreign = madWait([artifact.id], stranger);
    const missing = madWait([randomUUID()], stranger);
    expect(await foreign.exited).toBe(1);
    expect(await missing.exited).toBe(1);
    const normalized = (text: string) => text.replace(/[0-9a-f-]{36}/g, "<id>");
    expect(normalized(foreign.output().stderr)).toBe(normalized(missing.output().stderr));
    expect(foreign.output().stderr).toMatch(/not found/i);

    const owner = await processingModel();
    const slow = madWait([owner.artifact.id, "--timeout", "1"], owner.token);
    expect(await slow.exited).toBe(124);
    expect(slow.output().stderr).toContain("was not ready within 1 s");
  });
});
