/**
 * The cluster's listing (SPEC §4.1) is untrusted: it is parsed and bounded here, and what could
 * never be acted on safely (a file name that could leave the artifact's folder, a URL that is not
 * http(s), more files than any adapter has) fails for good instead of being retried.
 */
import { z } from "zod";

import { artifactFileNameSchema } from "../validate/file-name";
import { ClusterError } from "./errors";

export interface ArtifactListingFile {
  name: string;
  url: string;
  sha256: string | null;
}

export interface ArtifactListing {
  files: ArtifactListingFile[];
  modelMetadata: { base_model: string; adapter_type: string; [extra: string]: unknown };
}

const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "is not a sha256 hex digest")
  .transform((value) => value.toLowerCase());

const listingSchema = z.object({
  download_urls: z.record(z.string(), z.string().max(8_192)),
  model_metadata: z
    .object({ base_model: z.string().min(1).max(500), adapter_type: z.string().min(1).max(100) })
    .loose(),
  checksums: z.record(z.string(), sha256Schema).optional(),
});

const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

export function parseListing(
  text: string,
  limits: {
    maxFiles: number;
    /** Files every adapter has; a listing without them is not finished yet. */
    requiredFiles: readonly string[];
    redact: (text: string) => string;
  },
): ArtifactListing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ClusterError("the GPU cluster's list of files is not JSON", {
      kind: "bad-answer",
      detail: `listing is not JSON (${text.length} bytes, starts ${quote(limits.redact(text.slice(0, 40)))})`,
    });
  }
  const parsed = listingSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
      .join("; ");
    throw new ClusterError("the GPU cluster's list of files has an unexpected shape", {
      kind: "bad-answer",
      detail: `listing shape: ${limits.redact(problems)}`,
    });
  }
  const entries = Object.entries(parsed.data.download_urls);
  if (entries.length === 0) {
    throw new ClusterError("the GPU cluster has no files for this job yet", {
      kind: "not-ready",
      detail: "listing names no files",
    });
  }
  if (entries.length > limits.maxFiles) {
    throw new ClusterError(
      `the GPU cluster lists ${entries.length} files for this job, more than the ${limits.maxFiles} an adapter may have`,
      { kind: "unsafe-listing" },
    );
  }
  const files: ArtifactListingFile[] = [];
  for (const [name, fileUrl] of entries) {
    const checked = artifactFileNameSchema.safeParse(name);
    if (!checked.success) {
      throw new ClusterError(
        `the GPU cluster lists an unsafe file name ${quote(name)} (${checked.error.issues[0]?.message ?? "invalid"})`,
        { kind: "unsafe-listing" },
      );
    }
    let url: URL;
    try {
      url = new URL(fileUrl);
    } catch {
      throw new ClusterError(`the GPU cluster gave no valid address for ${name}`, {
        kind: "unsafe-listing",
      });
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new ClusterError(
        `the GPU cluster points ${name} at a ${url.protocol} address, which is never downloaded`,
        { kind: "unsafe-listing" },
      );
    }
    if (url.username || url.password) {
      throw new ClusterError(`the GPU cluster's address for ${name} carries credentials`, {
        kind: "unsafe-listing",
      });
    }
    files.push({ name, url: url.href, sha256: parsed.data.checksums?.[name] ?? null });
  }
  const missing = limits.requiredFiles.filter(
    (required) => !files.some((f) => f.name === required),
  );
  if (missing.length > 0) {
    throw new ClusterError(`the GPU cluster does not list ${missing.join(" or ")} yet`, {
      kind: "not-ready",
      detail: `listing lacks ${missing.join(", ")}`,
    });
  }
  return { files, modelMetadata: parsed.data.model_metadata };
}
