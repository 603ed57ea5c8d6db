/**
 * The start-up check, against the stand-in behaving like the real server with an anon key:
 * everything "works" (list [], remove succeeds deleting nothing), so only the check catches it.
 */
import { randomBytes } from "node:crypto";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";

import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";

import { StorageConfigError } from "../errors";
import { startSupabaseStandin, type SupabaseStandin } from "../testing/index";
import { createSupabaseStorage } from "./supabase-storage";

let standin: SupabaseStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

const storageWith = (server: SupabaseStandin, key: string, bucket = "lora-models") =>
  createSupabaseStorage({ url: server.url, serviceRoleKey: key, bucket });

async function configError(promise: Promise<unknown>): Promise<StorageConfigError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StorageConfigError);
  return error as StorageConfigError;
}

describe("verifyAccess", () => {
  it("passes with the service_role key and a private bucket", async () => {
    standin = await startSupabaseStandin();
    await expect(
      storageWith(standin, standin.serviceRoleKey).verifyAccess(),
    ).resolves.toBeUndefined();
  });

  it("catches the anon key, which otherwise fails silently", async () => {
    standin = await startSupabaseStandin();
    const good = storageWith(standin, standin.serviceRoleKey);
    await good.put("u/a/adapter_config.json", Readable.from([Buffer.from("{}")]), {
      contentType: "application/json",
    });
    const anon = storageWith(standin, standin.anonKey);
    // The real server's answers to the anon key: an empty listing, a "successful" remove.
    expect(await anon.list("u/a/")).toEqual([]);
    await expect(anon.remove(["u/a/adapter_config.json"])).resolves.toBeUndefined();
    await access(join(standin.rootDir, "objects", "lora-models", "u", "a", "adapter_config.json"));
    await expect(
      anon.put("u/a/x.json", Readable.from([Buffer.from("{}")]), {
        contentType: "application/json",
      }),
    ).rejects.toMatchObject({ kind: "denied", statusCode: "403" });

    const error = await configError(anon.verifyAccess());
    expect(error.variable).toBe("SUPABASE_SERVICE_ROLE_KEY");
    expect(error.message).toMatch(/^SUPABASE_SERVICE_ROLE_KEY: .*"anon"/);
    expect(error.message).not.toContain(standin.anonKey);
  });

  it("names SUPABASE_SERVICE_ROLE_KEY for a key the server refuses, without its value", async () => {
    standin = await startSupabaseStandin();
    const foreign = await new SignJWT({ role: "service_role" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(randomBytes(32));
    const error = await configError(storageWith(standin, foreign).verifyAccess());
    expect(error.variable).toBe("SUPABASE_SERVICE_ROLE_KEY");
    expect(error.message).not.toContain(foreign);
    const notAKey = await configError(storageWith(standin, "not-a-key").verifyAccess());
    expect(notAKey.variable).toBe("SUPABASE_SERVICE_ROLE_KEY");
  });

  it("names STORAGE_BUCKET for a missing or a public bucket", async () => {
    standin = await startSupabaseStandin({
      buckets: ["lora-models", "open"],
      publicBuckets: ["open"],
    });
    const missing = await configError(
      storageWith(standin, standin.serviceRoleKey, "nope").verifyAccess(),
    );
    expect(missing.variable).toBe("STORAGE_BUCKET");
    expect(missing.message).toMatch(/does not exist/);
    const open = await configError(
      storageWith(standin, standin.serviceRoleKey, "open").verifyAccess(),
    );
    expect(open.variable).toBe("STORAGE_BUCKET");
    expect(open.message).toMatch(/public/);
  });
});
