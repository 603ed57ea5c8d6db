import { afterEach, describe, expect, it } from "vitest";

import {
  ADA,
  createHarness,
  get,
  type Harness,
  loaderArgs,
  outcome,
  post,
} from "../testing/harness";
import * as login from "./login";

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe("the development login", () => {
  it("does not exist in production, even when ENABLE_DEV_LOGIN is on", async () => {
    harness = await createHarness({ NODE_ENV: "production", ENABLE_DEV_LOGIN: "true" });
    const page = await outcome(() => login.loader(loaderArgs(get("/login"))));
    expect(page.status).toBe(404);
    const submit = await outcome(() =>
      login.action(loaderArgs(post("/login", { userId: ADA.id }))),
    );
    expect(submit.status).toBe(404);
    expect(submit.headers.get("Set-Cookie")).toBeNull();
  });

  it("does not exist when ENABLE_DEV_LOGIN is off", async () => {
    harness = await createHarness({ ENABLE_DEV_LOGIN: "false" });
    expect((await outcome(() => login.loader(loaderArgs(get("/login"))))).status).toBe(404);
  });

  it("lists the demo users when enabled outside production", async () => {
    harness = await createHarness();
    const page = await outcome(() =>
      login.loader(loaderArgs(get("/login?redirectTo=%2Fnotifications"))),
    );
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ redirectTo: "/notifications" });
    expect((page.data as { users: unknown[] }).users).toHaveLength(3);
  });
});
