/**
 * The `mad` bin as users run it: a separate Node process (spawned like a shell would), talking
 * to the real API and storage over loopback. Killed mid-file, it resumes; given changed bytes,
 * it refuses them; its --json lines keep their shape.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { jsonLines, runMad, startMad } from "./testing/bin";
import { useCliWorld } from "./testing/world";

const world = useCliWorld();
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

const weights = randomBytes(4 * 1024 * 1024 + 99);
const contents = { "adapter_model.safetensors": weights, "adapter_config.json": '{"r":8}' };

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "mad-bin-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const start = (args: string[], token: string | undefined) =>
  startMad(world.env.server.url, args, token);

async function mad(args: string[], token?: string) {
  const run = runMad(world.env.server.url, args, token);
  const code = await run.exited;
  return { code, ...run.output() };
}

/** The keys every event kind has: what scripts may rely on. */
const EVENT_KEYS: Record<string, string[]> = {
  start: ["dir", "event", "files", "model_id", "model_name", "total_bytes"],
  "file-start": ["event", "file", "offset", "size_bytes"],
  progress: ["bytes", "event", "file", "size_bytes"],
  "file-done": ["event", "name", "resumed_from_bytes", "sha256", "size_bytes", "status"],
  "url-refreshed": ["event", "file", "status"],
  retry: ["attempt", "event", "file", "reason"],
  done: ["dir", "event", "files", "model_id", "model_name"],
  error: ["event", "failures", "message"],
};

describe("mad (the bin)", () => {
  it("lists and shows models as JSON, and says what is missing without a token", async () => {
    const { modelId, token } = await world.storedModel(contents);
    const list = await mad(["models", "list", "--json"], token);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { models: { id: string }[]; pagination: object };
    expect(listed.models.map((m) => m.id)).toEqual([modelId]);
    expect(Object.keys(listed.pagination).sort()).toEqual(["limit", "page", "total", "totalPages"]);

    const show = await mad(["models", "show", modelId, "--json"], token);
    const shown = JSON.parse(show.stdout) as { files: { name: string; sha256: string }[] };
    expect(shown.files.find((f) => f.name === "adapter_model.safetensors")?.sha256).toBe(
      sha256(weights),
    );
    const human = await mad(["models", "show", modelId], token);
    expect(human.stdout).toContain(`${sha256(weights)}`);

    const anonymous = await mad(["models", "list"], undefined);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain("MAD_TOKEN");
  });

  it("resumes a pull that was killed in the middle of a file", async () => {
    const { modelId, token } = await world.storedModel(contents);
    const dir = join(workDir, "killed");
    // Storage reads 1 MiB chunks, so the 4 MiB file arrives in five pieces 300 ms apart: the kill
    // lands mid-file once the first piece is on disk.
    world.hooks.chunkDelayMs = 300;
    const child = start(["pull", modelId, "--dir", dir, "--json"], token);
    const output = createInterface({ input: child.stdout });
    for await (const line of output) {
      const event = JSON.parse(line) as { event: string; file?: string };
      if (event.event === "progress" && event.file === "adapter_model.safetensors") break;
    }
    // Progress counts bytes as they arrive, before they are written: wait for the disk itself.
    const partPath = join(dir, "adapter_model.safetensors.part");
    await expect
      .poll(async () => (await stat(partPath).catch(() => null))?.size ?? 0, {
        timeout: 10_000,
        interval: 10,
      })
      .toBeGreaterThan(0);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("close", resolve));
    world.hooks.chunkDelayMs = 0;
    const part = await stat(partPath);
    expect(part.size).toBeGreaterThan(0);
    expect(part.size).toBeLessThan(weights.length);

    world.hooks.ranges = [];
    const again = await mad(["pull", modelId, "--dir", dir, "--json"], token);
    expect(again.code).toBe(0);
    const events = jsonLines(again.stdout);
    expect(events).toContainEqual(
      expect.objectContaining({
        event: "file-start",
        file: "adapter_model.safetensors",
        offset: part.size,
      }),
    );
    expect(world.hooks.ranges).toContainEqual({
      file: "adapter_model.safetensors",
      range: `bytes=${part.size}-`,
    });
    const done = events.at(-1) as { event: string; files: { name: string; status: string }[] };
    expect(done.event).toBe("done");
    expect(done.files.find((f) => f.name === "adapter_model.safetensors")?.status).toBe("resumed");
    expect((await readFile(join(dir, "adapter_model.safetensors"))).equals(weights)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(Object.keys(contents).sort());
  });

  it("refuses changed bytes with a clear message and a non-zero exit; --json lines keep their shape", async () => {
    const { userId, modelId, token } = await world.storedModel(contents);
    const good = await mad(["pull", modelId, "--dir", join(workDir, "good"), "--json"], token);
    expect(good.code).toBe(0);

    const corrupt = Buffer.from(weights);
    corrupt[0] = corrupt[0]! ^ 0xff;
    await writeFile(
      join(world.env.storageRoot, "lora-models", userId, modelId, "adapter_model.safetensors"),
      corrupt,
    );
    const dir = join(workDir, "bad");
    const bad = await mad(["pull", modelId, "--dir", dir, "--json"], token);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("adapter_model.safetensors: sha256 mismatch");
    expect(bad.stderr).toContain("was deleted");
    expect(await readdir(dir)).toEqual(["adapter_config.json"]);

    for (const event of [...jsonLines(good.stdout), ...jsonLines(bad.stdout)]) {
      const kind = String(event.event);
      expect(EVENT_KEYS[kind], kind).toBeDefined();
      expect(Object.keys(event).sort(), kind).toEqual(EVENT_KEYS[kind]);
    }
    const error = jsonLines(bad.stdout).at(-1) as { event: string; failures: object[] };
    expect(error.event).toBe("error");
    expect(error.failures).toEqual([
      expect.objectContaining({ kind: "ChecksumMismatchError", file: "adapter_model.safetensors" }),
    ]);
  });
});
