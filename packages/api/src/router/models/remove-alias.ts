/**
 * models.removeAlias: takes an alias off the model that holds it (recorded as a move to nothing).
 * NOT_FOUND when the caller has no such model (the same answer as for any missing model) or it
 * does not hold that alias.
 */
import { removeAlias } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { type AliasInput, aliasInput } from "./inputs";
import { notFound } from "./ownership";

export async function removeModelAlias(ctx: AuthenticatedContext, input: AliasInput) {
  const removed = await removeAlias(ctx.db, {
    userId: ctx.userId,
    artifactId: input.modelId,
    alias: input.alias,
  });
  if (removed === "no-such-model") throw notFound();
  if (removed === "not-held") {
    throw new TRPCError({ code: "NOT_FOUND", message: "This model does not hold that alias" });
  }
  return { alias: input.alias, model_id: input.modelId, removed: true as const };
}

export const removeAliasProcedure = protectedProcedure
  .input(aliasInput)
  .mutation(({ ctx, input }) => removeModelAlias(ctx, input));
