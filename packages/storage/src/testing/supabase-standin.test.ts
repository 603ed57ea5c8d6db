/**
 * The stand-in's object routes and signed downloads answer as Supabase Storage v1.70.6 did when
 * checked against it (README "Checked against the real server", 2026-12-03).
 */
import { randomBytes } from "node:crypto";

import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";

import { signingKey } from "../signed-token";
import { startSupabaseStandin, type SupabaseStandin } from "./index";

let standin: SupabaseStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function setup() {
  standin = await startSupabaseStandin();
  const server = standin;
  const auth = (key = server.serviceRoleKey) => ({ apikey: key, Authorization: `Bearer ${key}` });
  const upload = (path: string, body: string, contentType: string) =>
    fetch(`${server.url}/object/lora-models/${path}`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": contentType, "x-upsert": "true" },
      body,
    });
  const sign = async (path: string) => {
    const response = await fetch(`${server.url}/object/sign/lora-models/${path}`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ expiresIn: 60 }),
    });
    return `${server.url}${((await response.json()) as { signedURL: string }).signedURL}`;
  };
  const token = (claims: Record<string, unknown>, alg = "HS256") =>
    new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(signingKey(server.jwtSecret));
  return { server, auth, upload, sign, token };
}

describe("the stand-in's signed downloads", () => {
  it("serve the uploaded content type, ignore If-Range and send no nosniff", async () => {
    const { upload, sign } = await setup();
    expect((await upload("u/a/config.bin", "0123456789", "application/json")).status).toBe(200);
    const url = await sign("u/a/config.bin");
    const whole = await fetch(url);
    expect(whole.headers.get("content-type")).toBe("application/json");
    expect(whole.headers.get("x-content-type-options")).toBeNull();
    await whole.body?.cancel();
    const ranged = await fetch(url, { headers: { Range: "bytes=2-4", "If-Range": '"stale"' } });
    expect(ranged.status).toBe(206);
    expect(await ranged.text()).toBe("234");
  });

  it("check the token as the real server does: jose's words, then scope, then url", async () => {
    const { upload, sign, token } = await setup();
    await upload("u/a/x.bin", "x", "application/octet-stream");
    const base = (await sign("u/a/x.bin")).split("?")[0]!;
    const answer = async (value: string) =>
      (await fetch(`${base}?token=${value}`)).json() as Promise<Record<string, string>>;
    const bucketPath = "lora-models/u/a/x.bin";
    expect(await answer("not-a-jwt")).toEqual({
      statusCode: "400",
      error: "InvalidJWT",
      message: "Invalid Compact JWS",
      code: "InvalidJWT",
    });
    expect(await answer(await token({ url: bucketPath }, "HS512"))).toMatchObject({
      code: "InvalidJWT",
      message: '"alg" (Algorithm) Header Parameter value not allowed',
    });
    for (const claims of [
      { url: bucketPath, scope: "upload" },
      { url: bucketPath, upsert: false },
    ])
      expect(await answer(await token(claims))).toMatchObject({
        code: "InvalidSignature",
        message: "Token is not scoped for download",
      });
    expect(await answer(await token({ scope: "download" }))).toMatchObject({
      code: "InvalidSignature",
      message: "Invalid signature",
    });
    // No scope and no upsert counts as a download token.
    expect((await fetch(`${base}?token=${await token({ url: bucketPath })}`)).status).toBe(200);
    expect(await (await fetch(base)).json()).toMatchObject({
      code: "InvalidRequest",
      error: "Error",
    });
  });
});

describe("the stand-in's authenticated routes", () => {
  it("answer a missing or foreign key, the bucket and a removal as the real server does", async () => {
    const { server, auth, upload } = await setup();
    const noKey = await fetch(`${server.url}/bucket/lora-models`);
    expect(await noKey.json()).toEqual({
      statusCode: "400",
      error: "Error",
      message: "headers must have required property 'authorization'",
      code: "InvalidRequest",
    });
    const foreign = await new SignJWT({ role: "service_role" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(randomBytes(32));
    const refused = await fetch(`${server.url}/bucket/lora-models`, { headers: auth(foreign) });
    expect(await refused.json()).toMatchObject({
      statusCode: "403",
      code: "AccessDenied",
      message: "signature verification failed",
    });
    const bucket = (await (
      await fetch(`${server.url}/bucket/lora-models`, { headers: auth() })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(bucket).sort()).toEqual([
      "allowed_mime_types",
      "created_at",
      "file_size_limit",
      "id",
      "name",
      "owner",
      "public",
      "updated_at",
    ]);

    await upload("u/a/c.json", "{}", "application/json");
    const listed = await fetch(`${server.url}/object/list/lora-models`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ prefix: "u/a/" }),
    });
    expect(await listed.json()).toMatchObject([
      { name: "c.json", metadata: { mimetype: "application/json", size: 2 } },
    ]);
    const download = await fetch(`${server.url}/object/lora-models/u/a/c.json`, {
      headers: auth(),
    });
    expect(download.headers.get("cache-control")).toBe("no-cache");
    expect(download.headers.get("accept-ranges")).toBe("bytes");
    await download.body?.cancel();
    const removed = await fetch(`${server.url}/object/lora-models`, {
      method: "DELETE",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ prefixes: ["u/a/c.json", "u/a/missing.json"] }),
    });
    const rows = (await removed.json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual([
      "bucket_id",
      "created_at",
      "id",
      "last_accessed_at",
      "metadata",
      "name",
      "owner",
      "owner_id",
      "updated_at",
      "user_metadata",
      "version",
    ]);
  });
});
