/**
 * Every single-model query starts from `owned()`: the caller's user id and `deleted_at is null`
 * in SQL (the lifecycle's ownedLiveArtifact), so another user's model, a deleted one and a
 * nonexistent one take the same path and answer the same NOT_FOUND.
 */
import type { SQL } from "drizzle-orm";

import { ownedLiveArtifact } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { TRPCError } from "../../trpc";

export const MODEL_NOT_FOUND_MESSAGE = "Model not found";

export function notFound(): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: MODEL_NOT_FOUND_MESSAGE });
}

/** The caller's live artifact with this id. */
export function owned(ctx: AuthenticatedContext, id: string): SQL {
  return ownedLiveArtifact(ctx.userId, id);
}
