import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertStoredArtifactWithFiles } from "../../testing/fixtures";

const env = useApiTestEnv();

describe("models.delete", () => {
  it("soft-deletes the model, removes its files, and hides it from every procedure at once", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      contents: {
        "adapter_config.json": '{"r":8}',
        "adapter_model.safetensors": Buffer.alloc(64, 7),
      },
    });
    // A stray object in the artifact's folder (an interrupted earlier copy) goes too.
    await env.storage.put(`${user}/${artifact.id}/training_args.json`, ReadableFrom("{}"), {
      contentType: "application/json",
    });
    const caller = env.caller(user);
    expect((await caller.models.list()).pagination.total).toBe(1);

    expect(await caller.models.delete({ modelId: artifact.id })).toEqual({
      model_id: artifact.id,
      deleted: true,
      files_removed: true,
    });
    const [row] = await env.database.db
      .select()
      .from(modelArtifacts)
      .where(eq(modelArtifacts.id, artifact.id));
    expect(row?.deletedAt?.getTime()).toBe(env.clock.now().getTime());
    expect(await env.storage.list(`${user}/${artifact.id}/`)).toEqual([]);

    expect((await caller.models.list()).pagination.total).toBe(0);
    for (const call of [
      () => caller.models.byId({ modelId: artifact.id }),
      () => caller.models.download({ modelId: artifact.id }),
      () => caller.models.metrics({ modelId: artifact.id }),
      () => caller.models.delete({ modelId: artifact.id }),
    ]) {
      expect((await outcome(call())).code).toBe("NOT_FOUND");
    }
  });
});

function ReadableFrom(text: string) {
  return new Blob([text]).stream();
}
