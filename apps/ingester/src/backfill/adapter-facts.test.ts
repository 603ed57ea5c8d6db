import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { modelArtifacts } from "@mad/db";
import type { JobSpecInput } from "@mad/gpu-cluster-sim";
import { createLogger } from "@mad/logger";
import { createLocalDownloadHandler } from "@mad/storage";

import { LogCapture, storedArtifactOf, useTestWorld } from "../testing/world";
import { backfillAdapterFacts } from "./adapter-facts";
import { readObjectRange } from "./object-reader";

const world = useTestWorld();
// The world's local storage signs with this secret (see testing/world.ts).
const SIGNING_SECRET = "x".repeat(40);

const storedArtifact = (spec: JobSpecInput) => storedArtifactOf(world, spec);

function deps(fetchCount = { n: 0 }) {
  const handler = createLocalDownloadHandler({
    rootDir: world.storageRoot,
    signingSecret: SIGNING_SECRET,
  });
  return {
    db: world.database.db,
    storage: world.storage,
    fetchSigned: (request: Request) => {
      fetchCount.n += 1;
      return handler(request);
    },
    logger: createLogger({ name: "backfill-test", level: "warn", destination: new LogCapture() }),
  };
}

describe("backfillAdapterFacts", () => {
  it("reads the facts an ingestion records from storage, for rows without them only", async () => {
    const a = await storedArtifact({ rank: 64, useDora: true, adapterSizeBytes: 1 << 20 });
    const b = await storedArtifact({
      rank: 8,
      modulesToSave: ["lm_head"],
      adapterSizeBytes: 65536,
    });
    const recorded = new Map([
      [a.id, a.adapterFacts],
      [b.id, b.adapterFacts],
    ]);
    expect(a.adapterFacts).not.toBeNull();
    // As if both had been stored before facts existed.
    for (const id of recorded.keys()) {
      await world.database.db
        .update(modelArtifacts)
        .set({ adapterFacts: null })
        .where(eq(modelArtifacts.id, id));
    }
    const fetches = { n: 0 };
    const report = await backfillAdapterFacts(deps(fetches));
    expect(report.filled).toBeGreaterThanOrEqual(2);
    for (const [id, facts] of recorded) {
      const [row] = await world.database.db
        .select({ adapterFacts: modelArtifacts.adapterFacts })
        .from(modelArtifacts)
        .where(eq(modelArtifacts.id, id));
      expect(row?.adapterFacts).toEqual(facts);
    }
    // Config, header length, header: three reads per artifact, whatever the adapter's size.
    expect(fetches.n).toBe(report.filled * 3);

    const again = await backfillAdapterFacts(deps());
    expect(again).toEqual({ filled: 0, skipped: [] });
  });

  it("skips an artifact whose adapter file is missing from storage, saying why", async () => {
    const c = await storedArtifact({ rank: 16, adapterSizeBytes: 65536 });
    await world.database.db
      .update(modelArtifacts)
      .set({ adapterFacts: null })
      .where(eq(modelArtifacts.id, c.id));
    const weights = c.files.find((file) => file.name === "adapter_model.safetensors")!;
    await world.storage.remove([weights.storage_path]);
    const report = await backfillAdapterFacts(deps());
    expect(report.skipped).toEqual([
      { artifactId: c.id, reason: "adapter_model.safetensors is not in storage" },
    ]);
  });

  it("reads only the bytes asked for, even from a server that ignores Range", async () => {
    const d = await storedArtifact({ rank: 8, adapterSizeBytes: 65536 });
    const config = d.files.find((file) => file.name === "adapter_config.json")!;
    const whole = (request: Request) =>
      createLocalDownloadHandler({ rootDir: world.storageRoot, signingSecret: SIGNING_SECRET })(
        new Request(request.url),
      );
    const bytes = await readObjectRange(world.storage, whole, config.storage_path, 2, 5);
    const all = await readObjectRange(world.storage, whole, config.storage_path, 0, 1 << 20);
    expect(bytes.equals(all.subarray(2, 7))).toBe(true);
    expect(all.length).toBe(config.size_bytes);
  });
});
