import { StorageApiError } from "@supabase/storage-js";
import { describe, expect, it } from "vitest";

import { classifyStorageFailure } from "./classify";

describe("classifyStorageFailure", () => {
  it("reads the real code of Supabase's HTTP 400 answers, not the HTTP status", () => {
    const conflict = classifyStorageFailure(
      new StorageApiError("The resource already exists", 400, "409", "storage", "KeyAlreadyExists"),
      "upload",
    );
    expect(conflict).toMatchObject({
      kind: "conflict",
      status: 400,
      statusCode: "409",
      retryable: true,
    });
    expect(conflict.message).toBe(
      "the storage server refused to replace an existing file (conflict)",
    );
    expect(conflict.detail).toContain("The resource already exists");

    const missingBucket = classifyStorageFailure(
      new StorageApiError("Bucket not found", 400, "404", "storage", "NoSuchBucket"),
      "upload",
    );
    expect(missingBucket).toMatchObject({ kind: "bucket-missing", retryable: false });
    const denied = classifyStorageFailure(
      new StorageApiError("Invalid Compact JWS", 400, "403", "storage", "AccessDenied"),
      "list",
    );
    expect(denied).toMatchObject({ kind: "denied", retryable: false });
  });

  it("finds the errno under fetch's generic TypeError", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
      code: "ECONNREFUSED",
    });
    const failure = classifyStorageFailure(new TypeError("fetch failed", { cause }), "list");
    expect(failure.kind).toBe("refused");
    expect(failure.message).not.toContain("ECONNREFUSED");
    expect(failure.detail).toBe(
      "list: TypeError: fetch failed ← Error: connect ECONNREFUSED 127.0.0.1:9",
    );
  });
});
