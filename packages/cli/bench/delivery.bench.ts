/**
 * `pnpm --filter @mad/cli bench`: delivery throughput and memory, in one run, against baselines
 * measured in the same run on the same loopback server (the API, the local storage's signed-URL
 * handler and the bundle handler behind one node:http server, a throw-away embedded Postgres):
 *
 * 1. the model's ZIP bundle vs a single-file download of the same large file (curl both;
 *    target ≥ 0.9×);
 * 2. the server's peak RSS growth while serving a 64 MiB vs a 1 GiB bundle (flat: same order);
 * 3. `mad pull` (the bin, a child process) of the 1 GiB model vs `curl` of the same signed URLs
 *    in parallel (target ≥ 0.9×).
 *
 * BENCH_LARGE_MIB (default 1024) and BENCH_SMALL_MIB (64) size the two models.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { createApiHandler, createAuth, createBundleHandler } from "@mad/api";
import { createModelsClient } from "@mad/api/client";
import { serveFetch } from "@mad/api/testing/http-server";
import { type ArtifactFile, createDb, startThrowawayPostgres } from "@mad/db";
import { insertStoredArtifact } from "@mad/db/testing";
import { createLocalDownloadHandler, createLocalStorage } from "@mad/storage";

import { pullModel } from "../src/index";

const run = promisify(execFile);
const LARGE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 1024);
const SMALL_MIB = Number(process.env.BENCH_SMALL_MIB ?? 64);
const bin = fileURLToPath(new URL("../bin/mad.js", import.meta.url));
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const mibps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);

/** Bytes that look random but cost nothing to make: one random MiB repeated. */
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

/** Seconds curl took to fetch `url` into `out` (default /dev/null). */
async function curl(url: string, out = "/dev/null"): Promise<number> {
  const { stdout } = await run("curl", ["-sS", "--fail", "-o", out, "-w", "%{time_total}", url]);
  return Number(stdout) * 1000;
}

/** Peak growth of this process's RSS while `work` runs (sampled every 20 ms). */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(0, Math.max(peak, process.memoryUsage.rss()) - baseline);
}

const best = (values: number[]) => Math.min(...values);

