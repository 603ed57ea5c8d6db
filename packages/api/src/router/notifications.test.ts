import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { notifications } from "@mad/db";

import { createApiTestEnv, outcome, type ApiTestEnv } from "../testing/env";

let env: ApiTestEnv;
beforeAll(async () => {
  env = await createApiTestEnv();
});
afterAll(async () => {
  await env.cleanup();
});

async function seed(userId: string, count: number, sameTime = false) {
  const base = Date.UTC(2026, 10, 23, 9);
  const rows = Array.from({ length: count }, (_, i) => ({
    userId,
    type: "artifact_ready" as const,
    title: "Model Ready for Download",
    message: `Model ${i} is ready (quality 4/5)`,
    priority: "high" as const,
    actionUrl: `/models/${randomUUID()}`,
    metadata: { artifact_id: randomUUID(), job_id: randomUUID() },
    createdAt: new Date(sameTime ? base : base + i * 60_000),
  }));
  return env.database.db.insert(notifications).values(rows).returning();
}

describe("notifications", () => {
  it("lists newest first with a cursor, including ties on created_at", async () => {
    const user = randomUUID();
    await seed(user, 5);
    await seed(user, 4, true);
    await seed(randomUUID(), 3);
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

  it("marks read by ids or all, counts unread, and never touches another user's", async () => {
    const user = randomUUID();
    const other = randomUUID();
    const mine = await seed(user, 3);
    const theirs = await seed(other, 2);
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
    expect((await outcome(caller.notifications.list({ cursor: "abc" }))).message).toMatch(/cursor/);
    expect((await outcome(caller.notifications.list({ limit: 0 }))).code).toBe("BAD_REQUEST");
  });
});
