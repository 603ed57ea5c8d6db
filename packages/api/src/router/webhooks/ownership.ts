/**
 * Every webhooks query starts from the caller's live endpoint: another user's endpoint or
 * delivery, a deleted one and a missing one all answer the same NOT_FOUND.
 */
import { eq, isNull, type SQL } from "drizzle-orm";

import { allOf, webhookEndpoints } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { TRPCError } from "../../trpc";

export function endpointNotFound(): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: "Webhook endpoint not found" });
}

export function ownedEndpoint(ctx: AuthenticatedContext, endpointId?: string): SQL {
  return allOf(
    eq(webhookEndpoints.userId, ctx.userId),
    isNull(webhookEndpoints.deletedAt),
    ...(endpointId ? [eq(webhookEndpoints.id, endpointId)] : []),
  );
}
