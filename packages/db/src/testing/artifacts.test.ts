import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { beginIngestion } from "../artifacts";
import { createDb } from "../client";
import { modelArtifacts } from "../schema";
import { insertArtifactInState, insertStoredArtifact } from "./artifacts";
import { useTestDatabase } from "./use-test-database";

const database = useTestDatabase();
const userId = randomUUID();

async function artifactRow(id: string) {
  const [row] = await database.db.select().from(modelArtifacts).where(eq(modelArtifacts.id, id));
  return row;
}

// The browser tests run a real ingester on the fixtures' database. Each fixture's job is enqueued
// by the trigger when it is inserted; when the ingester takes it, its first step (beginIngestion)
// must leave the fixture as it is — before, a stored fixture was begun again and the simulator's
// files were copied over the fixture's, so a download found other bytes than those recorded.
describe("factory-made artifacts are left alone by an ingester on the same database", () => {
  it("a stored one is already linked to its job", async () => {
    const { artifact, job } = await insertStoredArtifact(database.db, { userId });
    const before = await artifactRow(artifact.id);
    const begun = await beginIngestion(database.db, job.id);
    expect(begun).toMatchObject({
      status: "skipped",
      reason: "training job already has its artifact",
    });
    expect(await artifactRow(artifact.id)).toEqual(before);
  });

  it("an ingester trying the job while the fixture is made never begins it", async () => {
    // The ingester's first step, from another connection, as fast as it can, on the job id the
    // fixture is about to use: it must never find the job begun-but-unsettled.
    const racer = createDb(database.url, { max: 1, applicationName: "mad-test-racer" });
    const begunByRacer: string[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const jobId = randomUUID();
        let making = true;
        const race = (async () => {
          while (making) {
            const begun = await beginIngestion(racer.db, jobId);
            if (begun.status === "started") begunByRacer.push(jobId);
          }
        })();
        try {
          if (i % 4 === 3) {
            await insertArtifactInState(database.db, {
              userId,
              state: "failed",
              job: { id: jobId },
            });
          } else {
            await insertStoredArtifact(database.db, { userId, job: { id: jobId } });
          }
        } finally {
          making = false;
          await race;
        }
      }
    } finally {
      await racer.close();
    }
    expect(begunByRacer).toEqual([]);
  });

  it.each(["failed", "deleted"] as const)("a %s one is not begun again", async (state) => {
    const { artifact, job } = await insertArtifactInState(database.db, { userId, state });
    const before = await artifactRow(artifact.id);
    expect((await beginIngestion(database.db, job.id)).status).toBe("skipped");
    expect(await artifactRow(artifact.id)).toEqual(before);
  });

  it("a processing one keeps its progress: its job has no cluster id to copy from", async () => {
    const { artifact, job } = await insertArtifactInState(database.db, {
      userId,
      state: "processing",
      bytesCopied: 1024,
      bytesTotal: 4096,
    });
    const before = await artifactRow(artifact.id);
    expect(before).toMatchObject({ status: "processing", bytesCopied: 1024, bytesTotal: 4096 });
    const begun = await beginIngestion(database.db, job.id);
    expect(begun).toMatchObject({
      status: "skipped",
      reason: "training job has no external_job_id",
    });
    expect(await artifactRow(artifact.id)).toEqual(before);
  });
});
