import { describe, expect, it } from "vitest";

import { ADA, get, GRACE, loaderArgs, outcome, post } from "../testing/harness";
import { useSeededHarness } from "../testing/seed";
import * as login from "./login";
import * as models from "./models._index";

const seeded = useSeededHarness();

const submit = (form: Record<string, string>, options?: { origin?: string }) =>
  outcome(() => login.action(loaderArgs(post("/login", form, options))));

describe("the development login", () => {
  it("logs a demo user in and sends them back to a same-site path only", async () => {
    const ok = await submit({ userId: GRACE.id, redirectTo: "/models?sort=quality" });
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
      seeded.graceModel,
    ]);

    for (const evil of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "/..//evil.example",
      "/%2E%2E//evil.example/phish",
    ]) {
      const result = await submit({ userId: GRACE.id, redirectTo: evil });
      expect(result.location, evil).toBe("/models");
    }
  });

  it("a logged-in visitor is sent on only to a path that stays on this site after normalising", async () => {
    const cookie = await seeded.harness.cookieFor(ADA.id);
    const back = (redirectTo: string) =>
      outcome(() =>
        login.loader(
          loaderArgs(get(`/login?redirectTo=${encodeURIComponent(redirectTo)}`, cookie)),
        ),
      );
    expect((await back("/models?sort=quality")).location).toBe("/models?sort=quality");
    // `/login?redirectTo=%2F..%2F%2Fevil.example` once answered `Location: //evil.example`.
    expect((await back("/..//evil.example")).location).toBe("/models");
  });

  it("refuses an unknown user id with a helpful 400", async () => {
    const result = await submit({ userId: "not-a-demo-user" });
    expect(result.status).toBe(400);
    expect(result.data).toEqual({ error: "Choose one of the demo users." });
  });

  it("refuses a login form posted from another site", async () => {
    const result = await submit({ userId: ADA.id }, { origin: "https://evil.example" });
    expect(result.status).toBe(403);
  });
});
