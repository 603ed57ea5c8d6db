/**
 * A worker killed mid-copy (SIGKILL: no clean-up of any kind) leaves nothing half-done: another
 * ingester takes the job over once the heartbeat lapses and finishes it, with no duplicate
 * artifact, notification or object.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { artifactIdForJob } from "@mad/db";

import {
  allStoredFiles,
  createJob,
  createTestWorld,
  ingesterEnv,
  type IngesterProcess,
  spawnIngester,
  type TestWorld,
  USER_ID,
  waitForArtifact,
} from "../testing/world";

const ADAPTER_BYTES = 48 * 1024 * 1024;
let world: TestWorld;
const processes: IngesterProcess[] = [];

beforeAll(async () => {
  world = await createTestWorld();
});

afterAll(async () => {
  if (process.env.DUMP_LOGS) for (const p of processes) console.log(p.output.join("\n"));
  for (const p of processes) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await p.exited;
  }
  await world?.close();
});

describe("an ingester killed mid-copy", () => {
  it("is replaced by another that finishes the job exactly once", async () => {
    const { db, sql } = world.database;
    const env = ingesterEnv(world, {
      CLUSTER_IDLE_TIMEOUT_MS: "600000",
      INGESTER_CONCURRENCY: "1",
    });
    const first = spawnIngester(env);
    processes.push(first);
    await first.ready;

    // The adapter's transfer stalls half-way on the first request only.
    const job = await createJob(db, {
      sim: world.sim,
      curve: "good",
      spec: {
        adapterSizeBytes: ADAPTER_BYTES,
        fault: "slow",
        faultVariant: "file_mid_body",
        faultDelayMs: 600_000,
        faultCount: 1,
      },
    });
    const midCopy = await waitForArtifact(
      db,
      job.id,
      (row) => row.bytesCopied >= ADAPTER_BYTES / 4,
      "the copy to be under way",
    );
    expect(midCopy.status).toBe("processing");
    expect(midCopy.bytesTotal).toBeGreaterThan(ADAPTER_BYTES);

    first.child.kill("SIGKILL");
    await first.exited;
    const second = spawnIngester(env);
    processes.push(second);
    await second.ready;

    const stored = await waitForArtifact(
      db,
      job.id,
      (row) => row.status === "stored",
      "the second ingester to finish the job",
      60_000,
    );
    expect(stored.ingestionAttempts).toBe(2);
    const checksums = await world.sim.checksums(job.externalJobId);
    for (const file of stored.files)
      expect(file.sha256).toBe(checksums[file.name as keyof typeof checksums]);

    const folder = `${USER_ID}/${artifactIdForJob(job.id)}/`;
    const objects = await world.storage.list(folder);
    expect(objects.map((object) => object.path).sort()).toEqual(
      ["adapter_config.json", "adapter_model.safetensors", "training_args.json"].map(
        (name) => folder + name,
      ),
    );
    const [counts] = await sql<{ artifacts: number; ready: number }[]>`
      select (select count(*)::int from model_artifacts where job_id = ${job.id}) as artifacts,
             (select count(*)::int from notifications where metadata ->> 'job_id' = ${job.id}) as ready`;
    expect(counts).toEqual({ artifacts: 1, ready: 1 });
    expect(
      world.sim.stats().jobs[job.externalJobId]?.fileRequests["adapter_model.safetensors"],
    ).toBe(2);
    // The killed worker's hidden temporary file is still on disk: list() hides it, the sweep
    // (here: the one a starting ingester runs) removes it once it is stale.
    const folderOnDisk = `lora-models/${folder}`;
    const onDisk = async () =>
      (await allStoredFiles(world.storageRoot)).filter((file) => file.startsWith(folderOnDisk));
    expect((await onDisk()).some((file) => file.includes("/.mad-upload-"))).toBe(true);
    await world.startIngester({ staleUploadSeconds: 1 });
    expect(await onDisk()).toEqual(
      ["adapter_config.json", "adapter_model.safetensors", "training_args.json"].map(
        (name) => folderOnDisk + name,
      ),
    );
  }, 120_000);
});
