import { describe, expect, it } from "vitest";

import { PATH_TRAVERSAL_NAMES } from "../index";
import { parseSafetensorsHeader, sha256Hex, streamBody } from "../testing/helpers";
import { fileUrl, KiB, useSim } from "../testing/sim-client";

const client = useSim("test-api-key-123");
const { job, listing, listingResponse, rawListing } = client;
const getListing = (jobId: string, init: RequestInit = {}) => listingResponse(jobId, init);

describe("listing", () => {
  it("serves an unregistered job with the default spec, URLs pointing back at the server", async () => {
    const { sim } = client;
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
    const { sim, apiKey } = client;
    for (const key of [null, "wrong-key", `${apiKey}x`, ""]) {
      const response = await listingResponse("demo-job-1", { key });
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ error: "unauthorized" });
      expect(text).not.toContain(apiKey);
    }
    const basic = await fetch(`${sim.url}/training/artifacts/demo-job-1`, {
      headers: { authorization: `Basic ${apiKey}` },
    });
    expect(basic.status).toBe(401);
  });

  it("reflects a registered spec", async () => {
    client.sim.registerJob("job-reg", {
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
  });
});

describe("adapter variants", () => {
  it("serves the files of a DoRA + rsLoRA + modules_to_save adapter, described in its spec", async () => {
    const spec = {
      rank: 64,
      useDora: true,
      useRslora: true,
      modulesToSave: ["embed_tokens", "lm_head"] as ("embed_tokens" | "lm_head")[],
      dtype: "BF16" as const,
      adapterSizeBytes: 2 * 1024 * KiB,
    };
    const described = (await (await client.putJob("job-variant", spec)).json()) as {
      spec: Record<string, unknown>;
      fileSizes: Record<string, number>;
    };
    expect(described.spec).toMatchObject({ ...spec, taskType: "CAUSAL_LM" });
    const body = await listing("job-variant");
    const config = (await (
      await fetch(body.download_urls["adapter_config.json"])
    ).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      r: 64,
      use_dora: true,
      use_rslora: true,
      modules_to_save: ["embed_tokens", "lm_head"],
      task_type: "CAUSAL_LM",
    });
    const served = await streamBody(
      (await fetch(body.download_urls["adapter_model.safetensors"])).body,
      described.fileSizes["adapter_model.safetensors"],
    );
    expect(served.bytes).toBe(spec.adapterSizeBytes);
    expect(served.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
    const header = parseSafetensorsHeader(served.prefix, served.bytes);
    expect(header.tensors.get("base_model.model.lm_head.weight")?.dtype).toBe("BF16");
    expect(
      header.tensors.has("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector"),
    ).toBe(true);
  });
});

