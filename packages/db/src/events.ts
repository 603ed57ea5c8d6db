/**
 * Live artifact events (migration 0005: a trigger NOTIFYs `mad_artifact_events` on every state
 * or progress change of an artifact and every new notification; the model_lines migration adds
 * every alias move). One LISTEN connection per
 * process fans the events out to its subscribers, each seeing only its own user's events.
 *
 * LISTEN needs a session: behind a transaction pooler (Supabase's port 6543) it must use a
 * direct or session-mode URL (decision 0009).
 */
import { z } from "zod";

import type { Sql } from "./client";

export const ARTIFACT_EVENTS_CHANNEL = "mad_artifact_events";

const uuid = z.string().uuid();
const bytes = z.number().int().nonnegative();

export const artifactEventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.enum(["progress", "stored", "failed", "deleted"]),
    user_id: uuid,
    artifact_id: uuid,
    status: z.enum(["processing", "stored", "failed"]),
    bytes_copied: bytes,
    bytes_total: bytes.nullable(),
  }),
  z.object({
    kind: z.literal("alias"),
    user_id: uuid,
    dataset_id: uuid,
    alias: z.string(),
    /** The new holder; null when the alias was removed. */
    artifact_id: uuid.nullable(),
    previous_artifact_id: uuid.nullable(),
  }),
  z.object({
    kind: z.literal("notification"),
    user_id: uuid,
    notification_id: uuid,
    artifact_id: uuid.nullable(),
  }),
]);

export type ArtifactEvent = z.infer<typeof artifactEventSchema>;

export interface ArtifactEventHub {
  /**
   * The user's events from now on, until `signal` aborts. A subscriber that falls more than
   * `maxQueued` events behind loses the oldest ones (a live view re-reads state anyway).
   */
  subscribe(userId: string, signal?: AbortSignal): AsyncIterable<ArtifactEvent>;
  /** Subscribers right now (for metrics and tests). */
  subscriberCount(): number;
  close(): Promise<void>;
}

interface Subscriber {
  userId: string;
  queue: ArtifactEvent[];
  wake: (() => void) | null;
}

export async function createArtifactEventHub(
  sql: Sql,
  options: { maxQueued?: number; onInvalidPayload?: (payload: string) => void } = {},
): Promise<ArtifactEventHub> {
  const maxQueued = options.maxQueued ?? 256;
  const subscribers = new Set<Subscriber>();
  const deliver = (payload: string) => {
    let event: ArtifactEvent;
    try {
      const parsed = artifactEventSchema.safeParse(JSON.parse(payload));
      if (!parsed.success) throw parsed.error;
      event = parsed.data;
    } catch {
      options.onInvalidPayload?.(payload);
      return;
    }
    for (const subscriber of subscribers) {
      if (subscriber.userId !== event.user_id) continue;
      subscriber.queue.push(event);
      if (subscriber.queue.length > maxQueued) subscriber.queue.shift();
      subscriber.wake?.();
    }
  };
  // postgres.js keeps this connection open and LISTENs again after a reconnect.
  const listening = await sql.listen(ARTIFACT_EVENTS_CHANNEL, deliver);

  return {
    subscribe(userId, signal) {
      const subscriber: Subscriber = { userId, queue: [], wake: null };
      subscribers.add(subscriber);
      const stop = () => {
        subscribers.delete(subscriber);
        subscriber.wake?.();
      };
      if (signal?.aborted) stop();
      else signal?.addEventListener("abort", stop, { once: true });
      return {
        async *[Symbol.asyncIterator]() {
          try {
            while (subscribers.has(subscriber)) {
              const next = subscriber.queue.shift();
              if (next) {
                yield next;
                continue;
              }
              await new Promise<void>((resolve) => {
                subscriber.wake = resolve;
              });
              subscriber.wake = null;
            }
          } finally {
            stop();
            signal?.removeEventListener("abort", stop);
          }
        },
      };
    },
    subscriberCount: () => subscribers.size,
    close: async () => {
      for (const subscriber of [...subscribers]) {
        subscribers.delete(subscriber);
        subscriber.wake?.();
      }
      await listening.unlisten();
    },
  };
}
