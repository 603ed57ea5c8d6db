import { v5 as uuidV5 } from "uuid";

/**
 * Namespace of artifact ids. Fixed forever: changing it would give every job a new artifact id
 * and new storage paths, so a retry would no longer overwrite what an earlier attempt wrote.
 */
export const ARTIFACT_ID_NAMESPACE = "5b0f6c2e-8a51-4d6f-9c3e-2f7a1d4b8e90";

/** The artifact of a training job: the same id on every attempt, in every process (UUID v5). */
export function artifactIdForJob(trainingJobId: string): string {
  return uuidV5(trainingJobId.toLowerCase(), ARTIFACT_ID_NAMESPACE);
}

/** The artifact's own folder in the bucket (SPEC §4): nothing of it is ever written elsewhere. */
export function artifactFolder(userId: string, artifactId: string): string {
  return `${userId}/${artifactId}/`;
}

/** The storage path of one of the artifact's files. */
export function artifactFilePath(userId: string, artifactId: string, fileName: string): string {
  return `${artifactFolder(userId, artifactId)}${fileName}`;
}

/** Of `candidates`, the paths directly inside the artifact's folder, once each. */
export function pathsInsideArtifactFolder(
  userId: string,
  artifactId: string,
  candidates: Iterable<string>,
): string[] {
  const folder = artifactFolder(userId, artifactId);
  return [...new Set(candidates)].filter(
    (path) =>
      path.startsWith(folder) &&
      path.length > folder.length &&
      !path.slice(folder.length).includes("/"),
  );
}

/** SPEC §3: the dataset's name and the job's completion date, e.g. `Support tickets v3 - 2026-11-23`. */
export function artifactName(datasetName: string, completedAt: Date): string {
  return `${datasetName} - ${completedAt.toISOString().slice(0, 10)}`;
}
