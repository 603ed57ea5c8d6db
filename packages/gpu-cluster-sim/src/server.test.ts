import { describe, expect, it } from "vitest";

import { useSim } from "./testing/sim-client";

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
