import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

describe("ownership", () => {
  it("answers the same NOT_FOUND for another user's, a deleted and a nonexistent model", async () => {
    const owner = randomUUID();
    const intruder = randomUUID();
    const { artifact: theirs } = await insertArtifact(env.database.db, { userId: owner });
    const { artifact: deleted } = await insertArtifact(env.database.db, {
      userId: intruder,
      deletedAt: new Date(),
    });
    const { artifact: failed } = await insertArtifact(env.database.db, {
      userId: owner,
      status: "failed",
    });
    const caller = env.caller(intruder);
    const procedures = [
      (modelId: string) => caller.models.byId({ modelId }),
      (modelId: string) => caller.models.download({ modelId }),
      (modelId: string) => caller.models.metrics({ modelId }),
      (modelId: string) => caller.models.retryIngestion({ modelId }),
      (modelId: string) => caller.models.delete({ modelId }),
    ];
    for (const procedure of procedures) {
      const answers = [
        await outcome(procedure(theirs.id)),
        await outcome(procedure(failed.id)),
        await outcome(procedure(deleted.id)),
        await outcome(procedure(randomUUID())),
      ];
      for (const answer of answers)
        expect(answer).toEqual({ code: "NOT_FOUND", message: "Model not found" });
    }
    // Nothing happened to the owner's models.
    const [row] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, theirs.id));
    expect(row?.deletedAt).toBeNull();
    const [failedRow] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, failed.id));
    expect(failedRow?.status).toBe("failed");
  });
});
