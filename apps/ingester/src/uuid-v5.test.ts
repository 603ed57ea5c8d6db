import { describe, expect, it } from "vitest";

import { artifactIdForJob, uuidV5 } from "./uuid-v5";

describe("uuidV5", () => {
  it("matches the RFC 9562 / Python uuid5 reference values", () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("gives every training job one stable artifact id", () => {
    const job = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(artifactIdForJob(job)).toBe(artifactIdForJob(job.toUpperCase()));
    expect(artifactIdForJob(job)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(artifactIdForJob(job)).not.toBe(
      artifactIdForJob("0f8fad5b-d9cb-469f-a165-70867728950f"),
    );
  });

  it("refuses a namespace that is not a UUID", () => {
    expect(() => uuidV5("x", "not-a-uuid")).toThrow(/namespace/);
  });
});
