/**
 * models.list latency at scale: 1,000,000 artifacts across 10,000 users in a throw-away embedded
 * Postgres, measured through the in-process caller (what the dashboard's loader does), then again
 * without the two list indexes to show what they buy.
 *
 *   pnpm --filter @mad/api bench            (BENCH_USERS / BENCH_PER_USER to scale)
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { createDb } from "@mad/db";
import { startThrowawayPostgres } from "@mad/db/dev";
import { createStorage } from "@mad/storage";

import { createAuth } from "../src/auth";
import type { ApiDeps } from "../src/context";
import { createServerCaller } from "../src/root";
import { listModelsInput } from "../src/router/models/inputs";
import { listModelsQueries } from "../src/router/models/list-queries";
import { bulkLoadArtifacts, bulkUserId } from "../src/testing/bulk";

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const PER_USER = Number(process.env.BENCH_PER_USER ?? 100);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 400);
// Without the indexes every call scans the whole table (~1–2 s): a few calls tell enough.
const ITERATIONS_WITHOUT_INDEXES = Number(process.env.BENCH_ITERATIONS_WITHOUT_INDEXES ?? 8);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const log = (message: string) => console.log(`[bench] ${message}`);

type Scenario = {
  name: string;
  input: { page?: number; sort?: "created_at" | "quality"; q?: string };
};

// Each user has ~97 live models: page 9 of 12 is the last, deep page.
const SCENARIOS: Scenario[] = [
  { name: "page 1, newest", input: { page: 1, sort: "created_at" } },
  { name: "page 1, quality", input: { page: 1, sort: "quality" } },
  {
    name: "last page, newest",
    input: { page: Math.ceil((PER_USER * 0.97) / 12), sort: "created_at" },
  },
  {
    name: "last page, quality",
    input: { page: Math.ceil((PER_USER * 0.97) / 12), sort: "quality" },
  },
  { name: 'search "legal"', input: { q: "legal" } },
  { name: 'search "2026-11-1", quality', input: { q: "2026-11-1", sort: "quality" } },
];

async function measure(deps: ApiDeps, scenario: Scenario, iterations: number) {
  const durations: number[] = [];
  let seed = 12345;
  const nextUser = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return bulkUserId((seed % USERS) + 1);
  };
  const warmup = Math.min(20, Math.ceil(iterations / 4));
  let lastTotal = 0;
  for (let i = 0; i < warmup + iterations; i++) {
    const caller = createServerCaller(deps, { userId: nextUser() });
    const start = performance.now();
    const result = await caller.models.list(scenario.input);
    const elapsed = performance.now() - start;
    if (i >= warmup) durations.push(elapsed);
    lastTotal = result.pagination.total;
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95), lastTotal };
}

async function main() {
  const base = await mkdtemp(path.join(os.tmpdir(), "mad-bench-"));
  const cluster = await startThrowawayPostgres("mad_bench");
  const client = createDb(cluster.url, { max: 4, applicationName: "mad-bench" });
  // Ctrl-C must not leave a Postgres running in a temp dir.
  const abort = () => {
    void client
      .close()
      .then(() => cluster.destroy())
      .then(() => rm(base, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  try {
    log(`loading ${USERS * PER_USER} artifacts across ${USERS} users…`);
    const loadStart = performance.now();
    // Indexes are built once after the load (much faster than maintaining them row by row).
    const deferred = await client.sql<{ indexname: string; indexdef: string }[]>`
      select indexname, indexdef from pg_indexes
       where schemaname = 'public' and tablename in ('model_artifacts', 'datasets', 'training_jobs')
         and indexname not like '%_pkey' and indexname not like '%_key'`;
    for (const index of deferred) await client.sql.unsafe(`drop index ${index.indexname}`);
    const chunk = 1_000;
    for (let first = 1; first <= USERS; first += chunk) {
      await bulkLoadArtifacts(client.sql, {
        users: Math.min(chunk, USERS - first + 1),
        perUser: PER_USER,
        firstUser: first,
      });
    }
    await client.sql.begin(async (tx) => {
      await tx`set local maintenance_work_mem = '256MB'`;
      for (const index of deferred) await tx.unsafe(index.indexdef);
    });
    await client.sql`vacuum analyze`;
    const [{ live }] =
      (await client.sql`select count(*)::int as live from model_artifacts where deleted_at is null`) as unknown as [
        { live: number },
      ];
    log(
      `loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s (${live} live artifacts)`,
    );

    const storageDir = path.join(base, "storage");
    const deps: ApiDeps = {
      db: client.db,
      storage: createStorage({
        backend: "local",
        rootDir: storageDir,
        signingSecret: randomBytes(32).toString("hex"),
        publicBaseUrl: "http://localhost:3000",
      }),
      auth: createAuth({ jwtSecret: randomBytes(32).toString("hex") }),
    };

    const withIndexes: Array<Awaited<ReturnType<typeof measure>>> = [];
    for (const scenario of SCENARIOS) {
      const result = await measure(deps, scenario, ITERATIONS);
      withIndexes.push(result);
      log(
        `with indexes    ${scenario.name}: p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms (total ${result.lastTotal})`,
      );
    }

    if (process.env.BENCH_EXPLAIN) {
      for (const scenario of SCENARIOS) {
        const { pageQuery, countQuery } = listModelsQueries(
          client.db,
          bulkUserId(42),
          listModelsInput.parse(scenario.input),
        );
        for (const query of [pageQuery, countQuery]) {
          const { sql, params } = query.toSQL();
          const plan = await client.sql.unsafe(
            `explain (analyze, buffers, costs off) ${sql}`,
            params as never[],
          );
          log(
            `${scenario.name}:\n${plan.map((row) => String((row as Record<string, unknown>)["QUERY PLAN"])).join("\n")}`,
          );
        }
      }
    }

    await client.sql`drop index model_artifacts_user_created_idx`;
    await client.sql`drop index model_artifacts_user_quality_idx`;
    await client.sql`analyze model_artifacts`;
    const withoutIndexes: Array<Awaited<ReturnType<typeof measure>>> = [];
    for (const scenario of SCENARIOS) {
      const result = await measure(deps, scenario, ITERATIONS_WITHOUT_INDEXES);
      withoutIndexes.push(result);
      log(
        `without indexes ${scenario.name}: p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms`,
      );
    }

    console.log(
      `\nmodels.list, ${USERS * PER_USER} artifacts / ${USERS} users; ${ITERATIONS} calls per row with the indexes, ${ITERATIONS_WITHOUT_INDEXES} without (ms)\n`,
    );
    const header = ["query", "p50", "p95", "p50 no idx", "p95 no idx", "p95 ratio", "p95 ≤ 10 ms"];
    const rows = SCENARIOS.map((scenario, i) => {
      const a = withIndexes[i]!;
      const b = withoutIndexes[i]!;
      return [
        scenario.name,
        a.p50.toFixed(2),
        a.p95.toFixed(2),
        b.p50.toFixed(2),
        b.p95.toFixed(2),
        `${(b.p95 / a.p95).toFixed(1)}×`,
        a.p95 <= 10 ? "yes" : "NO",
      ];
    });
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) =>
      `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ")} |`;
    console.log(line(header));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const row of rows) console.log(line(row));
  } finally {
    await client.close();
    await cluster.destroy();
    await rm(base, { recursive: true, force: true });
  }
}

await main();
