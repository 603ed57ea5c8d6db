/**
 * webhooks.redeliver: sends a delivery again (same webhook-id, so a receiver that de-duplicates
 * by it sees a repeat, not a new event), with a fresh round of retries. A disabled endpoint must
 * be re-created first; a delivery whose retries are still running is left to them.
 */
import { and, eq, sql } from "drizzle-orm";

import { webhookDeliveries, webhookEndpoints } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { deliveryIdInput } from "./inputs";
import { ownedEndpoint } from "./ownership";

export async function redeliver(ctx: AuthenticatedContext, deliveryId: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: webhookDeliveries.status, disabledAt: webhookEndpoints.disabledAt })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.id, deliveryId), ownedEndpoint(ctx)))
      .for("update", { of: webhookDeliveries });
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Delivery not found" });
    if (row.disabledAt) {
      throw new TRPCError({
        code: "PRECONDITION_FAILED",
        message: "This endpoint was disabled (it answered 410 Gone); create it again to resume",
      });
    }
    await tx
      .update(webhookDeliveries)
      .set({ status: "pending" })
      .where(eq(webhookDeliveries.id, deliveryId));
    // One live job per delivery (pg-boss singleton): false while the earlier one still retries.
    const [enqueued] = await tx.execute<{ enqueued: boolean }>(
      sql`select enqueue_webhook_delivery(${deliveryId}::uuid) as enqueued`,
    );
    return { delivery_id: deliveryId, queued: enqueued?.enqueued ?? false };
  });
}

export const redeliverProcedure = protectedProcedure
  .input(deliveryIdInput)
  .mutation(({ ctx, input }) => redeliver(ctx, input.deliveryId));
