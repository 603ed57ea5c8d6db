import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { type GpuClusterSim, startGpuClusterSim } from "./index";
import { parseSafetensorsHeader, sha256Hex, streamBody } from "./test-helpers";

const API_KEY = "test-api-key-123";
const KiB = 1024;
const MiB = 1024 * KiB;

const listingSchema = z
  .object({
    download_urls: z.object({
      "adapter_model.safetensors": z.url(),
      "adapter_config.json": z.url(),
      "training_args.json": z.url(),
    }),
    model_metadata: z.object({ base_model: z.string(), adapter_type: z.literal("lora") }),
    checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  })
  .strict();
type Listing = z.infer<typeof listingSchema>;

let sim: GpuClusterSim;

const listingResponse = (jobId: string, key: string | null = API_KEY) =>
  fetch(
    `${sim.url}/training/artifacts/${encodeURIComponent(jobId)}`,
    key === null ? {} : { headers: { authorization: `Bearer ${key}` } },
  );

async function listing(jobId: string): Promise<Listing> {
  const response = await listingResponse(jobId);
  expect(response.status).toBe(200);
  return listingSchema.parse(await response.json());
}

const control = (path: string, init: RequestInit = {}) => fetch(`${sim.url}/_control${path}`, init);
const putJob = (jobId: string, spec: unknown) =>
  control(`/jobs/${jobId}`, {
    method: "PUT",
    body: JSON.stringify(spec),
    headers: { "content-type": "application/json" },
  });

beforeAll(async () => {
  sim = await startGpuClusterSim({ port: 0, apiKey: API_KEY });
});
afterAll(async () => {
  await sim.close();
});

