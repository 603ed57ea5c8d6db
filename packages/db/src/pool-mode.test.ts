import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDb } from "./client";
import { assertPoolMode, behavesLikeTransactionPooler } from "./pool-mode";
import { resolveDatabase } from "./resolve";
import { createTestDatabase, type PgBouncer, startPgBouncer, type TestDatabase } from "./testing";

let database: TestDatabase;
let sessionPooler: PgBouncer;
let transactionPooler: PgBouncer;

beforeAll(async () => {
  database = await createTestDatabase();
  sessionPooler = await startPgBouncer(database.url, { mode: "session" });
  transactionPooler = await startPgBouncer(database.url, { mode: "transaction", poolSize: 4 });
});

afterAll(async () => {
  await Promise.all([sessionPooler?.stop(), transactionPooler?.stop()]);
  await database?.drop();
});

describe("telling the pool modes apart", () => {
  it("a direct connection and a session pooler keep one backend per client", async () => {
    expect(await behavesLikeTransactionPooler(database.url)).toBe(false);
    expect(await behavesLikeTransactionPooler(sessionPooler.url)).toBe(false);
  });

  it("a transaction pooler moves a client between backends", async () => {
    expect(await behavesLikeTransactionPooler(transactionPooler.url)).toBe(true);
  });

  it("refuses a transaction pooler configured as `session`, naming the variables", async () => {
    await expect(assertPoolMode(transactionPooler.url, "session")).rejects.toThrow(
      /DATABASE_POOL_MODE=transaction.*DATABASE_DIRECT_URL/s,
    );
    await expect(assertPoolMode(transactionPooler.url, "transaction")).resolves.toBeUndefined();
    await expect(assertPoolMode(sessionPooler.url, "session")).resolves.toBeUndefined();
  });
});

describe("resolveDatabase behind a pooler", () => {
  it("in transaction mode without a direct URL, refuses to migrate and says what to set", async () => {
    await expect(
      resolveDatabase({
        env: { DATABASE_URL: transactionPooler.url, DATABASE_POOL_MODE: "transaction" },
      }),
    ).rejects.toThrow(/DATABASE_DIRECT_URL/);
  });

  it("in transaction mode migrates through the direct URL and reports the mode", async () => {
    const resolved = await resolveDatabase({
      env: {
        DATABASE_URL: transactionPooler.url,
        DATABASE_POOL_MODE: "transaction",
        DATABASE_DIRECT_URL: database.url,
      },
    });
    expect(resolved).toMatchObject({ source: "DATABASE_URL", poolMode: "transaction" });
  });

  it("in session mode refuses a URL that is in fact a transaction pooler", async () => {
    await expect(resolveDatabase({ env: { DATABASE_URL: transactionPooler.url } })).rejects.toThrow(
      /behaves like a transaction-mode pooler/,
    );
  });
});

describe("queries through a transaction pooler", () => {
  it("parameterised queries from two processes' pools all get their own answers", async () => {
    const pools = [
      createDb(transactionPooler.url, { max: 8, poolMode: "transaction" }),
      createDb(transactionPooler.url, { max: 8, poolMode: "transaction" }),
    ];
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const { sql } = pools[i % 2]!;
          const rows = await sql<{ doubled: number }[]>`select ${i}::int * 2 as doubled`;
          return rows[0]?.doubled;
        }),
      );
      expect(answers).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
      expect(await transactionPooler.log()).not.toMatch(/when not linked|does not exist/);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });
});
