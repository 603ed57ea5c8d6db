/**
 * `pnpm --filter @mad/web bench:bundle`: delivery through the real dashboard server (production
 * build, server.js, one process) on a throw-away stack, in one run, against baselines measured
 * in the same run on the same server:
 *
 * 1. a model's ZIP bundle vs a single-file download of the same large file (curl both; target
 *    ≥ 0.9×);
 * 2. the server process's peak RSS growth while serving a 64 MiB vs a 1 GiB bundle to a client
 *    that reads at BENCH_SLOW_MIBPS (default 100 MiB/s: slower than the disk, so a server that
 *    ignored back-pressure would hold the difference in memory), and beside them a plain
 *    download of the 1 GiB bundle's big file at the same rate;
 * 3. `mad pull` (the CLI's bin, a child process, running the CLI's build as a user's would after
 *    `pnpm --filter @mad/cli build`) of the 1 GiB model vs `curl` of the same signed URLs in
 *    parallel (target ≥ 0.9×), and beside them the floor of any Node client here
 *    (bench/node-download.ts: the same URLs written to disk with nothing else done), which says
 *    how much of the gap is Node's and how much is `mad pull`'s.
 *
 * BENCH_LARGE_MIB (1024) and BENCH_SMALL_MIB (64) size the two models; BENCH_SKIP_BUILD=1 reuses
 * the last builds.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { createAuth } from "@mad/api";
import { createModelsClient } from "@mad/api/client";
import { type ArtifactFile, createDb, DEMO_USERS } from "@mad/db";
import { insertStoredArtifact } from "@mad/db/testing";
import { type SeedFunction, startStack } from "@mad/dev-stack";

import { benchStackOptions, stackStorage } from "../e2e/support/stacks";

const run = promisify(execFile);
const LARGE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 1024);
const SMALL_MIB = Number(process.env.BENCH_SMALL_MIB ?? 64);
const SLOW_MIBPS = Number(process.env.BENCH_SLOW_MIBPS ?? 100);
const nodeDownload = fileURLToPath(new URL("./node-download.ts", import.meta.url));
const madBin = join(
  dirname(createRequire(import.meta.url).resolve("@mad/cli/package.json")),
  "bin/mad.js",
);
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const mibps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);
const best = (values: number[]) => Math.min(...values);
const [ada] = DEMO_USERS;

/** Bytes that cost nothing to make: one random MiB repeated. */
function generated(sizeBytes: number): Readable {
  const block = randomBytes(1024 * 1024);
  let left = sizeBytes;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const chunk = block.subarray(0, Math.min(block.length, left));
      left -= chunk.length;
      this.push(chunk);
    },
  });
}

const modelIds: Record<"small" | "large", string> = { small: "", large: "" };

/** Two stored models of Ada's, their files written through the storage code. */
const seedTwoModels: SeedFunction = async (stack) => {
  const client = createDb(stack.databaseUrl, { max: 2, applicationName: "mad-bench-seed" });
  const storage = stackStorage(stack);
  try {
    for (const [label, mib] of [
      ["small", SMALL_MIB],
      ["large", LARGE_MIB],
    ] as const) {
      const files: ArtifactFile[] = [];
      for (const [name, size] of [
        ["adapter_model.safetensors", mib * 1024 * 1024],
        ["adapter_config.json", 512],
        ["training_args.json", 2048],
      ] as const) {
        const put = await storage.put(`${ada.id}/bench-${label}/${name}`, generated(size), {
          contentType: "application/octet-stream",
        });
        files.push({
          name,
          storage_path: put.path,
          size_bytes: put.sizeBytes,
          sha256: put.sha256,
          crc32: put.crc32,
          content_type: "application/octet-stream",
        });
      }
      const { artifact } = await insertStoredArtifact(client.db, { userId: ada.id, files });
      modelIds[label] = artifact.id;
    }
  } finally {
    await client.close();
  }
};

async function curl(url: string, options: { out?: string; limitMiBps?: number } = {}) {
  const args = ["-sS", "--fail", "-o", options.out ?? "/dev/null", "-w", "%{time_total}"];
  if (options.limitMiBps) args.push("--limit-rate", `${options.limitMiBps}M`);
  const { stdout } = await run("curl", [...args, url]);
  return Number(stdout) * 1000;
}

