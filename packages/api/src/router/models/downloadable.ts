/**
 * The preconditions every download shares (per-file URLs, the bundle, checksums): a model still
 * ingesting or failed gets its own explained error instead of a link that cannot work.
 */
import type { ModelArtifact } from "@mad/db";

import { TRPCError } from "../../trpc";
import { progressOf } from "./output";

export function assertDownloadable(
  artifact: Pick<ModelArtifact, "status" | "bytesCopied" | "bytesTotal" | "failureReason">,
): void {
  if (artifact.status === "processing") {
    const percent = progressOf(artifact)?.percent;
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Model is still being ingested${percent === null || percent === undefined ? "" : ` (${percent}% copied)`}; its files can be downloaded once it is ready`,
    });
  }
  if (artifact.status === "failed") {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Model ingestion failed (${artifact.failureReason ?? "unknown reason"}); retry the ingestion before downloading`,
    });
  }
}

/** Quotes an untrusted file name for a message, short and with control characters escaped. */
export function quoted(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}
