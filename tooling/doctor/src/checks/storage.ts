/**
 * Storage, checked by the storage package's own start-up check (`verifyAccess`): for Supabase
 * the key is the service role's and the bucket exists and is private (with the anon key,
 * listing answers [] and removing "succeeds", silently); for the local backend the folder is
 * writable.
 */
import { createStorage, StorageConfigError } from "@mad/storage";

import { type CheckResult, describeError, fail, pass } from "../check";
import type { DoctorEnv } from "../env";

export interface StorageFindings {
  results: CheckResult[];
}

const REACHABLE = "storage reachable with the service role";
const BUCKET = "bucket present and private";

const FIXES: Record<string, string> = {
  SUPABASE_SERVICE_ROLE_KEY:
    "set SUPABASE_SERVICE_ROLE_KEY to the service_role key (Project Settings → API); the anon " +
    "key sees no objects and deletes nothing, silently",
  SUPABASE_STORAGE_URL: "check SUPABASE_STORAGE_URL (https://<project>.supabase.co/storage/v1)",
  STORAGE_BUCKET: "create a private bucket (docs/deploy.md), or set STORAGE_BUCKET to it",
  LOCAL_STORAGE_DIR:
    "set LOCAL_STORAGE_DIR to a folder this user may write (shared by web and ingester)",
};

export async function checkStorage(env: DoctorEnv): Promise<StorageFindings> {
  const config = env.storage;
  const where =
    config.backend === "local" ? `local backend in ${config.rootDir}` : `bucket "${config.bucket}"`;
  try {
    await createStorage(config).verifyAccess();
    return {
      results: [
        pass(
          REACHABLE,
          config.backend === "local"
            ? `${config.rootDir} is writable`
            : "the key is the service role's",
        ),
        pass(
          BUCKET,
          config.backend === "local"
            ? "files are served only through signed URLs"
            : `${where} exists and is private`,
        ),
      ],
    };
  } catch (error) {
    const variable = error instanceof StorageConfigError ? error.variable : null;
    const message = describeError(error);
    if (variable === "STORAGE_BUCKET") {
      return {
        results: [
          pass(REACHABLE, "the key is the service role's"),
          fail(BUCKET, message, FIXES.STORAGE_BUCKET ?? ""),
        ],
      };
    }
    return {
      results: [
        fail(REACHABLE, message, (variable && FIXES[variable]) ?? "check the storage settings"),
        fail(BUCKET, "not checked: storage is not reachable", "fix the check above first"),
      ],
    };
  }
}
