/** notifications.unreadCount: how many of the caller's notifications are unread (the badge). */
import { and, count, eq, isNull } from "drizzle-orm";

import { notifications } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";

export async function unreadNotificationCount(ctx: AuthenticatedContext) {
  const [row] = await ctx.db
    .select({ count: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, ctx.userId), isNull(notifications.readAt)));
  return { count: row?.count ?? 0 };
}

export const unreadCountProcedure = protectedProcedure.query(({ ctx }) =>
  unreadNotificationCount(ctx),
);
