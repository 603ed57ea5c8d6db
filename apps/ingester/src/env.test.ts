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

  it("reads how many webhook deliveries run at once, 4 unless set, 1 to 64", () => {
    expect(readIngesterEnv(minimal).WEBHOOK_CONCURRENCY).toBe(4);
    expect(readIngesterEnv({ ...minimal, WEBHOOK_CONCURRENCY: "16" }).WEBHOOK_CONCURRENCY).toBe(16);
    expect(() => readIngesterEnv({ ...minimal, WEBHOOK_CONCURRENCY: "0" })).toThrow(
      /WEBHOOK_CONCURRENCY/,
    );
    expect(() => readIngesterEnv({ ...minimal, WEBHOOK_CONCURRENCY: "many" })).toThrow(
      /WEBHOOK_CONCURRENCY/,
    );
  });

  it("requires a signing secret for local storage in production", () => {
    expect(() => readIngesterEnv({ ...minimal, NODE_ENV: "production" })).toThrow(
      /STORAGE_SIGNING_SECRET: is required in production/,
    );
  });
});

describe("storage variables (owned by @mad/storage)", () => {
  it("passes timeouts and TUS retry delays through to the Supabase backend", () => {
    const env = readIngesterEnv({
      ...minimal,
      STORAGE_BACKEND: "supabase",
      SUPABASE_STORAGE_URL: "https://ref.supabase.co/storage/v1",
      SUPABASE_SERVICE_ROLE_KEY: "k",
      STORAGE_REQUEST_TIMEOUT_MS: "5000",
      STORAGE_TUS_RETRY_DELAYS_MS: "0, 500,2000",
    });
    expect(storageConfigFromEnv(env)).toMatchObject({
      backend: "supabase",
      requestTimeoutMs: 5000,
      tusRetryDelaysMs: [0, 500, 2000],
    });
  });

  it("names a bad delay list or timeout", () => {
    expect(() => readIngesterEnv({ ...minimal, STORAGE_TUS_RETRY_DELAYS_MS: "1s,2s" })).toThrow(
      /STORAGE_TUS_RETRY_DELAYS_MS: must be a comma-separated list of milliseconds/,
    );
    expect(() => readIngesterEnv({ ...minimal, STORAGE_REQUEST_TIMEOUT_MS: "5" })).toThrow(
      /STORAGE_REQUEST_TIMEOUT_MS/,
    );
  });
});
