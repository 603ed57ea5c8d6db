import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { get, loaderArgs, outcome } from "../testing/harness";
import { useSeededHarness } from "../testing/seed";
import * as compare from "./models.compare";

const seeded = useSeededHarness();

/** The compare page's loader for these `ids` (and any extra query), as Ada unless told. */
const page = (ids: string[], options: { extra?: string; cookie?: string } = {}) => {
  const query = new URLSearchParams(ids.map((id): [string, string] => ["ids", id]));
  return outcome(() =>
    compare.loader(
      loaderArgs(
        get(
          `/models/compare?${query.toString()}${options.extra ?? ""}`,
          options.cookie ?? seeded.adaCookie,
        ),
      ),
    ),
  );
};

interface Loaded {
  models: { id: string; loss: { points: unknown[]; epoch_boundaries: unknown[] } }[];
  configuration_diff: { key: string; differs: boolean }[];
  align: string;
  ids: string[];
}

describe("the compare page", () => {
  it("loads the models named in the URL, in that order, aligned by step unless told epoch", async () => {
    const [a, b, c] = seeded.adaModels;
    const result = await page([c!, a!, b!]);
    expect(result.status).toBe(200);
    const loaded = result.data as Loaded;
    expect(loaded.models.map((m) => m.id)).toEqual([c, a, b]);
    expect(loaded.align).toBe("step");
    expect(loaded.models.every((m) => m.loss.points.length > 0)).toBe(true);
    expect(loaded.configuration_diff.length).toBeGreaterThan(0);
    const byEpoch = (await page([a!, b!], { extra: "&align=epoch" })).data as Loaded;
    expect(byEpoch.align).toBe("epoch");
    // An id in capitals is the same model.
    const cased = (await page([a!.toUpperCase(), b!])).data as Loaded;
    expect(cased.ids).toEqual([a, b]);
  });

  it("answers 400 with what is wrong for fewer than 2, more than 4 and repeated models", async () => {
    const [a, b, c] = seeded.adaModels;
    const cases: [string[], RegExp][] = [
      [[], /at least 2 models to compare \(you chose 0\)/],
      [[a!], /at least 2 models to compare \(you chose 1\)/],
      [[a!, b!, c!, randomUUID(), randomUUID()], /at most 4 models to compare \(you chose 5\)/],
      [[a!, a!], /each model only once/],
      [[a!, a!.toUpperCase()], /each model only once/],
    ];
    for (const [ids, message] of cases) {
      const result = await page(ids);
      expect(result.status, ids.join(",")).toBe(400);
      expect((result.data as { message: string }).message).toMatch(message);
    }
  });

  it("answers the model page's 404 when any id is another user's, unknown or malformed", async () => {
    const [a, b] = seeded.adaModels;
    for (const other of [seeded.graceModel, randomUUID(), "not-a-uuid", "' or 1=1 --"]) {
      const result = await page([a!, b!, other]);
      expect(result.status, other).toBe(404);
      expect(result.data).toEqual({
        message: "This model does not exist, was deleted, or belongs to someone else.",
      });
    }
  });

  it("sends a logged-out visitor to the login page, back to the same comparison", async () => {
    const [a, b] = seeded.adaModels;
    const result = await page([a!, b!], { cookie: "" });
    expect(result.status).toBe(302);
    expect(result.location).toMatch(/^\/login\?redirectTo=%2Fmodels%2Fcompare%3Fids%3D/);
  });
});
