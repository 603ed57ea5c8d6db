import { rm, writeFile } from "node:fs/promises";

import { describe, expect, it } from "vitest";

import { useHarness } from "../testing/harness";
import * as readiness from "./readyz";

// A fresh one per test: the tests below break its database and its storage folder.
const harness = useHarness("each");

describe("/readyz", () => {
  it("answers 200 when the database and storage answer", async () => {
    const response = await readiness.loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ready: true,
      checks: [
        { name: "database", ok: true },
        { name: "storage", ok: true },
      ],
    });
  });

  it("answers 503 naming the database when it is gone", async () => {
    const { sql } = harness().context.db;
    await sql.end({ timeout: 1 });
    const response = await readiness.loader();
    expect(response.status).toBe(503);
    const body = (await response.json()) as {
      ready: boolean;
      checks: { name: string; ok: boolean }[];
    };
    expect(body.ready).toBe(false);
    expect(body.checks.find((check) => check.name === "database")?.ok).toBe(false);
  });

  it("answers 503 naming storage when its folder cannot be written", async () => {
    await rm(harness().storageDir, { recursive: true, force: true });
    // A file where the storage folder was: nothing can be written there.
    await writeFile(harness().storageDir, "not a folder");
    try {
      const response = await readiness.loader();
      const body = (await response.json()) as { checks: { name: string; ok: boolean }[] };
      expect(response.status).toBe(503);
      expect(body.checks.find((check) => check.name === "storage")?.ok).toBe(false);
    } finally {
      await rm(harness().storageDir, { force: true });
    }
  });
});
