/**
 * The start-up check of the Supabase backend. A wrong key fails silently otherwise: with the
 * anon key, `list` answers [] and `remove` "succeeds" deleting nothing (RLS), so the product
 * would look empty and never delete a file. Messages name the variable, never its value.
 */
import type { StorageClient } from "@supabase/storage-js";
import { decodeJwt } from "jose";

import { StorageConfigError } from "../errors";
import { classifyStorageFailure } from "./classify";

export interface AccessCheck {
  client: StorageClient;
  bucket: string;
  serviceRoleKey: string;
}

/** The key's role: the `role` claim of a legacy JWT key, or the kind of a new `sb_…` key. */
export function supabaseKeyRole(key: string): string | null {
  if (key.startsWith("sb_secret_")) return "service_role";
  if (key.startsWith("sb_publishable_")) return "anon";
  try {
    const role = decodeJwt(key).role;
    return typeof role === "string" ? role : null;
  } catch {
    return null;
  }
}

export async function verifySupabaseAccess(check: AccessCheck): Promise<void> {
  const role = supabaseKeyRole(check.serviceRoleKey);
  if (role !== "service_role") {
    throw new StorageConfigError(
      "SUPABASE_SERVICE_ROLE_KEY",
      role === null
        ? "is not a Supabase key (expected the project's service_role key)"
        : `is a key with the role "${role}", not the service_role key (Project Settings → API)`,
    );
  }
  const { data, error } = await check.client.getBucket(check.bucket);
  if (error) {
    const failure = classifyStorageFailure(error, "get bucket");
    if (failure.kind === "bucket-missing" || failure.kind === "not-found")
      throw new StorageConfigError("STORAGE_BUCKET", "names a bucket that does not exist");
    if (failure.kind === "denied")
      throw new StorageConfigError(
        "SUPABASE_SERVICE_ROLE_KEY",
        "was refused by the storage server",
      );
    throw new StorageConfigError(
      "SUPABASE_STORAGE_URL",
      `cannot be used: ${failure.message} (${failure.detail})`,
    );
  }
  if (data.public) {
    throw new StorageConfigError(
      "STORAGE_BUCKET",
      "names a public bucket; it must be private (downloads go through signed URLs only)",
    );
  }
}
