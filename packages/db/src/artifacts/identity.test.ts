import { describe, expect, it } from "vitest";

import {
  artifactFolder,
  artifactIdForJob,
  artifactName,
  pathsInsideArtifactFolder,
} from "./identity";

describe("artifactIdForJob", () => {
  it("never changes: the id an earlier release gave a job is the id it gets now", () => {
    // Recorded from the hand-written UUID v5 this replaced; stored paths depend on it.
    expect(artifactIdForJob("0f8fad5b-d9cb-469f-a165-70867728950e")).toBe(
      "be250525-88dd-5e8f-a46b-1caf42c33e56",
    );
  });

  it("gives every training job one id, whatever the case of its id", () => {
    const job = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(artifactIdForJob(job)).toBe(artifactIdForJob(job.toUpperCase()));
    expect(artifactIdForJob(job)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(artifactIdForJob(job)).not.toBe(
      artifactIdForJob("0f8fad5b-d9cb-469f-a165-70867728950f"),
    );
  });
});

describe("artifact folder", () => {
  const user = "11111111-1111-4111-8111-111111111111";
  const artifact = "22222222-2222-4222-8222-222222222222";

  it("keeps only paths directly inside the artifact's own folder", () => {
    const folder = artifactFolder(user, artifact);
    expect(
      pathsInsideArtifactFolder(user, artifact, [
        `${folder}adapter_config.json`,
        `${folder}adapter_config.json`,
        `${folder}nested/x.json`,
        `${folder}`,
        `${user}/other/adapter_config.json`,
        "adapter_config.json",
      ]),
    ).toEqual([`${folder}adapter_config.json`]);
  });

  it("names a model by its dataset and completion date", () => {
    expect(artifactName("Support tickets v3", new Date("2026-11-23T22:30:00Z"))).toBe(
      "Support tickets v3 - 2026-11-23",
    );
  });
});
