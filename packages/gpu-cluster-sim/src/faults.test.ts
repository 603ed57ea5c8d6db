import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type GpuClusterSim,
  type JobSpecInput,
  PATH_TRAVERSAL_NAMES,
  startGpuClusterSim,
} from "./index";
import { parseSafetensorsHeader, sha256Hex, streamBody } from "./test-helpers";

const API_KEY = "fault-test-key";
const KiB = 1024;
const MiB = 1024 * KiB;

interface Listing {
  download_urls: Record<string, string>;
  model_metadata: { base_model: string; adapter_type: string };
  checksums?: Record<string, string>;
}

let sim: GpuClusterSim;
let jobCounter = 0;

beforeAll(async () => {
  sim = await startGpuClusterSim({ apiKey: API_KEY });
});
afterAll(async () => {
  await sim.close();
});

/** Registers a fresh job id with the spec, so tests never share fault counters. */
function job(spec: JobSpecInput): string {
  const id = `fault-job-${++jobCounter}`;
  sim.registerJob(id, spec);
  return id;
}

const getListing = (jobId: string, init: RequestInit = {}) =>
  fetch(`${sim.url}/training/artifacts/${jobId}`, {
    ...init,
    headers: { authorization: `Bearer ${API_KEY}` },
  });

async function listing(jobId: string): Promise<Listing> {
  const response = await getListing(jobId);
  expect(response.status).toBe(200);
  return (await response.json()) as Listing;
}

const fileUrl = (body: Listing, name = "adapter_model.safetensors") =>
  body.download_urls[name] ?? "";

