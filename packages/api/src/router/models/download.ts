/**
 * models.download: signed URLs (one hour) for a stored model's files, all or the named ones. A
 * model still ingesting or failed, an unknown file name, or an object missing from storage each
 * get their own explained error.
 */
import { modelArtifacts } from "@mad/db";
import { StorageObjectNotFoundError } from "@mad/storage";

import type { AuthenticatedContext } from "../../context";
import { protectedProcedure, TRPCError } from "../../trpc";
import { assertDownloadable, quoted } from "./downloadable";
import { type DownloadInput, downloadInput } from "./inputs";
import { notFound, owned } from "./ownership";

export const SIGNED_URL_TTL_SECONDS = 3600;

export async function downloadModel(ctx: AuthenticatedContext, input: DownloadInput) {
  const [artifact] = await ctx.db
    .select({
      id: modelArtifacts.id,
      name: modelArtifacts.name,
      status: modelArtifacts.status,
      files: modelArtifacts.files,
      bytesCopied: modelArtifacts.bytesCopied,
      bytesTotal: modelArtifacts.bytesTotal,
      failureReason: modelArtifacts.failureReason,
    })
    .from(modelArtifacts)
    .where(owned(ctx, input.modelId))
    .limit(1);
  if (!artifact) throw notFound();
  assertDownloadable(artifact);

  let selected = artifact.files;
  if (input.files) {
    const byName = new Map(artifact.files.map((file) => [file.name, file]));
    const wanted = [...new Set(input.files)];
    const unknown = wanted.filter((name) => !byName.has(name));
    if (unknown.length > 0) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Unknown file${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 5).map(quoted).join(", ")}: this model has ${artifact.files.map((f) => quoted(f.name)).join(", ")}`,
      });
    }
    selected = wanted.flatMap((name) => byName.get(name) ?? []);
  }

  let urls: string[];
  try {
    urls = await ctx.storage.createSignedUrls(
      selected.map((file) => ({ path: file.storage_path, downloadName: file.name })),
      SIGNED_URL_TTL_SECONDS,
    );
  } catch (error) {
    if (!(error instanceof StorageObjectNotFoundError)) throw error;
    // A stored model whose object vanished: an integrity problem for operators, and a clear
    // answer (not an opaque 500) for the user.
    const missing = selected.find((file) => file.storage_path === error.path)?.name;
    ctx.logger.error(
      { requestId: ctx.requestId, modelId: artifact.id, err: error },
      "stored model file missing from storage",
    );
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `${missing ? `File ${quoted(missing)}` : "A file"} of this model is missing from storage, so it cannot be downloaded (request id ${ctx.requestId})`,
    });
  }
  ctx.metrics?.signedUrlsIssued(urls.length);
  return {
    model_id: artifact.id,
    model_name: artifact.name,
    download_urls: Object.fromEntries(
      selected.map((file, i) => [file.name, urls[i] ?? unsigned(file.name)]),
    ),
    expires_in_seconds: SIGNED_URL_TTL_SECONDS,
  };
}

export const downloadModelProcedure = protectedProcedure
  .input(downloadInput)
  .query(({ ctx, input }) => downloadModel(ctx, input));

/** Storage signs one URL per path asked for; one missing is a backend defect, not a user error. */
function unsigned(fileName: string): never {
  throw new Error(`storage returned no signed URL for ${quoted(fileName)}`);
}
