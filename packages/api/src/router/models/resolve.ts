/**
 * models.resolve: the model an alias points at, for services that deploy "whatever is
 * production" — `models.resolve({ datasetId, alias: "production" })` answers what models.byId
 * would. An alias nobody holds, a dataset of another user and a missing one all answer NOT_FOUND.
 */
import { resolveAlias } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { modelById } from "./by-id";
import { type ResolveAliasInput, resolveAliasInput } from "./inputs";

export async function resolveModelAlias(ctx: AuthenticatedContext, input: ResolveAliasInput) {
  const artifactId = await resolveAlias(ctx.db, { userId: ctx.userId, ...input });
  if (!artifactId) {
    throw new TRPCError({ code: "NOT_FOUND", message: "No model holds this alias" });
  }
  return modelById(ctx, artifactId);
}

export const resolveAliasProcedure = protectedProcedure
  .input(resolveAliasInput)
  .query(({ ctx, input }) => resolveModelAlias(ctx, input));
