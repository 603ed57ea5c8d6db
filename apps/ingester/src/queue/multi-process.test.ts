/**
 * Exactly once under pressure: three ingester processes (separate PgBoss workers) against one
 * database, 300 completed jobs, the trigger re-fired and the sweep run concurrently — exactly 300
 * artifacts, 300 links, 300 notifications, and each job's files fetched once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insertDataset } from "@mad/db/testing";

import {
  createTestWorld,
  ingesterEnv,
  type IngesterProcess,
  spawnIngester,
  TEST_API_KEY,
  type TestWorld,
  USER_ID,
  waitFor,
} from "../testing/world";

const JOBS = 300;
let world: TestWorld;
const processes: IngesterProcess[] = [];

beforeAll(async () => {
  world = await createTestWorld();
  // Start the ingesters first: their start-up installs pg-boss and creates the queue.
  const first = spawnIngester(ingesterEnv(world));
  processes.push(first);
  await first.ready;
  for (let i = 0; i < 2; i++) processes.push(spawnIngester(ingesterEnv(world)));
  await Promise.all(processes.map((p) => p.ready));
}, 120_000);

afterAll(async () => {
  for (const p of processes) {
    if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await p.exited;
  }
  await world?.close();
});

describe("three ingesters, 300 jobs", () => {
  it("store every artifact exactly once", async () => {
    const { db, sql } = world.database;
    const dataset = await insertDataset(db, { userId: USER_ID, name: "Bulk set" });
    const ids = Array.from({ length: JOBS }, (_, i) => `ext-bulk-${i}`);
    for (const id of ids)
      world.sim.registerJob(id, { adapterSizeBytes: 2048, includeChecksums: true });
    const jobs = await sql<{ id: string }[]>`
      insert into training_jobs (user_id, dataset_id, preset_id, status, external_job_id, started_at)
      select ${USER_ID}, ${dataset.id}, 'fast', 'running', ext, now() - interval '1 hour'
        from unnest(${sql.array(ids)}::text[]) as ext
      returning id`;
    await sql`
      insert into metrics_points (job_id, step, training_loss, validation_loss)
      select j.id, s, 2.0 / s, null from unnest(${sql.array(jobs.map((j) => j.id))}::uuid[]) as j(id), generate_series(1, 3) as s`;

    // Complete in batches while the sweep runs and the trigger is re-fired on finished rows.
    const batches: Promise<unknown>[] = [];
    for (let i = 0; i < JOBS; i += 25) {
      const slice = jobs.slice(i, i + 25).map((j) => j.id);
      batches.push(
        sql`update training_jobs set status = 'completed', completed_at = now() where id = any(${sql.array(slice)}::uuid[])`,
      );
      batches.push(sql`select sweep_artifact_ingestion()`);
    }
    await Promise.all(batches);
    await Promise.all([
      sql`update training_jobs set status = 'completed' where id = any(${sql.array(jobs.map((j) => j.id))}::uuid[]) and artifact_id is null`,
      sql`select sweep_artifact_ingestion()`,
      sql`select sweep_artifact_ingestion()`,
    ]);

    await waitFor(
      async () => {
        const [row] = await sql<
          { count: number }[]
        >`select count(*)::int as count from model_artifacts where status = 'stored'`;
        return row!.count >= JOBS;
      },
      "300 stored artifacts",
      100_000,
    );
    // Once more after everything is stored: nothing is left to enqueue.
    expect((await sql<{ n: number }[]>`select sweep_artifact_ingestion() as n`)[0]?.n).toBe(0);

    const [counts] = await sql<
      { artifacts: number; stored: number; linked: number; ready: number; distinct_jobs: number }[]
    >`
      select (select count(*)::int from model_artifacts) as artifacts,
             (select count(*)::int from model_artifacts where status = 'stored') as stored,
             (select count(*)::int from training_jobs where artifact_id is not null) as linked,
             (select count(*)::int from notifications where type = 'artifact_ready') as ready,
             (select count(distinct metadata ->> 'job_id')::int from notifications where type = 'artifact_ready') as distinct_jobs`;
    expect(counts).toEqual({
      artifacts: JOBS,
      stored: JOBS,
      linked: JOBS,
      ready: JOBS,
      distinct_jobs: JOBS,
    });

    // Each job's listing and files were fetched exactly once: no duplicate work anywhere.
    const stats = world.sim.stats();
    for (const id of ids) {
      expect(stats.jobs[id]?.listingRequests).toBe(1);
      expect(Object.values(stats.jobs[id]?.fileRequests ?? {})).toEqual([1, 1, 1]);
    }
    // Work was shared, and logs carry the job id but never the key.
    const workers = processes.filter((p) =>
      p.output.some((line) => line.includes('"msg":"artifact stored"')),
    );
    expect(workers.length).toBeGreaterThanOrEqual(2);
    for (const p of processes) {
      expect(p.output.join("\n")).not.toContain(TEST_API_KEY);
      for (const line of p.output.filter((l) => l.includes('"msg":"artifact stored"'))) {
        expect(JSON.parse(line)).toHaveProperty("training_job_id");
      }
    }
  }, 120_000);

  it("stop gracefully on SIGTERM", async () => {
    for (const p of processes) p.child.kill("SIGTERM");
    const codes = await Promise.all(processes.map((p) => p.exited));
    expect(codes).toEqual([0, 0, 0]);
  }, 60_000);
});
