import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "../../testing/env";
import { insertNotifications } from "../../testing/fixtures";

const env = useApiTestEnv();

describe("notifications.markRead and unreadCount", () => {
  it("marks read by ids or all, counts unread, and never touches another user's", async () => {
    const user = randomUUID();
    const other = randomUUID();
    const mine = await insertNotifications(env.database.db, user, 3);
    const theirs = await insertNotifications(env.database.db, other, 2);
    const caller = env.caller(user);
    expect(await caller.notifications.unreadCount()).toEqual({ count: 3 });

    expect(await caller.notifications.markRead({ ids: [mine[0]!.id, theirs[0]!.id] })).toEqual({
      updated: 1,
    });
    expect(await caller.notifications.unreadCount()).toEqual({ count: 2 });
    const unread = await caller.notifications.list({ unreadOnly: true });
    expect(unread.notifications.map((n) => n.id).sort()).toEqual([mine[1]!.id, mine[2]!.id].sort());
    const read = (await caller.notifications.list()).notifications.find(
      (n) => n.id === mine[0]!.id,
    )!;
    expect(read.read_at).toBe(env.clock.now().toISOString());

    expect(await caller.notifications.markRead({ all: true })).toEqual({ updated: 2 });
    expect(await caller.notifications.unreadCount()).toEqual({ count: 0 });
    expect(await env.caller(other).notifications.unreadCount()).toEqual({ count: 2 });
    // A cursor from another user's list leads nowhere.
    expect((await caller.notifications.list({ cursor: theirs[0]!.id })).notifications).toEqual([]);
  });

  it("explains bad inputs", async () => {
    const caller = env.caller(randomUUID());
    const neither = await outcome(caller.notifications.markRead({} as { all: true }));
    expect(neither.code).toBe("BAD_REQUEST");
    expect(neither.message).toMatch(/ids|all/);
    expect((await outcome(caller.notifications.markRead({ ids: [] }))).code).toBe("BAD_REQUEST");
    expect((await outcome(caller.notifications.markRead({ ids: ["x"] }))).code).toBe("BAD_REQUEST");
  });
});
