/**
 * webhooks.delete: the endpoint gets nothing more; its pending deliveries are cancelled. The
 * row stays (deleted_at) so past deliveries remain explainable.
 */
import { and, eq, inArray } from "drizzle-orm";

import { webhookDeliveries, webhookEndpoints } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { endpointIdInput } from "./inputs";
import { endpointNotFound, ownedEndpoint } from "./ownership";

export async function deleteEndpoint(ctx: AuthenticatedContext, endpointId: string) {
  return ctx.db.transaction(async (tx) => {
    const [deleted] = await tx
      .update(webhookEndpoints)
      .set({ deletedAt: ctx.now() })
      .where(ownedEndpoint(ctx, endpointId))
      .returning({ id: webhookEndpoints.id });
    if (!deleted) throw endpointNotFound();
    await tx
      .update(webhookDeliveries)
      .set({ status: "cancelled" })
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          inArray(webhookDeliveries.status, ["pending"]),
        ),
      );
    return { endpoint_id: endpointId, deleted: true as const };
  });
}

export const deleteEndpointProcedure = protectedProcedure
  .input(endpointIdInput)
  .mutation(({ ctx, input }) => deleteEndpoint(ctx, input.endpointId));
