import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertArtifact, insertStoredArtifactWithFiles } from "../../testing/fixtures";

const env = useApiTestEnv();

const weights = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
const contents = {
  "adapter_model.safetensors": weights,
  "adapter_config.json": '{"r":16,"lora_alpha":32}',
  "training_args.json": '{"epochs":3}',
};

async function fetchBytes(url: string) {
  const response = await fetch(url);
  return {
    status: response.status,
    body: Buffer.from(await response.arrayBuffer()),
    headers: response.headers,
  };
}

describe("models.download", () => {
  it("signs URLs that download the right bytes, then stop working after an hour", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      name: "Support tickets v3 - 2026-11-23",
      contents,
    });
    const result = await env.caller(user).models.download({ modelId: artifact.id });
    expect(result.model_id).toBe(artifact.id);
    expect(result.model_name).toBe("Support tickets v3 - 2026-11-23");
    expect(result.expires_in_seconds).toBe(3600);
    expect(Object.keys(result.download_urls).sort()).toEqual(Object.keys(contents).sort());

    for (const [name, content] of Object.entries(contents)) {
      const url = result.download_urls[name]!;
      expect(
        url.startsWith(
          `${env.server.url}/storage/v1/object/sign/lora-models/${user}/${artifact.id}/`,
        ),
      ).toBe(true);
      const { status, body, headers } = await fetchBytes(url);
      expect(status).toBe(200);
      expect(body.equals(Buffer.from(content))).toBe(true);
      expect(headers.get("content-disposition")).toContain(name);
    }

    env.clock.advance(3_599_000);
    expect((await fetchBytes(result.download_urls["adapter_config.json"]!)).status).toBe(200);
    env.clock.advance(2_000);
    expect((await fetchBytes(result.download_urls["adapter_config.json"]!)).status).not.toBe(200);
    env.clock.set(new Date());
  });

  it("refuses an altered token and a token reused for another file", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      contents,
    });
    const { download_urls: urls } = await env
      .caller(user)
      .models.download({ modelId: artifact.id });
    const config = new URL(urls["adapter_config.json"]!);
    const token = config.searchParams.get("token")!;

    const altered = new URL(config);
    const last = token.at(-2) === "A" ? "B" : "A";
    altered.searchParams.set("token", `${token.slice(0, -2)}${last}${token.at(-1)}`);
    expect((await fetchBytes(altered.toString())).status).not.toBe(200);

    const reused = new URL(urls["adapter_model.safetensors"]!);
    reused.searchParams.set("token", token);
    const response = await fetchBytes(reused.toString());
    expect(response.status).not.toBe(200);
    expect(response.body.includes(weights.subarray(0, 64))).toBe(false);
  });

  it("signs only the named files and names an unknown one", async () => {
    const user = randomUUID();
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      contents,
    });
    const caller = env.caller(user);
    const one = await caller.models.download({
      modelId: artifact.id,
      files: ["adapter_config.json", "adapter_config.json"],
    });
    expect(Object.keys(one.download_urls)).toEqual(["adapter_config.json"]);
    expect((await fetchBytes(one.download_urls["adapter_config.json"]!)).body.toString()).toBe(
      contents["adapter_config.json"],
    );

    const unknown = await outcome(
      caller.models.download({
        modelId: artifact.id,
        files: ["adapter_config.json", "../../etc/passwd"],
      }),
    );
    expect(unknown.code).toBe("BAD_REQUEST");
    expect(unknown.message).toContain('"../../etc/passwd"');
    expect(unknown.message).toContain("adapter_model.safetensors");
    expect((await outcome(caller.models.download({ modelId: artifact.id, files: [] }))).code).toBe(
      "BAD_REQUEST",
    );
  });

  it("explains that a processing or failed model cannot be downloaded yet", async () => {
    const user = randomUUID();
    const caller = env.caller(user);
    const { artifact: processing } = await insertArtifact(env.database.db, {
      userId: user,
      status: "processing",
      bytesCopied: 30,
      bytesTotal: 120,
    });
    const still = await outcome(caller.models.download({ modelId: processing.id }));
    expect(still.code).toBe("PRECONDITION_FAILED");
    expect(still.message).toMatch(/still being ingested \(25% copied\)/);

    const { artifact: failed } = await insertArtifact(env.database.db, {
      userId: user,
      status: "failed",
      failureReason: "checksum mismatch",
    });
    const broken = await outcome(caller.models.download({ modelId: failed.id }));
    expect(broken.code).toBe("PRECONDITION_FAILED");
    expect(broken.message).toMatch(/failed \(checksum mismatch\)/);
  });

  it("answers a clear PRECONDITION_FAILED (and logs it) when a stored file is missing from storage", async () => {
    const user = randomUUID();
    // A stored row whose object was never written (or was lost).
    const { artifact } = await insertArtifact(env.database.db, { userId: user });
    const answer = await outcome(env.caller(user).models.download({ modelId: artifact.id }));
    expect(answer.code).toBe("PRECONDITION_FAILED");
    expect(answer.message).toMatch(
      /^File "adapter_config.json" of this model is missing from storage/,
    );
    expect(
      env.logs.some((entry) => entry.message === "stored model file missing from storage"),
    ).toBe(true);
  });
});
