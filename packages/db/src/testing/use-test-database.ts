/**
 * A throw-away database for one test file: created before its tests, dropped after them. The
 * handle may be taken at the top of the file; using it before `beforeAll` ran is an error.
 */
import { afterAll, beforeAll } from "vitest";

import { createTestDatabase, type TestDatabase } from "./index";

export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | null = null;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.drop();
    current = null;
  });
  return new Proxy({} as TestDatabase, {
    get(_target, key) {
      if (!current) throw new Error("the test database exists only while the file's tests run");
      const value: unknown = Reflect.get(current, key);
      return typeof value === "function" ? (value as () => unknown).bind(current) : value;
    },
  });
}
