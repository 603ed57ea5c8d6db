/**
 * models.events: the caller's live events over server-sent events — a model's copy progress,
 * its being stored, failing or deleted, each new notification and each alias move — from the moment of
 * subscribing (no history: after a reconnect a client re-reads what it shows). Another user's
 * events are filtered out by the host's event hub, by user id.
 */
import type { ArtifactEvent } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";

export type ModelEvent =
  | {
      kind: "progress" | "stored" | "failed" | "deleted";
      model_id: string;
      status: "processing" | "stored" | "failed";
      bytes_copied: number;
      bytes_total: number | null;
    }
  | { kind: "notification"; notification_id: string; model_id: string | null }
  | {
      kind: "alias";
      dataset_id: string;
      alias: string;
      /** The model that holds the alias now; null when it was removed. */
      model_id: string | null;
      previous_model_id: string | null;
    };

export function modelEventOf(event: ArtifactEvent): ModelEvent {
  if (event.kind === "notification") {
    return {
      kind: "notification",
      notification_id: event.notification_id,
      model_id: event.artifact_id,
    };
  }
  if (event.kind === "alias") {
    return {
      kind: "alias",
      dataset_id: event.dataset_id,
      alias: event.alias,
      model_id: event.artifact_id,
      previous_model_id: event.previous_artifact_id,
    };
  }
  return {
    kind: event.kind,
    model_id: event.artifact_id,
    status: event.status,
    bytes_copied: event.bytes_copied,
    bytes_total: event.bytes_total,
  };
}

export async function* modelEvents(
  ctx: AuthenticatedContext,
  signal: AbortSignal | undefined,
): AsyncGenerator<ModelEvent> {
  if (!ctx.events) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "This server does not offer live events; read models.byId again instead",
    });
  }
  for await (const event of ctx.events.subscribe(ctx.userId, signal)) yield modelEventOf(event);
}

export const modelEventsProcedure = protectedProcedure.subscription(({ ctx, signal }) =>
  modelEvents(ctx, signal),
);
