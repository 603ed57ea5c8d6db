/** notifications.list: the caller's notifications, newest first, a keyset-paginated page. */
import { and, desc, eq, isNull, type SQL, sql } from "drizzle-orm";

import { type Notification, notifications } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { iso } from "../timestamps";
import { type ListNotificationsInput, listNotificationsInput } from "./inputs";

function notificationOutput(row: Notification) {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    message: row.message,
    priority: row.priority,
    action_url: row.actionUrl,
    metadata: row.metadata,
    read_at: iso(row.readAt),
    created_at: iso(row.createdAt),
  };
}

export async function listNotifications(ctx: AuthenticatedContext, input: ListNotificationsInput) {
  const conditions: SQL[] = [eq(notifications.userId, ctx.userId)];
  if (input.unreadOnly) conditions.push(isNull(notifications.readAt));
  if (input.cursor) {
    // Keyset pagination: strictly after the cursor row in (created_at, id) order. The cursor
    // row is looked up among the caller's own notifications only.
    conditions.push(
      sql`(${notifications.createdAt}, ${notifications.id}) < (select n.created_at, n.id from ${notifications} n where n.id = ${input.cursor} and n.user_id = ${ctx.userId})`,
    );
  }
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(and(...conditions))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    notifications: page.map(notificationOutput),
    next_cursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export const listNotificationsProcedure = protectedProcedure
  .input(listNotificationsInput)
  .query(({ ctx, input }) => listNotifications(ctx, input));
