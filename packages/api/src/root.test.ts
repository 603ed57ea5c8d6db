import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { outcome, useApiTestEnv } from "./testing/env";

const env = useApiTestEnv();

describe("authentication", () => {
  it("answers UNAUTHORIZED to every procedure without a user", async () => {
    const anonymous = env.caller(null);
    const id = randomUUID();
    const calls: Array<() => Promise<unknown>> = [
      () => anonymous.models.list(),
      () => anonymous.models.byId({ modelId: id }),
      () => anonymous.models.download({ modelId: id }),
      () => anonymous.models.metrics({ modelId: id }),
      () => anonymous.models.compare({ modelIds: [id, randomUUID()] }),
      () => anonymous.models.delete({ modelId: id }),
      () => anonymous.models.retryIngestion({ modelId: id }),
      () => anonymous.notifications.list(),
      () => anonymous.notifications.markRead({ all: true }),
      () => anonymous.notifications.unreadCount(),
      // Even a bad input is not validated for an anonymous caller.
      () => anonymous.models.byId({ modelId: "not-a-uuid" }),
    ];
    for (const call of calls) expect((await outcome(call())).code).toBe("UNAUTHORIZED");
  });

  it("treats a user id that is not a UUID as anonymous", async () => {
    expect(
      (await outcome(env.caller("'; drop table model_artifacts; --").models.list())).code,
    ).toBe("UNAUTHORIZED");
  });
});
