/**
 * The artifact lifecycle: the one owner of every state an artifact can be in and of the writes
 * that go with each transition (docs/architecture.md has the state machine):
 *
 *   (none) ─begin─▶ processing ─complete─▶ stored
 *                     │  ▲   └─complete (job changed / linked elsewhere)─▶ (withdrawn: no row)
 *                     │  └─retry (SQL retry_artifact_ingestion)─┐
 *                     └─fail─▶ failed ─────────────────────────┘
 *   any live ─softDelete─▶ deleted          any live ─rename─▶ same state, new name
 *   any live ─updateDetails─▶ same state, new name / description / tags
 */
export { beginIngestion, type BeginIngestionResult } from "./begin";
export { recordFileCrc32s } from "./checksums";
export {
  ArtifactStateError,
  completeIngestion,
  type CompleteIngestionResult,
  type StoredArtifactFacts,
} from "./complete";
export { softDeleteArtifact } from "./delete";
export {
  ARTIFACT_DESCRIPTION_MAX_LENGTH,
  ARTIFACT_TAG_MAX_LENGTH,
  ARTIFACT_TAGS_MAX,
  type ArtifactDetails,
  normalizeTags,
  updateArtifactDetails,
} from "./details";
export { failIngestion } from "./fail";
export {
  ARTIFACT_ID_NAMESPACE,
  artifactFilePath,
  artifactFolder,
  artifactIdForJob,
  artifactName,
  pathsInsideArtifactFolder,
} from "./identity";
export { artifactPageUrl, artifactReadyNotice, ingestionFailedNotice } from "./notices";
export { ownedLiveArtifact } from "./ownership";
export { recordAttemptFailure, recordIngestionProgress } from "./progress";
export type { Queryable, Transaction } from "./queryable";
export { ARTIFACT_NAME_MAX_LENGTH, renameArtifact } from "./rename";
export { retryFailedIngestion, type RetryFailedIngestionResult } from "./retry";
