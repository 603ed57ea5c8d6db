/**
 * A second production server.js on the e2e stack's database and secrets (the browser tests'
 * own server keeps running): for what only a whole process shows — start-up refusals, draining.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

import { findFreePort } from "@mad/db/dev";

import type { StackInfo } from "./stacks";

const webDir = path.resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  /** Its exit code once it has exited. */
  exited: Promise<number | null>;
  /** SIGKILL to its whole process group (cluster workers too) if it is still running. */
  kill: () => void;
}

export async function startServerProcess(
  stack: StackInfo,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["server.js"], {
    cwd: webDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: stack.databaseUrl,
      LOCAL_STORAGE_DIR: stack.storageDir,
      STORAGE_SIGNING_SECRET: stack.storageSigningSecret,
      AUTH_JWT_SECRET: stack.authJwtSecret,
      SESSION_SECRET: stack.sessionSecret,
      PUBLIC_BASE_URL: origin,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: a test that gives up on it also stops its cluster workers.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    child,
    origin,
    output: () => output,
    exited,
    kill: () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone, workers and all.
      }
    },
  };
}
