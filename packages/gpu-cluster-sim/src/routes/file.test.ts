import { describe, expect, it } from "vitest";

import { startGpuClusterSim } from "../index";
import { parseSafetensorsHeader, readUntilStall, sha256Hex, streamBody } from "../testing/helpers";
import { fileUrl, KiB, listingSchema, MiB, useSim } from "../testing/sim-client";

const API_KEY = "test-api-key-123";
const client = useSim(API_KEY);
const { job, rawListing } = client;

describe("files", () => {
  it.each([4 * KiB, 1 * MiB, 64 * MiB])(
    "a %i-byte adapter parses, has that size and matches its listed checksum",
    async (size) => {
      const jobId = `job-size-${size}`;
      client.sim.registerJob(jobId, { adapterSizeBytes: size });
      const body = await client.listing(jobId);
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
      expect(await client.sim.checksums(jobId)).toEqual(body.checksums);
    },
  );

  it("checks the URL signature: no signature, edited signature, another file's signature, edited variant", async () => {
    const body = await client.listing("job-sig");
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
    client.sim.registerJob("job-range", { adapterSizeBytes: 3 * MiB + 333 });
    const body = await client.listing("job-range");
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
    client.sim.registerJob("job-1gib", { adapterSizeBytes: size, includeChecksums: false });
    const body = await client.listing("job-1gib");
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

describe("file faults", () => {
  it("missing_file: the listed URL answers 404 for faultCount requests", async () => {
    const id = job({ fault: "missing_file", faultFile: "adapter_config.json", faultCount: 1 });
    const body = await rawListing(id);
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
    const body = await rawListing(id);
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
    const body = await rawListing(job({ fault: "truncated", adapterSizeBytes: size }));
    const response = await fetch(fileUrl(body));
    expect(Number(response.headers.get("content-length"))).toBe(size);
    const served = await streamBody(response.body);
    expect(served.error).not.toBeNull();
    expect(served.bytes).toBe(size / 2);
  });

  it("truncated short_length: a complete, shorter response whose checksum fails", async () => {
    const size = 1 * MiB;
    const body = await rawListing(
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
    const body = await rawListing(
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
    const body = await rawListing(id); // the listing itself is not delayed
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
    const body = await rawListing(
      job({
        fault: "slow",
        faultVariant: "file_mid_body",
        faultDelayMs: 60_000,
        adapterSizeBytes: size,
      }),
    );
    const controller = new AbortController();
    const response = await fetch(fileUrl(body), { signal: controller.signal });
    const { received, after } = await readUntilStall(response.body, size / 2, 300);
    expect(received).toBe(size / 2);
    expect(after).toBe("stalled");
    controller.abort();
  });

  describe("file_not_ready: faultFile answers 404/503 for faultCount requests, then is served", () => {
    const cases = [404, 503].flatMap((status) => [
      { status, retryAfter: 5 },
      { status, retryAfter: null },
    ]);
    it.each(cases)("$status with Retry-After $retryAfter", async ({ status, retryAfter }) => {
      const id = job({
        fault: "file_not_ready",
        faultStatus: status,
        faultRetryAfterSeconds: retryAfter,
        faultCount: 2,
        adapterSizeBytes: 64 * KiB,
      });
      const body = await rawListing(id);
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await fetch(fileUrl(body));
        expect(response.status).toBe(status);
        expect(response.headers.get("retry-after")).toBe(
          retryAfter === null ? null : String(retryAfter),
        );
        expect(await response.json()).toEqual({
          error: status === 404 ? "file_not_found" : "file_not_ready",
        });
      }
      const other = await fetch(fileUrl(body, "adapter_config.json"));
      expect(other.status).toBe(200); // only faultFile is not ready
      await other.body?.cancel();
      const served = await streamBody((await fetch(fileUrl(body))).body);
      expect(served.bytes).toBe(64 * KiB);
      expect(served.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
      expect(client.sim.stats().jobs[id]).toMatchObject({
        fileRequests: { "adapter_model.safetensors": 3 },
        faultsInjected: 2,
      });
    });

    it("defaults to 503 with Retry-After: 1; the listing itself is never held back", async () => {
      const id = job({ fault: "file_not_ready", faultFile: "training_args.json", faultCount: 1 });
      const body = await rawListing(id);
      const response = await fetch(fileUrl(body, "training_args.json"));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      await response.body?.cancel();
      expect((await fetch(fileUrl(body, "training_args.json"))).status).toBe(200);
    });
  });

  it("hang file_headers: faultFile never sends headers for faultCount requests, then is served", async () => {
    const id = job({ fault: "hang", faultVariant: "file_headers", faultCount: 1 });
    const body = await rawListing(id); // the listing itself does not hang
    await expect(fetch(fileUrl(body), { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    const second = await streamBody((await fetch(fileUrl(body))).body);
    expect(second.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
    expect(client.sim.stats().jobs[id]?.faultsInjected).toBe(1);
  });

  it("hang file_mid_body: sends half the body, then nothing, for faultCount requests", async () => {
    const size = 2 * MiB;
    const id = job({
      fault: "hang",
      faultVariant: "file_mid_body",
      faultCount: 1,
      adapterSizeBytes: size,
    });
    const body = await rawListing(id);
    const controller = new AbortController();
    const response = await fetch(fileUrl(body), { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBe(size);
    const { received, after } = await readUntilStall(response.body, size / 2, 500);
    expect(received).toBe(size / 2);
    expect(after).toBe("stalled");
    controller.abort();
    const second = await streamBody((await fetch(fileUrl(body))).body);
    expect(second.bytes).toBe(size);
    expect(second.sha256).toBe(body.checksums?.["adapter_model.safetensors"]);
  });
});
