import { describe, expect, it } from "vitest";

import { ADA, get, loaderArgs, outcome, post } from "../testing/harness";
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

  it("says a notification's model was deleted instead of linking to a not-found page", async () => {
    const [deletedId, keptId] = seeded.adaModels as [string, string];
    await seeded.harness.context.callerFor(ADA.id).models.delete({ modelId: deletedId });
    const listed = await outcome(() =>
      notifications.loader(loaderArgs(get("/notifications", seeded.adaCookie))),
    );
    const shown = (
      listed.data as { notifications: { action_url: string; modelDeleted: boolean }[] }
    ).notifications;
    const about = (id: string) => shown.find((n) => n.action_url === `/models/${id}`);
    expect(about(deletedId)?.modelDeleted).toBe(true);
    expect(about(keptId)?.modelDeleted).toBe(false);
  });
});
