/**
 * models.events end to end: the typed client's httpSubscriptionLink over server-sent events
 * against the real HTTP handler, fed by the database trigger (migration 0005) through the
 * host's LISTEN connection, while the artifact lifecycle moves a model along.
 */
import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  artifactIdForJob,
  beginIngestion,
  completeIngestion,
  recordIngestionProgress,
} from "@mad/db";
import { insertCompletedJob, minimalStoredFacts } from "@mad/db/testing";

import { createModelsClient } from "../../client";
import { useApiTestEnv } from "../../testing/env";
import type { ModelEvent } from "./events";

const env = useApiTestEnv({}, { events: true });

const completedJob = (userId: string) =>
  insertCompletedJob(env.database.db, userId, { completedAt: new Date() });

/** Subscribes as `userId` and resolves once the stream is open (its first ping or event). */
async function subscribe(userId: string, token?: string) {
  const client = createModelsClient({
    baseUrl: env.server.url,
    token: token ?? (await env.auth.mintAccessToken(userId)),
  });
  const events: ModelEvent[] = [];
  const errors: unknown[] = [];
  let started!: () => void;
  const open = new Promise<void>((resolve) => (started = resolve));
  const subscription = client.models.events.subscribe(undefined, {
    onStarted: () => started(),
    onData: (event) => events.push(event),
    onError: (error) => errors.push(error),
  });
  return { events, errors, open, stop: () => subscription.unsubscribe() };
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("models.events over server-sent events", () => {
  it("a subscriber sees its model's progress and completion; another user sees none of it", async () => {
    const ada = randomUUID();
    const grace = randomUUID();
    const adaStream = await subscribe(ada);
    const graceStream = await subscribe(grace);
    await Promise.all([adaStream.open, graceStream.open]);
    // Both are listening before anything happens (the stream opens before its generator runs).
    await until(() => env.events!.subscriberCount() === 2, "both subscriptions");

    const job = await completedJob(ada);
    const modelId = artifactIdForJob(job.id);
    await beginIngestion(env.database.db, job.id);
    await recordIngestionProgress(env.database.db, modelId, 1024, 4096);
    await completeIngestion(
      env.database.db,
      { artifactId: modelId, jobId: job.id },
      minimalStoredFacts(ada, modelId),
    );
    await until(() => adaStream.events.length >= 4, "Ada's four events");
    const [begun, progressed, stored, notified] = adaStream.events;
    expect(begun).toEqual({
      kind: "progress",
      model_id: modelId,
      status: "processing",
      bytes_copied: 0,
      bytes_total: null,
    });
    expect(progressed).toEqual({
      kind: "progress",
      model_id: modelId,
      status: "processing",
      bytes_copied: 1024,
      bytes_total: 4096,
    });
    expect(stored).toMatchObject({ kind: "stored", model_id: modelId, status: "stored" });
    expect(notified).toMatchObject({ kind: "notification", model_id: modelId });
    expect(notified?.kind === "notification" && notified.notification_id).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    expect(adaStream.errors).toEqual([]);
    expect(graceStream.events).toEqual([]);
    adaStream.stop();
    graceStream.stop();
    // Closing the stream ends the subscription on the server too.
    await until(() => env.events!.subscriberCount() === 0, "the subscriptions to end");
  });

  it("without a valid token the stream is refused as UNAUTHORIZED", async () => {
    const stream = await subscribe(randomUUID(), "not-a-token");
    await until(() => stream.errors.length > 0, "an error");
    expect(stream.errors[0]).toMatchObject({ data: { code: "UNAUTHORIZED" } });
    expect(stream.events).toEqual([]);
    stream.stop();
  });
});
