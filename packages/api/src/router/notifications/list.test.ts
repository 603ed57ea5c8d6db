import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertNotifications } from "../../testing/fixtures";

const env = useApiTestEnv();

describe("notifications.list", () => {
  it("lists newest first with a cursor, including ties on created_at", async () => {
    const user = randomUUID();
    await insertNotifications(env.database.db, user, 5);
    await insertNotifications(env.database.db, user, 4, true);
    await insertNotifications(env.database.db, randomUUID(), 3);
    const caller = env.caller(user);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await caller.notifications.list({ limit: 4, cursor });
      seen.push(...page.notifications.map((n) => n.id));
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);

    const first = await caller.notifications.list({ limit: 1 });
    expect(first.notifications[0]).toMatchObject({
      type: "artifact_ready",
      title: "Model Ready for Download",
      priority: "high",
      read_at: null,
    });
    expect(first.notifications[0]!.action_url).toMatch(/^\/models\//);
  });

  it("explains bad inputs", async () => {
    const caller = env.caller(randomUUID());
    expect((await outcome(caller.notifications.list({ cursor: "abc" }))).message).toMatch(/cursor/);
    expect((await outcome(caller.notifications.list({ limit: 0 }))).code).toBe("BAD_REQUEST");
  });
});
