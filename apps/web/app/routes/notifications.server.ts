/**
 * Which notifications point at a model that is no longer there (deleted by its owner): their
 * link would only lead to the not-found page, so the page says the model was deleted instead.
 */
import type { DbClient } from "@mad/db";

const MODEL_PATH = /^\/models\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export interface NotificationTarget {
  id: string;
  action_url: string | null;
  metadata: unknown;
}

/** The model a notification is about: its metadata's artifact_id, else its `/models/<id>` link. */
export function modelIdOf(notification: NotificationTarget): string | null {
  const fromMetadata = (notification.metadata as { artifact_id?: unknown } | null)?.artifact_id;
  if (typeof fromMetadata === "string" && MODEL_PATH.test(`/models/${fromMetadata}`)) {
    return fromMetadata.toLowerCase();
  }
  return MODEL_PATH.exec(notification.action_url ?? "")?.[1]?.toLowerCase() ?? null;
}

/** Ids of the notifications (among these, of this user) whose model is deleted or gone. */
export async function notificationsOfGoneModels(
  db: DbClient,
  userId: string,
  notifications: NotificationTarget[],
): Promise<Set<string>> {
  const modelIds = [
    ...new Set(notifications.map(modelIdOf).filter((id): id is string => id !== null)),
  ];
  if (modelIds.length === 0) return new Set();
  // Only the user's own live models count: another user's model is as gone as a deleted one.
  const live = await db.sql<{ id: string }[]>`
    select id from model_artifacts
    where user_id = ${userId} and id = any(${modelIds}::uuid[]) and deleted_at is null`;
  const liveIds = new Set(live.map((row) => row.id));
  return new Set(
    notifications
      .filter((n) => {
        const modelId = modelIdOf(n);
        return modelId !== null && !liveIds.has(modelId);
      })
      .map((n) => n.id),
  );
}
