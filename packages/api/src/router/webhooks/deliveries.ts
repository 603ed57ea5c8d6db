/**
 * webhooks.deliveries: an endpoint's recent deliveries, newest first, each with its event and
 * every attempt (when, what the receiver answered, how long it took) — what an owner needs to
 * see why a receiver got nothing.
 */
import { desc, eq, inArray } from "drizzle-orm";

import {
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
  webhookEvents,
} from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { iso } from "../timestamps";
import { type DeliveriesInput, deliveriesInput } from "./inputs";
import { endpointNotFound, ownedEndpoint } from "./ownership";

/** Attempts shown per delivery (the newest); a delivery makes at most 33. */
const ATTEMPTS_SHOWN = 40;

export async function listDeliveries(ctx: AuthenticatedContext, input: DeliveriesInput) {
  const [endpoint] = await ctx.db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(ownedEndpoint(ctx, input.endpointId));
  if (!endpoint) throw endpointNotFound();
  const deliveries = await ctx.db
    .select({ delivery: webhookDeliveries, event: webhookEvents })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpoint.id))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(input.limit);
  const ids = deliveries.map((row) => row.delivery.id);
  const attempts =
    ids.length === 0
      ? []
      : await ctx.db
          .select()
          .from(webhookDeliveryAttempts)
          .where(inArray(webhookDeliveryAttempts.deliveryId, ids))
          .orderBy(desc(webhookDeliveryAttempts.attemptedAt));
  return {
    deliveries: deliveries.map(({ delivery, event }) => ({
      id: delivery.id,
      event_id: event.id,
      type: event.type,
      model_id: event.artifactId,
      status: delivery.status,
      attempt_count: delivery.attemptCount,
      created_at: iso(delivery.createdAt),
      last_attempt_at: delivery.lastAttemptAt ? iso(delivery.lastAttemptAt) : null,
      delivered_at: delivery.deliveredAt ? iso(delivery.deliveredAt) : null,
      attempts: attempts
        .filter((attempt) => attempt.deliveryId === delivery.id)
        .slice(0, ATTEMPTS_SHOWN)
        .map((attempt) => ({
          attempted_at: iso(attempt.attemptedAt),
          status_code: attempt.statusCode,
          error: attempt.error,
          duration_ms: attempt.durationMs,
        })),
    })),
  };
}

export const deliveriesProcedure = protectedProcedure
  .input(deliveriesInput)
  .query(({ ctx, input }) => listDeliveries(ctx, input));
