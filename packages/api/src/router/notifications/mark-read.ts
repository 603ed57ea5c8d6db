/** notifications.markRead: marks the named (or all) unread notifications of the caller read. */
import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";

import { notifications } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { type MarkReadInput, markReadInput } from "./inputs";

export async function markNotificationsRead(ctx: AuthenticatedContext, input: MarkReadInput) {
  const conditions: SQL[] = [eq(notifications.userId, ctx.userId), isNull(notifications.readAt)];
  if ("ids" in input) conditions.push(inArray(notifications.id, input.ids));
  const updated = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now() })
    .where(and(...conditions))
    .returning({ id: notifications.id });
  return { updated: updated.length };
}

export const markReadProcedure = protectedProcedure
  .input(markReadInput)
  .mutation(({ ctx, input }) => markNotificationsRead(ctx, input));
