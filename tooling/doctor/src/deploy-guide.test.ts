/**
 * Walks docs/deploy.md: every ```sh deploy-step block runs, in order, as written, against local
 * stand-ins of a Supabase deployment — a fresh embedded Postgres database reached through
 * Debian's PgBouncer in transaction mode (the "port 6543" pooler) with the direct URL for
 * migrations, a JWKS server, the GPU-cluster simulator — with the ingester built and started
 * (compiled, no loader) by the guide's own commands before the preflight, which must pass.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPair } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { exportJWK } from "jose";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { type PgBouncer, startPgBouncer } from "@mad/db/testing";
import { type GpuClusterSim, startGpuClusterSim } from "@mad/gpu-cluster-sim";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const CLUSTER_KEY = "cluster-key-deploy-0123456789-abcdefgh";

let sim: GpuClusterSim;
let jwks: http.Server;
let pooler: PgBouncer;
let directUrl: string;
let storageDir: string;
let ingester: ChildProcess | undefined;
const databaseName = `deploy_guide_${process.pid}`;

beforeAll(async () => {
  const admin = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${databaseName}`);
  await admin.end();
  const url = new URL(inject("pgAdminUrl"));
  url.pathname = `/${databaseName}`;
  directUrl = url.toString();
  pooler = await startPgBouncer(directUrl, { mode: "transaction" });
  sim = await startGpuClusterSim({ port: 0, apiKey: CLUSTER_KEY });
  const { publicKey } = await promisify(generateKeyPair)("ec", { namedCurve: "P-256" });
  const jwk = { ...(await exportJWK(publicKey)), kid: "deploy", alg: "ES256", use: "sig" };
  jwks = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  storageDir = await mkdtemp(path.join(os.tmpdir(), "mad-deploy-storage-"));
});

afterAll(async () => {
  if (ingester && ingester.exitCode === null) {
    const exited = new Promise((resolve) => ingester?.once("exit", resolve));
    if (ingester.pid) process.kill(-ingester.pid, "SIGTERM");
    await exited;
  }
  await pooler?.stop();
  await sim?.close();
  await new Promise((resolve) => jwks?.close(resolve));
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
  const admin = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
  await admin.end();
});

function deploymentEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    DATABASE_URL: pooler.url,
    DATABASE_POOL_MODE: "transaction",
    DATABASE_DIRECT_URL: directUrl,
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: storageDir,
    STORAGE_SIGNING_SECRET: "deploy-guide-signing-secret-0123456789abcdef",
    PUBLIC_BASE_URL: "https://models.example.com",
    AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    AUTH_JWT_AUDIENCE: "authenticated",
    GPU_CLUSTER_API_URL: sim.url,
    GPU_CLUSTER_API_KEY: CLUSTER_KEY,
  };
}

function run(command: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", command], { cwd: repoRoot, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** The guide's start command for the ingester, started in the background until it is ready. */
async function startIngesterAsTheGuideSays(guide: string, env: NodeJS.ProcessEnv) {
  const line = guide.split("\n").find((l) => l.includes("pnpm --filter @mad/ingester start:prod"));
  if (!line) throw new Error("docs/deploy.md has no ingester start command");
  const command = line.replace(/#.*$/, "").trim();
  // Its own process group: SIGTERM reaches the ingester behind bash and pnpm.
  const child = spawn("bash", ["-c", command], { cwd: repoRoot, env, detached: true });
  ingester = child;
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes('"msg":"ingester ready"')) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`ingester exited (${code}):\n${output}`)));
  });
}

describe("docs/deploy.md", () => {
  it("runs as written against a stand-in Supabase deployment, ending with a passing preflight", async () => {
    const guide = await readFile(path.join(repoRoot, "docs/deploy.md"), "utf8");
    const steps = [...guide.matchAll(/```sh deploy-step\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(steps.length).toBeGreaterThanOrEqual(2);
    const env = deploymentEnv();
    // Every step up to the preflight (migrations, the build); then the processes start; then
    // the preflight, which must find all in order.
    const preflight = steps.at(-1);
    expect(preflight).toBe("pnpm preflight");
    for (const step of steps.slice(0, -1)) {
      const result = await run(step, env);
      expect(result.code, `${step}\n${result.output}`).toBe(0);
    }

    await startIngesterAsTheGuideSays(guide, env);

    const result = await run(preflight!, env);
    expect(result.output, preflight).not.toContain("✘");
    expect(result.code, `${preflight}\n${result.output}`).toBe(0);
  });
});
