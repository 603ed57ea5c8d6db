import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAuth } from "./auth";
import { testClock } from "./testing/env";

const secret = "a-development-secret-of-at-least-32-chars";
const encoded = new TextEncoder().encode(secret);
const userId = randomUUID();
const start = new Date("2026-11-23T12:00:00Z");
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function hs256(claims: Record<string, unknown>, key: Uint8Array = encoded) {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(key);
}

describe("HS256 access tokens", () => {
  const clock = testClock(start);
  const auth = createAuth({ jwtSecret: secret, now: clock.now, clockToleranceSeconds: 0 });
  const valid = {
    sub: userId,
    aud: "authenticated",
    role: "authenticated",
    iat: seconds(start),
    exp: seconds(start) + 3600,
  };

  it("accepts a Supabase-shaped token and round-trips a minted one", async () => {
    expect(await auth.verifyAccessToken(await hs256(valid))).toEqual({
      userId,
      expiresAt: new Date((seconds(start) + 3600) * 1000),
    });
    expect(await auth.verifyAccessToken(await auth.mintAccessToken(userId))).toEqual({
      userId,
      expiresAt: new Date((seconds(start) + 3600) * 1000),
    });
  });

  it("rejects expired, not-yet-valid, wrong-audience and wrongly-signed tokens", async () => {
    expect(
      await auth.verifyAccessToken(await hs256({ ...valid, exp: seconds(start) - 1 })),
    ).toBeNull();
    expect(
      await auth.verifyAccessToken(await hs256({ ...valid, nbf: seconds(start) + 60 })),
    ).toBeNull();
    expect(await auth.verifyAccessToken(await hs256({ ...valid, aud: "anon" }))).toBeNull();
    expect(
      await auth.verifyAccessToken(
        await hs256(valid, new TextEncoder().encode("another-secret-of-at-least-32-characters")),
      ),
    ).toBeNull();
    const { exp: _exp, ...noExpiry } = valid;
    expect(await auth.verifyAccessToken(await hs256(noExpiry))).toBeNull();
  });

  it("stops accepting a minted token once it expires on the clock", async () => {
    const token = await auth.mintAccessToken(userId, { expiresInSeconds: 60 });
    expect(await auth.verifyAccessToken(token)).toEqual({
      userId,
      expiresAt: new Date((seconds(start) + 60) * 1000),
    });
    clock.advance(61_000);
    expect(await auth.verifyAccessToken(token)).toBeNull();
    clock.set(start);
  });

  it("rejects a sub that is not a UUID, alg none, garbage and tampered payloads", async () => {
    expect(await auth.verifyAccessToken(await hs256({ ...valid, sub: "admin" }))).toBeNull();
    expect(await auth.verifyAccessToken(await hs256({ ...valid, sub: undefined }))).toBeNull();
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(valid)).toString("base64url")}.`;
    expect(await auth.verifyAccessToken(none)).toBeNull();
    for (const garbage of ["", "abc", "a.b.c", "x".repeat(10_000)])
      expect(await auth.verifyAccessToken(garbage)).toBeNull();
    const [header, , signature] = (await hs256(valid)).split(".");
    const forged = Buffer.from(JSON.stringify({ ...valid, sub: randomUUID() })).toString(
      "base64url",
    );
    expect(await auth.verifyAccessToken(`${header}.${forged}.${signature}`)).toBeNull();
  });

  it("checks the issuer when one is configured", async () => {
    const withIssuer = createAuth({
      jwtSecret: secret,
      issuer: "https://ref.supabase.co/auth/v1",
      now: clock.now,
    });
    expect(await withIssuer.verifyAccessToken(await hs256(valid))).toBeNull();
    expect(
      await withIssuer.verifyAccessToken(
        await hs256({ ...valid, iss: "https://ref.supabase.co/auth/v1" }),
      ),
    ).toEqual({ userId, expiresAt: new Date(valid.exp * 1000) });
    expect(await withIssuer.verifyAccessToken(await withIssuer.mintAccessToken(userId))).toEqual({
      userId,
      expiresAt: new Date(valid.exp * 1000),
    });
  });

  it("refuses a short secret and a non-UUID user at mint time", async () => {
    expect(() => createAuth({ jwtSecret: "short" })).toThrow(/at least 32/);
    await expect(auth.mintAccessToken("admin")).rejects.toThrow();
  });
});

describe("asymmetric keys from a JWKS URL", () => {
  let jwksUrl = "";
  let close = () => {};
  let requests = 0;
  const keys = generateKeyPair("RS256", { extractable: true });
  const stranger = generateKeyPair("RS256", { extractable: true });

  beforeAll(async () => {
    const { publicKey } = await keys;
    const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
    close = () => server.close();
  });
  afterAll(() => close());

  async function rs256(claims: Record<string, unknown>, pair = keys, kid = "key-1") {
    const { privateKey } = await pair;
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
  }

  it("verifies RS256 tokens with the published key and rejects others", async () => {
    const auth = createAuth({ jwtSecret: secret, jwksUrl });
    const now = seconds(new Date());
    const claims = { sub: userId, aud: "authenticated", iat: now, exp: now + 600 };
    expect(await auth.verifyAccessToken(await rs256(claims))).toEqual({
      userId,
      expiresAt: new Date(claims.exp * 1000),
    });
    expect(requests).toBeGreaterThan(0);
    expect(await auth.verifyAccessToken(await rs256(claims, stranger))).toBeNull();
    expect(await auth.verifyAccessToken(await rs256(claims, stranger, "unknown-kid"))).toBeNull();
    expect(await auth.verifyAccessToken(await rs256({ ...claims, exp: now - 10 }))).toBeNull();
    expect(
      await auth.verifyAccessToken(await rs256({ ...claims, aud: "service_role" })),
    ).toBeNull();
    // HS256 tokens keep working next to the JWKS.
    const minted = await auth.verifyAccessToken(await auth.mintAccessToken(userId));
    expect(Object.keys(minted ?? {}).sort()).toEqual(["expiresAt", "userId"]);
    expect(minted?.userId).toBe(userId);
    // Minted for an hour on the real clock (whole seconds).
    expect(minted?.expiresAt).toBeInstanceOf(Date);
    expect(Math.abs(minted!.expiresAt.getTime() - (Date.now() + 3_600_000))).toBeLessThan(5_000);
  });

  it("ignores RS256 tokens when no JWKS is configured", async () => {
    const auth = createAuth({ jwtSecret: secret });
    const now = seconds(new Date());
    expect(
      await auth.verifyAccessToken(
        await rs256({ sub: userId, aud: "authenticated", exp: now + 600 }),
      ),
    ).toBeNull();
  });

  it("answers null (not an exception) when the JWKS endpoint is unreachable", async () => {
    const auth = createAuth({ jwtSecret: secret, jwksUrl: "http://127.0.0.1:9/jwks.json" });
    const now = seconds(new Date());
    expect(
      await auth.verifyAccessToken(
        await rs256({ sub: userId, aud: "authenticated", exp: now + 600 }),
      ),
    ).toBeNull();
  });
});
