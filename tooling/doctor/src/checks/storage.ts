/**
 * Storage: for Supabase, the key is the service role's and the bucket exists and is private
 * (with the anon key, listing answers [] and removing "succeeds": nothing else would notice);
 * for the local backend, the folder is writable.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { decodeJwt } from "jose";

import { type CheckResult, describeError, displayUrl, fail, pass } from "../check";
import type { DoctorEnv } from "../env";

export interface StorageFindings {
  results: CheckResult[];
  serverDate: Date | null;
}

const REACHABLE = "storage reachable with the service role";
const BUCKET = "bucket present and private";

export async function checkStorage(env: DoctorEnv): Promise<StorageFindings> {
  const config = env.storage;
  if (config.backend === "local") {
    const probe = path.join(config.rootDir, `.preflight-${randomUUID()}`);
    try {
      await mkdir(config.rootDir, { recursive: true });
      await writeFile(probe, "preflight");
      await rm(probe);
      return {
        serverDate: null,
        results: [
          pass(REACHABLE, `local backend: ${config.rootDir} is writable`),
          pass(BUCKET, "local backend: files are served only through signed URLs"),
        ],
      };
    } catch (error) {
      return {
        serverDate: null,
        results: [
          fail(
            REACHABLE,
            `local backend: cannot write in ${config.rootDir}: ${describeError(error)}`,
            "set LOCAL_STORAGE_DIR to a folder this user may write (shared by web and ingester)",
          ),
          fail(BUCKET, "not checked: the folder is not writable", "fix the check above first"),
        ],
      };
    }
  }

  const results: CheckResult[] = [];
  const role = roleOf(config.serviceRoleKey);
  if (role !== null && role !== "service_role") {
    results.push(
      fail(
        REACHABLE,
        `SUPABASE_SERVICE_ROLE_KEY is a "${role}" key`,
        "set SUPABASE_SERVICE_ROLE_KEY to the service_role key (Project Settings → API); the " +
          "anon key sees no objects and deletes nothing, silently",
      ),
    );
  }
  const base = config.url.replace(/\/+$/, "");
  const bucket = config.bucket ?? "lora-models";
  try {
    const response = await fetch(`${base}/bucket/${encodeURIComponent(bucket)}`, {
      headers: { authorization: `Bearer ${config.serviceRoleKey}`, apikey: config.serviceRoleKey },
      signal: AbortSignal.timeout(10_000),
      redirect: "error",
    });
    const date = response.headers.get("date");
    const serverDate = date ? new Date(date) : null;
    const body = (await response.json().catch(() => null)) as { public?: boolean } | null;
    if (results.length === 0) {
      results.push(
        response.status === 401 || response.status === 403
          ? fail(
              REACHABLE,
              `${displayUrl(base)} refused the key (HTTP ${response.status})`,
              "set SUPABASE_SERVICE_ROLE_KEY to the project's service_role key",
            )
          : pass(REACHABLE, `${displayUrl(base)} answers`),
      );
    }
    if (response.ok && body?.public === false) {
      results.push(pass(BUCKET, `bucket "${bucket}" exists and is private`));
    } else if (response.ok) {
      results.push(
        fail(
          BUCKET,
          `bucket "${bucket}" is public: anyone with a file's path can download it`,
          "make the bucket private in Storage → Buckets (signed URLs keep working)",
        ),
      );
    } else {
      results.push(
        fail(
          BUCKET,
          `bucket "${bucket}" was not found with this key (HTTP ${response.status})`,
          `create a private bucket "${bucket}" (docs/deploy.md), or set STORAGE_BUCKET`,
        ),
      );
    }
    return { results, serverDate };
  } catch (error) {
    return {
      serverDate: null,
      results: [
        ...results,
        ...(results.length === 0
          ? [
              fail(
                REACHABLE,
                `cannot reach ${displayUrl(base)}: ${describeError(error)}`,
                "check SUPABASE_STORAGE_URL (https://<project>.supabase.co/storage/v1)",
              ),
            ]
          : []),
        fail(BUCKET, "not checked: storage is not reachable", "fix the check above first"),
      ],
    };
  }
}

/** The `role` claim of a legacy JWT API key, or null for keys that are not JWTs. */
function roleOf(key: string): string | null {
  try {
    const role = decodeJwt(key).role;
    return typeof role === "string" ? role : null;
  } catch {
    return null;
  }
}
