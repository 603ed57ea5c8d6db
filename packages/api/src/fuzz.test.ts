/** Whatever a caller sends, the answer is a 4xx that explains itself — never a 500. */
import { randomUUID } from "node:crypto";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiHandler } from "./http";
import { type ApiTestEnv, createApiTestEnv, outcome } from "./testing/env";
import { insertArtifact, insertStoredArtifactWithFiles } from "./testing/fixtures";

let env: ApiTestEnv;
let user: string;
let modelIds: string[];
beforeAll(async () => {
  env = await createApiTestEnv();
  user = randomUUID();
  const stored = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
    userId: user,
    contents: { "adapter_config.json": "{}", "adapter_model.safetensors": Buffer.alloc(16) },
  });
  const failed = await insertArtifact(env.database.db, { userId: user, status: "failed" });
  modelIds = [stored.artifact.id, failed.artifact.id];
});
afterAll(async () => {
  await env.cleanup();
});

const ALLOWED = new Set(["OK", "BAD_REQUEST", "NOT_FOUND", "PRECONDITION_FAILED"]);

const scalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt().map((n) => Number(n)),
  fc.constantFrom("", " ", "%", "_", "\\", "\u0000", "created_at", "quality", "1e309", "-0", "NaN"),
  fc.uuid(),
  fc.constantFrom(
    ...["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"],
  ),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.anything());

const modelIdLike = () => fc.oneof(fc.constantFrom(...modelIds), fc.uuid(), value);

const shapes = {
  list: fc.oneof(
    fc.record({ page: value, limit: value, sort: value, q: value }, { requiredKeys: [] }),
    fc.record({
      page: fc.integer({ min: -5, max: 2_000_000 }),
      limit: fc.integer({ min: -5, max: 200 }),
      q: fc.string({ maxLength: 120 }),
    }),
    fc.anything(),
  ),
  modelId: () => fc.oneof(fc.record({ modelId: modelIdLike() }), fc.anything()),
  download: () =>
    fc.oneof(
      fc.record(
        {
          modelId: modelIdLike(),
          files: fc.oneof(fc.array(fc.string(), { maxLength: 120 }), value),
        },
        { requiredKeys: ["modelId"] },
      ),
      fc.anything(),
    ),
  metrics: () =>
    fc.oneof(
      fc.record({ modelId: modelIdLike(), maxPoints: value }, { requiredKeys: ["modelId"] }),
      fc.anything(),
    ),
  compare: () =>
    fc.oneof(
      fc.record(
        { modelIds: fc.oneof(fc.array(modelIdLike(), { maxLength: 6 }), value), maxPoints: value },
        { requiredKeys: ["modelIds"] },
      ),
      fc.anything(),
    ),
  notifications: fc.oneof(
    fc.record({ limit: value, cursor: value, unreadOnly: value }, { requiredKeys: [] }),
    fc.anything(),
  ),
  markRead: fc.oneof(
    fc.record(
      { ids: fc.oneof(fc.array(fc.uuid(), { maxLength: 120 }), value), all: value },
      { requiredKeys: [] },
    ),
    fc.anything(),
  ),
};

describe("fuzzed inputs", () => {
  it("never end in anything but success or an explained 4xx (in-process)", async () => {
    const caller = env.caller(user) as unknown as Record<
      string,
      Record<string, (input: unknown) => Promise<unknown>>
    >;
    const cases: Array<[string, string, fc.Arbitrary<unknown>]> = [
      ["models", "list", shapes.list],
      ["models", "byId", shapes.modelId()],
      ["models", "download", shapes.download()],
      ["models", "metrics", shapes.metrics()],
      ["models", "compare", shapes.compare()],
      ["models", "retryIngestion", shapes.modelId()],
      ["notifications", "list", shapes.notifications],
      ["notifications", "markRead", shapes.markRead],
      ["notifications", "unreadCount", fc.anything()],
    ];
    for (const [namespace, procedure, arbitrary] of cases) {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (input) => {
          const answer = await outcome(caller[namespace]![procedure]!(input));
          if (!ALLOWED.has(answer.code))
            throw new Error(`${namespace}.${procedure} answered ${answer.code}: ${answer.message}`);
          if (answer.code === "BAD_REQUEST") expect(answer.message.length).toBeGreaterThan(0);
        }),
        { numRuns: 60 },
      );
    }
    // Fuzzing deletes last: it may delete the fixtures.
    await fc.assert(
      fc.asyncProperty(shapes.modelId(), async (input) => {
        expect(ALLOWED.has((await outcome(caller.models!.delete!(input))).code)).toBe(true);
      }),
      { numRuns: 40 },
    );
    expect(env.logs.filter((entry) => entry.level === "error")).toEqual([]);
  });

  it("never answer 500 over HTTP, whatever the path, query or body", async () => {
    const handler = createApiHandler(env.deps);
    const token = await env.auth.mintAccessToken(user);
    const procedures = fc.constantFrom(
      "models.list",
      "models.byId",
      "models.download",
      "models.metrics",
      "models.compare",
      "models.delete",
      "models.retryIngestion",
      "notifications.list",
      "notifications.markRead",
      "notifications.unreadCount",
      "models.list,models.byId",
      "nope",
      "models",
      "",
    );
    await fc.assert(
      fc.asyncProperty(
        procedures,
        fc.constantFrom("GET", "POST", "PUT"),
        fc.oneof(fc.json(), fc.string(), fc.constant("{")),
        fc.boolean(),
        fc.oneof(
          fc.constant(""),
          fc.constant("?batch=1"),
          fc.string().map((s) => `?input=${encodeURIComponent(s)}`),
        ),
        async (path, method, body, authenticated, query) => {
          const url = `http://127.0.0.1/api/trpc/${path}${method === "GET" ? query || `?input=${encodeURIComponent(body)}` : query}`;
          const response = await handler(
            new Request(url, {
              method,
              headers: authenticated
                ? { authorization: `Bearer ${token}`, "content-type": "application/json" }
                : {},
              body: method === "GET" ? undefined : body,
            }),
          );
          await response.arrayBuffer();
          if (response.status >= 500)
            throw new Error(`${method} ${url} answered ${response.status}`);
        },
      ),
      { numRuns: 200 },
    );
    expect(env.logs.filter((entry) => entry.level === "error")).toEqual([]);
  });
});
