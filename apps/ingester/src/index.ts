export {
  startIngester,
  INGEST_QUEUE,
  SWEEP_QUEUE,
  PGBOSS_SCHEMA,
  type Ingester,
  type IngesterOptions,
} from "./worker";
export {
  ingestTrainingJob,
  PermanentIngestionError,
  type IngestDeps,
  type IngestAttempt,
  type IngestOutcome,
} from "./ingest";
export { retryIngestion, enqueueIngestion, sweepIngestion } from "./sql-api";
export {
  createClusterClient,
  ClusterError,
  type ClusterClient,
  type ClusterClientOptions,
  type ArtifactListing,
  type ArtifactListingFile,
} from "./cluster-client";
export { copyArtifactFiles, type CopiedFile, type CopyOptions } from "./copy";
export { artifactIdForJob, uuidV5, ARTIFACT_ID_NAMESPACE } from "./uuid-v5";
export { createLogger, type Logger } from "@mad/logger";
export { readIngesterEnv, storageConfigFromEnv, type IngesterEnv } from "./env";
export {
  artifactFileNameSchema,
  adapterConfigSchema,
  SafetensorsValidator,
  JsonFileValidator,
  InvalidArtifactFileError,
  REQUIRED_FILES,
} from "./validate";
