import { setTimeout as sleep } from "node:timers/promises";
import { createStorage } from "@mad/storage";

import { ADA, expect, test } from "./fixtures";

test("an expired download link and a tampered one are refused", async ({ request, db, stack }) => {
  const [file] = await db.sql<{ path: string; name: string }[]>`
    select f->>'storage_path' as path, f->>'name' as name
    from model_artifacts a, jsonb_array_elements(a.files) f
    where a.user_id = ${ADA.id} and a.status = 'stored' limit 1`;
  // The server's clock cannot be moved from here: sign with the same secret and a 1-second life.
  const storage = createStorage({
    backend: "local",
    rootDir: stack.storageDir,
    signingSecret: stack.storageSigningSecret,
    publicBaseUrl: stack.baseUrl,
    bucket: "lora-models",
  });
  const url = await storage.createSignedUrl({ path: file!.path, downloadName: file!.name }, 1);
  expect((await request.get(url)).status()).toBe(200);

  const tampered = new URL(url);
  const token = tampered.searchParams.get("token")!;
  tampered.searchParams.set("token", token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA"));
  const refusedTampered = await request.get(tampered.toString());
  expect(refusedTampered.status()).toBe(400);

  const otherPath = new URL(url);
  otherPath.pathname = otherPath.pathname.replace(/[^/]+$/, "other.bin");
  expect((await request.get(otherPath.toString())).status()).toBe(400);

  await sleep(2_500);
  const expired = await request.get(url);
  expect(expired.status()).toBe(400);
  expect(await expired.text()).toMatch(/InvalidJWT|expired/i);
});
