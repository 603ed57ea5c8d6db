/**
 * The database of a deployment: reachable, migrated, the ingester's queue installed, pooled the
 * way DATABASE_POOL_MODE says (decision 0009), and its clock.
 */
import postgres from "postgres";

import { behavesLikeTransactionPooler, migrationStatus } from "@mad/db";

import { type CheckResult, describeError, displayUrl, fail, pass, skip } from "../check";
import type { DoctorEnv } from "../env";

const INGEST_QUEUE = "artifact-ingestion";

export interface DatabaseFindings {
  results: CheckResult[];
  /** The database's clock minus ours, in ms (null when it could not be read). */
  clockOffsetMs: number | null;
}

export async function checkDatabase(env: DoctorEnv): Promise<DatabaseFindings> {
  const results: CheckResult[] = [];
  const sql = postgres(env.DATABASE_URL, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 2,
  });
  try {
    let clockOffsetMs: number | null = null;
    try {
      const before = Date.now();
      const [row] = await sql<{ version: string; now: Date }[]>`
        select current_setting('server_version') as version, clock_timestamp() as now`;
      const after = Date.now();
      clockOffsetMs = row ? row.now.getTime() - (before + after) / 2 : null;
      results.push(
        pass(
          "database reachable",
          `PostgreSQL ${row?.version ?? "?"} at ${displayUrl(env.DATABASE_URL)}`,
        ),
      );
    } catch (error) {
      results.push(
        fail(
          "database reachable",
          `cannot connect to ${displayUrl(env.DATABASE_URL)}: ${describeError(error)}`,
          "check DATABASE_URL (host, port, user, password, database); on Supabase copy it from " +
            "Project Settings → Database",
        ),
      );
      for (const name of ["migrations applied", "ingestion queue present", "pool mode"]) {
        results.push(skip(name, "the database is not reachable"));
      }
      return { results, clockOffsetMs: null };
    }

    const migrationUrl =
      env.DATABASE_POOL_MODE === "transaction" ? env.DATABASE_DIRECT_URL : env.DATABASE_URL;
    try {
      const status = await migrationStatus(migrationUrl ?? env.DATABASE_URL);
      results.push(
        status.missing.length === 0
          ? pass("migrations applied", `all ${status.expected} migrations applied`)
          : fail(
              "migrations applied",
              `${status.applied} of ${status.expected} migrations applied; missing: ${status.missing.join(", ")}`,
              "run `pnpm db:migrate` with DATABASE_URL set to this database (through a " +
                "transaction pooler: to DATABASE_DIRECT_URL)",
            ),
      );
    } catch (error) {
      results.push(
        fail(
          "migrations applied",
          `cannot read the migrations table: ${describeError(error)}`,
          "check that DATABASE_DIRECT_URL (or DATABASE_URL) reaches the same database",
        ),
      );
    }

    const [queue] = await sql<{ present: boolean }[]>`
      select to_regclass('pgboss.queue') is not null
         and exists (select 1 from pgboss.queue where name = ${INGEST_QUEUE}) as present`.catch(
      () => [{ present: false }],
    );
    results.push(
      queue?.present
        ? pass("ingestion queue present", `pg-boss queue "${INGEST_QUEUE}" exists`)
        : fail(
            "ingestion queue present",
            `pg-boss or its queue "${INGEST_QUEUE}" is not installed`,
            "start one ingester once (it installs pg-boss and creates its queues); until then " +
              "completed training jobs wait for its start-up sweep",
          ),
    );

    const transactionPooler = await behavesLikeTransactionPooler(env.DATABASE_URL);
    if (transactionPooler && env.DATABASE_POOL_MODE === "session") {
      results.push(
        fail(
          "pool mode",
          "DATABASE_URL is a transaction-mode pooler but DATABASE_POOL_MODE is session",
          "set DATABASE_POOL_MODE=transaction and DATABASE_DIRECT_URL, or use the direct " +
            "connection or the session pooler (decision 0009)",
        ),
      );
    } else {
      results.push(
        pass(
          "pool mode",
          transactionPooler
            ? "transaction pooler, configured as such (no prepared statements, polling pickup)"
            : `session connection${env.DATABASE_POOL_MODE === "transaction" ? " (configured as transaction: works, but LISTEN pickup is off)" : ""}`,
        ),
      );
    }
    return { results, clockOffsetMs };
  } finally {
    await sql.end({ timeout: 2 });
  }
}
