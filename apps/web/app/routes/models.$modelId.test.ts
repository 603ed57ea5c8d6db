import { createHash } from "node:crypto";

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { readAdapterFacts } from "@mad/adapters";
import { modelArtifacts } from "@mad/db";

import { ADA, get, loaderArgs, outcome, post } from "../testing/harness";
import { useSeededHarness } from "../testing/seed";
import { createInFlightModels } from "../testing/stored-models";
import * as modelDetail from "./models.$modelId";
import * as modelDetails from "./models.$modelId.details";
import * as modelCard from "./models.$modelId.README[.]md";
import * as download from "./storage.v1.object.sign.$";

const seeded = useSeededHarness();

/** The model page's loader for `modelId` (a path segment as the router would pass it). */
const page = (modelId: string, options: { query?: string; cookie?: string } = {}) =>
  outcome(() =>
    modelDetail.loader(
      loaderArgs(
        get(
          `/models/${encodeURIComponent(modelId)}${options.query ?? ""}`,
          options.cookie ?? seeded.adaCookie,
        ),
        { modelId },
      ),
    ),
  );

/** Posts a form of the model page, as Ada from this site unless told otherwise. */
const submit = (
  modelId: string,
  form: Record<string, string>,
  options: { query?: string; origin?: string } = {},
) =>
  outcome(() =>
    modelDetail.action(
      loaderArgs(
        post(`/models/${modelId}${options.query ?? ""}`, form, {
          cookie: seeded.adaCookie,
          origin: options.origin,
        }),
        { modelId },
      ),
    ),
  );

const backQuery = (href: string) => `?back=${encodeURIComponent(href)}`;

describe("authentication", () => {
  it("treats a forged session token as logged out", async () => {
    const session = await seeded.harness.context.sessionStorage.getSession();
    // A well-formed token whose signature is garbage (built here so no token-shaped literal
    // sits in the repository).
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    session.set("accessToken", `${part({ alg: "HS256" })}.${part({ sub: "x" })}.forged`);
    const cookie = (await seeded.harness.context.sessionStorage.commitSession(session)).split(
      ";",
    )[0]!;
    const result = await page(seeded.adaModels[0]!, { cookie });
    expect(result.status).toBe(302);
    expect(result.location).toMatch(/^\/login\?redirectTo=%2Fmodels%2F/);
  });
});

