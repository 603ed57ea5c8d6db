import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ADA,
  createHarness,
  get,
  type Harness,
  loaderArgs,
  outcome,
  post,
} from "../testing/harness";
import { seedAdaAndGrace } from "../testing/seed";
import * as notifications from "./notifications";

let harness: Harness;
let adaCookie: string;

beforeAll(async () => {
  harness = await createHarness();
  await seedAdaAndGrace(harness);
  adaCookie = await harness.cookieFor(ADA.id);
});

afterAll(async () => {
  await harness?.close();
});

const submit = (form: Record<string, string>) =>
  outcome(() =>
    notifications.action(loaderArgs(post("/notifications", form, { cookie: adaCookie }))),
  );

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

    const one = await submit({ intent: "mark-read", id: data.notifications[0]!.id });
    expect(one.data).toEqual({ updated: 1 });
    const all = await submit({ intent: "mark-all-read" });
    expect(all.data).toEqual({ updated: 2 });
  });

  it("answers a malformed mark-read form with a 400", async () => {
    const result = await submit({ intent: "mark-read", id: "nope" });
    expect(result.status).toBe(400);
  });
});