/** The pid of the process listening on `port` (the dashboard; one process with WEB_CONCURRENCY=1). */
async function listenerPid(port: number): Promise<number> {
  const { stdout } = await run("ss", ["-ltnpH", `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`no process found listening on port ${port}`);
  return Number(pid);
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function peakRssGrowth(pid: number, work: () => Promise<unknown>): Promise<number> {
  const baseline = await rssBytes(pid);
  let peak = baseline;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssBytes(pid));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    await work();
  } finally {
    sampling = false;
    await sampler;
  }
  return Math.max(0, peak - baseline);
}

async function main() {
  if (process.env.BENCH_SKIP_BUILD !== "1") await run("pnpm", ["--filter", "@mad/cli", "build"]);
  const stack = await startStack({
    ...benchStackOptions({
      reuseBuild: process.env.BENCH_SKIP_BUILD === "1",
      webEnv: { WEB_CONCURRENCY: "1" },
    }),
    seed: seedTwoModels,
  });
  const work = await mkdtemp(join(tmpdir(), "mad-web-delivery-bench-"));
  try {
    const token = await createAuth({ jwtSecret: stack.secrets.AUTH_JWT_SECRET }).mintAccessToken(
      ada.id,
      { expiresInSeconds: 86_400 },
    );
    const api = createModelsClient({ baseUrl: stack.webUrl, token });
    const pid = await listenerPid(Number(new URL(stack.webUrl).port));
    const largeBytes = LARGE_MIB * 1024 * 1024;

    const single = (
      await api.models.download.query({
        modelId: modelIds.large,
        files: ["adapter_model.safetensors"],
      })
    ).download_urls["adapter_model.safetensors"]!;
    const bundle = await api.models.bundle.query({ modelId: modelIds.large });
    await curl(single); // page cache and JIT warm
    await curl(bundle.url);
    const singleMs: number[] = [];
    const bundleMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      singleMs.push(await curl(single));
      bundleMs.push(await curl(bundle.url));
    }
    const singleRate = mibps(largeBytes, best(singleMs));
    const bundleRate = mibps(bundle.size_bytes, best(bundleMs));
    say(
      `through the dashboard server: single file ${singleRate.toFixed(0)} MiB/s, bundle ${bundleRate.toFixed(0)} MiB/s → ${(bundleRate / singleRate).toFixed(2)}× (target ≥ 0.9×; best of 3 each)`,
    );

    const small = await api.models.bundle.query({ modelId: modelIds.small });
    const smallGrowth = await peakRssGrowth(pid, () => curl(small.url, { limitMiBps: SLOW_MIBPS }));
    const largeGrowth = await peakRssGrowth(pid, () =>
      curl(bundle.url, { limitMiBps: SLOW_MIBPS }),
    );
    // The same server's plain download of the bundle's big file, at the same rate: what "flat"
    // can mean for any response of that length from this process.
    const singleGrowth = await peakRssGrowth(pid, () => curl(single, { limitMiBps: SLOW_MIBPS }));
    say(
      `server peak RSS growth, client at ${SLOW_MIBPS} MiB/s: ${SMALL_MIB} MiB bundle +${(smallGrowth / 1048576).toFixed(1)} MiB, ${LARGE_MIB} MiB bundle +${(largeGrowth / 1048576).toFixed(1)} MiB; its big file alone +${(singleGrowth / 1048576).toFixed(1)} MiB`,
    );

    const urls = (await api.models.download.query({ modelId: modelIds.large })).download_urls;
    const curlMs: number[] = [];
    const pullMs: number[] = [];
    const nodeMs: number[] = [];
    for (let i = 0; i < 2; i++) {
      const curlDir = await mkdtemp(join(work, "curl-"));
      let started = performance.now();
      await Promise.all(
        Object.entries(urls).map(([name, url]) => curl(url, { out: join(curlDir, name) })),
      );
      curlMs.push(performance.now() - started);
      await rm(curlDir, { recursive: true, force: true });

      const nodeDir = await mkdtemp(join(work, "node-"));
      const pairs = Object.entries(urls).map(([name, url]) => `${name}=${url}`);
      const { stdout } = await run(process.execPath, [
        "--import",
        "tsx",
        nodeDownload,
        nodeDir,
        ...pairs,
      ]);
      nodeMs.push(Number(stdout));
      await rm(nodeDir, { recursive: true, force: true });

      const pullDir = join(work, `pull-${i}`);
      started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [madBin, "pull", modelIds.large, "--dir", pullDir, "--json"],
          {
            env: {
              NODE_ENV: "production",
              PATH: process.env.PATH,
              MAD_API_URL: stack.webUrl,
              MAD_TOKEN: token,
            },
            stdio: ["ignore", "ignore", "inherit"],
          },
        );
        child.on("exit", (code) =>
          code === 0 ? resolve() : reject(new Error(`mad pull exited with ${code}`)),
        );
      });
      pullMs.push(performance.now() - started);
      await rm(pullDir, { recursive: true, force: true });
    }
    say(
      `${LARGE_MIB} MiB model, ${Object.keys(urls).length} files: curl ${mibps(largeBytes, best(curlMs)).toFixed(0)} MiB/s, mad pull ${mibps(largeBytes, best(pullMs)).toFixed(0)} MiB/s → ${(best(curlMs) / best(pullMs)).toFixed(2)}× (target ≥ 0.9×; mad includes its start-up and the sha256 of every byte; best of 2)`,
    );
    say(
      `the floor of a Node client (node:http → disk, nothing else, start-up left out): ${mibps(largeBytes, best(nodeMs)).toFixed(0)} MiB/s → ${(best(curlMs) / best(nodeMs)).toFixed(2)}× curl; mad pull reaches ${(best(nodeMs) / best(pullMs)).toFixed(2)}× of it`,
    );
  } finally {
    await stack.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
