import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { inject } from "vitest";

import { createDb, type DbClient } from "../client";
// The values the global setup provides (see global-setup.ts), typed for `inject` everywhere.
import type {} from "./global-setup";

export interface TestDatabase extends DbClient {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
}

/**
 * A fresh, migrated, empty database for one test file (a copy of the migrated template), so
 * test files never see each other's rows and can run in parallel.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const template = inject("pgTemplateDatabase");
  if (!adminUrl) {
    throw new Error(
      'No test Postgres: add globalSetup: ["@mad/db/testing/global-setup"] to vitest.config.ts',
    );
  }
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${template}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const client = createDb(url, { max: 5, applicationName: "mad-test" });
  return {
    ...client,
    url,
    name,
    drop: async () => {
      await client.close();
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

export * from "../factories";
export * from "./artifacts";
export { type PgBouncer, PGBOUNCER_BINARY, startPgBouncer } from "./pgbouncer";
