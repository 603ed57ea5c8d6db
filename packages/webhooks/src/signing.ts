/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the `standardwebhooks` library
 * does the HMAC and the timestamp tolerance (5 minutes), so sender and receiver cannot drift
 * apart from the specification.
 */
import { randomBytes } from "node:crypto";

import { Webhook, WebhookVerificationError } from "standardwebhooks";

// A type (not an interface) so it passes where a plain header record is expected.
export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** A new endpoint secret: `whsec_` + 24 random bytes in base64, the format the spec names. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** The three headers of one delivery of `body` (the exact bytes that will be sent). */
export function signWebhook(
  secret: string,
  messageId: string,
  body: string,
  at: Date = new Date(),
): WebhookHeaders {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1_000)),
    "webhook-signature": new Webhook(secret).sign(messageId, at, body),
  };
}

export class WebhookVerifyError extends Error {
  override readonly name = "WebhookVerifyError";
}

/**
 * For receivers: checks signature and timestamp of a delivery and returns the parsed body.
 * Throws WebhookVerifyError for a tampered body, a foreign secret, a missing header, or a
 * timestamp more than five minutes away (a replayed delivery).
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): unknown {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[key.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  try {
    return new Webhook(secret).verify(body, flat);
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new WebhookVerifyError(error.message);
    throw error;
  }
}
