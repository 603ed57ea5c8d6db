import { describe, expect, it } from "vitest";

import { KiB, useSim } from "../testing/sim-client";

const client = useSim("test-api-key-123");
const { control, listing, putJob } = client;

describe("control API", () => {
  it("registers a spec over HTTP, describes it, and forgets it", async () => {
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
    const { sim } = client;
    for (const bad of [
      { rank: 0 },
      { rank: "16" },
      { adapterSizeBytes: 10 },
      { fault: "meteor" },
      { unknownField: 1 },
      { adapterSizeBytes: 2048, rank: 1024 },
      { fault: "not_ready", faultStatus: 418 },
      { fault: "http_500", faultStatus: 404 },
      { fault: "file_not_ready", faultStatus: 409 },
      { fault: "slow", faultRetryAfterSeconds: 1 },
      { faultRetryAfterSeconds: 1 },
      { fault: "not_ready", faultRetryAfterSeconds: -1 },
      { fault: "hang", faultVariant: "forever" },
      { modulesToSave: ["score"] },
      { modulesToSave: ["lm_head", "lm_head"] },
      { taskType: "SEQ_CLS", modulesToSave: ["lm_head"] },
      { taskType: "SEQ_2_SEQ_LM" },
      { useDora: "yes" },
      { dtype: "F64" },
      { rank: 256, adapterSizeBytes: 16_943 },
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

  it("names the field and the allowed values of a fault setting it refuses", async () => {
    const response = await putJob("job-bad", { fault: "not_ready", faultStatus: 500 });
    expect(await response.json()).toEqual({
      error: "invalid_job_spec",
      issues: [
        { path: "faultStatus", message: "not_ready answers one of 409, 404, 423, 425, 503" },
      ],
    });
    const described = await (
      await putJob("job-ra", { fault: "not_ready", faultRetryAfterSeconds: null })
    ).json();
    expect(described).toMatchObject({ spec: { faultRetryAfterSeconds: null }, faultsLeft: null });
  });

  it("names the smallest size a spec fits in when adapterSizeBytes is too small", async () => {
    const response = await putJob("job-bad", { rank: 256, useDora: true, adapterSizeBytes: 4096 });
    expect(await response.json()).toEqual({
      error: "invalid_job_spec",
      issues: [
        {
          path: "adapterSizeBytes",
          message:
            "adapterSizeBytes 4096 is too small for rank 256 × 2 modules (F16, DoRA): this spec needs at least 17248 bytes",
        },
      ],
    });
  });

  it("counts requests per job and route, and bytes sent", async () => {
    const { sim } = client;
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
