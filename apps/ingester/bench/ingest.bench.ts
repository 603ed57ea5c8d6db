/**
 * `pnpm --filter @mad/ingester bench` — not a test: prints figures.
 *
 * (a) copy throughput of a 1 GiB adapter through the ingester's copy path (cluster client →
 *     safetensors validation → storage.put with sha256 + fsync into local storage) against a raw
 *     loopback copy of the same bytes (HTTP GET piped to a file); target ratio ≥ 0.8.
 * (b) peak RSS (VmHWM) of an ingester process ingesting a 64 MiB vs a 1 GiB adapter; target
 *     ≤ 150 MB and about equal.
 * (c) completion → stored latency over 200 small jobs (clock_timestamp() at the completing UPDATE
 *     → stored_at of the artifact); targets p50 ≤ 250 ms, p99 ≤ 1 s.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { setTimeout as sleep } from "node:timers/promises";

import { createDb, DEMO_USERS } from "@mad/db";
import { startThrowawayPostgres } from "@mad/db/dev";
import { insertDataset } from "@mad/db/testing";
import { startGpuClusterSim } from "@mad/gpu-cluster-sim";
import { createStorage } from "@mad/storage";

import { createClusterClient } from "../src/cluster";
import { copyArtifactFiles } from "../src/copy/copy-files";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const API_KEY = "bench-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const USER = DEMO_USERS[0].id;
const packageDir = path.resolve(import.meta.dirname, "..");

const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function main(): Promise<void> {
  const base = await mkdtemp(path.join(os.tmpdir(), "mad-ingester-bench-"));
  const cluster = await startThrowawayPostgres("bench");
  const sim = await startGpuClusterSim({ port: 0, apiKey: API_KEY });
  const storageRoot = path.join(base, "storage");
  const storage = createStorage({
    backend: "local",
    rootDir: storageRoot,
    signingSecret: "b".repeat(40),
    publicBaseUrl: "http://localhost:3000",
  });
  const results: Record<string, unknown> = {};
  const parts = process.env.BENCH_PARTS ?? "abc";
  const children: ChildProcess[] = [];
  try {
    // (a) ------------------------------------------------------------------------------------
    if (parts.includes("a")) {
      sim.registerJob("bench-1g", { adapterSizeBytes: GiB, includeChecksums: false });
      const client = createClusterClient({ baseUrl: sim.url, apiKey: API_KEY });
      const listing = await client.getArtifactListing("bench-1g");
      const adapter = listing.files.find((file) => file.name === "adapter_model.safetensors")!;
      const rawRuns: number[] = [];
      const rawSyncedRuns: number[] = [];
      const ingestRuns: number[] = [];
      const rawCopy = async (file: string, fsync: boolean) => {
        const started = performance.now();
        const response = await fetch(adapter.url);
        // `flush: true` fsyncs before close, as the local storage backend does for durability.
        await pipeline(
          Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
          createWriteStream(file, { flush: fsync }),
        );
        const elapsed = performance.now() - started;
        await rm(file);
        return elapsed;
      };
      for (let run = 0; run < 2; run++) {
        rawRuns.push(await rawCopy(path.join(base, `raw-${run}.bin`), false));
        rawSyncedRuns.push(await rawCopy(path.join(base, `raw-sync-${run}.bin`), true));
        const started = performance.now();
        await copyArtifactFiles({
          cluster: client,
          storage,
          folder: `${USER}/bench-${run}/`,
          files: [adapter],
          fileRetries: 0,
        });
        ingestRuns.push(performance.now() - started);
        await rm(path.join(storageRoot, "lora-models", USER, `bench-${run}`), {
          recursive: true,
          force: true,
        });
      }
      const raw = mbps(GiB, Math.min(...rawRuns));
      const rawSynced = mbps(GiB, Math.min(...rawSyncedRuns));
      const ingest = mbps(GiB, Math.min(...ingestRuns));
      results.a_copy_1GiB = {
        raw_loopback_MiB_per_s: Math.round(raw),
        raw_loopback_fsync_MiB_per_s: Math.round(rawSynced),
        ingester_copy_MiB_per_s: Math.round(ingest),
        ratio: Number((ingest / raw).toFixed(2)),
        ratio_vs_fsynced_raw: Number((ingest / rawSynced).toFixed(2)),
        target: "ratio >= 0.8",
      };
      console.log(JSON.stringify({ a_copy_1GiB: results.a_copy_1GiB }));
    }

    // (b) + (c) ------------------------------------------------------------------------------
    const { db, sql, close } = createDb(cluster.url, { max: 4 });
    const dataset = await insertDataset(db, { userId: USER, name: "Bench set" });
    const env = {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: cluster.url,
      GPU_CLUSTER_API_URL: sim.url,
      GPU_CLUSTER_API_KEY: API_KEY,
      LOCAL_STORAGE_DIR: storageRoot,
      STORAGE_SIGNING_SECRET: "b".repeat(40),
      LOG_LEVEL: "warn",
      INGEST_RETRY_DELAY_SECONDS: "0",
      INGESTER_CONCURRENCY: "4",
    };
    const startIngester = async () => {
      const child = spawn(
        process.execPath,
        ["--max-semi-space-size=1", "--import", "tsx", "src/main.ts"],
        {
          cwd: packageDir,
          env: { ...env, LOG_LEVEL: "info" },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
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
    let jobCounter = 0;
    const completeJob = async (externalJobId: string) => {
      jobCounter += 1;
      const [job] = await sql<{ id: string }[]>`
        insert into training_jobs (user_id, dataset_id, preset_id, status, external_job_id, started_at)
        values (${USER}, ${dataset.id}, 'bench', 'running', ${externalJobId}, now()) returning id`;
      await sql`update training_jobs set status = 'completed', completed_at = clock_timestamp() where id = ${job!.id}`;
      return job!.id;
    };
    const waitStored = async (jobIds: string[]) => {
      for (;;) {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from model_artifacts where job_id = any(${sql.array(jobIds)}::uuid[]) and status <> 'processing'`;
        if (row!.n === jobIds.length) return;
        await sleep(20);
      }
    };

    const peak: Record<string, number> = {};
    const hwm = async (pid: number | undefined) =>
      Math.round(
        Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) /
          1024,
      );
    for (const [label, size] of parts.includes("b")
      ? ([
          ["64MiB", 64 * MiB],
          ["1GiB", GiB],
        ] as const)
      : []) {
      const child = await startIngester();
      peak[`idle_before_${label}`] = await hwm(child.pid);
      sim.registerJob(`bench-rss-${label}`, { adapterSizeBytes: size, includeChecksums: false });
      const jobId = await completeJob(`bench-rss-${label}`);
      await waitStored([jobId]);
      peak[label] = await hwm(child.pid);
      await stop(child);
    }
    results.b_peak_rss_MB = { ...peak, target: "<= 150 MB and equal" };
    console.log(JSON.stringify({ b_peak_rss_MB: results.b_peak_rss_MB }));

    if (!parts.includes("c")) return;
    const child = await startIngester();
    const jobIds: string[] = [];
    for (let i = 0; i < 200; i++) {
      sim.registerJob(`bench-lat-${i}`, { adapterSizeBytes: 2048, includeChecksums: true });
      jobIds.push(await completeJob(`bench-lat-${i}`));
      // A steady 10 completions per second: latency, not a saturated backlog.
      await sleep(100);
    }
    await waitStored(jobIds);
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
    void jobCounter;
    await close();
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await sim.close();
    await cluster.destroy();
    await rm(base, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ summary: results }, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
