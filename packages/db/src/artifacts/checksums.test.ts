import { randomUUID } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "../schema";
import { insertArtifactInState, insertStoredArtifact } from "../testing";
import { useTestDatabase } from "../testing/use-test-database";
import { recordFileCrc32s } from "./index";

const database = useTestDatabase();
const userId = randomUUID();

async function filesOf(artifactId: string) {
  const [row] = await database.db
    .select({ files: modelArtifacts.files })
    .from(modelArtifacts)
    .where(eq(modelArtifacts.id, artifactId));
  return row!.files;
}

describe("recordFileCrc32s", () => {
  it("fills in missing CRC-32s of a stored artifact and keeps recorded ones", async () => {
    const { artifact } = await insertStoredArtifact(database.db, {
      userId,
      contents: { "a.json": "{}", "b.bin": "bytes" },
    });
    const files = await filesOf(artifact.id);
    const [a, b] = files;
    const recorded = [{ ...a!, crc32: 7 }, b!];
    // One file already has a CRC-32 (as if recorded at ingest): it must not be overwritten.
    await database.db
      .update(modelArtifacts)
      .set({ files: recorded })
      .where(eq(modelArtifacts.id, artifact.id));
    const crcs = new Map([
      [a!.storage_path, 1],
      [b!.storage_path, 0xffffffff],
    ]);
    expect(await recordFileCrc32s(database.db, artifact.id, recorded, crcs)).toBe(true);
    expect((await filesOf(artifact.id)).map((file) => file.crc32)).toEqual([7, 0xffffffff]);
  });

  it("leaves a file list that changed since it was read alone", async () => {
    const { artifact } = await insertStoredArtifact(database.db, { userId });
    const stale = (await filesOf(artifact.id)).map((file) => ({ ...file, size_bytes: 1 }));
    const crcs = new Map(stale.map((file) => [file.storage_path, 5]));
    expect(await recordFileCrc32s(database.db, artifact.id, stale, crcs)).toBe(false);
    expect((await filesOf(artifact.id)).every((file) => file.crc32 === undefined)).toBe(true);
  });

  it("never writes to a deleted artifact, and refuses values that are not a CRC-32", async () => {
    const { artifact } = await insertArtifactInState(database.db, { userId, state: "deleted" });
    const files = await filesOf(artifact.id);
    const crcs = new Map(files.map((file) => [file.storage_path, 5]));
    expect(await recordFileCrc32s(database.db, artifact.id, files, crcs)).toBe(false);
    const bad = new Map(files.map((file) => [file.storage_path, 2 ** 32]));
    await expect(recordFileCrc32s(database.db, artifact.id, files, bad)).rejects.toBeInstanceOf(
      RangeError,
    );
  });
});
