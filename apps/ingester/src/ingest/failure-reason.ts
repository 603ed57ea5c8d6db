/**
 * Every failure of an ingestion has two accounts (SPEC §4: "a reason that a person can read"):
 * the `reason` shown on the model's page and in the notice — plain words that name the file,
 * never an internal path, a URL, a key or a library's error code — and the `detail` for the log
 * line, which carries the training job id and whatever an operator needs.
 */
import { StorageBackendError, StorageIntegrityError } from "@mad/storage";

import { ClusterError } from "../cluster";
import { isPermanentCopyError, StorageWriteError } from "../copy/copy-files";
import { InvalidArtifactFileError } from "../validate";

export interface DescribedFailure {
  reason: string;
  detail: string;
  /** No later attempt can succeed; the artifact fails now. */
  permanent: boolean;
}

function describeCause(error: unknown): string {
  // A storage error's detail already holds its whole chain (errno, HTTP status, server text).
  if (error instanceof StorageBackendError) return `${error.name} (${error.kind}): ${error.detail}`;
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause === undefined
    ? `${error.name}: ${error.message}`
    : `${error.name}: ${error.message} ← ${describeCause(cause)}`;
}

export function describeFailure(
  error: unknown,
  context: { trainingJobId: string; redact: (text: string) => string },
): DescribedFailure {
  const permanent = isPermanentCopyError(error);
  const detail = context
    .redact(error instanceof ClusterError ? error.detail : describeCause(error))
    .slice(0, 2_000);
  let reason: string;
  if (error instanceof ClusterError || error instanceof InvalidArtifactFileError) {
    reason = error.message;
  } else if (error instanceof StorageIntegrityError) {
    const file = error.path.slice(error.path.lastIndexOf("/") + 1);
    reason =
      error.check === "sha256"
        ? `${file} does not match the checksum the GPU cluster gave for it`
        : `${file} arrived with ${String(error.actual)} bytes instead of ${String(error.expected)}`;
  } else if (error instanceof StorageWriteError) {
    // The storage error's message is plain words (no path, URL or library code).
    reason =
      error.cause instanceof StorageBackendError
        ? `${error.fileName} could not be written to storage: ${error.cause.message}`
        : `${error.fileName} could not be written to storage`;
  } else {
    reason = `the ingestion stopped on an internal error (training job ${context.trainingJobId}; the ingester's log has the details)`;
  }
  return { reason: context.redact(reason).slice(0, 1_000), detail, permanent };
}