describe("listing faults", () => {
  it("http_500 fails the first faultCount listings, then recovers", async () => {
    const id = job({ fault: "http_500", faultCount: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await getListing(id);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: "internal_error" });
    }
    await listing(id);
    expect(sim.stats().jobs[id]?.faultsInjected).toBe(2);
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
    await listing(id);
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
    await listing(id);
  });

  it("a faultCount of 0 injects nothing", async () => {
    const id = job({ fault: "http_500", faultCount: 0 });
    await listing(id);
  });

  it("slow delays the listing past a client timeout, then answers normally", async () => {
    const id = job({ fault: "slow", faultDelayMs: 60_000, faultCount: 1 });
    await expect(getListing(id, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    await listing(id);
  });

  it("bad_listing: malformed JSON, wrong shape, missing URLs, an HTML page", async () => {
    const malformed = await getListing(job({ fault: "bad_listing" }));
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);

    const wrongShape = (await listing(
      job({ fault: "bad_listing", faultVariant: "wrong_shape" }),
    )) as unknown as Record<string, unknown>;
    expect(Array.isArray(wrongShape.download_urls)).toBe(true);
    expect(typeof wrongShape.model_metadata).toBe("string");

    const missing = (await listing(
      job({ fault: "bad_listing", faultVariant: "missing_urls" }),
    )) as unknown as Record<string, unknown>;
    expect(missing.download_urls).toBeUndefined();

    const html = await getListing(job({ fault: "bad_listing", faultVariant: "not_json" }));
    expect(html.headers.get("content-type")).toContain("text/html");
    await expect(html.json()).rejects.toThrow(SyntaxError);
  });

  it("path_traversal lists hostile file names next to the real files", async () => {
    const body = await listing(job({ fault: "path_traversal" }));
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
    const body = await listing(id);
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
    const body = await listing(
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
    const bad = await listing(id);
    const text = Buffer.from(
      await (await fetch(fileUrl(bad, "adapter_config.json"))).arrayBuffer(),
    );
    expect(() => JSON.parse(text.toString("utf8")) as unknown).toThrow(SyntaxError);
    expect(sha256Hex(text)).toBe(bad.checksums?.["adapter_config.json"]);
    const good = await listing(id);
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
      const body = await listing(
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

describe("file faults", () => {
  it("missing_file: the listed URL answers 404 for faultCount requests", async () => {
    const id = job({ fault: "missing_file", faultFile: "adapter_config.json", faultCount: 1 });
    const body = await listing(id);
    const missing = await fetch(fileUrl(body, "adapter_config.json"));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "file_not_found" });
    expect((await fetch(fileUrl(body, "adapter_config.json"))).status).toBe(200);
    const other = await fetch(fileUrl(body));
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it("reset_mid_file cuts the connection mid-body; a Range request resumes to the right bytes", async () => {
    const size = 8 * MiB;
    const id = job({ fault: "reset_mid_file", adapterSizeBytes: size, faultCount: 1 });
    const body = await listing(id);
    const url = fileUrl(body);
    let received = 0;
    let failure: unknown = null;
    const parts: Buffer[] = [];
    try {
      const response = await fetch(url);
      expect(Number(response.headers.get("content-length"))).toBe(size);
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        parts.push(Buffer.from(chunk));
        received += chunk.length;
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).not.toBeNull();
    expect(received).toBeLessThan(size);

    const rest = await fetch(url, { headers: { range: `bytes=${received}-` } });
    expect(rest.status).toBe(206);
    parts.push(Buffer.from(await rest.arrayBuffer()));
    const whole = Buffer.concat(parts);
    expect(whole.length).toBe(size);
    expect(sha256Hex(whole)).toBe(body.checksums?.["adapter_model.safetensors"]);
  });

  it("truncated (default): promises the full length, sends half, closes", async () => {
    const size = 4 * MiB;
    const body = await listing(job({ fault: "truncated", adapterSizeBytes: size }));
    const response = await fetch(fileUrl(body));
    expect(Number(response.headers.get("content-length"))).toBe(size);
    const served = await streamBody(response.body);
    expect(served.error).not.toBeNull();
    expect(served.bytes).toBe(size / 2);
  });

  it("truncated short_length: a complete, shorter response whose checksum fails", async () => {
    const size = 1 * MiB;
    const body = await listing(
      job({ fault: "truncated", faultVariant: "short_length", adapterSizeBytes: size }),
    );
    const response = await fetch(fileUrl(body));
    expect(Number(response.headers.get("content-length"))).toBe(size / 2);
    const served = await streamBody(response.body, size);
    expect(served.error).toBeNull();
    expect(served.bytes).toBe(size / 2);
    expect(served.sha256).not.toBe(body.checksums?.["adapter_model.safetensors"]);
    expect(() => parseSafetensorsHeader(served.prefix, served.bytes)).toThrow();
  });

  it("truncated on a JSON file leaves it unparseable", async () => {
    const body = await listing(
      job({ fault: "truncated", faultVariant: "short_length", faultFile: "training_args.json" }),
    );
    const text = await (await fetch(fileUrl(body, "training_args.json"))).text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });

  it("slow file_headers delays the file response past a client timeout", async () => {
    const id = job({
      fault: "slow",
      faultVariant: "file_headers",
      faultDelayMs: 60_000,
      faultCount: 1,
    });
    const body = await listing(id); // the listing itself is not delayed
    await expect(
      fetch(fileUrl(body, "adapter_model.safetensors"), { signal: AbortSignal.timeout(200) }),
    ).rejects.toMatchObject({
      name: "TimeoutError",
    });
    const second = await streamBody((await fetch(fileUrl(body))).body);
    expect(second.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
  });

  it("slow file_mid_body stalls after half the body", async () => {
    const size = 2 * MiB;
    const body = await listing(
      job({
        fault: "slow",
        faultVariant: "file_mid_body",
        faultDelayMs: 60_000,
        adapterSizeBytes: size,
      }),
    );
    const controller = new AbortController();
    const response = await fetch(fileUrl(body), { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    while (received < size / 2) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    expect(received).toBe(size / 2);
    const stalled = await Promise.race([
      reader.read().then(() => "data" as const),
      new Promise<"stalled">((resolve) => setTimeout(() => resolve("stalled"), 300)),
    ]);
    expect(stalled).toBe("stalled");
    controller.abort();
  });
});
