/**
 * The same pipeline against the Supabase backend (through @mad/storage's stand-in of the
 * Supabase Storage server): a completed job ends stored, with the cluster's exact bytes.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { artifactIdForJob } from "@mad/db";
import { createStorage } from "@mad/storage";
import { startSupabaseStandin, type SupabaseStandin } from "@mad/storage/testing";

import {
  createJob,
  createTestWorld,
  ingesterEnv,
  spawnIngester,
  type TestWorld,
  USER_ID,
  waitForArtifact,
} from "../testing/world";

let standin: SupabaseStandin;
let world: TestWorld;

beforeAll(async () => {
  standin = await startSupabaseStandin();
  world = await createTestWorld({
    storage: createStorage({
      ...standin.storageConfig,
      // Small enough that the test adapters go through resumable (TUS) uploads.
      resumableThresholdBytes: 1024 * 1024,
    }),
  });
  await world.startIngester();
});

afterAll(async () => {
  await world?.close();
  await standin?.close();
});

describe("with the Supabase storage backend", () => {
  it("stores a completed job's files and records the artifact", async () => {
    const { db } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "excellent",
      spec: { adapterSizeBytes: 8 * 1024 * 1024 },
    });
    const artifact = await waitForArtifact(
      db,
      job.id,
      (row) => row.status === "stored",
      "the artifact to be stored",
    );
    const checksums = await world.sim.checksums(job.externalJobId);
    const folder = `${USER_ID}/${artifactIdForJob(job.id)}/`;
    const listed = (await world.storage.list(folder)).map((object) => object.path).sort();
    expect(listed).toEqual(
      Object.keys(checksums)
        .map((name) => `${folder}${name}`)
        .sort(),
    );
    for (const file of artifact.files) {
      expect(file.sha256).toBe(checksums[file.name as keyof typeof checksums]);
      // What the storage server holds on its disk is exactly the cluster's file.
      const bytes = await readFile(
        path.join(standin.rootDir, "objects", "lora-models", file.storage_path),
      );
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);
    }
    expect(artifact.qualityScore).toBe(5);
  });

  it("leaves nothing on the server when a job fails for good during a resumable upload", async () => {
    const { db } = world.database;
    const job = await createJob(db, {
      sim: world.sim,
      curve: "excellent",
      spec: { adapterSizeBytes: 8 * 1024 * 1024, fault: "wrong_checksum", faultCount: 1 },
    });
    const artifact = await waitForArtifact(
      db,
      job.id,
      (row) => row.status === "failed",
      "the artifact to fail",
    );
    expect(artifact.failureReason).toMatch(/does not match the checksum/);
    // The small files were stored before the adapter failed; the folder is gone on disk, and
    // the server holds no open upload or partial file for it.
    const folder = `${USER_ID}/${artifactIdForJob(job.id)}`;
    const onDisk = await readdir(path.join(standin.rootDir, "objects", "lora-models", folder), {
      recursive: true,
    }).catch(() => []);
    expect(onDisk).toEqual([]);
    expect(standin.resumableUploads().filter((upload) => upload.path.startsWith(folder))).toEqual(
      [],
    );
    expect(await standin.partialFiles()).toEqual([]);
  });

  it("refuses to start with the anon key, naming the variable and never its value", async () => {
    const started = spawnIngester(
      ingesterEnv(world, {
        STORAGE_BACKEND: "supabase",
        SUPABASE_STORAGE_URL: standin.url,
        SUPABASE_SERVICE_ROLE_KEY: standin.anonKey,
      }),
    );
    started.ready.catch(() => undefined);
    expect(await started.exited).toBe(1);
    const output = started.output.join("\n");
    expect(output).toContain("SUPABASE_SERVICE_ROLE_KEY");
    expect(output).not.toContain(standin.anonKey);
    expect(output).not.toContain("ingester ready");
  }, 30_000);
});
