/**
 * Behind Supabase's poolers (decision 0009), played by Debian's PgBouncer: in transaction mode the
 * ingester works without prepared statements and without LISTEN (pickup by polling); in session
 * mode LISTEN still wakes it. Either way every job is stored exactly once and neither the
 * ingester nor PgBouncer logs a protocol error.
 */
import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { modelArtifacts, notifications, type PoolMode } from "@mad/db";
import { type PgBouncer, startPgBouncer } from "@mad/db/testing";

import { createJob, createTestWorld, type TestWorld, waitFor } from "../testing/world";

const JOBS = 12;
let world: TestWorld;
let pooler: PgBouncer | undefined;

beforeEach(async () => {
  world = await createTestWorld();
});

afterEach(async () => {
  await world?.close();
  await pooler?.stop();
  pooler = undefined;
});

describe.each<PoolMode>(["transaction", "session"])("behind a %s-mode pooler", (mode) => {
  it("two ingesters store every completed job exactly once", async () => {
    // A session pooler gives each client connection a server connection for its whole life:
    // the pool must cover every connection of every process (2 × (6 + 7) here).
    const poolSize = mode === "session" ? 30 : 6;
    const running = await startPgBouncer(world.database.url, { mode, poolSize });
    pooler = running;
    for (let i = 0; i < 2; i++) {
      await world.startIngester({ databaseUrl: running.url, poolMode: mode, concurrency: 3 });
    }
    const { db } = world.database;
    const jobs = await Promise.all(
      Array.from({ length: JOBS }, () => createJob(db, { sim: world.sim, curve: "good" })),
    );
    const ids = jobs.map((job) => job.id);

    const stored = await waitFor(async () => {
      const rows = await db
        .select({ id: modelArtifacts.id })
        .from(modelArtifacts)
        .where(and(inArray(modelArtifacts.jobId, ids), eq(modelArtifacts.status, "stored")));
      return rows.length === JOBS && rows;
    }, `${JOBS} stored artifacts through the ${mode} pooler`);
    expect(stored).toHaveLength(JOBS);

    const ready = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(eq(notifications.type, "artifact_ready"));
    expect(ready).toHaveLength(JOBS);
    expect(world.logs.text()).not.toMatch(/prepared statement|pg-boss error|registration was lost/);
    expect(await running.log()).not.toMatch(/when not linked/);
  });
});