describe("listing", () => {
  it("serves an unregistered job with the default spec, URLs pointing back at the server", async () => {
    const body = await listing("demo-job-1");
    expect(body.model_metadata).toEqual({
      base_model: "meta-llama/Llama-3.1-8B",
      adapter_type: "lora",
    });
    expect(Object.keys(body.checksums ?? {}).sort()).toEqual([
      "adapter_config.json",
      "adapter_model.safetensors",
      "training_args.json",
    ]);
    for (const url of Object.values(body.download_urls))
      expect(url.startsWith(`${sim.url}/files/demo-job-1/`)).toBe(true);
    const file = await fetch(body.download_urls["adapter_model.safetensors"]);
    expect(Number(file.headers.get("content-length"))).toBe(256 * KiB);
    const config = (await (
      await fetch(body.download_urls["adapter_config.json"])
    ).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      r: 16,
      target_modules: ["q_proj", "v_proj"],
      peft_type: "LORA",
    });
    await file.body?.cancel();
  });

  it("refuses a missing or wrong key with 401 and never echoes the key", async () => {
    for (const key of [null, "wrong-key", `${API_KEY}x`, ""]) {
      const response = await listingResponse("demo-job-1", key);
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ error: "unauthorized" });
      expect(text).not.toContain(API_KEY);
    }
    const basic = await fetch(`${sim.url}/training/artifacts/demo-job-1`, {
      headers: { authorization: `Basic ${API_KEY}` },
    });
    expect(basic.status).toBe(401);
  });

  it("answers 404 for an id that cannot be a job", async () => {
    const response = await listingResponse("../etc");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "job_not_found" });
    const unknownRoute = await fetch(`${sim.url}/training/artifacts`);
    expect(unknownRoute.status).toBe(404);
    await unknownRoute.body?.cancel();
    expect(await (await fetch(`${sim.url}/healthz`)).json()).toEqual({ ok: true });
  });

  it("reflects a registered spec (in-process and via the control API)", async () => {
    sim.registerJob("job-reg", {
      baseModel: "Qwen/Qwen2.5-7B",
      rank: 8,
      targetModules: ["q_proj", "k_proj", "v_proj"],
      adapterSizeBytes: 64 * KiB,
    });
    const body = await listing("job-reg");
    expect(body.model_metadata.base_model).toBe("Qwen/Qwen2.5-7B");
    const config = (await (
      await fetch(body.download_urls["adapter_config.json"])
    ).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      r: 8,
      target_modules: ["q_proj", "k_proj", "v_proj"],
      base_model_name_or_path: "Qwen/Qwen2.5-7B",
    });

    const put = await putJob("job-ctl", { adapterSizeBytes: 8 * KiB, includeChecksums: false });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      id: "job-ctl",
      registered: true,
      fileSizes: { "adapter_model.safetensors": 8 * KiB },
    });
    const ctl = await listing("job-ctl");
    expect(ctl.checksums).toBeUndefined();
    const described = (await (await control("/jobs/job-ctl")).json()) as {
      spec: { includeChecksums: boolean };
    };
    expect(described.spec.includeChecksums).toBe(false);

    expect((await control("/jobs/job-ctl", { method: "DELETE" })).status).toBe(204);
    expect((await listing("job-ctl")).checksums).toBeDefined(); // back to the default spec
  });

  it("validates control input", async () => {
    for (const bad of [
      { rank: 0 },
      { rank: "16" },
      { adapterSizeBytes: 10 },
      { fault: "meteor" },
      { unknownField: 1 },
      { adapterSizeBytes: 2048, rank: 1024 },
    ]) {
      const response = await putJob("job-bad", bad);
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_job_spec" });
    }
    const notJson = await control("/jobs/job-bad", { method: "PUT", body: "{nope" });
    expect(notJson.status).toBe(400);
    expect((await putJob("bad%20id", {})).status).toBe(400);
    expect(() => sim.registerJob("job-bad", { rank: -1 })).toThrow(/invalid job spec/);
    expect(() => sim.registerJob("../x", {})).toThrow();
  });

  it("counts requests per job and route, and bytes sent", async () => {
    sim.resetStats();
    sim.registerJob("job-stats", { adapterSizeBytes: 16 * KiB });
    const body = await listing("job-stats");
    await (await fetch(body.download_urls["adapter_model.safetensors"])).arrayBuffer();
    await (await fetch(body.download_urls["adapter_config.json"])).arrayBuffer();
    const stats = sim.stats();
    expect(stats.routes.listing).toBe(1);
    expect(stats.routes.file).toBe(2);
    expect(stats.jobs["job-stats"]).toMatchObject({
      listingRequests: 1,
      fileRequests: { "adapter_model.safetensors": 1, "adapter_config.json": 1 },
    });
    expect(stats.jobs["job-stats"]?.bytesSent).toBe(
      16 * KiB + sim.fileSizes("job-stats")["adapter_config.json"],
    );
    const overHttp = (await (await control("/stats")).json()) as { jobs: Record<string, unknown> };
    expect(overHttp.jobs["job-stats"]).toBeDefined();
    expect((await control("/stats", { method: "DELETE" })).status).toBe(204);
    expect(sim.stats().jobs).toEqual({});
  });
});

