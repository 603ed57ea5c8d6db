/**
 * The SQL side of scheduling: the trigger before and after pg-boss is installed, a missing queue,
 * and the sweep that catches up on jobs completed while no ingester ran.
 */
import { afterEach, describe, expect, it } from "vitest";

import { createJob, createTestWorld, type TestWorld, waitForArtifact } from "../testing/world";
import { enqueueIngestion, sweepIngestion } from "./sql-api";

let world: TestWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("enqueue_artifact_ingestion()", () => {
  it("lets jobs complete before pg-boss exists; the ingester's start-up sweep picks them up", async () => {
    world = await createTestWorld();
    const { db, sql } = world.database;
    const [installed] = await sql<
      { exists: boolean }[]
    >`select to_regclass('pgboss.queue') is not null as exists`;
    expect(installed?.exists).toBe(false);
    const job = await createJob(db, { sim: world.sim, curve: "excellent" });
    expect(await enqueueIngestion(sql, job.id)).toBe(false);
    expect(await sweepIngestion(sql)).toBe(0);

    await world.startIngester();
    const artifact = await waitForArtifact(
      db,
      job.id,
      (row) => row.status === "stored",
      "the swept job to be stored",
    );
    expect(artifact.qualityScore).toBe(5);
  });

  it("refuses to complete a job when pg-boss is installed but the queue is missing", async () => {
    world = await createTestWorld();
    const { db, sql } = world.database;
    const ingester = await world.startIngester();
    await ingester.stop(1);
    await sql`select pgboss.delete_queue('artifact-ingestion')`;
    const job = await createJob(db, { sim: world.sim, complete: false });
    await expect(
      sql`update training_jobs set status = 'completed' where id = ${job.id}`,
    ).rejects.toThrow(/queue "artifact-ingestion" does not exist/);
  });

  it("copies the queue's settings onto the job, so de-duplication and retries apply", async () => {
    world = await createTestWorld();
    const { db, sql } = world.database;
    const ingester = await world.startIngester({
      retryLimit: 7,
      heartbeatSeconds: 15,
      schedule: true,
    });
    await ingester.stop(1);
    // The safety-net sweep is a pg-boss cron schedule held in Postgres, every minute.
    const schedules = await sql<
      { name: string; cron: string }[]
    >`select name, cron from pgboss.schedule`;
    expect(schedules).toEqual([{ name: "artifact-ingestion-sweep", cron: "* * * * *" }]);
    const [queue] = await sql<{ policy: string; notify: boolean; expire_seconds: number }[]>`
      select policy, notify, expire_seconds from pgboss.queue where name = 'artifact-ingestion'`;
    expect(queue).toEqual({ policy: "exclusive", notify: true, expire_seconds: 120 });
    const job = await createJob(db, { sim: world.sim });
    expect(await enqueueIngestion(sql, job.id)).toBe(false); // already queued by the trigger
    const rows = await sql<
      { policy: string; retry_limit: number; heartbeat_seconds: number; state: string }[]
    >`
      select policy, retry_limit, heartbeat_seconds, state::text from pgboss.job
       where name = 'artifact-ingestion' and singleton_key = ${job.id}`;
    expect(rows).toEqual([
      { policy: "exclusive", retry_limit: 7, heartbeat_seconds: 15, state: "created" },
    ]);
  });
});
