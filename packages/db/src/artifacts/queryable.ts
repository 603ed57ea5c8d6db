import type { Database } from "../client";

/** A drizzle transaction of this schema. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What a lifecycle transition runs on: the pool, or a caller's transaction (then a savepoint). */
export type Queryable = Database | Transaction;
