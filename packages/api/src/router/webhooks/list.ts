/** webhooks.list: the caller's endpoints, newest first (without their secrets). */
import { desc } from "drizzle-orm";

import { webhookEndpoints } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { publicEndpoint } from "./output";
import { ownedEndpoint } from "./ownership";

export async function listEndpoints(ctx: AuthenticatedContext) {
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(ownedEndpoint(ctx))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return { endpoints: rows.map(publicEndpoint) };
}

export const listEndpointsProcedure = protectedProcedure.query(({ ctx }) => listEndpoints(ctx));
