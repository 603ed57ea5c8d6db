/**
 * Start-up refuses a deployment that cannot work: server.js with a Supabase key the storage
 * server refuses exits 1 with a message that names the setting, before its port ever opens (it
 * used to listen, answer /healthz and fail each request instead). With WEB_CONCURRENCY=2 the
 * primary stops too rather than restarting the failing workers forever.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

import { findFreePort } from "@mad/db/dev";
import { startSupabaseStandin, type SupabaseStandin } from "@mad/storage/testing";

import { expect, test } from "./fixtures";

const webDir = path.resolve(import.meta.dirname, "..");

/** A JWT that claims the service role but is signed by no key the server knows. */
function forgedServiceRoleKey(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ role: "service_role" })}.${Buffer.alloc(32, 1).toString("base64url")}`;
}

let supabase: SupabaseStandin;
test.beforeAll(async () => {
  supabase = await startSupabaseStandin();
});
test.afterAll(async () => {
  await supabase?.close();
});

for (const workers of [1, 2]) {
  test(`with WEB_CONCURRENCY=${workers} a refused storage key stops the server before it listens`, async ({
    stack,
  }) => {
    test.setTimeout(60_000);
    const key = forgedServiceRoleKey();
    const port = await findFreePort();
    const server: ChildProcess = spawn(process.execPath, ["server.js"], {
      cwd: webDir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        WEB_CONCURRENCY: String(workers),
        DATABASE_URL: stack.databaseUrl,
        STORAGE_BACKEND: "supabase",
        SUPABASE_STORAGE_URL: supabase.url,
        SUPABASE_SERVICE_ROLE_KEY: key,
        AUTH_JWT_SECRET: stack.authJwtSecret,
        SESSION_SECRET: stack.sessionSecret,
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      server.once("exit", (code) => {
        exitCode = code;
        resolve();
      }),
    );
    try {
      // Until it exits, nothing may answer on its port.
      const answers: number[] = [];
      while (exitCode === undefined) {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (response) answers.push(response.status);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
      }
      expect(exitCode).toBe(1);
      expect(answers).toEqual([]);
      expect(output).toContain("The dashboard cannot start.");
      expect(output).toContain("SUPABASE_SERVICE_ROLE_KEY: was refused by the storage server");
      expect(output).not.toContain(key);
      expect(output).not.toContain("starting another");
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
    }
  });
}
