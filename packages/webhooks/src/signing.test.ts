import { describe, expect, it } from "vitest";

import { generateWebhookSecret, signWebhook, verifyWebhook, WebhookVerifyError } from "./signing";

const body = JSON.stringify({ type: "model.ready", data: { model: { id: "m1" } } });

describe("signWebhook / verifyWebhook", () => {
  it("generates distinct whsec_ secrets of 24 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  it("accepts a delivery signed with the endpoint's secret and returns the body", () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, "msg_1", body);
    expect(headers["webhook-signature"]).toMatch(/^v1,/);
    expect(verifyWebhook(secret, headers, body)).toEqual(JSON.parse(body));
    // Node's IncomingMessage headers may come in any case.
    expect(verifyWebhook(secret, { "Webhook-Id": "msg_1", ...headers }, body)).toBeTruthy();
  });

  it("rejects a tampered body, a foreign secret, a changed id and missing headers", () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, "msg_1", body);
    expect(() => verifyWebhook(secret, headers, body.replace("m1", "m2"))).toThrow(
      WebhookVerifyError,
    );
    expect(() => verifyWebhook(generateWebhookSecret(), headers, body)).toThrow(WebhookVerifyError);
    expect(() => verifyWebhook(secret, { ...headers, "webhook-id": "msg_2" }, body)).toThrow(
      WebhookVerifyError,
    );
    expect(() => verifyWebhook(secret, { "webhook-id": "msg_1" }, body)).toThrow(
      WebhookVerifyError,
    );
  });

  it("rejects a replayed delivery (timestamp older than five minutes) and one from the future", () => {
    const secret = generateWebhookSecret();
    const old = signWebhook(secret, "msg_1", body, new Date(Date.now() - 6 * 60_000));
    expect(() => verifyWebhook(secret, old, body)).toThrow(/too old/i);
    const future = signWebhook(secret, "msg_1", body, new Date(Date.now() + 6 * 60_000));
    expect(() => verifyWebhook(secret, future, body)).toThrow(WebhookVerifyError);
    const recent = signWebhook(secret, "msg_1", body, new Date(Date.now() - 60_000));
    expect(verifyWebhook(secret, recent, body)).toBeTruthy();
  });
});
