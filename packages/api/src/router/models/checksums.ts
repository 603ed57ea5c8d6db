/**
 * models.checksums: the stored model's SHA256SUMS (what `sha256sum -c` reads) and the command
 * that checks downloaded files against it. From the recorded sha256s; storage is not touched.
 */
import { loadStoredArtifact, SHA256SUMS_NAME } from "../../bundle/model-bundle";
import { sha256sums, SHA256SUMS_VERIFY_COMMAND } from "../../bundle/sha256sums";
import type { AuthenticatedContext } from "../../context";
import { protectedProcedure } from "../../trpc";
import { assertDownloadable } from "./downloadable";
import { type ModelIdInput, modelIdInput } from "./inputs";
import { notFound } from "./ownership";

export async function modelChecksums(ctx: AuthenticatedContext, input: ModelIdInput) {
  const artifact = await loadStoredArtifact(ctx.db, ctx.userId, input.modelId);
  if (!artifact) throw notFound();
  assertDownloadable(artifact);
  return {
    model_id: artifact.id,
    file_name: SHA256SUMS_NAME,
    text: sha256sums(artifact.files),
    verify_command: SHA256SUMS_VERIFY_COMMAND,
  };
}

export const modelChecksumsProcedure = protectedProcedure
  .input(modelIdInput)
  .query(({ ctx, input }) => modelChecksums(ctx, input));