describe("the model page", () => {
  it("answers the same 404 for another user's model, a malformed id and an unknown id", async () => {
    for (const modelId of [
      seeded.graceModel,
      "not-a-uuid",
      "00000000-0000-4000-8000-000000000000",
      "' or 1=1 --",
    ]) {
      const result = await page(modelId);
      expect(result.status, modelId).toBe(404);
      expect(result.data).toEqual({
        message: "This model does not exist, was deleted, or belongs to someone else.",
      });
    }
  });

  it("loads the diagnostics, the chart markers and, once the adapter was read, its serving verdicts", async () => {
    const id = seeded.adaModels[2]!;
    const before = (await page(id)).data as {
      model: { serving: unknown; adapter_facts: unknown };
      metrics: { diagnostics: { summary: string[]; best_step: { step: number } | null } };
      lossChartMarkers: { step: number; kind: string }[];
    };
    expect(before.model).toMatchObject({ serving: null, adapter_facts: null });
    expect(before.metrics.diagnostics.summary.length).toBeGreaterThan(0);
    expect(before.lossChartMarkers).toContainEqual(
      expect.objectContaining({
        kind: "best_step",
        step: before.metrics.diagnostics.best_step!.step,
      }),
    );

    const facts = readAdapterFacts({
      config: {
        r: 128,
        lora_alpha: 256,
        target_modules: ["q_proj"],
        base_model_name_or_path: "meta-llama/Llama-3.1-8B",
      },
      tensors: [
        { name: "base_model.model.layers.0.q_proj.lora_A.weight", dtype: "F16", shape: [128, 8] },
      ],
    });
    if (!facts.ok) throw new Error(facts.reason);
    await seeded.harness.db.db
      .update(modelArtifacts)
      .set({ adapterFacts: facts.facts })
      .where(eq(modelArtifacts.id, id));
    const after = (await page(id)).data as {
      model: { serving: { engines: { engine: string; command: string | null }[] } };
    };
    const vllm = after.model.serving.engines.find((engine) => engine.engine === "vllm");
    expect(vllm?.command).toContain("--max-lora-rank 128");
  });

  it("serves the model card as a README.md download, as text with ?view=1, and 404 for others", async () => {
    const id = seeded.adaModels[0]!;
    const cardOf = (modelId: string, query = "") =>
      outcome(() =>
        modelCard.loader(
          loaderArgs(get(`/models/${modelId}/README.md${query}`, seeded.adaCookie), { modelId }),
        ),
      );
    const downloaded = await cardOf(id);
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get("Content-Type")).toBe("text/markdown; charset=utf-8");
    expect(downloaded.headers.get("Content-Disposition")).toBe('attachment; filename="README.md"');
    expect(String(downloaded.data)).toMatch(/^---\nbase_model: ".+"\nlibrary_name: peft\n/);
    const viewed = await cardOf(id, "?view=1");
    expect(viewed.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(viewed.data).toBe(downloaded.data);
    // The page shows the very same card.
    const shown = (await page(id)).data as { card: string };
    expect(shown.card).toBe(downloaded.data);
    for (const other of [seeded.graceModel, "00000000-0000-4000-8000-000000000000"]) {
      expect((await cardOf(other)).status).toBe(404);
    }
  });

  it("saves name, description and tags for the owner, and says why not when it cannot", async () => {
    const id = seeded.adaModels[1]!;
    const save = (modelId: string, form: Record<string, string>, origin?: string) =>
      outcome(() =>
        modelDetails.action(
          loaderArgs(
            post(`/models/${modelId}/details`, form, { cookie: seeded.adaCookie, origin }),
            { modelId },
          ),
        ),
      );
    const saved = await save(id, {
      name: "Support bot",
      description: "Answers **tickets**.",
      tags: "Support, llama , support",
    });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/models/${id}`);
    expect(saved.headers.get("Set-Cookie")).toContain("__mad_flash=");
    const shown = (await page(id)).data as {
      model: { name: string; description: string; tags: string[] };
    };
    expect(shown.model).toMatchObject({
      name: "Support bot",
      description: "Answers **tickets**.",
      tags: ["support", "llama"],
    });

    const refused = await save(id, { name: "Support bot", description: "", tags: "has space" });
    expect(refused.status).toBe(302);
    const after = (await page(id)).data as { model: { tags: string[] } };
    expect(after.model.tags).toEqual(["support", "llama"]);

    expect((await save(seeded.graceModel, { name: "x", description: "", tags: "" })).status).toBe(
      404,
    );
    const crossSite = await save(
      id,
      { name: "x", description: "", tags: "" },
      "https://evil.example",
    );
    expect(crossSite.status).toBe(403);
  });

  it("keeps only a list URL as the way back", async () => {
    const id = seeded.adaModels[0]!;
    const good = await page(id, { query: backQuery("/models?sort=quality&page=2") });
    expect((good.data as { back: string }).back).toBe("/models?sort=quality&page=2");
    const evil = await page(id, { query: backQuery("https://evil.example/models") });
    expect((evil.data as { back: string }).back).toBe("/models");
  });

  it("redirects a single-file download to a signed URL that serves the exact bytes", async () => {
    const id = seeded.adaModels[0]!;
    const detail = await page(id);
    const file = (detail.data as { model: { files: { name: string; sha256: string }[] } }).model
      .files[0]!;
    const result = await submit(id, { intent: "download", file: file.name });
    expect(result.status).toBe(302);
    const signed = new URL(result.location!);
    expect(signed.pathname).toMatch(/^\/storage\/v1\/object\/sign\/lora-models\//);
    const response = await download.loader(loaderArgs(new Request(signed)));
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(file.sha256);

    const tampered = new URL(signed);
    tampered.searchParams.set("token", `${signed.searchParams.get("token")}x`);
    const refused = await download.loader(loaderArgs(new Request(tampered)));
    expect(refused.status).toBe(400);
  });

  it("answers the page's script with the one signed link instead of a redirect", async () => {
    const result = await submit(seeded.adaModels[0]!, {
      intent: "download",
      file: "adapter_config.json",
      respond: "link",
    });
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({
      kind: "links",
      scope: "one",
      links: [{ name: "adapter_config.json", url: expect.stringMatching(/token=/) as unknown }],
    });
  });

  it("answers 'Download all' with every file's link and when they expire", async () => {
    const result = await submit(seeded.adaModels[1]!, { intent: "download-all" });
    expect(result.status).toBe(200);
    const data = result.data as {
      kind: string;
      links: { name: string; url: string }[];
      expiresAt: string;
    };
    expect(data.kind).toBe("links");
    expect(data.links.map((l) => l.name).sort()).toEqual([
      "adapter_config.json",
      "adapter_model.safetensors",
      "training_args.json",
    ]);
    const minutes = (Date.parse(data.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(55);
    expect(minutes).toBeLessThanOrEqual(60);
  });

  it("explains a download of a file the model does not have", async () => {
    const result = await submit(seeded.adaModels[1]!, {
      intent: "download",
      file: "../../etc/passwd",
    });
    expect(result.status).toBe(400);
    expect((result.data as { message: string }).message).toMatch(/Unknown file/);
  });

  it("refuses a cross-site delete and deletes after confirmation", async () => {
    const id = seeded.adaModels[2]!;
    const crossSite = await submit(
      id,
      { intent: "delete", confirm: "yes" },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);

    const unconfirmed = await submit(id, { intent: "delete" });
    expect(unconfirmed.status).toBe(400);

    const deleted = await submit(
      id,
      { intent: "delete", confirm: "yes" },
      { query: backQuery("/models?sort=quality") },
    );
    expect(deleted.status).toBe(302);
    expect(deleted.location).toBe("/models?sort=quality");
    expect(deleted.headers.get("Set-Cookie")).toMatch(/^__mad_flash=/);
    const after = await page(id);
    expect(after.status).toBe(404);
  });

  it("says why a retry is refused for a model that did not fail", async () => {
    const result = await submit(seeded.adaModels[0]!, { intent: "retry" });
    expect(result.status).toBe(409);
    expect((result.data as { message: string }).message).toMatch(
      /Only a failed ingestion can be retried/,
    );
  });
});

describe("retrying a failed ingestion", () => {
  it("puts a failed model back to processing and says so", async () => {
    const { failed } = await createInFlightModels(seeded.harness.db, ADA.id);
    const id = failed.id;
    const before = await page(id);
    expect((before.data as { model: { failure_reason: string } }).model.failure_reason).toMatch(
      /does not match/,
    );

    const retried = await submit(id, { intent: "retry" });
    expect(retried.data).toEqual({ kind: "retried" });
    const [after] = await seeded.harness.db.sql<
      { status: string }[]
    >`select status from model_artifacts where id = ${id}`;
    expect(after!.status).toBe("processing");
  });
});
