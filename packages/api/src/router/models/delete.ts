/**
 * models.delete: soft-deletes the caller's model (gone for every reader at once), then removes
 * its files from storage.
 */
import { modelArtifacts } from "@mad/db";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { modelIdInput } from "./inputs";
import { notFound, owned } from "./ownership";

/** Paths that may belong to this artifact: only inside its own folder, whatever a row says. */
function artifactPaths(userId: string, id: string, candidates: Iterable<string>): string[] {
  const folder = `${userId}/${id}/`;
  return [...new Set(candidates)].filter(
    (path) => path.startsWith(folder) && !path.slice(folder.length).includes("/"),
  );
}

export async function deleteModel(ctx: AuthenticatedContext, id: string) {
  const now = ctx.now();
  const [row] = await ctx.db
    .update(modelArtifacts)
    .set({ deletedAt: now, updatedAt: now })
    .where(owned(ctx, id))
    .returning({ files: modelArtifacts.files, artifacts: modelArtifacts.artifacts });
  if (!row) throw notFound();

  // The row is gone for every reader at once; the files follow. A storage failure leaves only
  // private objects that nothing signs any more, so it is logged rather than undoing the delete.
  let filesRemoved = true;
  try {
    const folder = `${ctx.userId}/${id}/`;
    const listed = await ctx.storage.list(folder);
    const paths = artifactPaths(ctx.userId, id, [
      ...row.files.map((file) => file.storage_path),
      ...Object.values(row.artifacts),
      ...listed.map((object) => object.path),
    ]);
    if (paths.length > 0) await ctx.storage.remove(paths);
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
