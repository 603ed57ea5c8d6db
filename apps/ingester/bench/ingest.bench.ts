/**
 * `pnpm --filter @mad/ingester bench` — not a test: prints figures.
 *
 * (a+b) For each storage backend — local disk, Supabase with standard (streamed) uploads,
 *     Supabase with resumable (TUS) uploads, the last two against the stand-in (a process of its
 *     own, as storage is a remote service) — and each adapter size (64 MiB, 1 GiB), BENCH_PAIRS
 *     (3) pairs back to back: the raw baseline, a compiled process of its own
 *     (bench/raw-copy-process.ts) piping the same bytes from the simulator to a file (fsynced, as
 *     the local backend does) or into one raw streamed upload to the stand-in; then a fresh
 *     ingester process, compiled to JavaScript (bench/compile.ts), ingesting one job. Printed:
 *     the highest peak RSS (VmHWM), the median throughput (completed → stored) and the median
 *     of the pairs' ratios. Targets: peak RSS ≤ 150 MB, within 5 MB between sizes; throughput
 *     ≥ 0.85× raw.
 *     Every measured write — raw or ingested — is deleted right after it is timed, so each one
 *     writes into page-cache memory the one before freed. On this VM, memory the guest has not
 *     touched lately costs the host's first-touch fault: a 1 GiB file written into it ran at
 *     ~280 MiB/s against ~1,450 MiB/s into memory just freed (the same write, kept vs deleted).
 *     The raw baseline always deleted its file and the ingested files were kept, so the ratio
 *     compared warm memory with cold (0.43–0.77×).
 * (c) completion → stored latency over 200 small jobs; targets p50 ≤ 250 ms, p99 ≤ 1 s.
 * (d) Jobs in flight at once: per backend, a fresh ingester (INGESTER_CONCURRENCY=4) copies four
 *     256 MiB jobs completed together; their combined throughput and its peak RSS. No target:
 *     memory grows with the jobs in flight (README "Memory").
 *
 * This driver, and the simulator inside it, runs with Node's default flags (`pnpm bench`): the
 * simulator stands in for a remote cluster, and under the ingester's 1 MiB young generation it
 * generated the bytes slowly enough to slow the raw baseline too.
 *
 * BENCH_PARTS selects parts ("ab", "c", "d"; default all); BENCH_BACKENDS a comma list of
 * local,supabase-standard,supabase-resumable; BENCH_NODE_FLAGS replaces the ingester's Node flags
 * (e.g. to add --cpu-prof) and BENCH_MALLOC_ARENA_MAX its malloc arenas ("" for glibc's
 * default). Figures vary with the machine's load: compare within one run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { compile } from "@mad/bundle";
import { createDb, DEMO_USERS } from "@mad/db";
import { startThrowawayPostgres } from "@mad/db/dev";
import { insertDataset } from "@mad/db/factories";
import { startGpuClusterSim } from "@mad/gpu-cluster-sim";
import { createStorage } from "@mad/storage";

import { createClusterClient } from "../src/cluster";
import { productionStartSettings } from "../src/testing/start-settings";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const API_KEY = "bench-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const USER = DEMO_USERS[0].id;
const packageDir = path.resolve(import.meta.dirname, "..");
const SIZES = [
  ["64MiB", 64 * MiB],
  ["1GiB", GiB],
] as const;
type Backend = "local" | "supabase-standard" | "supabase-resumable";
const BACKENDS: Backend[] = (
  process.env.BENCH_BACKENDS ?? "local,supabase-standard,supabase-resumable"
).split(",") as Backend[];

const production = productionStartSettings();
/** The ingester's Node flags (`start:prod`'s); BENCH_NODE_FLAGS tries others. */
const NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(" ") ?? production.nodeFlags;
/** glibc's malloc arenas (`start:prod` sets 1; README "Memory"); BENCH_MALLOC_ARENA_MAX tries others. */
const MALLOC_ARENA_MAX =
  process.env.BENCH_MALLOC_ARENA_MAX ?? production.env.MALLOC_ARENA_MAX ?? "";
const mallocEnv: Record<string, string> = MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX } : {};

