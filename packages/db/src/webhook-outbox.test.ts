/**
 * Migration 0007's outbox trigger against the real schema: every artifact transition writes its
 * webhook event and the deliveries of the endpoints subscribed to it, exactly once, in the
 * writing transaction. (The pg-boss side is tested in the ingester, where pg-boss runs.)
 */
import { randomUUID } from "node:crypto";

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { retryFailedIngestion, softDeleteArtifact } from "./artifacts";
import { modelArtifacts, webhookDeliveries, webhookEndpoints, webhookEvents } from "./schema";
import { insertArtifactInState, insertStoredArtifact } from "./testing";
import { useTestDatabase } from "./testing/use-test-database";

const t = useTestDatabase();

async function endpointFor(
  userId: string,
  values: Partial<typeof webhookEndpoints.$inferInsert> = {},
) {
  const [row] = await t.db
    .insert(webhookEndpoints)
    .values({ userId, url: "https://hooks.example.com/in", secret: "whsec_dGVzdA==", ...values })
    .returning();
  if (!row) throw new Error("no endpoint");
  return row;
}

async function eventsOf(artifactId: string) {
  return t.db
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.artifactId, artifactId))
    .orderBy(webhookEvents.createdAt);
}

describe("the webhook outbox trigger", () => {
  it("writes one model.ready with the verdict and the files (no storage paths) and a delivery per subscribed endpoint", async () => {
    const userId = randomUUID();
    const all = await endpointFor(userId);
    const onlyFailed = await endpointFor(userId, { eventTypes: ["model.failed"] });
    const deleted = await endpointFor(userId, { deletedAt: new Date() });
    const other = await endpointFor(randomUUID());
    const { artifact } = await insertStoredArtifact(t.db, {
      userId,
      datasetName: "Support tickets v9",
      quality: {
        overall_score: 4,
        convergence_quality: "good",
        final_training_loss: 0.42,
        final_validation_loss: 0.51,
        perplexity: 1.66,
        loss_reduction_percent: 71.5,
      },
      contents: { "adapter_config.json": '{"r":16}', "adapter_model.safetensors": "weights" },
    });
    const events = await eventsOf(artifact.id);
    expect(events.map((e) => e.type)).toEqual(["model.ready"]);
    const model = (events[0]?.payload as { model: Record<string, unknown> }).model;
    expect(model).toMatchObject({
      id: artifact.id,
      name: artifact.name,
      status: "stored",
      dataset: { id: artifact.datasetId, name: "Support tickets v9" },
      verdict: { score: 4, convergence: "good", metrics: { loss_reduction_percent: 71.5 } },
      failure_reason: null,
    });
    // The sentences are @mad/quality's: the delivery worker adds them, never SQL (migration 0010).
    expect(model.verdict).not.toHaveProperty("reasons");
    const files = model.files as { name: string; size_bytes: number; sha256: string }[];
    expect(files.map((f) => [f.name, f.size_bytes])).toEqual([
      ["adapter_config.json", 8],
      ["adapter_model.safetensors", 7],
    ]);
    for (const file of files) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(events[0]?.payload)).not.toContain("storage_path");
    const deliveries = await t.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.eventId, events[0]!.id));
    expect(deliveries.map((d) => [d.endpointId, d.status])).toEqual([[all.id, "pending"]]);
    expect([onlyFailed.id, deleted.id, other.id]).not.toContain(deliveries[0]?.endpointId);
  });

  it("gives a failed, retried, then stored ingestion one model.failed and exactly one model.ready", async () => {
    const userId = randomUUID();
    await endpointFor(userId);
    const { artifact } = await insertArtifactInState(t.db, { userId, state: "failed" });
    expect(await retryFailedIngestion(t.db, { userId, artifactId: artifact.id })).toMatchObject({
      status: "retried",
    });
    const storedSet = {
      status: "stored" as const,
      storedAt: new Date(),
      qualityMetrics: {
        overall_score: null,
        convergence_quality: "unknown" as const,
        final_training_loss: null,
        final_validation_loss: null,
        perplexity: null,
        loss_reduction_percent: null,
      },
      files: [
        { name: "a", storage_path: "p", size_bytes: 1, sha256: "0".repeat(64), content_type: "x" },
      ],
      failureReason: null,
    };
    await t.db.update(modelArtifacts).set(storedSet).where(eq(modelArtifacts.id, artifact.id));
    // A writer that sets the row back and stores it again (a bug, a manual fix) announces nothing new.
    await t.db
      .update(modelArtifacts)
      .set({ status: "processing" })
      .where(eq(modelArtifacts.id, artifact.id));
    await t.db.update(modelArtifacts).set(storedSet).where(eq(modelArtifacts.id, artifact.id));
    const events = await eventsOf(artifact.id);
    expect(events.map((e) => e.type)).toEqual(["model.failed", "model.ready"]);
    expect(
      (events[0]?.payload as { model: { failure_reason: string } }).model.failure_reason,
    ).toMatch(/HTTP 404/);
    const [count] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from webhook_deliveries d join webhook_events e on e.id = d.event_id where e.artifact_id = ${artifact.id}`,
    );
    expect(count?.n).toBe(2);
  });

  it("writes model.deleted once, and nothing for a transition that rolled back", async () => {
    const userId = randomUUID();
    await endpointFor(userId);
    const { artifact } = await insertStoredArtifact(t.db, { userId });
    await t.db
      .transaction(async (tx) => {
        await softDeleteArtifact(tx, { userId, artifactId: artifact.id });
        throw new Error("roll back");
      })
      .catch(() => {});
    expect((await eventsOf(artifact.id)).map((e) => e.type)).toEqual(["model.ready"]);
    await softDeleteArtifact(t.db, { userId, artifactId: artifact.id });
    await t.db
      .update(modelArtifacts)
      .set({ deletedAt: new Date() })
      .where(eq(modelArtifacts.id, artifact.id));
    expect((await eventsOf(artifact.id)).map((e) => e.type)).toEqual([
      "model.ready",
      "model.deleted",
    ]);
  });

  it("refuses an endpoint without a whsec_ secret or with an unknown event type", async () => {
    const userId = randomUUID();
    await expect(endpointFor(userId, { secret: "plain" })).rejects.toThrow();
    await expect(endpointFor(userId, { eventTypes: ["model.exploded"] })).rejects.toThrow();
  });
});
