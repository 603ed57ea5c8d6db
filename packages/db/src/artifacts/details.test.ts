import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "../schema";
import { insertStoredArtifact } from "../testing";
import { useTestDatabase } from "../testing/use-test-database";
import { normalizeTags, softDeleteArtifact, updateArtifactDetails } from "./index";

const database = useTestDatabase();
const userId = randomUUID();

const rowOf = async (id: string) =>
  (await database.db.select().from(modelArtifacts).where(eq(modelArtifacts.id, id)))[0]!;

describe("updateArtifactDetails", () => {
  it("changes only the fields given, normalizing tags and clearing an empty description", async () => {
    const { artifact } = await insertStoredArtifact(database.db, { userId });
    const owner = { userId, artifactId: artifact.id };
    expect(
      await updateArtifactDetails(database.db, owner, {
        description: "  Answers *support* tickets.  ",
        tags: [" Support ", "llama-3.1", "support", ""],
      }),
    ).toBe(true);
    expect(await rowOf(artifact.id)).toMatchObject({
      name: artifact.name,
      description: "Answers *support* tickets.",
      tags: ["support", "llama-3.1"],
    });
    await updateArtifactDetails(database.db, owner, { name: " Support bot ", description: "  " });
    expect(await rowOf(artifact.id)).toMatchObject({
      name: "Support bot",
      description: null,
      tags: ["support", "llama-3.1"],
    });
  });

  it("refuses values out of bounds and changes nothing", async () => {
    const { artifact } = await insertStoredArtifact(database.db, { userId });
    const owner = { userId, artifactId: artifact.id };
    await expect(
      updateArtifactDetails(database.db, owner, { tags: ["ok"], description: "x".repeat(10_001) }),
    ).rejects.toThrow(RangeError);
    await expect(updateArtifactDetails(database.db, owner, { name: "" })).rejects.toThrow(
      RangeError,
    );
    expect(await rowOf(artifact.id)).toMatchObject({ tags: [], description: null });
  });

  it("another user's, a deleted and a missing model are all 'no such model'", async () => {
    const { artifact } = await insertStoredArtifact(database.db, { userId });
    expect(
      await updateArtifactDetails(
        database.db,
        { userId: randomUUID(), artifactId: artifact.id },
        { tags: ["x"] },
      ),
    ).toBe(false);
    await softDeleteArtifact(database.db, { userId, artifactId: artifact.id });
    expect(
      await updateArtifactDetails(
        database.db,
        { userId, artifactId: artifact.id },
        { tags: ["x"] },
      ),
    ).toBe(false);
    expect(
      await updateArtifactDetails(
        database.db,
        { userId, artifactId: randomUUID() },
        { tags: ["x"] },
      ),
    ).toBe(false);
    expect((await rowOf(artifact.id)).tags).toEqual([]);
  });
});

describe("normalizeTags", () => {
  it.each([
    [["a b"], /tag "a b"/],
    [["-lead"], /tag "-lead"/],
    [["x".repeat(41)], /1 to 40/],
    [Array.from({ length: 21 }, (_, i) => `t${i}`), /at most 20 tags/],
  ])("refuses %j", (tags, message) => {
    expect(() => normalizeTags(tags)).toThrow(message);
  });
});
