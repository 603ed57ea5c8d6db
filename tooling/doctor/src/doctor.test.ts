/**
 * The preflight against real parts: a migrated embedded Postgres with pg-boss's queue, Debian's
 * PgBouncer, the GPU-cluster simulator, a JWKS server on loopback and local storage — first
 * healthy, then with one setting broken at a time, each giving the right failure and fix and
 * never a secret.
 */
import { execFile } from "node:child_process";
import { generateKeyPair } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { exportJWK } from "jose";
import { PgBoss } from "pg-boss";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import {
  createTestDatabase,
  type PgBouncer,
  startPgBouncer,
  type TestDatabase,
} from "@mad/db/testing";
import { type GpuClusterSim, startGpuClusterSim } from "@mad/gpu-cluster-sim";
import { startSupabaseStandin, type SupabaseStandin } from "@mad/storage/testing";

import type { CheckResult } from "./check";
import { checkClock } from "./checks/clock";
import { CHECK_NAMES, runDoctor } from "./run-doctor";

const CLUSTER_KEY = "cluster-key-0123456789-abcdefghij-SECRET";
const JWT_SECRET = "jwt-secret-0123456789-abcdefghijklmnop-SECRET";
const SIGNING_SECRET = "signing-secret-0123456789-abcdefghijkl-SECRET";

let database: TestDatabase;
let sim: GpuClusterSim;
let jwks: http.Server;
let jwksUrl: string;
let storageDir: string;
let pooler: PgBouncer;
let supabase: SupabaseStandin;

beforeAll(async () => {
  database = await createTestDatabase();
  const boss = new PgBoss({ connectionString: database.url, schema: "pgboss" });
  boss.on("error", () => {});
  await boss.start();
  await boss.createQueue("artifact-ingestion", { policy: "exclusive" });
  await boss.stop({ graceful: false });
  sim = await startGpuClusterSim({ port: 0, apiKey: CLUSTER_KEY });
  const { publicKey } = await promisify(generateKeyPair)("ec", { namedCurve: "P-256" });
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  jwks = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
  storageDir = await mkdtemp(path.join(os.tmpdir(), "mad-doctor-storage-"));
  pooler = await startPgBouncer(database.url, { mode: "transaction" });
  supabase = await startSupabaseStandin({
    buckets: ["lora-models", "shared-public"],
    publicBuckets: ["shared-public"],
  });
});

afterAll(async () => {
  await pooler?.stop();
  await supabase?.close();
  await sim?.close();
  await new Promise((resolve) => jwks?.close(resolve));
  await database?.drop();
  if (storageDir) await rm(storageDir, { recursive: true, force: true });
});

function healthyEnv(): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: database.url,
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: storageDir,
    STORAGE_SIGNING_SECRET: SIGNING_SECRET,
    PUBLIC_BASE_URL: "https://models.example.com",
    AUTH_JWT_SECRET: JWT_SECRET,
    AUTH_JWKS_URL: jwksUrl,
    GPU_CLUSTER_API_URL: sim.url,
    GPU_CLUSTER_API_KEY: CLUSTER_KEY,
  };
}

// The test database's password is a plain word ("postgres", like its user): look for it where
// a URL would carry it.
const secrets = () => [
  CLUSTER_KEY,
  JWT_SECRET,
  SIGNING_SECRET,
  `:${new URL(database.url).password}@`,
];

function byName(results: CheckResult[], name: string): CheckResult {
  const found = results.find((result) => result.name === name);
  if (!found) throw new Error(`no check named ${name}: ${results.map((r) => r.name).join(", ")}`);
  return found;
}

function expectNoSecret(text: string) {
  for (const secret of secrets()) expect(text).not.toContain(secret);
}

describe("pnpm doctor on a healthy deployment", () => {
  it("passes every check, exits 0 and prints no secret", async () => {
    const cli = path.join(import.meta.dirname, "cli.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", cli], {
      env: { PATH: process.env.PATH ?? "", ...healthyEnv() },
    });
    expect(stdout).toContain("All 10 checks passed.");
    for (const name of CHECK_NAMES.slice(1)) {
      expect(stdout).toMatch(new RegExp(`✔ ${name}: `));
    }
    expectNoSecret(stdout);
  });
});

