import { beforeAll, describe, expect, it } from "vitest";

import { ADA, GRACE, loaderArgs, ORIGIN, useHarness } from "../testing/harness";
import { createStoredModels } from "../testing/stored-models";
import * as trpc from "./api.trpc.$";

const harness = useHarness();

beforeAll(async () => {
  const { db, context } = harness();
  await createStoredModels(db, context.storage, { userId: ADA.id, count: 2, steps: 20 });
  await createStoredModels(db, context.storage, { userId: GRACE.id, count: 1, steps: 20 });
});

const listUrl = `${ORIGIN}/api/trpc/models.list?input=${encodeURIComponent(JSON.stringify({ limit: 5 }))}`;

describe("/api/trpc for other services", () => {
  it("serves a Bearer-authenticated caller their own models", async () => {
    const token = await harness().context.auth.mintAccessToken(ADA.id);
    const response = await trpc.loader(
      loaderArgs(new Request(listUrl, { headers: { Authorization: `Bearer ${token}` } })),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { pagination: { total: number } } } };
    expect(body.result.data.pagination.total).toBe(2);
  });

  it("answers 401 without a token and 400 for bad input", async () => {
    expect((await trpc.loader(loaderArgs(new Request(listUrl)))).status).toBe(401);
    const token = await harness().context.auth.mintAccessToken(ADA.id);
    const bad = `${ORIGIN}/api/trpc/models.list?input=${encodeURIComponent(JSON.stringify({ limit: 10_000 }))}`;
    const response = await trpc.loader(
      loaderArgs(new Request(bad, { headers: { Authorization: `Bearer ${token}` } })),
    );
    expect(response.status).toBe(400);
  });

  it("accepts the dashboard's session cookie for queries", async () => {
    const cookie = await harness().cookieFor(ADA.id);
    const response = await trpc.loader(
      loaderArgs(new Request(listUrl, { headers: { Cookie: cookie } })),
    );
    expect(response.status).toBe(200);
  });
});
