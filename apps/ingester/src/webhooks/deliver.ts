/**
 * One attempt of one webhook delivery: sign, POST, record what happened. Throws when the attempt
 * should be retried (pg-boss owns the back-off, decision 0017); returns when it is settled.
 */
import http from "node:http";
import https from "node:https";

import type { Sql } from "@mad/db";
import { checkEndpointUrl, policyLookup, signWebhook, type UrlPolicy } from "@mad/webhooks";

import { hasReasons, verdictWithReasons } from "./verdict";

export interface DeliveryOptions {
  policy: UrlPolicy;
  timeoutMs: number;
  /** The dashboard's origin, for the model page link in the payload. */
  publicBaseUrl: string;
}

export type DeliveryOutcome = "delivered" | "cancelled" | "endpoint-gone" | "already-settled";

export class RetryableDeliveryError extends Error {
  override readonly name = "RetryableDeliveryError";
}

// Enough to show the owner what the receiver said; the rest is never read.
const MAX_RESPONSE_BYTES = 1_024;

interface Answer {
  statusCode: number | null;
  error: string | null;
}

function post(url: URL, headers: Record<string, string>, body: string, options: DeliveryOptions) {
  return new Promise<Answer>((resolve) => {
    const transport = url.protocol === "https:" ? https : http;
    // node:http never follows redirects: a 3xx is just a non-2xx answer.
    const request = transport.request(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "mad-webhooks/1" },
      lookup: policyLookup(options.policy),
      timeout: options.timeoutMs,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.on("response", (response) => {
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) response.destroy();
      });
      const done = () => resolve({ statusCode: response.statusCode ?? null, error: null });
      response.on("end", done);
      response.on("close", done);
      response.on("error", done);
    });
    request.on("timeout", () =>
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
    );
    request.on("error", (error: Error) =>
      resolve({ statusCode: null, error: error.message.slice(0, 300) }),
    );
    request.end(body);
  });
}

type EventPayload = { model: Record<string, unknown> & { id: string; verdict?: unknown } };

/**
 * The event's payload with the verdict's reasons, computed on the first attempt of any of the
 * event's deliveries and stored back, so every later attempt, every other endpoint and every
 * redelivery signs the very same body (receivers de-duplicate by webhook-id and may compare).
 */
async function payloadWithReasons(sql: Sql, eventId: string, payload: EventPayload) {
  if (hasReasons(payload.model.verdict)) return payload;
  const verdict = verdictWithReasons(payload.model.verdict);
  // The condition makes the first writer win when two endpoints' deliveries race.
  const [written] = await sql<{ payload: EventPayload }[]>`
    update webhook_events
       set payload = jsonb_set(payload, '{model,verdict}', ${JSON.stringify(verdict)}::jsonb)
     where id = ${eventId}
       and jsonb_typeof(payload #> '{model,verdict,reasons}') is distinct from 'array'
    returning payload`;
  if (written) return written.payload;
  const [current] = await sql<{ payload: EventPayload }[]>`
    select payload from webhook_events where id = ${eventId}`;
  if (!current) throw new Error(`webhook event ${eventId} does not exist`);
  return current.payload;
}

interface DeliveryRow {
  status: string;
  event_id: string;
  type: string;
  payload: EventPayload;
  created_at: Date;
  endpoint_id: string;
  url: string;
  secret: string;
  endpoint_gone: boolean;
}

export async function deliverWebhook(
  sql: Sql,
  options: DeliveryOptions,
  deliveryId: string,
  attempt: { isLastAttempt: boolean },
): Promise<DeliveryOutcome> {
  const [row] = await sql<DeliveryRow[]>`
    select d.status::text as status, e.id as event_id, e.type, e.payload, e.created_at,
           ep.id as endpoint_id, ep.url, ep.secret,
           (ep.deleted_at is not null or ep.disabled_at is not null) as endpoint_gone
      from webhook_deliveries d
      join webhook_events e on e.id = d.event_id
      join webhook_endpoints ep on ep.id = d.endpoint_id
     where d.id = ${deliveryId}`;
  if (!row || row.status === "delivered" || row.status === "cancelled") return "already-settled";
  if (row.endpoint_gone) {
    await sql`update webhook_deliveries set status = 'cancelled' where id = ${deliveryId}`;
    return "cancelled";
  }
  const payload = await payloadWithReasons(sql, row.event_id, row.payload);
  const page = new URL(`/models/${payload.model.id}`, options.publicBaseUrl).toString();
  const body = JSON.stringify({
    type: row.type,
    timestamp: new Date(row.created_at).toISOString(),
    data: { model: { ...payload.model, page_url: page } },
  });
  const started = performance.now();
  let answer: Answer;
  try {
    const url = checkEndpointUrl(row.url, options.policy);
    answer = await post(url, signWebhook(row.secret, row.event_id, body), body, options);
  } catch (error) {
    answer = { statusCode: null, error: (error as Error).message.slice(0, 300) };
  }
  const durationMs = Math.round(performance.now() - started);
  const ok = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
  const gone = answer.statusCode === 410;
  const status = ok ? "delivered" : gone || attempt.isLastAttempt ? "failed" : "pending";
  await sql.begin(async (tx) => {
    await tx`
      insert into webhook_delivery_attempts (delivery_id, status_code, error, duration_ms)
      values (${deliveryId}, ${answer.statusCode}, ${answer.error}, ${durationMs})`;
    await tx`
      update webhook_deliveries
         set attempt_count = attempt_count + 1, last_attempt_at = now(), status = ${status},
             delivered_at = case when ${ok}::boolean then now() end
       where id = ${deliveryId}`;
    if (gone) {
      // 410 Gone is the receiver saying "stop": Standard Webhooks' convention for disabling.
      await tx`
        update webhook_endpoints set disabled_at = now(), disabled_reason = 'the receiver answered 410 Gone'
         where id = ${row.endpoint_id} and disabled_at is null`;
    }
  });
  if (ok) return "delivered";
  if (gone) return "endpoint-gone";
  throw new RetryableDeliveryError(
    answer.statusCode === null
      ? `delivery failed: ${answer.error}`
      : `receiver answered HTTP ${answer.statusCode}`,
  );
}
