import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { moveAlias } from "./aliases";
import {
  artifactIdForJob,
  beginIngestion,
  completeIngestion,
  recordIngestionProgress,
  softDeleteArtifact,
  updateArtifactDetails,
} from "./artifacts";
import { createDb, type DbClient } from "./client";
import { type ArtifactEvent, type ArtifactEventHub, createArtifactEventHub } from "./events";
import { insertCompletedJob, insertStoredArtifact, minimalStoredFacts } from "./testing";
import { useTestDatabase } from "./testing/use-test-database";

const database = useTestDatabase();
let listener: DbClient;
let hub: ArtifactEventHub;

beforeAll(async () => {
  // Its own connection, as a process would have (LISTEN holds a session).
  listener = createDb(database.url, { max: 1, applicationName: "mad-test-listener" });
  hub = await createArtifactEventHub(listener.sql);
});
afterAll(async () => {
  await hub?.close();
  await listener?.close();
});

/** Collects a user's events until `count` arrived (bounded wait), then unsubscribes. */
function collect(userId: string, count: number) {
  const controller = new AbortController();
  const events: ArtifactEvent[] = [];
  const done = (async () => {
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      for await (const event of hub.subscribe(userId, controller.signal)) {
        events.push(event);
        if (events.length >= count) break;
      }
    } finally {
      clearTimeout(timer);
    }
    return events;
  })();
  return { done, stop: () => controller.abort() };
}

const completedJob = (userId: string) => insertCompletedJob(database.db, userId);

describe("artifact events (LISTEN mad_artifact_events)", () => {
  it("a subscriber sees its model's progress, completion and notification, in order", async () => {
    const userId = randomUUID();
    const job = await completedJob(userId);
    const artifactId = artifactIdForJob(job.id);
    const seen = collect(userId, 5);
    // Only committed writes are announced: this one rolls back.
    await database.db
      .transaction(async (tx) => {
        await beginIngestion(tx, job.id);
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await beginIngestion(database.db, job.id);
    await recordIngestionProgress(database.db, artifactId, 512, 2048);
    await recordIngestionProgress(database.db, artifactId, 2048, 2048);
    // A detail edit is no live event.
    await updateArtifactDetails(database.db, { userId, artifactId }, { tags: ["x"] });
    await completeIngestion(
      database.db,
      { artifactId, jobId: job.id },
      minimalStoredFacts(userId, artifactId),
    );
    const events = await seen.done;
    expect(events.map((event) => event.kind)).toEqual([
      "progress",
      "progress",
      "progress",
      "stored",
      "notification",
    ]);
    expect(events[0]).toEqual({
      kind: "progress",
      user_id: userId,
      artifact_id: artifactId,
      status: "processing",
      bytes_copied: 0,
      bytes_total: null,
    });
    expect(events[2]).toMatchObject({ bytes_copied: 2048, bytes_total: 2048 });
    expect(events[4]).toMatchObject({ kind: "notification", artifact_id: artifactId });
  });

  it("another user's events never reach a subscriber, and a deletion is announced once", async () => {
    const ada = randomUUID();
    const grace = randomUUID();
    const adaJob = await completedJob(ada);
    const graceJob = await completedJob(grace);
    const adaSeen = collect(ada, 2);
    const graceSeen = collect(grace, 1);
    await beginIngestion(database.db, graceJob.id);
    await beginIngestion(database.db, adaJob.id);
    const at = new Date();
    await softDeleteArtifact(database.db, {
      userId: ada,
      artifactId: artifactIdForJob(adaJob.id),
      at,
    });
    await softDeleteArtifact(database.db, {
      userId: ada,
      artifactId: artifactIdForJob(adaJob.id),
      at,
    });
    const adaEvents = await adaSeen.done;
    expect(adaEvents.map((event) => [event.kind, event.artifact_id])).toEqual([
      ["progress", artifactIdForJob(adaJob.id)],
      ["deleted", artifactIdForJob(adaJob.id)],
    ]);
    const graceEvents = await graceSeen.done;
    expect(graceEvents.map((event) => [event.kind, event.artifact_id])).toEqual([
      ["progress", artifactIdForJob(graceJob.id)],
    ]);
  });

  it("an alias move is announced to its owner, with the new and the previous holder", async () => {
    const userId = randomUUID();
    const first = await insertStoredArtifact(database.db, { userId });
    const second = await insertStoredArtifact(database.db, {
      userId,
      datasetId: first.datasetId,
      completedAt: new Date(Date.now() + 60_000),
    });
    // Two moves, then the deletion (one "deleted") that releases the alias (one more move).
    const seen = collect(userId, 4);
    await moveAlias(database.db, { userId, artifactId: first.artifact.id, alias: "production" });
    await moveAlias(database.db, { userId, artifactId: second.artifact.id, alias: "production" });
    await softDeleteArtifact(database.db, { userId, artifactId: second.artifact.id });
    const events = (await seen.done).filter((event) => event.kind === "alias");
    expect(events).toEqual([
      {
        kind: "alias",
        user_id: userId,
        dataset_id: first.datasetId,
        alias: "production",
        artifact_id: first.artifact.id,
        previous_artifact_id: null,
      },
      expect.objectContaining({
        artifact_id: second.artifact.id,
        previous_artifact_id: first.artifact.id,
      }),
      expect.objectContaining({ artifact_id: null, previous_artifact_id: second.artifact.id }),
    ]);
  });

  it("an aborted subscription ends and is forgotten", async () => {
    const userId = randomUUID();
    const before = hub.subscriberCount();
    const seen = collect(userId, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(hub.subscriberCount()).toBe(before + 1);
    seen.stop();
    expect(await seen.done).toEqual([]);
    expect(hub.subscriberCount()).toBe(before);
  });
});
