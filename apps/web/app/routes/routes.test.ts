import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { fallbackSeed } from "../../e2e/support/fallback-seed";
import {
  ADA,
  createHarness,
  get,
  GRACE,
  type Harness,
  LINUS,
  loaderArgs,
  outcome,
  post,
} from "../testing/harness";
import * as login from "./login";
import * as logout from "./logout";
import * as modelDetail from "./models.$modelId";
import * as models from "./models._index";
import * as notifications from "./notifications";
import * as download from "./storage.v1.object.sign.$";

let harness: Harness;
let adaCookie: string;
let adaModels: string[];
let graceModel: string;

beforeAll(async () => {
  harness = await createHarness();
  const seeded = await fallbackSeed({
    client: harness.db,
    storage: harness.context.storage,
    counts: { ada: 3, grace: 1 },
    steps: 30,
  });
  adaModels = seeded.artifactIds.slice(0, 3);
  graceModel = seeded.artifactIds[3]!;
  adaCookie = await harness.cookieFor(ADA.id);
});

afterAll(async () => {
  await harness?.close();
});

describe("authentication", () => {
  it("redirects an anonymous visitor to the login page, remembering where they were going", async () => {
    const result = await outcome(() =>
      models.loader(loaderArgs(get("/models?sort=quality&page=2"))),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/login?redirectTo=%2Fmodels%3Fsort%3Dquality%26page%3D2");
  });

  it("treats a forged session token as logged out", async () => {
    const session = await harness.context.sessionStorage.getSession();
    // A well-formed token whose signature is garbage (built here so no token-shaped literal
    // sits in the repository).
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    session.set("accessToken", `${part({ alg: "HS256" })}.${part({ sub: "x" })}.forged`);
    const cookie = (await harness.context.sessionStorage.commitSession(session)).split(";")[0]!;
    const result = await outcome(() =>
      modelDetail.loader(
        loaderArgs(get(`/models/${adaModels[0]}`, cookie), { modelId: adaModels[0]! }),
      ),
    );
    expect(result.status).toBe(302);
    expect(result.location).toMatch(/^\/login\?redirectTo=%2Fmodels%2F/);
  });

  it("logs a demo user in and sends them back to a same-site path only", async () => {
    const ok = await outcome(() =>
      login.action(
        loaderArgs(post("/login", { userId: GRACE.id, redirectTo: "/models?sort=quality" })),
      ),
    );
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/models?sort=quality");
    const cookie = ok.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const listed = await outcome(() =>
      models.loader(loaderArgs(get("/models", cookie.split(";")[0]))),
    );
    expect(listed.status).toBe(200);
    expect((listed.data as { models: { id: string }[] }).models.map((m) => m.id)).toEqual([
      graceModel,
    ]);

    for (const evil of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      const result = await outcome(() =>
        login.action(loaderArgs(post("/login", { userId: GRACE.id, redirectTo: evil }))),
      );
      expect(result.location, evil).toBe("/models");
    }
  });

  it("refuses an unknown user id with a helpful 400", async () => {
    const result = await outcome(() =>
      login.action(loaderArgs(post("/login", { userId: "not-a-demo-user" }))),
    );
    expect(result.status).toBe(400);
    expect(result.data).toEqual({ error: "Choose one of the demo users." });
  });

  it("refuses a login form posted from another site", async () => {
    const result = await outcome(() =>
      login.action(
        loaderArgs(post("/login", { userId: ADA.id }, { origin: "https://evil.example" })),
      ),
    );
    expect(result.status).toBe(403);
  });

  it("logs out with a POST that clears the session", async () => {
    const result = await outcome(() =>
      logout.action(loaderArgs(post("/logout", {}, { cookie: adaCookie }))),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Set-Cookie")).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});

describe("the model list's query parameters", () => {
  it("normalises nonsense page, sort and limit values instead of failing", async () => {
    const result = await outcome(() =>
      models.loader(loaderArgs(get("/models?page=abc&sort=evil&limit=10000", adaCookie))),
    );
    expect(result.status).toBe(200);
    const data = result.data as {
      query: { page: number; sort: string; limit: number };
      models: unknown[];
    };
    expect(data.query).toMatchObject({ page: 1, sort: "recent", limit: 100 });
    expect(data.models).toHaveLength(3);
  });

  it.each(["page=-1", "page=0", "page=1.5", "page=99999999999", "limit=-5", "limit=abc", "sort="])(
    "answers %s with a normal page",
    async (query) => {
      const result = await outcome(() =>
        models.loader(loaderArgs(get(`/models?${query}`, adaCookie))),
      );
      expect(result.status).toBe(200);
    },
  );

  it("explains that an overlong search is too long (400, not 500)", async () => {
    const result = await outcome(() =>
      models.loader(loaderArgs(get(`/models?q=${"x".repeat(101)}`, adaCookie))),
    );
    expect(result.status).toBe(400);
    expect((result.data as { message: string }).message).toMatch(/at most 100 characters/);
  });

  it("refuses control characters in the search with a 400", async () => {
    const result = await outcome(() =>
      models.loader(loaderArgs(get("/models?q=a%00b", adaCookie))),
    );
    expect(result.status).toBe(400);
  });

  it("shows a page past the end as an empty page, not an error", async () => {
    const result = await outcome(() =>
      models.loader(loaderArgs(get("/models?page=50", adaCookie))),
    );
    expect(result.status).toBe(200);
    expect(
      (result.data as { models: unknown[]; pagination: { total: number } }).pagination.total,
    ).toBe(3);
  });

  it("shows Linus an empty list", async () => {
    const cookie = await harness.cookieFor(LINUS.id);
    const result = await outcome(() => models.loader(loaderArgs(get("/models", cookie))));
    expect((result.data as { pagination: { total: number } }).pagination.total).toBe(0);
  });
});

describe("the model page", () => {
  it("answers the same 404 for another user's model, a malformed id and an unknown id", async () => {
    for (const modelId of [
      graceModel,
      "not-a-uuid",
      "00000000-0000-4000-8000-000000000000",
      "' or 1=1 --",
    ]) {
      const result = await outcome(() =>
        modelDetail.loader(
          loaderArgs(get(`/models/${encodeURIComponent(modelId)}`, adaCookie), { modelId }),
        ),
      );
      expect(result.status, modelId).toBe(404);
      expect(result.data).toEqual({
        message: "This model does not exist, was deleted, or belongs to someone else.",
      });
    }
  });

  it("keeps only a list URL as the way back", async () => {
    const id = adaModels[0]!;
    const good = await outcome(() =>
      modelDetail.loader(
        loaderArgs(
          get(`/models/${id}?back=${encodeURIComponent("/models?sort=quality&page=2")}`, adaCookie),
          { modelId: id },
        ),
      ),
    );
    expect((good.data as { back: string }).back).toBe("/models?sort=quality&page=2");
    const evil = await outcome(() =>
      modelDetail.loader(
        loaderArgs(
          get(`/models/${id}?back=${encodeURIComponent("https://evil.example/models")}`, adaCookie),
          { modelId: id },
        ),
      ),
    );
    expect((evil.data as { back: string }).back).toBe("/models");
  });

  it("redirects a single-file download to a signed URL that serves the exact bytes", async () => {
    const id = adaModels[0]!;
    const detail = await outcome(() =>
      modelDetail.loader(loaderArgs(get(`/models/${id}`, adaCookie), { modelId: id })),
    );
    const file = (detail.data as { model: { files: { name: string; sha256: string }[] } }).model
      .files[0]!;
    const result = await outcome(() =>
      modelDetail.action(
        loaderArgs(
          post(`/models/${id}`, { intent: "download", file: file.name }, { cookie: adaCookie }),
          { modelId: id },
        ),
      ),
    );
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

  it("answers 'Download all' with every file's link and when they expire", async () => {
    const id = adaModels[1]!;
    const result = await outcome(() =>
      modelDetail.action(
        loaderArgs(post(`/models/${id}`, { intent: "download-all" }, { cookie: adaCookie }), {
          modelId: id,
        }),
      ),
    );
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
    const id = adaModels[1]!;
    const result = await outcome(() =>
      modelDetail.action(
        loaderArgs(
          post(
            `/models/${id}`,
            { intent: "download", file: "../../etc/passwd" },
            { cookie: adaCookie },
          ),
          { modelId: id },
        ),
      ),
    );
    expect(result.status).toBe(400);
    expect((result.data as { message: string }).message).toMatch(/Unknown file/);
  });

  it("refuses a cross-site delete and deletes after confirmation", async () => {
    const id = adaModels[2]!;
    const crossSite = await outcome(() =>
      modelDetail.action(
        loaderArgs(
          post(
            `/models/${id}`,
            { intent: "delete", confirm: "yes" },
            { cookie: adaCookie, origin: "https://evil.example" },
          ),
          { modelId: id },
        ),
      ),
    );
    expect(crossSite.status).toBe(403);

    const unconfirmed = await outcome(() =>
      modelDetail.action(
        loaderArgs(post(`/models/${id}`, { intent: "delete" }, { cookie: adaCookie }), {
          modelId: id,
        }),
      ),
    );
    expect(unconfirmed.status).toBe(400);

    const deleted = await outcome(() =>
      modelDetail.action(
        loaderArgs(
          post(
            `/models/${id}?back=${encodeURIComponent("/models?sort=quality")}`,
            { intent: "delete", confirm: "yes" },
            { cookie: adaCookie },
          ),
          { modelId: id },
        ),
      ),
    );
    expect(deleted.status).toBe(302);
    expect(deleted.location).toBe("/models?sort=quality");
    expect(deleted.headers.get("Set-Cookie")).toMatch(/^__mad_flash=/);
    const after = await outcome(() =>
      modelDetail.loader(loaderArgs(get(`/models/${id}`, adaCookie), { modelId: id })),
    );
    expect(after.status).toBe(404);
  });

  it("says why a retry is refused for a model that did not fail", async () => {
    const id = adaModels[0]!;
    const result = await outcome(() =>
      modelDetail.action(
        loaderArgs(post(`/models/${id}`, { intent: "retry" }, { cookie: adaCookie }), {
          modelId: id,
        }),
      ),
    );
    expect(result.status).toBe(409);
    expect((result.data as { message: string }).message).toMatch(
      /Only a failed ingestion can be retried/,
    );
  });
});

describe("retrying a failed ingestion", () => {
  it("puts a failed model back to processing and says so", async () => {
    await fallbackSeed({
      client: harness.db,
      storage: harness.context.storage,
      counts: { ada: 0, grace: 0 },
      withInFlight: true,
    });
    const [failed] = await harness.db.sql<{ id: string }[]>`
      select id from model_artifacts where user_id = ${ADA.id} and status = 'failed' limit 1`;
    const id = failed!.id;
    const page = await outcome(() =>
      modelDetail.loader(loaderArgs(get(`/models/${id}`, adaCookie), { modelId: id })),
    );
    expect((page.data as { model: { failure_reason: string } }).model.failure_reason).toMatch(
      /does not match/,
    );

    const retried = await outcome(() =>
      modelDetail.action(
        loaderArgs(post(`/models/${id}`, { intent: "retry" }, { cookie: adaCookie }), {
          modelId: id,
        }),
      ),
    );
    expect(retried.data).toEqual({ kind: "retried" });
    const [after] = await harness.db.sql<
      { status: string }[]
    >`select status from model_artifacts where id = ${id}`;
    expect(after!.status).toBe("processing");
  });
});

describe("notifications", () => {
  it("lists the user's notifications and marks one, then all, as read", async () => {
    const listed = await outcome(() =>
      notifications.loader(loaderArgs(get("/notifications", adaCookie))),
    );
    const data = listed.data as {
      notifications: { id: string; action_url: string }[];
      unreadCount: number;
    };
    expect(data.unreadCount).toBe(3);
    expect(data.notifications[0]!.action_url).toMatch(/^\/models\//);

    const one = await outcome(() =>
      notifications.action(
        loaderArgs(
          post(
            "/notifications",
            { intent: "mark-read", id: data.notifications[0]!.id },
            { cookie: adaCookie },
          ),
        ),
      ),
    );
    expect(one.data).toEqual({ updated: 1 });
    const all = await outcome(() =>
      notifications.action(
        loaderArgs(post("/notifications", { intent: "mark-all-read" }, { cookie: adaCookie })),
      ),
    );
    expect(all.data).toEqual({ updated: 2 });
  });

  it("answers a malformed mark-read form with a 400", async () => {
    const result = await outcome(() =>
      notifications.action(
        loaderArgs(
          post("/notifications", { intent: "mark-read", id: "nope" }, { cookie: adaCookie }),
        ),
      ),
    );
    expect(result.status).toBe(400);
  });
});
