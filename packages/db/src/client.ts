import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import type { PoolMode } from "./pool-mode";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

export interface DbClient {
  db: Database;
  sql: Sql;
  close: () => Promise<void>;
}

export interface CreateDbOptions {
  /** Pool size; small by default, a 2-core machine gains nothing from more. */
  max?: number;
  /** Name reported in pg_stat_activity, so a stuck query says who sent it. */
  applicationName?: string;
  /** `transaction`: no named prepared statements (a transaction pooler cannot keep them). */
  poolMode?: PoolMode;
}

export function createDb(url: string, options: CreateDbOptions = {}): DbClient {
  const sql = postgres(url, {
    max: options.max ?? 10,
    prepare: options.poolMode !== "transaction",
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? "mad" },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
