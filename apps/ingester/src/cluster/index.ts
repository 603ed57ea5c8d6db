export {
  type ClusterClient,
  type ClusterClientOptions,
  createClusterClient,
  type OpenedFile,
} from "./client";
export { ClusterError, type ClusterFailureKind } from "./errors";
export type { ArtifactListing, ArtifactListingFile } from "./listing";
