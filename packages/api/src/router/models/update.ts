/**
 * models.update: its owner renames a model, writes its description (Markdown, shown escaped) or
 * sets its tags, through the artifact lifecycle. Another user's model is NOT_FOUND, like a missing
 * one; a value out of bounds is BAD_REQUEST and changes nothing.
 */
import { updateArtifactDetails } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { modelById } from "./by-id";
import { type UpdateModelInput, updateModelInput } from "./inputs";
import { notFound } from "./ownership";

export async function updateModel(ctx: AuthenticatedContext, input: UpdateModelInput) {
  let updated: boolean;
  try {
    updated = await updateArtifactDetails(
      ctx.db,
      { userId: ctx.userId, artifactId: input.modelId },
      {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
      },
    );
  } catch (error) {
    if (error instanceof RangeError)
      throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
    throw error;
  }
  if (!updated) throw notFound();
  const model = await modelById(ctx, input.modelId);
  return { id: model.id, name: model.name, description: model.description, tags: model.tags };
}

export const updateModelProcedure = protectedProcedure
  .input(updateModelInput)
  .mutation(({ ctx, input }) => updateModel(ctx, input));
