/** The list query must be served by its partial indexes (an index scan, no sort), for both sorts. */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@mad/db/testing";

import { bulkLoadArtifacts, bulkUserId } from "../../testing/bulk";
import { insertArtifact } from "../../testing/fixtures";
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
  "Relation Name"?: string;
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

  it.each([["quality", "model_artifacts_user_quality_idx"]] as const)(
    "sort=%s reads %s in order, without a Sort",
    async (sort, index) => {
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
    },
  );

  // "Most recent" orders by the job's completion (what the cards show), which no index of
  // model_artifacts holds: the user's rows come from their index, a top-N sort cuts the page.
  it("sort=created_at reads only the user's rows through their index", async () => {
    const { pageQuery, countQuery } = listModelsQueries(t.db, userId, listModelsInput.parse({}));
    const page = await pageCutter(pageQuery);
    expect(page.some((n) => n["Index Name"]?.startsWith("model_artifacts_user_"))).toBe(true);
    expect(
      page.some((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "model_artifacts"),
    ).toBe(false);
    const counted = await planOf(countQuery);
    expect(counted.some((n) => n["Node Type"] === "Seq Scan")).toBe(false);
  });

  // (For a page near the end of a user's list the planner may rightly prefer a bitmap scan and a
  // top-N sort of the user's few hundred rows; the benchmark measures that case.)
  it("keeps the index order for a search", async () => {
    const { pageQuery } = listModelsQueries(
      t.db,
      userId,
      listModelsInput.parse({ q: "legal", sort: "quality" }),
    );
    const page = await pageCutter(pageQuery);
    expect(page.some((n) => n["Index Name"] === "model_artifacts_user_quality_idx")).toBe(true);
    expect(page.some((n) => n["Node Type"].includes("Sort"))).toBe(false);
  });
});

describe("models.list order", () => {
  it("'Most recent' is by when the model was trained (its job's completion), not ingestion", async () => {
    const user = randomUUID();
    const trained = (day: number) => new Date(Date.UTC(2026, 10, day, 12));
    const names = ["trained Nov 3", "trained Nov 20", "trained Nov 9"];
    for (const [index, day] of [3, 20, 9].entries()) {
      const { artifact } = await insertArtifact(t.db, {
        userId: user,
        createdAt: trained(day),
        name: names[index]!,
      });
      // A backlog ingested them all at once, oldest training last.
      await t.sql`update model_artifacts set created_at = ${new Date(Date.UTC(2026, 11, 2, 9, 0, 30 - day)).toISOString()} where id = ${artifact.id}`;
    }
    const { pageQuery } = listModelsQueries(t.db, user, listModelsInput.parse({}));
    const rows = await pageQuery;
    expect(rows.map((row) => row.name)).toEqual([
      "trained Nov 20",
      "trained Nov 9",
      "trained Nov 3",
    ]);
    expect(rows[0]!.jobCompletedAt).toEqual(trained(20));
  });
});