async function main() {
  const work = await mkdtemp(join(tmpdir(), "mad-delivery-bench-"));
  const cluster = await startThrowawayPostgres("mad_delivery_bench");
  const client = createDb(cluster.url, { max: 4, applicationName: "mad-delivery-bench" });
  try {
    const rootDir = join(work, "storage");
    const signingSecret = randomBytes(32).toString("hex");
    const bundleSecret = randomBytes(32).toString("hex");
    const jwtSecret = randomBytes(32).toString("hex");
    const auth = createAuth({ jwtSecret });
    const logger = { error: () => undefined, warn: () => undefined };
    let api: ((request: Request) => Promise<Response>) | null = null;
    let bundles: ((request: Request, id: string) => Promise<Response>) | null = null;
    const download = createLocalDownloadHandler({ rootDir, signingSecret });
    const server = await serveFetch((pathname) => {
      if (pathname.startsWith("/storage/v1/object/sign/")) return download;
      if (pathname.startsWith("/api/trpc")) return api;
      const bundle = /^\/bundles\/([^/]+)\//.exec(pathname);
      return bundle && bundles ? (request) => bundles!(request, bundle[1]!) : null;
    });
    const storage = createLocalStorage({
      rootDir,
      signingSecret,
      publicBaseUrl: server.url,
      bucket: "lora-models",
    });
    const deps = {
      db: client.db,
      storage,
      auth,
      logger,
      bundles: { signingSecret: bundleSecret, baseUrl: server.url },
    };
    api = createApiHandler(deps);
    bundles = createBundleHandler({ ...deps, signingSecret: bundleSecret });

    const userId = randomUUID();
    const token = await auth.mintAccessToken(userId, { expiresInSeconds: 86_400 });
    const models = createModelsClient({ baseUrl: server.url, token });
    async function storedModel(label: string, weightsBytes: number) {
      const folder = `${userId}/${label}`;
      const files: ArtifactFile[] = [];
      for (const [name, size] of [
        ["adapter_model.safetensors", weightsBytes],
        ["adapter_config.json", 512],
        ["training_args.json", 2048],
      ] as const) {
        const put = await storage.put(`${folder}/${name}`, generated(size), {
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
      const { artifact } = await insertStoredArtifact(client.db, { userId, files });
      return artifact.id;
    }

    say(`storing a ${SMALL_MIB} MiB and a ${LARGE_MIB} MiB model…`);
    const small = await storedModel("small", SMALL_MIB * 1024 * 1024);
    const large = await storedModel("large", LARGE_MIB * 1024 * 1024);
    const largeBytes = LARGE_MIB * 1024 * 1024;

    // 1. Bundle vs single file, same server, same client (curl), best of two each.
    const single = (
      await models.models.download.query({ modelId: large, files: ["adapter_model.safetensors"] })
    ).download_urls["adapter_model.safetensors"]!;
    const bundle = await models.models.bundle.query({ modelId: large });
    await curl(single); // warm the page cache
    const singleMs: number[] = [];
    const bundleMs: number[] = [];
    for (let i = 0; i < 2; i++) {
      singleMs.push(await curl(single));
      bundleMs.push(await curl(bundle.url));
    }
    const singleRate = mibps(largeBytes, best(singleMs));
    const bundleRate = mibps(bundle.size_bytes, best(bundleMs));
    say(
      `single file ${singleRate.toFixed(0)} MiB/s, bundle ${bundleRate.toFixed(0)} MiB/s → ${(bundleRate / singleRate).toFixed(2)}× (target ≥ 0.9×)`,
    );

    // 2. Server memory while serving bundles of both sizes (the client is curl, another process).
    const smallBundle = await models.models.bundle.query({ modelId: small });
    const smallGrowth = await peakRssGrowth(() => curl(smallBundle.url));
    const largeGrowth = await peakRssGrowth(() => curl(bundle.url));
    say(
      `server peak RSS growth: ${SMALL_MIB} MiB bundle +${(smallGrowth / 1048576).toFixed(1)} MiB, ${LARGE_MIB} MiB bundle +${(largeGrowth / 1048576).toFixed(1)} MiB`,
    );

    // 3. mad pull (child process: start-up, hashing, verification included) vs curl of the same URLs.
    const urls = (await models.models.download.query({ modelId: large })).download_urls;
    const curlMs: number[] = [];
    const pullMs: number[] = [];
    for (let i = 0; i < 2; i++) {
      const curlDir = await mkdtemp(join(work, "curl-"));
      let started = performance.now();
      await Promise.all(Object.entries(urls).map(([name, url]) => curl(url, join(curlDir, name))));
      curlMs.push(performance.now() - started);
      await rm(curlDir, { recursive: true, force: true });

      const pullDir = join(work, `pull-${i}`);
      started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, "pull", large, "--dir", pullDir, "--json"], {
          env: { PATH: process.env.PATH, MAD_API_URL: server.url, MAD_TOKEN: token },
          stdio: ["ignore", "ignore", "inherit"],
        });
        child.on("exit", (code) =>
          code === 0 ? resolve() : reject(new Error(`mad pull exited ${code}`)),
        );
      });
      pullMs.push(performance.now() - started);
      await rm(pullDir, { recursive: true, force: true });
    }
    // The library in this process: the same work without the bin's start-up.
    const libraryDir = join(work, "library");
    const libraryStarted = performance.now();
    await pullModel(models, large, libraryDir);
    const libraryMs = performance.now() - libraryStarted;
    await rm(libraryDir, { recursive: true, force: true });
    const total = Object.keys(urls).length;
    say(
      `${LARGE_MIB} MiB model (${total} files): curl ${mibps(largeBytes, best(curlMs)).toFixed(0)} MiB/s, mad pull ${mibps(largeBytes, best(pullMs)).toFixed(0)} MiB/s → ${(best(curlMs) / best(pullMs)).toFixed(2)}× (target ≥ 0.9×; mad includes its start-up and the sha256 of every byte)`,
    );
    say(
      `pullModel in this process (no start-up; shares the CPU with the server): ${mibps(largeBytes, libraryMs).toFixed(0)} MiB/s → ${(best(curlMs) / libraryMs).toFixed(2)}× curl`,
    );
    await server.close();
  } finally {
    await client.close();
    await cluster.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
