/** The user's notifications ("model ready", "ingestion failed"), one file per procedure. */
import { router } from "../../trpc";
import { listNotificationsProcedure } from "./list";
import { markReadProcedure } from "./mark-read";
import { unreadCountProcedure } from "./unread-count";

export const notificationsRouter = router({
  list: listNotificationsProcedure,
  markRead: markReadProcedure,
  unreadCount: unreadCountProcedure,
});
