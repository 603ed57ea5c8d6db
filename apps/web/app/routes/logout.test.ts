import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ADA, createHarness, type Harness, loaderArgs, outcome, post } from "../testing/harness";
import * as logout from "./logout";

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe("logout", () => {
  it("logs out with a POST that clears the session", async () => {
    const cookie = await harness.cookieFor(ADA.id);
    const result = await outcome(() => logout.action(loaderArgs(post("/logout", {}, { cookie }))));
    expect(result.status).toBe(302);
    expect(result.headers.get("Set-Cookie")).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});
