import { describe, expect, it } from "vitest";

import { readSimEnv } from "./env";

describe("readSimEnv", () => {
  it("defaults the port to 4010 and the host to 127.0.0.1", () => {
    expect(readSimEnv({ GPU_CLUSTER_API_KEY: "dev-key-123" })).toEqual({
      GPU_CLUSTER_SIM_PORT: 4010,
      GPU_CLUSTER_SIM_HOST: "127.0.0.1",
      GPU_CLUSTER_API_KEY: "dev-key-123",
    });
  });

  it("names a missing key", () => {
    expect(() => readSimEnv({})).toThrow(/GPU_CLUSTER_API_KEY: is required/);
  });

  it("names an invalid variable without echoing the secret", () => {
    let message = "";
    try {
      readSimEnv({ GPU_CLUSTER_API_KEY: "short", GPU_CLUSTER_SIM_PORT: "eighty" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/GPU_CLUSTER_API_KEY: must be at least 8 characters/);
    expect(message).toMatch(/GPU_CLUSTER_SIM_PORT/);
    expect(message).not.toContain("short");
  });

  it("accepts a port and a public URL", () => {
    const env = readSimEnv({
      GPU_CLUSTER_API_KEY: "dev-key-123",
      GPU_CLUSTER_SIM_PORT: "0",
      GPU_CLUSTER_SIM_PUBLIC_URL: "http://sim.local:4010",
    });
    expect(env.GPU_CLUSTER_SIM_PORT).toBe(0);
    expect(env.GPU_CLUSTER_SIM_PUBLIC_URL).toBe("http://sim.local:4010");
  });
});
