/** Runs the load generator (load.ts) as its own process and returns its one JSON result line. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { onCpus } from "@mad/dev-stack";

const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  bytesPerResponse: number;
}

export function runLoad(
  url: string,
  connections: number,
  seconds: number,
  cookie?: string,
  /**
   * paceMs: paced clients (load.ts's LOAD_PACE_MS), one request per client every paceMs.
   * cpus: the CPUs the load generator runs on (taskset's list; default all).
   */
  { paceMs, cpus }: { paceMs?: number; cpus?: string } = {},
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", loadScript, url, String(connections), String(seconds)];
    if (cookie) args.push(cookie);
    const env =
      paceMs === undefined ? process.env : { ...process.env, LOAD_PACE_MS: String(paceMs) };
    const child = spawn(...onCpus(cpus, process.execPath, args), {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1);
      if (code !== 0 || !last) reject(new Error(`load generator exited with ${code}`));
      else resolve(JSON.parse(last) as LoadResult);
    });
  });
}
