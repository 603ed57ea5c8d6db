import { setTimeout as sleep } from "node:timers/promises";

import { expect, test } from "./fixtures";

test("an expired download link and a tampered one are refused", async ({
  request,
  models,
  storage,
}) => {
  const { artifact } = await models.stored();
  const file = artifact.files[0]!;
  // The server's clock cannot be moved from here: sign with the same secret and a 1-second life.
  const url = await storage.createSignedUrl(
    { path: file.storage_path, downloadName: file.name },
    1,
  );
  expect((await request.get(url)).status()).toBe(200);

  const tampered = new URL(url);
  const token = tampered.searchParams.get("token")!;
  tampered.searchParams.set("token", token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA"));
  expect((await request.get(tampered.toString())).status()).toBe(400);

  const otherPath = new URL(url);
  otherPath.pathname = otherPath.pathname.replace(/[^/]+$/, "other.bin");
  expect((await request.get(otherPath.toString())).status()).toBe(400);

  await sleep(2_500);
  const expired = await request.get(url);
  expect(expired.status()).toBe(400);
  expect(await expired.text()).toMatch(/InvalidJWT|expired/i);
});