/** Raw copy + ingestion pairs per backend and size (BENCH_PAIRS). */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
if (!Number.isInteger(PAIRS) || PAIRS < 1)
  throw new Error("BENCH_PAIRS must be a whole number ≥ 1");

const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const base = await mkdtemp(path.join(os.tmpdir(), "mad-ingester-bench-"));
  const postgres = await startThrowawayPostgres("bench");
  const sim = await startGpuClusterSim({ port: 0, apiKey: API_KEY });
  const storageRoot = path.join(base, "storage");
  const children: ChildProcess[] = [];
  const results: Record<string, unknown> = {};
  const parts = process.env.BENCH_PARTS ?? "abcd";
  const { db, sql, close } = createDb(postgres.url, { max: 4 });
  // Storage is a remote service: the stand-in runs in a process of its own.
  const standinChild = spawn(
    process.execPath,
    ["--import", "tsx", "bench/standin-process.ts", path.join(base, "supabase")],
    { cwd: packageDir, stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(standinChild);
  const standin = await new Promise<{ url: string; serviceRoleKey: string }>((resolve, reject) => {
    standinChild.stdout.once("data", (chunk: Buffer) =>
      resolve(JSON.parse(chunk.toString()) as { url: string; serviceRoleKey: string }),
    );
    standinChild.once("exit", (code) => reject(new Error(`stand-in exited ${code}`)));
  });
  try {
    const ingesterJs = await compile(path.join(packageDir, "src", "main.ts"), base, "ingester");
    const rawJs = await compile(path.join(packageDir, "bench", "raw-copy-process.ts"), base, "raw");
    /** Runs the raw baseline process; resolves with its milliseconds. */
    const raw = (...args: string[]) =>
      new Promise<number>((resolve, reject) => {
        // The ingester's memory settings, so the two differ only in what they do.
        const child = spawn(process.execPath, [...NODE_FLAGS, rawJs, ...args], {
          env: { ...process.env, ...mallocEnv },
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (code) =>
          code === 0 ? resolve(Number(out.trim())) : reject(new Error(`raw copy exited ${code}`)),
        );
      });
    const dataset = await insertDataset(db, { userId: USER, name: "Bench set" });
    // The bench's own clients of the two stores, to delete what each measurement wrote.
    const localDisk = createStorage({
      backend: "local",
      rootDir: storageRoot,
      signingSecret: "b".repeat(40),
      publicBaseUrl: "http://127.0.0.1",
    });
    const standinStorage = createStorage({
      backend: "supabase",
      url: standin.url,
      serviceRoleKey: standin.serviceRoleKey,
    });
    const storageFor = (backend: Backend) => (backend === "local" ? localDisk : standinStorage);
    /** Deletes what the jobs stored, so the next measured write reuses the memory it freed. */
    const removeStored = async (backend: Backend, jobIds: string[]) => {
      const stored = await sql<{ id: string }[]>`
        select id from model_artifacts where job_id = any(${sql.array(jobIds)}::uuid[])`;
      for (const { id } of stored) await storageFor(backend).removeFolder(`${USER}/${id}/`);
    };
    const envFor = (backend: Backend): Record<string, string> => ({
      PATH: process.env.PATH ?? "",
      DATABASE_URL: postgres.url,
      GPU_CLUSTER_API_URL: sim.url,
      GPU_CLUSTER_API_KEY: API_KEY,
      STORAGE_SIGNING_SECRET: "b".repeat(40),
      LOG_LEVEL: "warn",
      INGEST_RETRY_DELAY_SECONDS: "0",
      INGESTER_CONCURRENCY: "4",
      ...mallocEnv,
      ...(backend === "local"
        ? { STORAGE_BACKEND: "local", LOCAL_STORAGE_DIR: storageRoot }
        : {
            STORAGE_BACKEND: "supabase",
            SUPABASE_STORAGE_URL: standin.url,
            SUPABASE_SERVICE_ROLE_KEY: standin.serviceRoleKey,
            // Standard: every size streams in one request; resumable: TUS above 6 MiB.
            STORAGE_RESUMABLE_THRESHOLD_BYTES:
              backend === "supabase-standard" ? String(64 * GiB) : String(6 * MiB),
          }),
    });
    const startIngester = async (backend: Backend) => {
      // The same Node flags as `pnpm start`; compiled JavaScript instead of the tsx loader.
      const child = spawn(process.execPath, [...NODE_FLAGS, ingesterJs], {
        cwd: packageDir,
        env: { ...envFor(backend), LOG_LEVEL: "info" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes('"msg":"ingester ready"')) resolve();
        });
        child.on("exit", (code) => reject(new Error(`ingester exited ${code}`)));
      });
      return child;
    };
    const stop = async (child: ChildProcess) => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    };
    const completeJob = async (externalJobId: string) => {
      const [job] = await sql<{ id: string }[]>`
        insert into training_jobs (user_id, dataset_id, preset_id, status, external_job_id, started_at)
        values (${USER}, ${dataset.id}, 'bench', 'running', ${externalJobId}, now()) returning id`;
      await sql`update training_jobs set status = 'completed', completed_at = clock_timestamp() where id = ${job!.id}`;
      return job!.id;
    };
    const waitDone = async (jobIds: string[]) => {
      for (;;) {
        const [row] = await sql<{ n: number; failed: number }[]>`
          select count(*)::int as n, count(*) filter (where status = 'failed')::int as failed
            from model_artifacts where job_id = any(${sql.array(jobIds)}::uuid[]) and status <> 'processing'`;
        if (row!.failed > 0) throw new Error("a benchmark ingestion failed");
        if (row!.n === jobIds.length) return;
        await sleep(20);
      }
    };
    const hwm = async (pid: number | undefined) =>
      Math.round(
        Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) /
          1024,
      );

    // (a+b) ----------------------------------------------------------------------------------
    if (parts.includes("a") || parts.includes("b")) {
      const cluster = createClusterClient({ baseUrl: sim.url, apiKey: API_KEY });
      const adapterUrls = new Map<string, string>();
      for (const [label, size] of SIZES) {
        const externalJobId = `bench-raw-${label}`;
        sim.registerJob(externalJobId, { adapterSizeBytes: size, includeChecksums: false });
        const listing = await cluster.getArtifactListing(externalJobId);
        adapterUrls.set(label, listing.files.find((f) => f.name.endsWith(".safetensors"))!.url);
      }
      /** The raw copy a backend is compared with, in milliseconds; what it wrote is deleted. */
      const rawCopy = async (backend: Backend, label: string, pair: number) => {
        const adapterUrl = adapterUrls.get(label)!;
        if (backend === "local") {
          return raw(adapterUrl, API_KEY, "file", path.join(base, "raw.bin"));
        }
        const objectPath = `raw/${backend}-${label}-${pair}.bin`;
        const ms = await raw(
          adapterUrl,
          API_KEY,
          "upload",
          standin.url,
          standin.serviceRoleKey,
          objectPath,
        );
        await standinStorage.remove([objectPath]);
        return ms;
      };

      const matrix: Record<string, Record<string, unknown>> = {};
      for (const backend of BACKENDS) {
        const row: Record<string, unknown> = {};
        for (const [label, size] of SIZES) {
          /** One job in a fresh ingester process: its idle and peak RSS and its MiB/s. */
          const ingestOnce = async (pair: number) => {
            const child = await startIngester(backend);
            const idle = await hwm(child.pid);
            const externalJobId = `bench-${backend}-${label}-${pair}`;
            sim.registerJob(externalJobId, { adapterSizeBytes: size, includeChecksums: false });
            const jobId = await completeJob(externalJobId);
            await waitDone([jobId]);
            const peak = await hwm(child.pid);
            await stop(child);
            const [timing] = await sql<{ ms: number }[]>`
              select extract(epoch from (a.stored_at - j.completed_at)) * 1000 as ms
                from model_artifacts a join training_jobs j on j.id = a.job_id where a.job_id = ${jobId}`;
            await removeStored(backend, [jobId]);
            return { idle, peak, throughput: mbps(size, Number(timing!.ms)) };
          };
          // Pairs measured back to back, raw copy then ingestion: the machine's state (other
          // load, the host) drifts between runs by more than the difference measured.
          const pairs = [];
          for (let pair = 1; pair <= PAIRS; pair++) {
            const rawThroughput = mbps(size, await rawCopy(backend, label, pair));
            const ingested = await ingestOnce(pair);
            pairs.push({ ...ingested, rawThroughput, ratio: ingested.throughput / rawThroughput });
          }
          row[label] = {
            idle_rss_MB: Math.max(...pairs.map((p) => p.idle)),
            peak_rss_MB: Math.max(...pairs.map((p) => p.peak)),
            MiB_per_s: round(median(pairs.map((p) => p.throughput))),
            raw_MiB_per_s: round(median(pairs.map((p) => p.rawThroughput))),
            ratio_vs_raw: round(median(pairs.map((p) => p.ratio)), 2),
            pairs: pairs.map((p) => ({
              peak_rss_MB: p.peak,
              MiB_per_s: round(p.throughput),
              raw_MiB_per_s: round(p.rawThroughput),
              ratio: round(p.ratio, 2),
            })),
          };
          console.log(JSON.stringify({ backend, size: label, ...(row[label] as object) }));
        }
        const peaks = SIZES.map(([label]) => (row[label] as { peak_rss_MB: number }).peak_rss_MB);
        row.peak_rss_spread_MB = Math.max(...peaks) - Math.min(...peaks);
        matrix[backend] = row;
      }
      results.ab_backends = {
        ...matrix,
        baseline:
          "local vs raw file copy (fsync); supabase vs one raw streamed upload to the stand-in",
        statistic: `${PAIRS} pairs (raw, ingest) back to back; peak RSS the highest, the rest medians`,
        targets: "peak_rss_MB <= 150, spread <= 5 MB, ratio_vs_raw >= 0.85 (1 GiB)",
      };
    }

    // (c) ------------------------------------------------------------------------------------
    if (parts.includes("c")) {
      const child = await startIngester("local");
      const jobIds: string[] = [];
      for (let i = 0; i < 200; i++) {
        sim.registerJob(`bench-lat-${i}`, { adapterSizeBytes: 2048, includeChecksums: true });
        jobIds.push(await completeJob(`bench-lat-${i}`));
        // A steady 10 completions per second: latency, not a saturated backlog.
        await sleep(100);
      }
      await waitDone(jobIds);
      const latencies = (
        await sql<{ ms: number }[]>`
          select extract(epoch from (a.stored_at - j.completed_at)) * 1000 as ms
            from model_artifacts a join training_jobs j on j.id = a.job_id
           where a.job_id = any(${sql.array(jobIds)}::uuid[])`
      )
        .map((row) => Number(row.ms))
        .sort((x, y) => x - y);
      const pct = (p: number) =>
        Math.round(
          latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!,
        );
      results.c_latency_ms = {
        jobs: latencies.length,
        p50: pct(50),
        p90: pct(90),
        p99: pct(99),
        max: Math.round(latencies.at(-1)!),
        target: "p50 <= 250, p99 <= 1000",
      };
      console.log(JSON.stringify({ c_latency_ms: results.c_latency_ms }));
      await stop(child);
    }

    // (d) ------------------------------------------------------------------------------------
    if (parts.includes("d")) {
      const concurrent: Record<string, unknown> = {};
      for (const backend of BACKENDS) {
        const child = await startIngester(backend);
        const started = performance.now();
        const jobIds: string[] = [];
        for (let i = 0; i < 4; i++) {
          const externalJobId = `bench-concurrent-${backend}-${i}`;
          sim.registerJob(externalJobId, { adapterSizeBytes: 256 * MiB, includeChecksums: false });
          jobIds.push(await completeJob(externalJobId));
        }
        await waitDone(jobIds);
        const ms = performance.now() - started;
        const peak = await hwm(child.pid);
        await stop(child);
        await removeStored(backend, jobIds);
        concurrent[backend] = { MiB_per_s: round(mbps(4 * 256 * MiB, ms)), peak_rss_MB: peak };
        console.log(JSON.stringify({ d_concurrent: backend, ...(concurrent[backend] as object) }));
      }
      results.d_four_256MiB_jobs_at_once = concurrent;
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await close();
    await sim.close();
    await postgres.destroy();
    await rm(base, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ summary: results }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
