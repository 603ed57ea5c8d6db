import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Arbitrary but fixed: every process that migrates takes this lock first. */
const MIGRATION_LOCK_ID = 724_311_902;

/**
 * Applies the committed migrations. Safe to run again (already-applied ones are skipped) and
 * from several processes at once (an advisory lock serialises them), so the web app and the
 * ingester may both migrate at start-up.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface MigrationStatus {
  /** Committed migrations in this release. */
  expected: number;
  /** Of those, how many the database has applied. */
  applied: number;
  /** Committed migrations the database lacks, by tag (file name without `.sql`). */
  missing: string[];
}

/** What `runMigrations` would still apply: read-only, for the preflight check. */
export async function migrationStatus(url: string): Promise<MigrationStatus> {
  const committed = readMigrationFiles({ migrationsFolder });
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as {
    entries: { tag: string }[];
  };
  const sql = postgres(url, { max: 1, onnotice: () => {}, prepare: false });
  try {
    const [table] = await sql<{ present: boolean }[]>`
      select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
    const appliedHashes = new Set(
      table?.present
        ? (await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`).map(
            (row) => row.hash,
          )
        : [],
    );
    const missing = committed
      .map((migration, index) => ({ migration, tag: journal.entries[index]?.tag ?? `#${index}` }))
      .filter(({ migration }) => !appliedHashes.has(migration.hash))
      .map(({ tag }) => tag);
    return { expected: committed.length, applied: committed.length - missing.length, missing };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
