/**
 * `pnpm --filter @mad/web bench:scale`: many processes on one Postgres. Two dashboard processes
 * (WEB_CONCURRENCY=2) and four ingesters share one embedded Postgres; 1,000 training jobs
 * complete at once while 50 clients use the dashboard: 40 people browse `/models` and 10
 * download a stored file, each client once a second (BENCH_PACE_MS). Prints the
 * drain time, duplicates (artifacts, notifications, jobs whose files were fetched twice),
 * completion → stored p50/p99, and the dashboard's p50/p99 under that load next to the same
 * clients on the same stack with no ingestion running (the baseline of this run), and the
 * dashboard's capacity: /models with 40 connections that never pause.
 *
 * Why paced clients (docs/decisions/0021-scale-benchmark-paced-clients.md): 40 connections
 * that never pause measure a saturated server, whose latency is its queue (connections ÷
 * throughput), not what a person browsing sees; that figure is printed as the capacity.
 *
 * Targets: 1,000 jobs drained in ≤ 60 s with 0 duplicates; /models p99 ≤ 100 ms under ingestion.
 * BENCH_JOBS (1000), BENCH_INGESTERS (4), BENCH_INGESTER_CONCURRENCY (jobs per ingester, 4),
 * BENCH_SECONDS (load per phase, 20), BENCH_PACE_MS (1000).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

import { createDb, DEMO_USERS } from "@mad/db";
import { insertDataset } from "@mad/db/factories";
import { onCpus, startStack } from "@mad/dev-stack";

import { mintSessionCookie } from "../e2e/support/session";
import { runLoad } from "./run-load";

const JOBS = Number(process.env.BENCH_JOBS ?? 1_000);
const INGESTERS = Number(process.env.BENCH_INGESTERS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 1_000);
const SLOTS = process.env.BENCH_INGESTER_CONCURRENCY ?? "4";
/**
 * Two CPUs stand in for separate hosts (decision 0021): the dashboard's processes on CPU 0; the
 * ingesters, the GPU-cluster simulator and the clients' load generators on CPU 1; Postgres on
 * both. BENCH_PIN_CPUS=0: all processes share both CPUs.
 */
