/** The validated, bounded inputs of the notifications procedures. */
import { z } from "zod";

export const listNotificationsInput = z
  .object({
    limit: z.int().min(1).max(100).default(20),
    /** `next_cursor` of the previous page (the id of its last notification). */
    cursor: z.uuid({ error: "must be a next_cursor from a previous page" }).optional(),
    unreadOnly: z.boolean().default(false),
  })
  .prefault({});

export type ListNotificationsInput = z.output<typeof listNotificationsInput>;

export const markReadInput = z.union(
  [
    z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict(),
    z.object({ all: z.literal(true) }).strict(),
  ],
  { error: "give either { ids: [notification ids] } or { all: true }" },
);

export type MarkReadInput = z.output<typeof markReadInput>;