describe("listing faults", () => {
  it("http_500 fails the first faultCount listings, then recovers", async () => {
    const id = job({ fault: "http_500", faultCount: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await getListing(id);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: "internal_error" });
    }
    await rawListing(id);
    expect(client.sim.stats().jobs[id]?.faultsInjected).toBe(2);
  });

  it("http_500 with faultStatus 503 sends Retry-After; without faultCount it never recovers", async () => {
    const id = job({ fault: "http_500", faultStatus: 503 });
    for (let i = 0; i < 3; i++) {
      const response = await getListing(id);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      await response.body?.cancel();
    }
  });

  it.each([
    [undefined, 409],
    [425, 425],
  ])("not_ready answers %s → %i artifacts_not_ready", async (faultStatus, status) => {
    const id = job({ fault: "not_ready", faultCount: 1, ...(faultStatus ? { faultStatus } : {}) });
    const response = await getListing(id);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: "artifacts_not_ready" });
    await rawListing(id);
  });

  describe("not_ready then ready: every status a cluster may answer right after completion", () => {
    const cases = [404, 409, 423, 425, 503].flatMap((status) => [
      { status, retryAfter: 7 },
      { status, retryAfter: null },
    ]);
    it.each(cases)(
      "$status with Retry-After $retryAfter for faultCount listings, then the listing",
      async ({ status, retryAfter }) => {
        const id = job({
          fault: "not_ready",
          faultStatus: status,
          faultRetryAfterSeconds: retryAfter,
          faultCount: 2,
        });
        for (let attempt = 0; attempt < 2; attempt++) {
          const response = await getListing(id);
          expect(response.status).toBe(status);
          expect(response.headers.get("retry-after")).toBe(
            retryAfter === null ? null : String(retryAfter),
          );
          expect(await response.json()).toEqual({
            error: status === 404 ? "job_not_found" : "artifacts_not_ready",
          });
        }
        const body = await rawListing(id);
        expect(Object.keys(body.download_urls)).toContain("adapter_model.safetensors");
        expect(client.sim.stats().jobs[id]).toMatchObject({
          listingRequests: 3,
          faultsInjected: 2,
        });
      },
    );

    it("a 404 not-ready answer is byte for byte the answer for an unknown job", async () => {
      const notReady = await getListing(
        job({ fault: "not_ready", faultStatus: 404, faultRetryAfterSeconds: null }),
      );
      const unknown = await getListing(job({ fault: "not_found" }));
      expect(notReady.status).toBe(unknown.status);
      expect(await notReady.text()).toBe(await unknown.text());
      expect(notReady.headers.get("retry-after")).toBeNull();
    });

    it("defaults: not_ready sends Retry-After 1, not_found none unless asked", async () => {
      const notReady = await getListing(job({ fault: "not_ready" }));
      expect(notReady.headers.get("retry-after")).toBe("1");
      await notReady.body?.cancel();
      const notFound = await getListing(job({ fault: "not_found", faultRetryAfterSeconds: 30 }));
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get("retry-after")).toBe("30");
      await notFound.body?.cancel();
      const http500 = await getListing(job({ fault: "http_500", faultRetryAfterSeconds: 2 }));
      expect(http500.status).toBe(500);
      expect(http500.headers.get("retry-after")).toBe("2");
      await http500.body?.cancel();
    });
  });

  it("hang accepts the listing and never answers for faultCount requests, then answers", async () => {
    const id = job({ fault: "hang", faultCount: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(getListing(id, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
        name: "TimeoutError",
      });
    }
    await rawListing(id);
    expect(client.sim.stats().jobs[id]).toMatchObject({ listingRequests: 3, faultsInjected: 2 });
  });

  it("not_found answers 404", async () => {
    const id = job({ fault: "not_found" });
    const response = await getListing(id);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "job_not_found" });
  });

  it.each([
    [undefined, 401],
    [403, 403],
  ])("auth_refused (%s) answers %i despite the right key", async (faultStatus, status) => {
    const id = job({
      fault: "auth_refused",
      faultCount: 1,
      ...(faultStatus ? { faultStatus } : {}),
    });
    const response = await getListing(id);
    expect(response.status).toBe(status);
    await response.body?.cancel();
    await rawListing(id);
  });

  it("a faultCount of 0 injects nothing", async () => {
    const id = job({ fault: "http_500", faultCount: 0 });
    await rawListing(id);
  });

  it("slow delays the listing past a client timeout, then answers normally", async () => {
    const id = job({ fault: "slow", faultDelayMs: 60_000, faultCount: 1 });
    await expect(getListing(id, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    await rawListing(id);
  });

  it("bad_listing: malformed JSON, wrong shape, missing URLs, an HTML page", async () => {
    const malformed = await getListing(job({ fault: "bad_listing" }));
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);

    const wrongShape = (await rawListing(
      job({ fault: "bad_listing", faultVariant: "wrong_shape" }),
    )) as unknown as Record<string, unknown>;
    expect(Array.isArray(wrongShape.download_urls)).toBe(true);
    expect(typeof wrongShape.model_metadata).toBe("string");

    const missing = (await rawListing(
      job({ fault: "bad_listing", faultVariant: "missing_urls" }),
    )) as unknown as Record<string, unknown>;
    expect(missing.download_urls).toBeUndefined();

    const html = await getListing(job({ fault: "bad_listing", faultVariant: "not_json" }));
    expect(html.headers.get("content-type")).toContain("text/html");
    await expect(html.json()).rejects.toThrow(SyntaxError);
  });

  it("path_traversal lists hostile file names next to the real files", async () => {
    const body = await rawListing(job({ fault: "path_traversal" }));
    const names = Object.keys(body.download_urls);
    for (const name of [
      ...PATH_TRAVERSAL_NAMES,
      "adapter_model.safetensors",
      "adapter_config.json",
      "training_args.json",
    ]) {
      expect(names).toContain(name);
    }
    expect(names).toContain("../../etc/passwd");
    expect(names).toContain("a/b.json");
    expect(names).toContain("..\\evil");
    for (const name of PATH_TRAVERSAL_NAMES) {
      const probe = await fetch(fileUrl(body, name));
      expect(probe.status, name).toBe(200);
      expect(await probe.text()).toContain("path traversal probe");
    }
  });

  it("wrong_checksum advertises a sha256 the served bytes do not have", async () => {
    const id = job({ fault: "wrong_checksum", adapterSizeBytes: 64 * KiB });
    const body = await rawListing(id);
    const served = await streamBody((await fetch(fileUrl(body))).body);
    expect(served.bytes).toBe(64 * KiB);
    expect(body.checksums?.["adapter_model.safetensors"]).toMatch(/^[0-9a-f]{64}$/);
    expect(served.sha256).not.toBe(body.checksums?.["adapter_model.safetensors"]);
    const config = Buffer.from(
      await (await fetch(fileUrl(body, "adapter_config.json"))).arrayBuffer(),
    );
    expect(sha256Hex(config)).toBe(body.checksums?.["adapter_config.json"]);
  });

  it("wrong_checksum still lists the bad checksum when checksums are off", async () => {
    const body = await rawListing(
      job({ fault: "wrong_checksum", faultFile: "training_args.json", includeChecksums: false }),
    );
    expect(Object.keys(body.checksums ?? {})).toEqual(["training_args.json"]);
    const served = Buffer.from(
      await (await fetch(fileUrl(body, "training_args.json"))).arrayBuffer(),
    );
    expect(sha256Hex(served)).not.toBe(body.checksums?.["training_args.json"]);
  });

  it("invalid_json serves an adapter_config.json that is not JSON (checksum matches it); the next listing is sound", async () => {
    const id = job({ fault: "invalid_json", faultCount: 1 });
    const bad = await rawListing(id);
    const text = Buffer.from(
      await (await fetch(fileUrl(bad, "adapter_config.json"))).arrayBuffer(),
    );
    expect(() => JSON.parse(text.toString("utf8")) as unknown).toThrow(SyntaxError);
    expect(sha256Hex(text)).toBe(bad.checksums?.["adapter_config.json"]);
    const good = await rawListing(id);
    const fixed = (await (await fetch(fileUrl(good, "adapter_config.json"))).json()) as {
      peft_type: string;
    };
    expect(fixed.peft_type).toBe("LORA");
  });

  it.each([
    [undefined, /beyond the file/],
    ["not_json", SyntaxError],
  ])(
    "bad_safetensors_header (%s) keeps the size and checksum but breaks the header",
    async (faultVariant, failure) => {
      const size = 128 * KiB;
      const body = await rawListing(
        job({
          fault: "bad_safetensors_header",
          adapterSizeBytes: size,
          ...(faultVariant ? { faultVariant } : {}),
        }),
      );
      const served = await streamBody((await fetch(fileUrl(body))).body, size);
      expect(served.bytes).toBe(size);
      expect(served.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
      expect(() => parseSafetensorsHeader(served.prefix, size)).toThrow(failure);
    },
  );
});
