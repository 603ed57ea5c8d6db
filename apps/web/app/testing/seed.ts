/**
 * Seeded models for route tests: the fallback seed's stored artifacts (rows and files through
 * the real storage code) in the harness's own database and storage folder.
 */
import { fallbackSeed, type FallbackSeedOptions } from "../../e2e/support/fallback-seed";
import type { Harness } from "./harness";

export async function seedModels(
  harness: Harness,
  options: Omit<FallbackSeedOptions, "client" | "storage">,
): Promise<{ artifactIds: string[] }> {
  return fallbackSeed({ client: harness.db, storage: harness.context.storage, ...options });
}

/** Three stored models for Ada and one for Grace, with short loss histories. */
export async function seedAdaAndGrace(
  harness: Harness,
): Promise<{ adaModels: string[]; graceModel: string }> {
  const { artifactIds } = await seedModels(harness, { counts: { ada: 3, grace: 1 }, steps: 30 });
  return { adaModels: artifactIds.slice(0, 3), graceModel: artifactIds[3]! };
}
