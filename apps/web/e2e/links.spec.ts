import { setTimeout as sleep } from "node:timers/promises";

import { expect, test } from "./fixtures";

test("an expired download link and a tampered one are refused", async ({
  request,
  models,
  storage,
}) => {
  const { artifact } = await models.stored();
  const file = artifact.files[0]!;
  // The server's clock cannot be moved from here: sign with the same secret and a short life
  // (3 s: a token's times are whole seconds, so a 1-second one can expire before its first use).
  const url = await storage.createSignedUrl(
    { path: file.storage_path, downloadName: file.name },
    3,
  );
  expect((await request.get(url)).status()).toBe(200);

  const tampered = new URL(url);
  const token = tampered.searchParams.get("token")!;
  tampered.searchParams.set("token", token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA"));
  expect((await request.get(tampered.toString())).status()).toBe(400);

  const otherPath = new URL(url);
  otherPath.pathname = otherPath.pathname.replace(/[^/]+$/, "other.bin");
  expect((await request.get(otherPath.toString())).status()).toBe(400);

  // Until just past the token's own `exp`.
  const token64 = new URL(url).searchParams.get("token")!.split(".")[1]!;
  const { exp } = JSON.parse(Buffer.from(token64, "base64url").toString()) as { exp: number };
  await sleep(Math.max(0, exp * 1000 - Date.now()) + 1_100);
  const expired = await request.get(url);
  expect(expired.status()).toBe(400);
  expect(await expired.text()).toMatch(/InvalidJWT|expired/i);
});
