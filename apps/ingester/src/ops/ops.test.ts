/**
 * The ingester process's operations endpoint, on a real process: alive, ready when the database
 * and storage answer, metrics that count what happened, and draining on SIGTERM (readiness
 * turns 503 while a running job is given its grace period).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { findFreePort } from "@mad/db/dev";

import {
  createJob,
  createTestWorld,
  ingesterEnv,
  type IngesterProcess,
  spawnIngester,
  type TestWorld,
  waitFor,
} from "../testing/world";

let world: TestWorld;
let ingester: IngesterProcess;
let opsUrl: string;

beforeAll(async () => {
  world = await createTestWorld();
  const port = await findFreePort();
  opsUrl = `http://127.0.0.1:${port}`;
  ingester = spawnIngester(
    ingesterEnv(world, {
      INGESTER_HTTP_PORT: String(port),
      INGESTER_HTTP_HOST: "127.0.0.1",
      SHUTDOWN_GRACE_SECONDS: "20",
    }),
  );
  await ingester.ready;
}, 60_000);

afterAll(async () => {
  if (ingester?.child.exitCode === null) ingester.child.kill("SIGKILL");
  await ingester?.exited;
  await world?.close();
});

const metric = (text: string, line: RegExp) => Number(line.exec(text)?.[1] ?? Number.NaN);

describe("the ingester's /healthz, /readyz and /metrics", () => {
  it("is alive and ready, naming what it checked", async () => {
    expect((await fetch(`${opsUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      checks: [
        { name: "database", ok: true },
        { name: "storage", ok: true },
      ],
    });
    expect((await fetch(`${opsUrl}/nothing`)).status).toBe(404);
  });

  it("counts stored ingestions, their bytes and the queue", async () => {
    const { db } = world.database;
    await createJob(db, { sim: world.sim, curve: "good", spec: { adapterSizeBytes: 8192 } });
    const text = await waitFor(async () => {
      const body = await (await fetch(`${opsUrl}/metrics`)).text();
      return /mad_ingestions_total\{outcome="stored"\} 1/.test(body) && body;
    }, "a stored ingestion in the metrics");
    expect(metric(text, /^mad_ingested_bytes_total (\d+)/m)).toBeGreaterThan(8192);
    expect(metric(text, /^mad_ingestion_duration_seconds_count\{outcome="stored"\} (\d+)/m)).toBe(
      1,
    );
    expect(metric(text, /^mad_queue_depth (\d+)/m)).toBe(0);
    expect(text).toMatch(/^mad_queue_oldest_job_age_seconds 0$/m);
    expect(text).toMatch(/^mad_ingester_process_resident_memory_bytes \d+/m);
  });

  it("on SIGTERM answers not ready at once, finishes the running job, then exits 0", async () => {
    const { db } = world.database;
    // A slow body keeps the job running while the process drains.
    const job = await createJob(db, {
      sim: world.sim,
      curve: "good",
      spec: { fault: "slow", faultVariant: "file_mid_body", faultDelayMs: 3_000 },
    });
    await waitFor(async () => {
      const body = await (await fetch(`${opsUrl}/metrics`)).text();
      return (
        /mad_ingestions_total\{outcome="stored"\} 1/.test(body) &&
        ingester.output.some((l) => l.includes(job.id) && l.includes("ingestion started"))
      );
    }, "the slow job to start");
    ingester.child.kill("SIGTERM");
    await waitFor(async () => {
      const ready = await fetch(`${opsUrl}/readyz`).catch(() => null);
      return ready?.status === 503 && (await ready.json());
    }, "readiness to turn 503");
    expect(await ingester.exited).toBe(0);
    expect(
      ingester.output.some((line) => line.includes(job.id) && line.includes('"artifact stored"')),
    ).toBe(true);
  });
});
