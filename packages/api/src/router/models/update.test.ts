import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact } from "../../testing/fixtures";

const env = useApiTestEnv();

describe("models.update", () => {
  it("renames, describes and tags the caller's model; byId and search see it", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const api = env.caller(user).models;
    expect(
      await api.update({
        modelId: artifact.id,
        name: "Support bot",
        description: "Answers **tickets**.",
        tags: ["Production-Candidate", "llama"],
      }),
    ).toEqual({
      id: artifact.id,
      name: "Support bot",
      description: "Answers **tickets**.",
      tags: ["production-candidate", "llama"],
    });
    expect(await api.byId({ modelId: artifact.id })).toMatchObject({
      name: "Support bot",
      tags: ["production-candidate", "llama"],
    });
    // Search finds a model by (part of) a tag, and lists its tags.
    const found = await api.list({ q: "candidate" });
    expect(found.models.map((m) => [m.id, m.tags])).toEqual([
      [artifact.id, ["production-candidate", "llama"]],
    ]);
    expect((await api.list({ q: "no-such-tag" })).models).toEqual([]);

    await api.update({ modelId: artifact.id, description: null });
    expect((await api.byId({ modelId: artifact.id })).description).toBeNull();
  });

  it("another user's model is NOT_FOUND like a missing one, and stays unchanged", async () => {
    const owner = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: owner });
    const stranger = await outcome(
      env.caller(randomUUID()).models.update({ modelId: artifact.id, tags: ["mine"] }),
    );
    const missing = await outcome(
      env.caller(owner).models.update({ modelId: randomUUID(), tags: ["mine"] }),
    );
    expect(stranger).toEqual(missing);
    expect(stranger.code).toBe("NOT_FOUND");
    expect((await env.caller(owner).models.byId({ modelId: artifact.id })).tags).toEqual([]);
  });

  it("refuses values out of bounds as BAD_REQUEST, changing nothing", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const api = env.caller(user).models;
    for (const input of [
      { tags: ["has space"] },
      { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { description: "x".repeat(10_001) },
      { name: "   " },
      {},
    ]) {
      const answer = await outcome(api.update({ modelId: artifact.id, ...input }));
      expect(answer.code, JSON.stringify(input).slice(0, 60)).toBe("BAD_REQUEST");
    }
    expect(await api.byId({ modelId: artifact.id })).toMatchObject({
      name: artifact.name,
      tags: [],
      description: null,
    });
  });
});
