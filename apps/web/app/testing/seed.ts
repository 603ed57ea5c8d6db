/**
 * Seeded models for route tests: stored artifacts made by the lifecycle's factories, with their
 * loss curves and files (through the real storage code), in the harness's own database and
 * storage folder.
 */
import { beforeAll } from "vitest";

import { ADA, GRACE, type Harness, useHarness } from "./harness";
import { createStoredModels } from "./stored-models";

export interface SeededHarness {
  harness: Harness;
  /** Ada's session cookie (`name=value`). */
  adaCookie: string;
  /** Ada's three stored models, most recently trained first. */
  adaModels: string[];
  /** Grace's one stored model. */
  graceModel: string;
}

/**
 * A harness with three stored models for Ada and one for Grace (short loss histories), made
 * before this file's tests and closed after them. Its fields are filled in by `beforeAll`.
 */
export function useSeededHarness(): SeededHarness {
  const harness = useHarness();
  const seeded = {} as SeededHarness;
  beforeAll(async () => {
    seeded.harness = harness();
    const { db, context } = seeded.harness;
    const ada = await createStoredModels(db, context.storage, {
      userId: ADA.id,
      count: 3,
      steps: 30,
    });
    const grace = await createStoredModels(db, context.storage, {
      userId: GRACE.id,
      count: 1,
      steps: 30,
    });
    seeded.adaModels = ada.map((m) => m.artifact.id);
    seeded.graceModel = grace[0]!.artifact.id;
    seeded.adaCookie = await seeded.harness.cookieFor(ADA.id);
  });
  return seeded;
}
