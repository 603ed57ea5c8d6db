/**
 * Outbound webhooks end to end: a real ingester stores a model, the outbox trigger enqueues the
 * delivery into the real pg-boss, and a real HTTP receiver on loopback checks the signature with
 * the receiver helper receivers are told to use.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

import {
  modelArtifacts,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from "@mad/db";
import { asConvergenceQuality, explainQuality } from "@mad/quality";
import { generateWebhookSecret, verifyWebhook, webhookPayloadSchema } from "@mad/webhooks";

import type { IngesterOptions } from "../queue/worker";
import { createJob, createTestWorld, type TestWorld, USER_ID, waitFor } from "../testing/world";

let world: TestWorld | undefined;
let receivers: Server[] = [];

afterEach(async () => {
  await world?.close();
  world = undefined;
  await Promise.all(
    receivers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  receivers = [];
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver that answers `statuses` in turn, then 200 for ever. */
async function startReceiver(statuses: number[]) {
  const received: Received[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const answered = statuses[received.length] ?? 200;
      received.push({ headers: req.headers, body, answered });
      res.statusCode = answered;
      res.end("receiver says hi");
    });
  });
  receivers.push(receiver);
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received };
}

const internal = { allowHttp: true, allowPrivate: true };

type WebhookSettings = NonNullable<IngesterOptions["webhooks"]>;

/** Settings for loopback receivers: a short timeout, a fixed page origin, no wait between tries. */
function webhookSettings(overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  return {
    policy: internal,
    timeoutMs: 2_000,
    publicBaseUrl: "https://dash.example.com",
    retryDelaySeconds: 0,
    ...overrides,
  };
}

async function endpoint(url: string, secret = generateWebhookSecret()) {
  const [row] = await world!.database.db
    .insert(webhookEndpoints)
    .values({ userId: USER_ID, url, secret })
    .returning();
  return { ...row!, secret };
}

function attemptsOf(deliveryId: string) {
  return world!.database.db
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId));
}

async function settledDelivery(endpointId: string) {
  return waitFor(async () => {
    const [row] = await world!.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId));
    return row && row.status !== "pending" ? row : null;
  }, "the delivery to settle");
}