describe("pnpm doctor on broken settings", () => {
  it("exits 1 and prints the fix when a setting is wrong", async () => {
    const cli = path.join(import.meta.dirname, "cli.ts");
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", cli], {
      env: { PATH: process.env.PATH ?? "", ...healthyEnv(), GPU_CLUSTER_API_KEY: "wrong-key" },
    });
    await expect(run).rejects.toMatchObject({ code: 1 });
    const { stdout } = await run.catch((error: { stdout: string }) => error);
    expect(stdout).toMatch(/✘ GPU cluster reachable with the key: the cluster refused the key/);
    expect(stdout).toMatch(/fix: set GPU_CLUSTER_API_KEY/);
    expect(stdout).toContain("1 of 10 checks failed.");
  });

  it("a missing variable fails the environment check by name and skips the rest", async () => {
    const { GPU_CLUSTER_API_KEY: _dropped, ...env } = healthyEnv();
    const results = await runDoctor(env);
    expect(byName(results, "environment valid")).toMatchObject({ status: "fail" });
    expect(byName(results, "environment valid").detail).toContain("GPU_CLUSTER_API_KEY");
    expect(results.filter((r) => r.status === "skip")).toHaveLength(9);
  });

  it("a wrong database password: unreachable, the password never shown", async () => {
    const url = new URL(database.url);
    url.password = "not-the-password-SECRET";
    const results = await runDoctor({ ...healthyEnv(), DATABASE_URL: url.toString() });
    const check = byName(results, "database reachable");
    expect(check.status).toBe("fail");
    expect(check.fix).toMatch(/DATABASE_URL/);
    expect(JSON.stringify(results)).not.toContain("not-the-password-SECRET");
    expect(byName(results, "migrations applied").status).toBe("skip");
  });

  it("an empty database: every migration missing, by name, and no queue", async () => {
    const admin = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
    const name = `doctor_empty_${process.pid}`;
    await admin.unsafe(`create database ${name}`);
    try {
      const url = new URL(database.url);
      url.pathname = `/${name}`;
      const results = await runDoctor({ ...healthyEnv(), DATABASE_URL: url.toString() });
      const migrations = byName(results, "migrations applied");
      expect(migrations.status).toBe("fail");
      expect(migrations.detail).toMatch(/0 of \d+ migrations applied; missing: 0000_extensions/);
      expect(migrations.fix).toMatch(/pnpm db:migrate/);
      expect(byName(results, "ingestion queue present")).toMatchObject({ status: "fail" });
      expect(byName(results, "ingestion queue present").fix).toMatch(/start one ingester/);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it("a transaction pooler configured as a session: pool mode fails with the variables to set", async () => {
    const results = await runDoctor({ ...healthyEnv(), DATABASE_URL: pooler.url });
    const check = byName(results, "pool mode");
    expect(check.status).toBe("fail");
    expect(check.fix).toMatch(/DATABASE_POOL_MODE=transaction and DATABASE_DIRECT_URL/);
    const configured = await runDoctor({
      ...healthyEnv(),
      DATABASE_URL: pooler.url,
      DATABASE_POOL_MODE: "transaction",
      DATABASE_DIRECT_URL: database.url,
    });
    expect(byName(configured, "pool mode").status).toBe("pass");
    expect(byName(configured, "migrations applied").status).toBe("pass");
  });

  it("an unreachable JWKS fails token verification", async () => {
    const results = await runDoctor({
      ...healthyEnv(),
      AUTH_JWKS_URL: "http://127.0.0.1:9/auth/v1/.well-known/jwks.json",
    });
    expect(byName(results, "token verification configured")).toMatchObject({ status: "fail" });
    expect(byName(results, "token verification configured").fix).toMatch(/AUTH_JWKS_URL/);
  });

  it("an unwritable storage folder fails the storage check", async () => {
    const file = path.join(storageDir, "not-a-folder");
    await writeFile(file, "x");
    const results = await runDoctor({ ...healthyEnv(), LOCAL_STORAGE_DIR: file });
    const check = byName(results, "storage reachable with the service role");
    expect(check.status).toBe("fail");
    expect(check.fix).toMatch(/LOCAL_STORAGE_DIR/);
  });

  it("an unreachable cluster fails with the URL to check", async () => {
    const results = await runDoctor({ ...healthyEnv(), GPU_CLUSTER_API_URL: "http://127.0.0.1:9" });
    expect(byName(results, "GPU cluster reachable with the key").fix).toMatch(
      /GPU_CLUSTER_API_URL/,
    );
  });
});

describe("the clock check", () => {
  it("passes small differences and fails a host two minutes off, saying which way", () => {
    expect(checkClock([{ source: "the database", offsetMs: 800 }], 30).status).toBe("pass");
    const off = checkClock(
      [
        { source: "the database", offsetMs: 200 },
        { source: "storage", offsetMs: -120_000 },
      ],
      30,
    );
    expect(off).toMatchObject({ status: "fail" });
    expect(off.detail).toBe("this host's clock is 120 s ahead of storage");
  });
});

describe("the storage checks against the Supabase stand-in", () => {
  const supabaseEnv = (overrides: NodeJS.ProcessEnv = {}) => ({
    ...healthyEnv(),
    STORAGE_BACKEND: "supabase",
    SUPABASE_STORAGE_URL: supabase.url,
    SUPABASE_SERVICE_ROLE_KEY: supabase.serviceRoleKey,
    ...overrides,
  });

  it("pass with the service role key and a private bucket, printing no key", async () => {
    const results = await runDoctor(supabaseEnv());
    expect(byName(results, "storage reachable with the service role").status).toBe("pass");
    expect(byName(results, "bucket present and private").status).toBe("pass");
    expect(JSON.stringify(results)).not.toContain(supabase.serviceRoleKey);
  });

  it("refuse the anon key, naming the variable", async () => {
    const results = await runDoctor(supabaseEnv({ SUPABASE_SERVICE_ROLE_KEY: supabase.anonKey }));
    const check = byName(results, "storage reachable with the service role");
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/SUPABASE_SERVICE_ROLE_KEY.*anon/);
    expect(JSON.stringify(results)).not.toContain(supabase.anonKey);
  });

  it("refuse a public bucket and a missing one", async () => {
    const open = await runDoctor(supabaseEnv({ STORAGE_BUCKET: "shared-public" }));
    expect(byName(open, "bucket present and private")).toMatchObject({ status: "fail" });
    expect(byName(open, "bucket present and private").detail).toMatch(/public/);
    const missing = await runDoctor(supabaseEnv({ STORAGE_BUCKET: "no-such-bucket" }));
    expect(byName(missing, "bucket present and private").detail).toMatch(/does not exist/);
  });
});