const PIN = process.env.BENCH_PIN_CPUS !== "0" && availableParallelism() >= 2;
const cpus = PIN ? { web: "0", ingester: "1", simulator: "1" } : undefined;
const clientCpus = PIN ? "1" : undefined;
const [ada] = DEMO_USERS;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const stack = await startStack({
  throwaway: true,
  ports: "free",
  nodeEnv: "production",
  devLogin: false,
  reuseBuild: process.env.BENCH_SKIP_BUILD === "1",
  seed: "none",
  webEnv: { WEB_CONCURRENCY: "2" },
  ...(cpus ? { cpus } : {}),
  ingesterEnv: { INGESTER_CONCURRENCY: SLOTS, LOG_LEVEL: "warn" },
  log: (line) => process.stderr.write(`[stack] ${line}\n`),
});
const extraIngesters: ChildProcess[] = [];
const db = createDb(stack.databaseUrl, { max: 4, applicationName: "mad-scale-bench" });
try {
  for (let i = 1; i < INGESTERS; i++) {
    extraIngesters.push(
      spawn(
        ...onCpus(cpus?.ingester, "pnpm", ["--filter", "@mad/ingester", stack.ingesterScript]),
        {
          env: { ...stack.env, INGESTER_CONCURRENCY: SLOTS, LOG_LEVEL: "warn" },
          stdio: "ignore",
          // Its own process group: SIGTERM reaches the ingester behind pnpm.
          detached: true,
        },
      ),
    );
  }
  const simulatorUrl: string = stack.simulatorUrl ?? "";
  if (!simulatorUrl) throw new Error("the stack runs without the simulator");
  const dataset = await insertDataset(db.db, { userId: ada.id, name: "Scale benchmark" });

  /** Running jobs with a short loss history, registered with the simulator (small adapters). */
  async function createRunningJobs(count: number, prefix: string): Promise<string[]> {
    const externalIds = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    for (let i = 0; i < externalIds.length; i += 50) {
      await Promise.all(
        externalIds.slice(i, i + 50).map(async (id) => {
          const response = await fetch(new URL(`/_control/jobs/${id}`, simulatorUrl), {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ adapterSizeBytes: 16_384 }),
          });
          if (!response.ok) throw new Error(`simulator refused job ${id}: ${response.status}`);
        }),
      );
    }
    const rows = await db.sql<{ id: string }[]>`
      insert into training_jobs (user_id, dataset_id, preset_id, status, external_job_id, started_at)
      select ${ada.id}, ${dataset.id}, 'fast', 'running', ext, now() - interval '1 hour'
        from unnest(${db.sql.array(externalIds)}::text[]) as ext
      returning id`;
    const ids = rows.map((row) => row.id);
    await db.sql`
      insert into metrics_points (job_id, step, training_loss, validation_loss)
      select j.id, s, 2.0 / s, 2.2 / s
        from unnest(${db.sql.array(ids)}::uuid[]) as j(id), generate_series(1, 20) as s`;
    return ids;
  }

  async function storedCount(ids: string[]): Promise<number> {
    const [row] = await db.sql<{ stored: number }[]>`
      select count(*)::int as stored from model_artifacts
       where job_id = any(${db.sql.array(ids)}::uuid[]) and status = 'stored'`;
    return row?.stored ?? 0;
  }

  async function waitUntilStored(ids: string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await storedCount(ids)) === ids.length) return true;
      await sleep(100);
    }
    return false;
  }

  // A few stored models first, so browsing and downloading have something to show.
  const warmIds = await createRunningJobs(20, "scale-warm");
  await db.sql`update training_jobs set status = 'completed', completed_at = now()
                where id = any(${db.sql.array(warmIds)}::uuid[])`;
  if (!(await waitUntilStored(warmIds, 60_000))) throw new Error("warm-up jobs were not stored");

  const pair = await mintSessionCookie(
    { authJwtSecret: stack.secrets.AUTH_JWT_SECRET, sessionSecret: stack.secrets.SESSION_SECRET },
    ada,
  );
  const cookie = `${pair.name}=${pair.value}`;
  const [stored] = await db.sql<{ id: string }[]>`
    select id from model_artifacts where status = 'stored' limit 1`;
  const trpcInput = encodeURIComponent(JSON.stringify({ modelId: stored?.id }));
  const download = await fetch(`${stack.webUrl}/api/trpc/models.download?input=${trpcInput}`, {
    headers: { Cookie: cookie },
  });
  const downloadBody = (await download.json()) as {
    result?: { data?: { download_urls?: Record<string, string> } };
  };
  const fileUrl = Object.values(downloadBody.result?.data?.download_urls ?? {})[0];
  if (!fileUrl) throw new Error(`no signed URL for the download load (${download.status})`);

  // Baseline of this run: the same stack, the same load, nothing being ingested.
  // The capacity run first: it also warms both processes up (JIT) for the paced runs.
  const capacity = await runLoad(`${stack.webUrl}/models`, 40, SECONDS / 2, cookie, {
    cpus: clientCpus,
  });
  const [idleList] = await Promise.all([
    runLoad(`${stack.webUrl}/models`, 40, SECONDS, cookie, {
      paceMs: PACE_MS,
      cpus: clientCpus,
    }),
    runLoad(fileUrl, 10, SECONDS, undefined, { paceMs: PACE_MS, cpus: clientCpus }),
  ]);

  const ids = await createRunningJobs(JOBS, "scale");
  const listDuringIngestion = runLoad(`${stack.webUrl}/models`, 40, SECONDS, cookie, {
    paceMs: PACE_MS,
    cpus: clientCpus,
  });
  const downloadsDuringIngestion = runLoad(fileUrl, 10, SECONDS, undefined, {
    paceMs: PACE_MS,
    cpus: clientCpus,
  });
  await sleep(1_000);
  const started = Date.now();
  await db.sql`update training_jobs set status = 'completed', completed_at = now()
                where id = any(${db.sql.array(ids)}::uuid[])`;
  const drained = await waitUntilStored(ids, 300_000);
  const drainSeconds = (Date.now() - started) / 1_000;
  const [busyList, busyDownloads] = await Promise.all([
    listDuringIngestion,
    downloadsDuringIngestion,
  ]);

  const latencies = (
    await db.sql<{ ms: number }[]>`
      select extract(epoch from a.stored_at - j.completed_at) * 1000 as ms
        from model_artifacts a join training_jobs j on j.id = a.job_id
       where j.id = any(${db.sql.array(ids)}::uuid[]) and a.status = 'stored'`
  )
    .map((row) => Number(row.ms))
    .sort((a, b) => a - b);
  const [duplicates] = await db.sql<{ artifacts: number; notifications: number }[]>`
    select
      (select count(*)::int from (select job_id from model_artifacts
         group by job_id having count(*) > 1) d) as artifacts,
      (select count(*)::int from (select metadata->>'job_id' from notifications
         where type = 'artifact_ready' group by 1 having count(*) > 1) n) as notifications`;
  const stats = (await (await fetch(new URL("/_control/stats", simulatorUrl))).json()) as {
    jobs: Record<string, { listingRequests: number }>;
  };
  const fetchedTwice = Object.entries(stats.jobs).filter(
    ([id, job]) =>
      id.startsWith("scale-") && !id.startsWith("scale-warm") && job.listingRequests > 1,
  ).length;

  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(
    `\nScale benchmark — ${JOBS} jobs, ${INGESTERS} ingesters × ${SLOTS}, 2 web processes, one Postgres, loopback; ${PIN ? "web on CPU 0; ingesters, simulator and clients on CPU 1; Postgres on both" : "all processes share every CPU"}\n`,
  );
  console.log(`drained: ${drained ? "yes" : "NO"} in ${drainSeconds.toFixed(1)} s`);
  console.log(
    `duplicates: ${duplicates?.artifacts ?? "?"} artifacts, ${duplicates?.notifications ?? "?"} notifications; jobs listed twice (retried): ${fetchedTwice}`,
  );
  console.log(`completion → stored: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
  console.log(
    `/models capacity, idle:   ${capacity.rps.toFixed(0)} req/s with 40 connections that never pause, p50 ${capacity.p50.toFixed(1)} ms, p99 ${capacity.p99.toFixed(1)} ms`,
  );
  console.log(`clients: 40 browsing /models, 10 downloading, each once every ${PACE_MS} ms`);
  console.log(
    `/models idle:             ${idleList.rps.toFixed(0)} req/s, p50 ${idleList.p50.toFixed(1)} ms, p99 ${idleList.p99.toFixed(1)} ms, errors ${idleList.errors}`,
  );
  console.log(
    `/models under ingestion:  ${busyList.rps.toFixed(0)} req/s, p50 ${busyList.p50.toFixed(1)} ms, p99 ${busyList.p99.toFixed(1)} ms, errors ${busyList.errors} (p99 ${(busyList.p99 / idleList.p99).toFixed(2)}× idle)`,
  );
  console.log(
    `downloads under ingestion: ${busyDownloads.rps.toFixed(0)} req/s, p99 ${busyDownloads.p99.toFixed(1)} ms, errors ${busyDownloads.errors}`,
  );
  const checks = [
    [`${JOBS} jobs drained in ≤ 60 s`, drained && drainSeconds <= 60],
    ["0 duplicates", duplicates?.artifacts === 0 && duplicates.notifications === 0],
    ["/models p99 ≤ 100 ms under ingestion", busyList.p99 <= 100],
    ["no errors", busyList.errors === 0 && busyDownloads.errors === 0 && capacity.errors === 0],
  ] as const;
  console.log("\nTargets:");
  for (const [label, ok] of checks) console.log(`${ok ? "PASS" : "MISS"}  ${label}`);
} finally {
  for (const child of extraIngesters) if (child.pid) process.kill(-child.pid, "SIGTERM");
  await Promise.all(
    extraIngesters.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode === null ? child.once("exit", resolve) : resolve(null),
        ),
    ),
  );
  await db.close();
  await stack.stop();
}