describe("webhook delivery", () => {
  it("retries a receiver that answers 500 and delivers model.ready exactly once, validly signed, with the reasons; a redelivery sends the same body", async () => {
    world = await createTestWorld();
    const { url, received } = await startReceiver([500, 500, 503]);
    const hook = await endpoint(url);
    await world.startIngester({
      webhooks: webhookSettings({ retryLimit: 5 }),
    });
    const job = await createJob(world.database.db, { sim: world.sim, curve: "good" });
    const delivery = await settledDelivery(hook.id);
    expect(delivery.status).toBe("delivered");
    expect(delivery.attemptCount).toBe(4);
    expect(received.map((r) => r.answered)).toEqual([500, 500, 503, 200]);
    const accepted = received.filter((r) => r.answered === 200);
    expect(accepted).toHaveLength(1);
    const payload = webhookPayloadSchema.parse(
      verifyWebhook(hook.secret, accepted[0]!.headers, accepted[0]!.body),
    );
    expect(payload.type).toBe("model.ready");
    expect(payload.data.model.job_id).toBe(job.id);
    expect(payload.data.model.page_url).toBe(
      `https://dash.example.com/models/${payload.data.model.id}`,
    );
    expect(payload.data.model.files.length).toBeGreaterThan(0);
    expect(accepted[0]!.body).not.toMatch(/token=|storage_path/);
    // The verdict says why, in the model page's words, from the stored score.
    const [stored] = await world.database.db
      .select({ quality: modelArtifacts.qualityMetrics })
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, payload.data.model.id));
    const quality = stored!.quality!;
    const verdict = payload.data.model.verdict!;
    expect(verdict.score).toBe(quality.overall_score);
    expect(verdict.metrics.loss_reduction_percent).toBe(quality.loss_reduction_percent);
    expect(verdict.reasons[0]).toMatch(/^Training loss fell by \d+\.\d % .*earns \d stars?\.$/);
    expect(verdict.reasons).toEqual(
      explainQuality({
        ...quality,
        convergence_quality: asConvergenceQuality(quality.convergence_quality),
      }),
    );
    // The reasons were added before the first signing: every attempt carried the same body.
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    // Every try carried the same message id, so a receiver can de-duplicate.
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    // A tampered copy of the same delivery fails the receiver's check.
    expect(() =>
      verifyWebhook(hook.secret, accepted[0]!.headers, accepted[0]!.body.replace("good", "poor")),
    ).toThrow();
    const attempts = await attemptsOf(delivery.id);
    expect(attempts.map((a) => a.statusCode).sort()).toEqual([200, 500, 500, 503]);

    // A redelivery (what webhooks.redeliver does) repeats the message: same id, same body.
    await world.database.sql.begin(async (tx) => {
      await tx`update webhook_deliveries set status = 'pending' where id = ${delivery.id}`;
      await tx`select enqueue_webhook_delivery(${delivery.id}::uuid)`;
    });
    await waitFor(() => Promise.resolve(received.length === 5), "the redelivery");
    const again = received[4]!;
    expect(again.headers["webhook-id"]).toBe(accepted[0]!.headers["webhook-id"]);
    expect(again.body).toBe(accepted[0]!.body);
    expect(verifyWebhook(hook.secret, again.headers, again.body)).toEqual(
      JSON.parse(accepted[0]!.body),
    );
  });

  it("delivers one event to many endpoints back to back, not one per polling interval", async () => {
    world = await createTestWorld();
    const sinks = [];
    for (let i = 0; i < 6; i++) sinks.push(await startReceiver([]));
    const hooks = [];
    for (const { url } of sinks) hooks.push(await endpoint(url));
    // A long polling interval: only the NOTIFY and each slot's own re-fetch can make this fast.
    await world.startIngester({
      pollingIntervalSeconds: 10,
      webhooks: webhookSettings({ concurrency: 2 }),
    });
    const started = Date.now();
    await createJob(world.database.db, { sim: world.sim, curve: "good" });
    for (const hook of hooks) expect((await settledDelivery(hook.id)).status).toBe("delivered");
    // Six deliveries over two slots: three rounds of polling would take 20 s or more.
    expect(Date.now() - started).toBeLessThan(8_000);
    const bodies = sinks.map((r) => r.received.map((got) => got.body));
    for (const got of bodies) expect(got).toHaveLength(1);
    // Every endpoint got the same event: same id, and the same body (reasons written once).
    expect(new Set(bodies.map(([body]) => body)).size).toBe(1);
  });

  it("refuses a loopback receiver when the deployment does not allow private addresses, and gives up after the last retry", async () => {
    world = await createTestWorld();
    const { url, received } = await startReceiver([]);
    const hook = await endpoint(url);
    await world.startIngester({
      webhooks: webhookSettings({
        policy: { allowHttp: true, allowPrivate: false },
        retryLimit: 1,
      }),
    });
    await createJob(world.database.db, { sim: world.sim, curve: "good" });
    const delivery = await settledDelivery(hook.id);
    expect(delivery.status).toBe("failed");
    expect(received).toHaveLength(0);
    const attempts = await attemptsOf(delivery.id);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.statusCode).toBeNull();
      expect(attempt.error).toMatch(/private or loopback/);
      expect(attempt.error).not.toContain(hook.secret);
    }
  });

  it("disables an endpoint that answers 410 Gone and stops retrying", async () => {
    world = await createTestWorld();
    const { url, received } = await startReceiver([410]);
    const hook = await endpoint(url);
    await world.startIngester({
      webhooks: webhookSettings({ retryLimit: 5 }),
    });
    await createJob(world.database.db, { sim: world.sim, curve: "good" });
    const delivery = await settledDelivery(hook.id);
    expect(delivery.status).toBe("failed");
    expect(received).toHaveLength(1);
    const [row] = await world.database.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, hook.id));
    expect(row?.disabledAt).not.toBeNull();
  });
});
