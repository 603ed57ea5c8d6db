import { describe, expect, it } from "vitest";

import * as health from "./healthz";

describe("/healthz", () => {
  it("answers ok without touching the database or the session", async () => {
    const response = health.loader();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
  });
});
