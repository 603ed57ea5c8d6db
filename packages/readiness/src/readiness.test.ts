import { describe, expect, it } from "vitest";

import { databaseAndStorageChecks, runReadinessChecks } from "./readiness";

describe("runReadinessChecks", () => {
  it("is ready when every check answers", async () => {
    const report = await runReadinessChecks(
      databaseAndStorageChecks({
        pingDatabase: () => Promise.resolve([{ "?column?": 1 }]),
        storage: { verifyAccess: () => Promise.resolve() },
      }),
    );
    expect(report).toEqual({
      ready: true,
      checks: [
        { name: "database", ok: true },
        { name: "storage", ok: true },
      ],
    });
  });

  it("says which check failed, in its own words, and still runs the others", async () => {
    let storageChecked = false;
    const report = await runReadinessChecks(
      databaseAndStorageChecks({
        pingDatabase: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")),
        storage: {
          verifyAccess: () => {
            storageChecked = true;
            return Promise.resolve();
          },
        },
      }),
    );
    expect(storageChecked).toBe(true);
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual([
      { name: "database", ok: false, error: "connect ECONNREFUSED 127.0.0.1:5432" },
      { name: "storage", ok: true },
    ]);
  });

  it("gives up on a check that never answers after the bound", async () => {
    const report = await runReadinessChecks(
      [{ name: "storage", check: () => new Promise(() => {}) }],
      50,
    );
    expect(report).toEqual({
      ready: false,
      checks: [{ name: "storage", ok: false, error: "no answer in 50 ms" }],
    });
  });

  it("a thrown non-Error is reported without its value", async () => {
    const report = await runReadinessChecks([
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
      { name: "database", check: () => Promise.reject("password=hunter2") },
    ]);
    expect(report.checks).toEqual([{ name: "database", ok: false, error: "failed" }]);
  });
});
