/**
 * models.delete: soft-deletes the caller's model through the artifact lifecycle (gone for every
 * reader at once), then removes its files from storage.
 */
import { artifactFolder, softDeleteArtifact } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { modelIdInput } from "./inputs";
import { notFound } from "./ownership";

export async function deleteModel(ctx: AuthenticatedContext, id: string) {
  const deleted = await softDeleteArtifact(ctx.db, {
    userId: ctx.userId,
    artifactId: id,
    at: ctx.now(),
  });
  if (!deleted) throw notFound();

  // The row is gone for every reader at once; the files follow. A storage failure leaves only
  // private objects that nothing signs any more, so it is logged rather than undoing the delete.
  let filesRemoved = true;
  try {
    // The recorded files, then the whole folder: temporaries and open resumable uploads too.
    if (deleted.filePaths.length > 0) await ctx.storage.remove(deleted.filePaths);
    await ctx.storage.removeFolder(artifactFolder(ctx.userId, id));
  } catch (error) {
    filesRemoved = false;
    ctx.logger.error(
      { requestId: ctx.requestId, modelId: id, err: error },
      "model deleted but its files were not removed",
    );
  }
  return { model_id: id, deleted: true as const, files_removed: filesRemoved };
}

export const deleteModelProcedure = protectedProcedure
  .input(modelIdInput)
  .mutation(({ ctx, input }) => deleteModel(ctx, input.modelId));
