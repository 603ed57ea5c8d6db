import { describe, expect, it } from "vitest";

import { get, loaderArgs, outcome, post } from "../testing/harness";
import { useSeededHarness } from "../testing/seed";
import * as notifications from "./notifications";

const seeded = useSeededHarness();

const submit = (form: Record<string, string>) =>
  outcome(() =>
    notifications.action(loaderArgs(post("/notifications", form, { cookie: seeded.adaCookie }))),
  );

describe("notifications", () => {
  it("lists the user's notifications and marks one, then all, as read", async () => {
    const listed = await outcome(() =>
      notifications.loader(loaderArgs(get("/notifications", seeded.adaCookie))),
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
