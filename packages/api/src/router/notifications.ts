/** The user's notifications ("model ready", "ingestion failed"), newest first. */
import { and, count, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";

import { notifications } from "@mad/db";

import { protectedProcedure, router } from "../trpc";

export const listNotificationsInput = z
  .object({
    limit: z.int().min(1).max(100).default(20),
    /** `next_cursor` of the previous page (the id of its last notification). */
    cursor: z.uuid({ error: "must be a next_cursor from a previous page" }).optional(),
    unreadOnly: z.boolean().default(false),
  })
  .prefault({});

export const markReadInput = z.union(
  [
    z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ],
  { error: "give either { ids: [notification ids] } or { all: true }" },
);

export const notificationsRouter = router({
  list: protectedProcedure.input(listNotificationsInput).query(async ({ ctx, input }) => {
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
      notifications: page.map((row) => ({
        id: row.id,
        type: row.type,
        title: row.title,
        message: row.message,
        priority: row.priority,
        action_url: row.actionUrl,
        metadata: row.metadata,
        read_at: row.readAt ? row.readAt.toISOString() : null,
        created_at: row.createdAt.toISOString(),
      })),
      next_cursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }),

  markRead: protectedProcedure.input(markReadInput).mutation(async ({ ctx, input }) => {
    const conditions: SQL[] = [eq(notifications.userId, ctx.userId), isNull(notifications.readAt)];
    if ("ids" in input) conditions.push(inArray(notifications.id, input.ids));
    const updated = await ctx.db
      .update(notifications)
      .set({ readAt: ctx.now() })
      .where(and(...conditions))
      .returning({ id: notifications.id });
    return { updated: updated.length };
  }),

  unreadCount: protectedProcedure.query(async ({ ctx }) => {
    const [row] = await ctx.db
      .select({ count: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, ctx.userId), isNull(notifications.readAt)));
    return { count: row?.count ?? 0 };
  }),
});
