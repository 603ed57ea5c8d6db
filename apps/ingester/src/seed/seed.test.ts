/**
 * The demo seed, run as the script it is, against the real pipeline: every demo job of Ada and
 * Grace becomes an artifact (one fails on purpose), Linus gets nothing, and a second run adds
 * nothing.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { DEMO_USERS } from "@mad/db";
import { createTestDatabase } from "@mad/db/testing";

import { retryIngestion } from "../queue/sql-api";
import { TEST_API_KEY, useTestWorld, waitFor } from "../testing/world";

const run = promisify(execFile);
const world = useTestWorld();

async function seed(databaseUrl = world.database.url): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "src/seed/seed.ts"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: databaseUrl,
      GPU_CLUSTER_API_URL: world.sim.url,
      GPU_CLUSTER_API_KEY: TEST_API_KEY,
    },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

describe("pnpm seed", () => {
  it("creates demo models through the real pipeline, once", async () => {
    const { sql } = world.database;
    expect(await seed()).toMatchObject({
      new_jobs: 18,
      demo_jobs: 18,
      simulator_registrations: 18,
    });
    await waitFor(
      async () => {
        const [row] = await sql<
          { settled: number }[]
        >`select count(*)::int as settled from model_artifacts where status <> 'processing'`;
        return row!.settled === 18;
      },
      "all demo artifacts to settle",
      90_000,
    );
    const perUser = await sql<
      { user_id: string; stored: number; failed: number; classes: string[] }[]
    >`
      select user_id,
             count(*) filter (where status = 'stored')::int as stored,
             count(*) filter (where status = 'failed')::int as failed,
             array_agg(distinct quality_metrics ->> 'convergence_quality') filter (where status = 'stored') as classes
        from model_artifacts group by user_id order by user_id`;
    expect(perUser).toHaveLength(2);
    const ada = perUser.find((row) => row.user_id === DEMO_USERS[0].id)!;
    const grace = perUser.find((row) => row.user_id === DEMO_USERS[1].id)!;
    expect([ada.stored, ada.failed]).toEqual([13, 1]);
    expect([grace.stored, grace.failed]).toEqual([4, 0]);
    expect([...ada.classes].sort()).toEqual([
      "excellent",
      "fair",
      "good",
      "overfit",
      "poor",
      "unknown",
    ]);
    const [failed] = await sql<
      { failure_reason: string }[]
    >`select failure_reason from model_artifacts where status = 'failed'`;
    // A failure a user could meet (not an operator's configuration), and its retry succeeds.
    expect(failed?.failure_reason).toMatch(/does not match the checksum the GPU cluster gave/);

    expect(await seed()).toMatchObject({ new_jobs: 0, demo_jobs: 18 });
    const [counts] = await sql<{ jobs: number; datasets: number; artifacts: number }[]>`
      select (select count(*)::int from training_jobs) as jobs, (select count(*)::int from datasets) as datasets,
             (select count(*)::int from model_artifacts) as artifacts`;
    expect(counts).toEqual({ jobs: 18, datasets: 7, artifacts: 18 });

    // The failed demo model's retry succeeds, as its reason promises.
    const [failedJob] = await sql<{ job_id: string }[]>`
      select job_id from model_artifacts where status = 'failed'`;
    expect(await retryIngestion(sql, failedJob!.job_id)).toBe(true);
    await waitFor(async () => {
      const [row] = await sql<{ status: string }[]>`
        select status from model_artifacts where job_id = ${failedJob!.job_id}`;
      return row?.status === "stored";
    }, "the retried demo model to be stored");
  }, 120_000);
});

describe("pnpm seed after a run that stopped before completing its jobs", () => {
  it("completes the demo jobs that were left running", async () => {
    const database = await createTestDatabase();
    try {
      // No ingester has run in this database: completions are left to its start-up sweep.
      await seed(database.url);
      await database.sql`update training_jobs set status = 'running', completed_at = null`;

      expect(await seed(database.url)).toMatchObject({ new_jobs: 0, demo_jobs: 18 });
      const [row] = await database.sql<{ running: number; completed: number }[]>`
        select count(*) filter (where status = 'running')::int as running,
               count(*) filter (where status = 'completed')::int as completed
          from training_jobs`;
      expect(row).toEqual({ running: 0, completed: 18 });
    } finally {
      await database.drop();
    }
  }, 60_000);
});
