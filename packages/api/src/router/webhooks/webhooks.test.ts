import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { webhookDeliveries, webhookEndpoints } from "@mad/db";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();
const RECEIVER = "https://hooks.example.com/mad";

describe("webhooks.create and list", () => {
  it("shows the secret once; list never does", async () => {
    const caller = env.caller(randomUUID());
    const created = await caller.webhooks.create({
      url: RECEIVER,
      description: "deploy bot",
      eventTypes: ["model.ready", "model.ready"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created).toMatchObject({
      url: RECEIVER,
      description: "deploy bot",
      event_types: ["model.ready"],
      disabled_at: null,
    });
    const { endpoints } = await caller.webhooks.list();
    expect(endpoints).toEqual([
      {
        id: created.id,
        url: RECEIVER,
        description: "deploy bot",
        event_types: ["model.ready"],
        created_at: created.created_at,
        disabled_at: null,
        disabled_reason: null,
      },
    ]);
    expect(JSON.stringify(endpoints)).not.toContain(created.secret);
  });

  it("refuses URLs the deployment's policy does not allow, and stores nothing", async () => {
    const user = randomUUID();
    const caller = env.caller(user);
    const refused: [string, RegExp][] = [
      ["http://hooks.example.com/x", /use https/],
      ["https://127.0.0.1/x", /private or loopback/],
      ["https://10.1.2.3/x", /private or loopback/],
      ["https://[::ffff:192.168.1.1]/x", /private or loopback/],
      ["https://169.254.169.254/latest/meta-data", /never allowed/],
      ["https://localhost:8080/x", /localhost/],
      ["https://user:pass@hooks.example.com/x", /credentials/],
      ["not a url", /not a valid URL/],
    ];
    for (const [url, reason] of refused) {
      const result = await outcome(caller.webhooks.create({ url }));
      expect(result.code, url).toBe("BAD_REQUEST");
      expect(result.message, url).toMatch(reason);
    }
    expect((await outcome(caller.webhooks.create({ url: RECEIVER, eventTypes: [] }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await caller.webhooks.list()).endpoints).toEqual([]);
  });
});

describe("webhooks deliveries, redeliver and delete", () => {
  it("a stored model makes a delivery the owner sees; redelivery re-queues it; delete cancels what is pending", async () => {
    const user = randomUUID();
    const caller = env.caller(user);
    const endpoint = await caller.webhooks.create({ url: RECEIVER });
    const { artifact } = await insertArtifact(env.database.db, { userId: user });

    const { deliveries } = await caller.webhooks.deliveries({ endpointId: endpoint.id });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      type: "model.ready",
      model_id: artifact.id,
      status: "pending",
      attempt_count: 0,
      attempts: [],
    });

    // Settled as failed (the worker's last try), then sent again by hand.
    await env.database.db
      .update(webhookDeliveries)
      .set({ status: "failed" })
      .where(eq(webhookDeliveries.id, deliveries[0]!.id));
    expect(await caller.webhooks.redeliver({ deliveryId: deliveries[0]!.id })).toMatchObject({
      delivery_id: deliveries[0]!.id,
    });
    const [again] = (await caller.webhooks.deliveries({ endpointId: endpoint.id })).deliveries;
    expect(again!.status).toBe("pending");

    expect(await caller.webhooks.delete({ endpointId: endpoint.id })).toEqual({
      endpoint_id: endpoint.id,
      deleted: true,
    });
    const [row] = await env.database.db
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveries[0]!.id));
    expect(row!.status).toBe("cancelled");
    expect((await caller.webhooks.list()).endpoints).toEqual([]);
    expect((await outcome(caller.webhooks.deliveries({ endpointId: endpoint.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("a disabled endpoint's delivery is not sent again", async () => {
    const user = randomUUID();
    const caller = env.caller(user);
    const endpoint = await caller.webhooks.create({ url: RECEIVER });
    await insertArtifact(env.database.db, { userId: user });
    await env.database.db
      .update(webhookEndpoints)
      .set({ disabledAt: new Date(), disabledReason: "answered 410 Gone" })
      .where(eq(webhookEndpoints.id, endpoint.id));
    const [delivery] = (await caller.webhooks.deliveries({ endpointId: endpoint.id })).deliveries;
    expect(await outcome(caller.webhooks.redeliver({ deliveryId: delivery!.id }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });

  it("another user's endpoint and delivery answer exactly like missing ones", async () => {
    const owner = randomUUID();
    const endpoint = await env.caller(owner).webhooks.create({ url: RECEIVER });
    await insertArtifact(env.database.db, { userId: owner });
    const [delivery] = (await env.caller(owner).webhooks.deliveries({ endpointId: endpoint.id }))
      .deliveries;
    const intruder = env.caller(randomUUID());
    const missing = randomUUID();
    const pairs: [() => Promise<unknown>, () => Promise<unknown>][] = [
      [
        () => intruder.webhooks.deliveries({ endpointId: endpoint.id }),
        () => intruder.webhooks.deliveries({ endpointId: missing }),
      ],
      [
        () => intruder.webhooks.delete({ endpointId: endpoint.id }),
        () => intruder.webhooks.delete({ endpointId: missing }),
      ],
      [
        () => intruder.webhooks.redeliver({ deliveryId: delivery!.id }),
        () => intruder.webhooks.redeliver({ deliveryId: missing }),
      ],
    ];
    for (const [theirs, nobodys] of pairs) {
      const [a, b] = [await outcome(theirs()), await outcome(nobodys())];
      expect(a.code).toBe("NOT_FOUND");
      expect(a).toEqual(b);
    }
    expect((await intruder.webhooks.list()).endpoints).toEqual([]);
    expect((await env.caller(owner).webhooks.list()).endpoints).toHaveLength(1);
  });
});
