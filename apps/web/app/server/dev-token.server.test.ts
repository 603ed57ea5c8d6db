import { describe, expect, it } from "vitest";

import { createAuth } from "@mad/api";

import { readWebEnv } from "../env.server";
import { ADA, GRACE } from "../testing/harness";
import { findDemoUser, mintDevToken } from "./dev-token.server";

const base = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
  STORAGE_SIGNING_SECRET: "s".repeat(32),
  AUTH_JWT_SECRET: "a".repeat(32),
  SESSION_SECRET: "c".repeat(32),
};

describe("mintDevToken", () => {
  it("mints a token the API accepts as the demo user", async () => {
    const env = readWebEnv({ ...base, NODE_ENV: "development", ENABLE_DEV_LOGIN: "true" });
    const result = await mintDevToken(env, "grace");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const verified = await createAuth({ jwtSecret: "a".repeat(32) }).verifyAccessToken(
      result.token,
    );
    expect(verified?.userId).toBe(GRACE.id);
    // Signed with another secret, the same claims are refused.
    const other = await createAuth({ jwtSecret: "b".repeat(32) }).verifyAccessToken(result.token);
    expect(other).toBeNull();
  });

  it("is refused in production, and where the development login is off", async () => {
    for (const env of [
      readWebEnv({ ...base, NODE_ENV: "production", ENABLE_DEV_LOGIN: "true" }),
      readWebEnv({ ...base, NODE_ENV: "development", ENABLE_DEV_LOGIN: "false" }),
    ]) {
      const result = await mintDevToken(env, "ada");
      expect(result).toMatchObject({
        ok: false,
        message: expect.stringMatching(/production/) as unknown,
      });
    }
  });

  it("names the demo users when asked for someone else", async () => {
    const env = readWebEnv({ ...base, NODE_ENV: "development", ENABLE_DEV_LOGIN: "true" });
    expect(await mintDevToken(env, "mallory")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ada, grace, linus/) as unknown,
    });
    expect(findDemoUser(ADA.email.toUpperCase())?.id).toBe(ADA.id);
    expect(findDemoUser(ADA.id)?.id).toBe(ADA.id);
  });
});
