/**
 * The webhooks settings page's server side: what it loads (endpoints with their recent
 * deliveries) and one function per form intent, each answering what the page shows.
 */
import { data } from "@remix-run/node";
import { z } from "zod";

import { apiErrorCode, callApi } from "../server/api-errors.server";
import type { ServerCaller } from "../server/context.server";

/** Deliveries shown per endpoint (the newest). */
const DELIVERIES_SHOWN = 10;

export async function loadWebhooksPage(caller: ServerCaller) {
  const { endpoints } = await callApi(() => caller.webhooks.list());
  return {
    endpoints: await Promise.all(
      endpoints.map(async (endpoint) => {
        const { deliveries } = await callApi(() =>
          caller.webhooks.deliveries({ endpointId: endpoint.id, limit: DELIVERIES_SHOWN }),
        );
        return { ...endpoint, deliveries };
      }),
    ),
  };
}

const EVENT_TYPES = ["model.ready", "model.failed", "model.deleted"] as const;

const webhooksFormSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    url: z.string().max(2048),
    description: z.string().max(200).optional(),
  }),
  z.object({
    intent: z.literal("delete"),
    endpointId: z.uuid(),
    confirm: z.literal("yes", { error: "Tick the box to confirm." }),
  }),
  z.object({ intent: z.literal("redeliver"), deliveryId: z.uuid() }),
]);

export type WebhooksActionResult =
  | { kind: "created"; url: string; secret: string }
  | { kind: "done"; message: string }
  | { kind: "error"; message: string };

function answer(result: WebhooksActionResult, status = 200) {
  return data<WebhooksActionResult>(result, { status });
}

function refusal(error: unknown, fallback: string) {
  const code = apiErrorCode(error);
  if ((code === "BAD_REQUEST" || code === "PRECONDITION_FAILED") && error instanceof Error) {
    // Schema refusals are issue lists, not sentences.
    const message = error.message.startsWith("[") ? fallback : error.message;
    return answer({ kind: "error", message }, 400);
  }
  if (code === "NOT_FOUND") return answer({ kind: "error", message: fallback }, 404);
  throw error;
}

export async function runWebhooksAction(caller: ServerCaller, form: FormData) {
  const parsed = webhooksFormSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return answer(
      {
        kind: "error",
        message: parsed.error.issues[0]?.message ?? "That form was not understood.",
      },
      400,
    );
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "create": {
        const picked = EVENT_TYPES.filter((type) => form.getAll("events").includes(type));
        const created = await caller.webhooks.create({
          url: input.url,
          description: input.description,
          eventTypes: picked.length > 0 ? picked : undefined,
        });
        return answer({ kind: "created", url: created.url, secret: created.secret });
      }
      case "delete":
        await caller.webhooks.delete({ endpointId: input.endpointId });
        return answer({ kind: "done", message: "Endpoint deleted; it gets nothing more." });
      case "redeliver": {
        const result = await caller.webhooks.redeliver({ deliveryId: input.deliveryId });
        return answer({
          kind: "done",
          message: result.queued
            ? "Delivery queued again."
            : "Delivery marked for sending; its earlier retries are still running.",
        });
      }
    }
  } catch (error) {
    return refusal(error, "That endpoint or delivery no longer exists.");
  }
}
