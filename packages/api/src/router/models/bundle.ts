/**
 * models.bundle: one signed, expiring URL (one hour) that downloads the whole stored model as a
 * ZIP with its SHA256SUMS, served by the host (see ../../bundle). Files stored before CRC-32s
 * were recorded get theirs computed here, once, so the download's bytes are settled up front.
 */
import { StorageObjectNotFoundError } from "@mad/storage";

import { bundleOf, loadStoredArtifact, SHA256SUMS_NAME } from "../../bundle/model-bundle";
import { sha256sums, SHA256SUMS_VERIFY_COMMAND } from "../../bundle/sha256sums";
import { signBundleToken } from "../../bundle/token";
import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { SIGNED_URL_TTL_SECONDS } from "./download";
import { assertDownloadable } from "./downloadable";
import { type ModelIdInput, modelIdInput } from "./inputs";
import { notFound } from "./ownership";

export async function modelBundle(ctx: AuthenticatedContext, input: ModelIdInput) {
  const artifact = await loadStoredArtifact(ctx.db, ctx.userId, input.modelId);
  if (!artifact) throw notFound();
  assertDownloadable(artifact);
  if (!ctx.bundles || !artifact.storedAt) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "This server does not offer whole-model downloads; download the files one by one",
    });
  }
  let bundle;
  try {
    bundle = await bundleOf(ctx, { ...artifact, storedAt: artifact.storedAt });
  } catch (error) {
    if (!(error instanceof StorageObjectNotFoundError)) throw error;
    ctx.logger.error(
      { requestId: ctx.requestId, modelId: artifact.id, err: error },
      "stored model file missing from storage",
    );
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `A file of this model is missing from storage, so it cannot be downloaded (request id ${ctx.requestId})`,
    });
  }
  const token = await signBundleToken(
    ctx.bundles.signingSecret,
    { userId: ctx.userId, artifactId: artifact.id },
    SIGNED_URL_TTL_SECONDS,
    ctx.now(),
  );
  const base = ctx.bundles.baseUrl.replace(/\/+$/, "");
  return {
    model_id: artifact.id,
    model_name: artifact.name,
    url: `${base}/bundles/${artifact.id}/${encodeURIComponent(bundle.fileName)}?token=${token}`,
    file_name: bundle.fileName,
    size_bytes: bundle.layout.totalLength,
    files: bundle.entries.map((entry) => entry.name),
    sha256sums: sha256sums(artifact.files),
    sha256sums_name: SHA256SUMS_NAME,
    verify_command: SHA256SUMS_VERIFY_COMMAND,
    expires_in_seconds: SIGNED_URL_TTL_SECONDS,
  };
}

export const modelBundleProcedure = protectedProcedure
  .input(modelIdInput)
  .query(({ ctx, input }) => modelBundle(ctx, input));
