/**
 * models.moveAlias: points an alias of the model's line (`production`, `staging`, …) at this
 * stored model, taking it from whichever model held it; the move is recorded. Another user's
 * model is NOT_FOUND; a model that is not stored cannot hold an alias (PRECONDITION_FAILED).
 */
import { moveAlias } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { type AliasInput, aliasInput } from "./inputs";
import { notFound } from "./ownership";

export async function moveModelAlias(ctx: AuthenticatedContext, input: AliasInput) {
  const result = await moveAlias(ctx.db, {
    userId: ctx.userId,
    artifactId: input.modelId,
    alias: input.alias,
  });
  if (result.status === "not_found") throw notFound();
  if (result.status === "not_stored") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "Only a stored model can hold an alias",
    });
  }
  return {
    alias: input.alias,
    model_id: result.toArtifactId,
    previous_model_id: result.status === "moved" ? result.fromArtifactId : result.toArtifactId,
    moved: result.status === "moved",
  };
}

export const moveAliasProcedure = protectedProcedure
  .input(aliasInput)
  .mutation(({ ctx, input }) => moveModelAlias(ctx, input));
