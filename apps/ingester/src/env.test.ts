import { describe, expect, it } from "vitest";

import { readIngesterEnv, storageConfigFromEnv } from "./env";

const minimal = { GPU_CLUSTER_API_URL: "http://127.0.0.1:4010", GPU_CLUSTER_API_KEY: "k" };

describe("readIngesterEnv", () => {
  it("fills in development defaults", () => {
    const env = readIngesterEnv(minimal);
    expect(env).toMatchObject({
      STORAGE_BACKEND: "local",
      STORAGE_BUCKET: "lora-models",
      INGEST_HEARTBEAT_SECONDS: 30,
    });
    expect(storageConfigFromEnv(env)).toMatchObject({ backend: "local", bucket: "lora-models" });
  });

  it("names every missing or wrong variable, never a value", () => {
    const secret = "super-secret-service-role-key";
    let message = "";
    try {
      readIngesterEnv({
        GPU_CLUSTER_API_URL: "ftp://nope",
        STORAGE_BACKEND: "supabase",
        SUPABASE_SERVICE_ROLE_KEY: secret,
        INGEST_HEARTBEAT_SECONDS: "5",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/GPU_CLUSTER_API_URL: must be an http\(s\) URL/);
    expect(message).toMatch(/GPU_CLUSTER_API_KEY/);
    expect(message).toMatch(/SUPABASE_STORAGE_URL: is required when STORAGE_BACKEND=supabase/);
    expect(message).toMatch(/INGEST_HEARTBEAT_SECONDS/);
    expect(message).not.toContain(secret);
  });

  it("requires a signing secret for local storage in production", () => {
    expect(() => readIngesterEnv({ ...minimal, NODE_ENV: "production" })).toThrow(
      /STORAGE_SIGNING_SECRET: is required in production/,
    );
  });
});
