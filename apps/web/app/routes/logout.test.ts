import { describe, expect, it } from "vitest";

import { ADA, loaderArgs, outcome, post, useHarness } from "../testing/harness";
import * as logout from "./logout";

const harness = useHarness();

describe("logout", () => {
  it("logs out with a POST that clears the session", async () => {
    const cookie = await harness().cookieFor(ADA.id);
    const result = await outcome(() => logout.action(loaderArgs(post("/logout", {}, { cookie }))));
    expect(result.status).toBe(302);
    expect(result.headers.get("Set-Cookie")).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});
