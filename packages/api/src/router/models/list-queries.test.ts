/** The list query must be served by its partial indexes (an index scan, no sort), for both sorts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@mad/db/testing";

import { bulkLoadArtifacts, bulkUserId } from "../../testing/bulk";
import { listModelsInput } from "./inputs";
import { listModelsQueries } from "./list-queries";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await bulkLoadArtifacts(t.sql, { users: 60, perUser: 200 });
  await t.sql`vacuum analyze model_artifacts`;
  await t.sql`analyze datasets`;
  await t.sql`analyze training_jobs`;
});
afterAll(async () => {
  await t.drop();
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function rootOf(query: {
  toSQL: () => { sql: string; params: unknown[] };
}): Promise<PlanNode> {
  const { sql, params } = query.toSQL();
  const [row] = await t.sql.unsafe(`explain (format json) ${sql}`, params as never[]);
  return (row as unknown as { "QUERY PLAN": Array<{ Plan: PlanNode }> })["QUERY PLAN"][0]!.Plan;
}

async function planOf(query: {
  toSQL: () => { sql: string; params: unknown[] };
}): Promise<PlanNode[]> {
  return nodes(await rootOf(query));
}

/**
 * The LIMIT that cuts the page must be fed by the index in order: no Sort below it (the outer
 * query may re-sort the page's dozen rows after the joins, which costs nothing).
 */
async function pageCutter(query: {
  toSQL: () => { sql: string; params: unknown[] };
}): Promise<PlanNode[]> {
  const limit = nodes(await rootOf(query)).find((n) => n["Node Type"] === "Limit");
  expect(limit).toBeDefined();
  return nodes(limit!);
}

describe("models.list query plans", () => {
  const userId = bulkUserId(17);

  it.each([
    ["created_at", "model_artifacts_user_created_idx"],
    ["quality", "model_artifacts_user_quality_idx"],
  ] as const)("sort=%s reads %s in order, without a Sort", async (sort, index) => {
    const input = listModelsInput.parse({ sort });
    const { pageQuery, countQuery } = listModelsQueries(t.db, userId, input);
    const page = await pageCutter(pageQuery);
    expect(page.some((n) => n["Node Type"] === "Index Scan" && n["Index Name"] === index)).toBe(
      true,
    );
    expect(page.some((n) => n["Node Type"].includes("Sort"))).toBe(false);

    const counted = await planOf(countQuery);
    // The exact total comes from one of the partial list indexes (index-only or bitmap scan).
    expect(counted.some((n) => n["Index Name"]?.startsWith("model_artifacts_user_"))).toBe(true);
    expect(counted.some((n) => n["Node Type"] === "Seq Scan")).toBe(false);
  });

  // (For a page near the end of a user's list the planner may rightly prefer a bitmap scan and a
  // top-N sort of the user's few hundred rows; the benchmark measures that case.)
  it("keeps the index order for a search", async () => {
    const { pageQuery } = listModelsQueries(t.db, userId, listModelsInput.parse({ q: "legal" }));
    const page = await pageCutter(pageQuery);
    expect(page.some((n) => n["Index Name"] === "model_artifacts_user_created_idx")).toBe(true);
    expect(page.some((n) => n["Node Type"].includes("Sort"))).toBe(false);
  });
});