describe("files", () => {
  it.each([4 * KiB, 1 * MiB, 64 * MiB])(
    "a %i-byte adapter parses, has that size and matches its listed checksum",
    async (size) => {
      const jobId = `job-size-${size}`;
      sim.registerJob(jobId, { adapterSizeBytes: size });
      const body = await listing(jobId);
      const response = await fetch(body.download_urls["adapter_model.safetensors"]);
      expect(response.status).toBe(200);
      expect(response.headers.get("accept-ranges")).toBe("bytes");
      const streamed = await streamBody(response.body, 256 * KiB);
      expect(streamed.error).toBeNull();
      expect(streamed.bytes).toBe(size);
      expect(Number(response.headers.get("content-length"))).toBe(size);
      expect(streamed.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
      const header = parseSafetensorsHeader(streamed.prefix, size);
      expect(header.metadata).toEqual({ format: "pt" });
      for (const name of ["adapter_config.json", "training_args.json"] as const) {
        const text = Buffer.from(await (await fetch(body.download_urls[name])).arrayBuffer());
        expect(sha256Hex(text)).toBe(body.checksums?.[name]);
        expect(() => JSON.parse(text.toString("utf8")) as unknown).not.toThrow();
      }
      expect(await sim.checksums(jobId)).toEqual(body.checksums);
    },
  );

  it("checks the URL signature: no signature, edited signature, another file's signature, edited variant", async () => {
    const body = await listing("job-sig");
    const good = new URL(body.download_urls["adapter_model.safetensors"]);
    const other = new URL(body.download_urls["adapter_config.json"]);
    const attempts: URL[] = [];
    const stripped = new URL(good);
    stripped.search = "";
    attempts.push(stripped);
    const edited = new URL(good);
    edited.searchParams.set("sig", `${good.searchParams.get("sig")?.slice(0, -2)}AA`);
    attempts.push(edited);
    const swapped = new URL(good);
    swapped.searchParams.set("sig", other.searchParams.get("sig") ?? "");
    attempts.push(swapped);
    const variant = new URL(good);
    variant.searchParams.set("v", "not_json");
    attempts.push(variant);
    const laterExpiry = new URL(good);
    laterExpiry.searchParams.set("exp", String(Number(good.searchParams.get("exp")) + 1));
    attempts.push(laterExpiry);
    const otherJob = new URL(good.href.replace("/files/job-sig/", "/files/job-sig2/"));
    attempts.push(otherJob);
    for (const url of attempts) {
      const response = await fetch(url);
      expect(response.status, url.href).toBe(403);
      expect(await response.json()).toEqual({ error: "invalid_signature" });
    }
    expect((await fetch(good)).status).toBe(200);
  });

  it("refuses an expired URL", async () => {
    const shortLived = await startGpuClusterSim({ apiKey: API_KEY, urlTtlSeconds: -1 });
    try {
      const response = await fetch(`${shortLived.url}/training/artifacts/job-exp`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      const body = listingSchema.parse(await response.json());
      const file = await fetch(body.download_urls["adapter_config.json"]);
      expect(file.status).toBe(403);
      expect(await file.json()).toEqual({ error: "url_expired" });
    } finally {
      await shortLived.close();
    }
  });

  it("answers Range requests (first, open-ended, suffix, unsatisfiable) and HEAD", async () => {
    sim.registerJob("job-range", { adapterSizeBytes: 3 * MiB + 333 });
    const body = await listing("job-range");
    const url = body.download_urls["adapter_model.safetensors"];
    const full = Buffer.from(await (await fetch(url)).arrayBuffer());
    const size = full.length;

    const first = await fetch(url, { headers: { range: "bytes=0-99" } });
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe(`bytes 0-99/${size}`);
    expect(Buffer.from(await first.arrayBuffer()).equals(full.subarray(0, 100))).toBe(true);

    const resume = await fetch(url, { headers: { range: `bytes=${MiB + 7}-` } });
    expect(resume.status).toBe(206);
    expect(Number(resume.headers.get("content-length"))).toBe(size - MiB - 7);
    expect(Buffer.from(await resume.arrayBuffer()).equals(full.subarray(MiB + 7))).toBe(true);

    const suffix = await fetch(url, { headers: { range: "bytes=-10" } });
    expect(suffix.status).toBe(206);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(full.subarray(size - 10))).toBe(true);

    const beyond = await fetch(url, { headers: { range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${size}`);
    await beyond.body?.cancel();

    const staleIfRange = await fetch(url, {
      headers: { range: "bytes=0-9", "if-range": '"stale"' },
    });
    expect(staleIfRange.status).toBe(200);
    await staleIfRange.body?.cancel();
    const etag = first.headers.get("etag") ?? "";
    const freshIfRange = await fetch(url, { headers: { range: "bytes=0-9", "if-range": etag } });
    expect(freshIfRange.status).toBe(206);
    await freshIfRange.body?.cancel();

    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBe(size);
    expect(sha256Hex(full)).toBe(body.checksums?.["adapter_model.safetensors"]);
  });

  it("streams a 1 GiB adapter with bounded memory", async () => {
    const size = 1024 * MiB;
    sim.registerJob("job-1gib", { adapterSizeBytes: size, includeChecksums: false });
    const body = await listing("job-1gib");
    expect(body.checksums).toBeUndefined();
    const response = await fetch(body.download_urls["adapter_model.safetensors"]);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let received = 0;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if ((received & 0xfffff) < value.length) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(received).toBe(size);
    // Server and client share this process; either buffering the file would add ~1 GiB.
    expect(peak - baseline).toBeLessThan(256 * MiB);
  });
});
