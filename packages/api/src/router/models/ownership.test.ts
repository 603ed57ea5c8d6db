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
    const { artifact: mine } = await insertArtifact(env.database.db, { userId: intruder });
    const caller = env.caller(intruder);
    const procedures = [
      (modelId: string) => caller.models.byId({ modelId }),
      (modelId: string) => caller.models.bundle({ modelId }),
      (modelId: string) => caller.models.checksums({ modelId }),
      (modelId: string) => caller.models.card({ modelId }),
      (modelId: string) => caller.models.line({ modelId }),
      (modelId: string) => caller.models.update({ modelId, name: "Taken over" }),
      (modelId: string) => caller.models.moveAlias({ modelId, alias: "production" }),
      (modelId: string) => caller.models.removeAlias({ modelId, alias: "production" }),
      // One foreign model is enough to refuse the whole comparison, in either place.
      (modelId: string) => caller.models.compare({ modelIds: [mine.id, modelId] }),
      (modelId: string) => caller.models.compare({ modelIds: [modelId, mine.id] }),
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
    const [renamed] = await env.database.db
      .select({ name: modelArtifacts.name })
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, theirs.id));
    expect(renamed?.name).not.toBe("Taken over");
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

  it("resolves another user's alias exactly like one nobody holds on a dataset that does not exist", async () => {
    const owner = randomUUID();
    const intruder = randomUUID();
    const { artifact, datasetId } = await insertArtifact(env.database.db, { userId: owner });
    await env.caller(owner).models.moveAlias({ modelId: artifact.id, alias: "production" });
    expect((await env.caller(owner).models.resolve({ datasetId, alias: "production" })).id).toBe(
      artifact.id,
    );
    const caller = env.caller(intruder);
    const answers = [
      await outcome(caller.models.resolve({ datasetId, alias: "production" })),
      await outcome(caller.models.resolve({ datasetId: randomUUID(), alias: "production" })),
    ];
    expect(answers[0]).toEqual({ code: "NOT_FOUND", message: "No model holds this alias" });
    expect(answers[1]).toEqual(answers[0]);
  });
});
