import { describe, expect, it, vi } from "vitest";

import { startGpuClusterSim } from "./index";
import { streamBody } from "./testing/helpers";
import { MiB, useSim } from "./testing/sim-client";

const client = useSim("test-api-key-123");

describe("routing", () => {
  it("answers 404 for an id that cannot be a job", async () => {
    const { sim } = client;
    const response = await client.listingResponse("../etc");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "job_not_found" });
    const unknownRoute = await fetch(`${sim.url}/training/artifacts`);
    expect(unknownRoute.status).toBe(404);
    await unknownRoute.body?.cancel();
    expect(await (await fetch(`${sim.url}/healthz`)).json()).toEqual({ ok: true });
  });
});

describe("close", () => {
  it("destroys hanging connections, so a test ends promptly", async () => {
    const sim = await startGpuClusterSim({ apiKey: "close-test-key" });
    sim.registerJob("hang-listing", { fault: "hang" });
    sim.registerJob("hang-body", {
      fault: "hang",
      faultVariant: "file_mid_body",
      adapterSizeBytes: 2 * MiB,
    });
    const headers = { authorization: "Bearer close-test-key" };
    const listingAnswer = await fetch(`${sim.url}/training/artifacts/hang-body`, { headers });
    const body = (await listingAnswer.json()) as { download_urls: Record<string, string> };
    const stalledFile = await fetch(body.download_urls["adapter_model.safetensors"] ?? "");
    const stalledBody = streamBody(stalledFile.body);
    const hungListing = fetch(`${sim.url}/training/artifacts/hang-listing`, { headers });
    hungListing.catch(() => undefined); // observed below
    await vi.waitUntil(() => sim.stats().jobs["hang-listing"]?.faultsInjected === 1);

    const closing = performance.now();
    await sim.close();
    expect(performance.now() - closing).toBeLessThan(2000);
    await expect(hungListing).rejects.toThrow();
    const cut = await stalledBody;
    expect(cut.error).not.toBeNull();
    expect(cut.bytes).toBe(MiB);
  });
});
