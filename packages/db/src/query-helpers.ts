import { type SQL, sql } from "drizzle-orm";

// drizzle types `and()`/`or()` as possibly undefined (for an empty list) and an INSERT's
// `.returning()` as a possibly empty array; these say "at least one" in the type instead of
// asserting it away at each call site.

/** Every condition holds: drizzle's `and` for a list that is never empty. */
export function allOf(...conditions: [SQL, ...SQL[]]): SQL {
  return conditions.length === 1 ? conditions[0] : sql`(${sql.join(conditions, sql` and `)})`;
}

/** At least one condition holds: drizzle's `or` for a list that is never empty. */
export function anyOf(...conditions: [SQL, ...SQL[]]): SQL {
  return conditions.length === 1 ? conditions[0] : sql`(${sql.join(conditions, sql` or `)})`;
}

/** The one row an `INSERT … RETURNING` (or an update by key) gave back. */
export function returnedRow<Row>(rows: readonly Row[], what: string): Row {
  const [row] = rows;
  if (row === undefined) throw new Error(`${what}: the statement returned no row`);
  return row;
}
