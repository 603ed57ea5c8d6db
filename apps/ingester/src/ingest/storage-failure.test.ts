/**
 * A storage that cannot be reached fails the ingestion with a reason in plain words (the file and
 * what happened), while the log line keeps the real cause (the errno) with the training job id.
 */
import { createServer } from "node:net";

import { describe, expect, it } from "vitest";

import { createStorage } from "@mad/storage";

import { createJob, useTestWorld, waitForArtifact } from "../testing/world";

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const world = useTestWorld({
  storage: async () =>
    createStorage({
      backend: "supabase",
      url: `http://127.0.0.1:${await closedPort()}/storage/v1`,
      serviceRoleKey: "service-key-that-is-never-shown",
      tusRetryDelaysMs: [10],
    }),
  ingester: { retryLimit: 0 },
});

describe("when storage refuses connections", () => {
  it("fails with a plain-words reason and logs the real cause", async () => {
    const { db } = world.database;
    const job = await createJob(db, { sim: world.sim, curve: "excellent" });
    const artifact = await waitForArtifact(
      db,
      job.id,
      (row) => row.status === "failed",
      "the artifact to fail",
    );
    expect(artifact.failureReason).toMatch(
      /^[\w.-]+ could not be written to storage: the storage server refused the connection/,
    );
    expect(artifact.failureReason).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|AbortError|UND_ERR|\//);
    const line = world.logs.lines
      .map((text) => JSON.parse(text) as { msg?: string; training_job_id?: string; err?: string })
      .find((entry) => entry.msg === "ingestion failed" && entry.training_job_id === job.id);
    expect(line?.err).toContain("ECONNREFUSED");
    expect(world.logs.text()).not.toContain("service-key-that-is-never-shown");
  });
});
