import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createServerCaller } from "../../root";
import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact, insertStoredArtifactWithFiles } from "../../testing/fixtures";

const env = useApiTestEnv();

const contents = {
  "adapter_model.safetensors": Buffer.alloc(50_000, 7),
  "adapter_config.json": '{"r":16}',
};

describe("models.bundle", () => {
  it("signs one URL that downloads the whole model as a ZIP of the size it announces", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      name: "Legal clauses",
      contents,
    });
    const bundle = await env.caller(user).models.bundle({ modelId: artifact.id });
    expect(bundle).toMatchObject({
      model_id: artifact.id,
      model_name: "Legal clauses",
      file_name: "Legal clauses.zip",
      files: ["adapter_model.safetensors", "adapter_config.json", "SHA256SUMS"],
      sha256sums_name: "SHA256SUMS",
      verify_command: "sha256sum -c SHA256SUMS",
      expires_in_seconds: 3600,
    });
    expect(
      bundle.url.startsWith(`${env.server.url}/bundles/${artifact.id}/Legal%20clauses.zip?token=`),
    ).toBe(true);
    expect(bundle.sha256sums).toContain(
      `${artifact.files[0]!.sha256}  ${artifact.files[0]!.name}\n`,
    );
    const response = await fetch(bundle.url);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(bundle.size_bytes);
    expect(bytes.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1"))).toBe(true);

    // Expires with the hour, like the per-file URLs.
    env.clock.advance(3_601_000);
    expect((await fetch(bundle.url)).status).toBe(403);
    env.clock.set(new Date());
  });

  it("answers another user's, a deleted and an unknown model alike, and explains unready ones", async () => {
    const owner = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: owner,
      contents,
    });
    const { artifact: deleted } = await insertArtifact(env.database.db, {
      userId: owner,
      deletedAt: new Date(),
    });
    const stranger = env.caller(randomUUID());
    const answers = await Promise.all([
      outcome(stranger.models.bundle({ modelId: artifact.id })),
      outcome(env.caller(owner).models.bundle({ modelId: deleted.id })),
      outcome(env.caller(owner).models.bundle({ modelId: randomUUID() })),
    ]);
    expect(answers).toEqual(Array(3).fill({ code: "NOT_FOUND", message: "Model not found" }));
    expect((await outcome(env.caller(null).models.bundle({ modelId: artifact.id }))).code).toBe(
      "UNAUTHORIZED",
    );

    const { artifact: processing } = await insertArtifact(env.database.db, {
      userId: owner,
      status: "processing",
    });
    const still = await outcome(env.caller(owner).models.bundle({ modelId: processing.id }));
    expect(still.code).toBe("PRECONDITION_FAILED");
    expect(still.message).toMatch(/still being ingested/);
  });

  it("says a file is missing when storage lost one, and that a host without bundles has none", async () => {
    const user = randomUUID();
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const missing = await outcome(env.caller(user).models.bundle({ modelId: artifact.id }));
    expect(missing.code).toBe("PRECONDITION_FAILED");
    expect(missing.message).toMatch(/missing from storage/);

    const { bundles: _omitted, ...withoutBundles } = env.deps;
    const plain = createServerCaller(withoutBundles, { userId: user });
    const refused = await outcome(plain.models.bundle({ modelId: artifact.id }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/does not offer whole-model downloads/);
  });
});

describe("models.checksums", () => {
  it("gives the SHA256SUMS text of the caller's stored model only", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      contents,
    });
    const sums = await env.caller(user).models.checksums({ modelId: artifact.id });
    expect(sums.file_name).toBe("SHA256SUMS");
    expect(sums.verify_command).toBe("sha256sum -c SHA256SUMS");
    expect(sums.text).toBe(artifact.files.map((file) => `${file.sha256}  ${file.name}\n`).join(""));
    expect(
      (await outcome(env.caller(randomUUID()).models.checksums({ modelId: artifact.id }))).code,
    ).toBe("NOT_FOUND");
  });
});
