import { describe, expect, it } from "vitest";

import { devLoginEnabled, readWebEnv } from "./env.server";

const valid = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
  STORAGE_SIGNING_SECRET: "s".repeat(32),
  AUTH_JWT_SECRET: "a".repeat(32),
  SESSION_SECRET: "c".repeat(32),
  PUBLIC_BASE_URL: "https://models.example.com/",
};

describe("readWebEnv", () => {
  it("accepts a complete configuration and normalises it", () => {
    const env = readWebEnv(valid);
    expect(env.PUBLIC_BASE_URL).toBe("https://models.example.com");
    expect(env.STORAGE_BUCKET).toBe("lora-models");
    expect(devLoginEnabled(env)).toBe(false);
  });

  it("names every missing or wrong variable without echoing secrets", () => {
    let message = "";
    try {
      readWebEnv({
        NODE_ENV: "production",
        SESSION_SECRET: "short-secret-value",
        DATABASE_URL: "mysql://x",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Invalid web configuration/);
    expect(message).toMatch(/AUTH_JWT_SECRET: is required/);
    expect(message).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).not.toContain("short-secret-value");
  });

  it("requires the signing secret with the local backend", () => {
    const { STORAGE_SIGNING_SECRET: _omitted, ...rest } = valid;
    expect(() => readWebEnv(rest)).toThrow(
      /STORAGE_SIGNING_SECRET: is required when STORAGE_BACKEND=local/,
    );
  });

  it("requires the Supabase settings with the Supabase backend", () => {
    expect(() => readWebEnv({ ...valid, STORAGE_BACKEND: "supabase" })).toThrow(
      /SUPABASE_STORAGE_URL: is required/,
    );
  });

  it("enables the development login only outside production", () => {
    expect(
      devLoginEnabled(readWebEnv({ ...valid, NODE_ENV: "development", ENABLE_DEV_LOGIN: "true" })),
    ).toBe(true);
    expect(
      devLoginEnabled(readWebEnv({ ...valid, NODE_ENV: "production", ENABLE_DEV_LOGIN: "true" })),
    ).toBe(false);
  });

  it("limits request bodies to 1 MiB unless configured, and refuses a nonsense limit", () => {
    expect(readWebEnv(valid).REQUEST_BODY_LIMIT_BYTES).toBe(1_048_576);
    expect(
      readWebEnv({ ...valid, REQUEST_BODY_LIMIT_BYTES: "65536" }).REQUEST_BODY_LIMIT_BYTES,
    ).toBe(65_536);
    expect(() => readWebEnv({ ...valid, REQUEST_BODY_LIMIT_BYTES: "lots" })).toThrow(
      /REQUEST_BODY_LIMIT_BYTES/,
    );
  });
});
