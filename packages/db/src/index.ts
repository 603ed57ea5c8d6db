// The database's public surface: schema, client, migrations and the artifact lifecycle.
// Embedded Postgres lives in `@mad/db/dev`, fake-data factories (the demo seed's and the tests')
// in `@mad/db/factories`, test databases and artifact factories in `@mad/db/testing`.
export * from "./schema";
export type * from "./types";
export { createDb, type Database, type DbClient, type Sql } from "./client";
export { migrationsFolder, migrationStatus, type MigrationStatus, runMigrations } from "./migrate";
export { resolveDatabase, type ResolvedDatabase } from "./resolve";
export { assertPoolMode, behavesLikeTransactionPooler, type PoolMode } from "./pool-mode";
export { poolModeSchema, readDbEnv } from "./env";
export { DEMO_USERS, type DemoUser } from "./demo";
export * from "./artifacts";
