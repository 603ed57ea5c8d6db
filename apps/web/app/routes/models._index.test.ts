import { describe, expect, it } from "vitest";

import { get, LINUS, loaderArgs, outcome } from "../testing/harness";
import { useSeededHarness } from "../testing/seed";
import * as models from "./models._index";

const seeded = useSeededHarness();

const list = (query: string, cookie = seeded.adaCookie) =>
  outcome(() => models.loader(loaderArgs(get(`/models${query}`, cookie))));

describe("authentication", () => {
  it("redirects an anonymous visitor to the login page, remembering where they were going", async () => {
    const result = await outcome(() =>
      models.loader(loaderArgs(get("/models?sort=quality&page=2"))),
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/login?redirectTo=%2Fmodels%3Fsort%3Dquality%26page%3D2");
  });
});

describe("the model list's query parameters", () => {
  it("normalises nonsense page, sort and limit values instead of failing", async () => {
    const result = await list("?page=abc&sort=evil&limit=10000");
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
      const result = await list(`?${query}`);
      expect(result.status).toBe(200);
    },
  );

  it("explains that an overlong search is too long (400, not 500)", async () => {
    const result = await list(`?q=${"x".repeat(101)}`);
    expect(result.status).toBe(400);
    expect((result.data as { message: string }).message).toMatch(/at most 100 characters/);
  });

  it("refuses control characters in the search with a 400", async () => {
    const result = await list("?q=a%00b");
    expect(result.status).toBe(400);
  });

  it("shows a page past the end as an empty page, not an error", async () => {
    const result = await list("?page=50");
    expect(result.status).toBe(200);
    expect(
      (result.data as { models: unknown[]; pagination: { total: number } }).pagination.total,
    ).toBe(3);
  });

  it("shows Linus an empty list", async () => {
    const result = await list("", await seeded.harness.cookieFor(LINUS.id));
    expect((result.data as { pagination: { total: number } }).pagination.total).toBe(0);
  });
});

describe("the empty list's link to start a training job", () => {
  it("comes from PLATFORM_URL, and is absent without it", async () => {
    const linus = await seeded.harness.cookieFor(LINUS.id);
    expect((await list("", linus)).data).toMatchObject({ platformUrl: null });
    const env = seeded.harness.context.env;
    env.PLATFORM_URL = "https://platform.example.com/training";
    try {
      expect((await list("", linus)).data).toMatchObject({
        platformUrl: "https://platform.example.com/training",
      });
    } finally {
      delete env.PLATFORM_URL;
    }
  });
});
