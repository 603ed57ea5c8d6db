/**
 * Every single-model query starts from `owned()`: the caller's user id and `deleted_at is null`
 * in SQL, so another user's model, a deleted one and a nonexistent one take the same path and
 * answer the same NOT_FOUND.
 */
import { and, eq, isNull, type SQL } from "drizzle-orm";

import { modelArtifacts } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { TRPCError } from "../../trpc";

export const MODEL_NOT_FOUND_MESSAGE = "Model not found";

export function notFound(): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: MODEL_NOT_FOUND_MESSAGE });
}

/** The caller's live artifact with this id: the condition every single-model query starts from. */
export function owned(ctx: AuthenticatedContext, id: string): SQL {
  return and(
    eq(modelArtifacts.id, id),
    eq(modelArtifacts.userId, ctx.userId),
    isNull(modelArtifacts.deletedAt),
  )!;
}
