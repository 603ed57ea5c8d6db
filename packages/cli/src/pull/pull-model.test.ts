import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { useCliWorld } from "../testing/world";
import { ChecksumMismatchError, PullFailedError, UnknownFilesError } from "./errors";
import type { PullEvent } from "./events";
import { pullModel } from "./pull-model";

const world = useCliWorld();
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

const weights = randomBytes(2 * 1024 * 1024 + 333);
const contents = {
  "adapter_model.safetensors": weights,
  "adapter_config.json": '{"r":16,"lora_alpha":32}',
  "empty.txt": "",
};

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "mad-pull-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const freshDir = () => mkdtemp(join(workDir, "m-"));

describe("pullModel", () => {
  it("downloads every file in parallel, verified, and finds them present the next time", async () => {
    const { modelId, client } = await world.storedModel(contents);
    const dir = await freshDir();
    const events: PullEvent[] = [];
    const result = await pullModel(client, modelId, dir, { onProgress: (e) => events.push(e) });
    expect(result.model_id).toBe(modelId);
    expect(result.files.map((f) => [f.name, f.status]).sort()).toEqual([
      ["adapter_config.json", "downloaded"],
      ["adapter_model.safetensors", "downloaded"],
      ["empty.txt", "downloaded"],
    ]);
    for (const [name, content] of Object.entries(contents)) {
      expect(sha256(await readFile(join(dir, name)))).toBe(sha256(content));
    }
    expect((await readdir(dir)).sort()).toEqual(Object.keys(contents).sort());
    expect(events[0]).toMatchObject({
      event: "start",
      total_bytes: weights.length + Buffer.byteLength(contents["adapter_config.json"]),
    });
    expect(events.filter((e) => e.event === "file-done")).toHaveLength(3);
    // In parallel: every file had started before the large one was done.
    const lastStart = events.map((e) => e.event).lastIndexOf("file-start");
    const bigDone = events.findIndex(
      (e) => e.event === "file-done" && e.name === "adapter_model.safetensors",
    );
    expect(lastStart).toBeLessThan(bigDone);

    const again = await pullModel(client, modelId, dir);
    expect(again.files.every((file) => file.status === "already-present")).toBe(true);
  });

  it("pulls only the named files and names an unknown one", async () => {
    const { modelId, client } = await world.storedModel(contents);
    const dir = await freshDir();
    const result = await pullModel(client, modelId, dir, { files: ["adapter_config.json"] });
    expect(result.files.map((f) => f.name)).toEqual(["adapter_config.json"]);
    expect(await readdir(dir)).toEqual(["adapter_config.json"]);
    await expect(pullModel(client, modelId, dir, { files: ["nope.bin"] })).rejects.toBeInstanceOf(
      UnknownFilesError,
    );
  });

  it("resumes a partial .part file with a Range request", async () => {
    const { modelId, client } = await world.storedModel(contents);
    const dir = await freshDir();
    const half = 1024 * 1024 + 7;
    await writeFile(join(dir, "adapter_model.safetensors.part"), weights.subarray(0, half));
    world.hooks.ranges = [];
    const result = await pullModel(client, modelId, dir, { files: ["adapter_model.safetensors"] });
    expect(result.files[0]).toMatchObject({ status: "resumed", resumed_from_bytes: half });
    expect(world.hooks.ranges).toEqual([
      { file: "adapter_model.safetensors", range: `bytes=${half}-` },
    ]);
    expect((await readFile(join(dir, "adapter_model.safetensors"))).equals(weights)).toBe(true);
  });

  it("continues after the connection breaks mid-file, from the bytes already written", async () => {
    const { modelId, client } = await world.storedModel(contents);
    const dir = await freshDir();
    world.hooks.ranges = [];
    world.hooks.cutNext = { suffix: "adapter_model.safetensors", afterBytes: 600_000 };
    const events: PullEvent[] = [];
    const result = await pullModel(client, modelId, dir, {
      files: ["adapter_model.safetensors"],
      retryDelayMs: 10,
      onProgress: (e) => events.push(e),
    });
    expect(result.files[0]!.status).toBe("downloaded");
    expect(events.some((e) => e.event === "retry")).toBe(true);
    const resumedAt = world.hooks.ranges[1]?.range;
    expect(resumedAt).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(resumedAt!)![0])).toBeGreaterThan(0);
    expect((await readFile(join(dir, "adapter_model.safetensors"))).equals(weights)).toBe(true);
  });

  it("asks for a new link when storage refuses an expired one", async () => {
    const { modelId, client } = await world.storedModel(contents);
    const dir = await freshDir();
    let first = true;
    const events: PullEvent[] = [];
    const result = await pullModel(client, modelId, dir, {
      files: ["adapter_config.json"],
      onProgress: (e) => events.push(e),
      // The links are signed, then an hour and a bit passes before the download starts.
      fetch: (input, init) => {
        if (first) {
          first = false;
          world.env.clock.advance(3_700_000);
        }
        return fetch(input, init);
      },
    });
    expect(result.files[0]!.status).toBe("downloaded");
    expect(events).toContainEqual({
      event: "url-refreshed",
      file: "adapter_config.json",
      status: 400,
    });
  });

  it("refuses a file whose stored bytes changed: deletes it, keeps the good ones, says why", async () => {
    const { userId, modelId, client } = await world.storedModel(contents);
    const dir = await freshDir();
    const corrupt = Buffer.from(weights);
    corrupt[12345] = corrupt[12345]! ^ 1;
    await writeFile(
      join(world.env.storageRoot, "lora-models", userId, modelId, "adapter_model.safetensors"),
      corrupt,
    );
    const failure = await pullModel(client, modelId, dir).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PullFailedError);
    const [mismatch] = (failure as PullFailedError).failures;
    expect(mismatch).toBeInstanceOf(ChecksumMismatchError);
    expect(mismatch!.message).toContain(`expected ${sha256(weights)}, got ${sha256(corrupt)}`);
    expect((await readdir(dir)).sort()).toEqual(["adapter_config.json", "empty.txt"]);
  });

  it("answers another user's model like a missing one", async () => {
    const { modelId } = await world.storedModel(contents);
    const stranger = await world.storedModel({ "a.json": "{}" });
    await expect(pullModel(stranger.client, modelId, await freshDir())).rejects.toMatchObject({
      message: "Model not found",
    });
    await expect(pullModel(stranger.client, randomUUID(), await freshDir())).rejects.toMatchObject({
      message: "Model not found",
    });
  });
});
