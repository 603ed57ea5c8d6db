import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

describe("models.retryIngestion", () => {
  it("puts a failed artifact back to processing and enqueues its job again", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, {
      userId: user,
      status: "failed",
      bytesCopied: 100,
    });
    const result = await env.caller(user).models.retryIngestion({ modelId: artifact.id });
    // pg-boss is not installed in the test database, so the function enqueues nothing (the
    // ingester's sweep would); that it ran at all proves the migration's function is called.
    expect(result).toEqual({ model_id: artifact.id, status: "processing", enqueued: false });
    const [row] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifact.id));
    expect(row).toMatchObject({ status: "processing", failureReason: null, bytesCopied: 0 });
  });

  it("refuses a model that has not failed", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const answer = await outcome(env.caller(user).models.retryIngestion({ modelId: artifact.id }));
    expect(answer).toEqual({
      code: "PRECONDITION_FAILED",
      message: "Only a failed ingestion can be retried; this model is stored",
    });
  });
});
