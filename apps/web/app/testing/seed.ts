/**
 * Seeded models for route tests: the fallback seed's stored artifacts (rows and files through
 * the real storage code) in the harness's own database and storage folder.
 */
import { afterAll, beforeAll } from "vitest";

import { fallbackSeed, type FallbackSeedOptions } from "../../e2e/support/fallback-seed";
import { ADA, createHarness, type Harness } from "./harness";

export async function seedModels(
  harness: Harness,
  options: Omit<FallbackSeedOptions, "client" | "storage">,
): Promise<{ artifactIds: string[] }> {
  return fallbackSeed({ client: harness.db, storage: harness.context.storage, ...options });
}

export interface SeededHarness {
  harness: Harness;
  /** Ada's session cookie (`name=value`). */
  adaCookie: string;
  /** Ada's three stored models, newest first. */
  adaModels: string[];
  /** Grace's one stored model. */
  graceModel: string;
}

/**
 * A harness with three stored models for Ada and one for Grace (short loss histories), made
 * before this file's tests and closed after them. Its fields are filled in by `beforeAll`.
 */
export function useSeededHarness(): SeededHarness {
  const seeded = {} as SeededHarness;
  beforeAll(async () => {
    seeded.harness = await createHarness();
    const { artifactIds } = await seedModels(seeded.harness, {
      counts: { ada: 3, grace: 1 },
      steps: 30,
    });
    seeded.adaModels = artifactIds.slice(0, 3);
    seeded.graceModel = artifactIds[3]!;
    seeded.adaCookie = await seeded.harness.cookieFor(ADA.id);
  });
  afterAll(async () => {
    await seeded.harness?.close();
  });
  return seeded;
}
