import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs `tsx src/cli.ts` the way `pnpm start` does, with only the given environment. */
function runCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts"], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: {
    test: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (text) => {
      const line = JSON.parse(text) as Record<string, unknown>; // every line must be JSON
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    });
  }
  const waitFor = (test: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = lines.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  const exited = once(child, "close") as Promise<[number | null, string | null]>;
  return { child, lines, waitFor, exited };
}

describe("cli", () => {
  it("serves with JSON log lines and exits cleanly on SIGTERM", async () => {
    const key = "cli-test-key-123";
    const cli = runCli({ GPU_CLUSTER_API_KEY: key, GPU_CLUSTER_SIM_PORT: "0" });
    const listening = await cli.waitFor((line) => line.msg === "listening");
    const url = String(listening.url);
    const response = await fetch(`${url}/training/artifacts/cli-job`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const logged = await cli.waitFor((line) => line.msg === "request" && line.route === "listing");
    expect(logged).toMatchObject({
      level: "info",
      status: 200,
      jobId: "cli-job",
      path: "/training/artifacts/cli-job",
    });
    cli.child.kill("SIGTERM");
    const [code] = await cli.exited;
    expect(code).toBe(0);
    expect(JSON.stringify(cli.lines)).not.toContain(key);
  });

  it("refuses to start without GPU_CLUSTER_API_KEY and names it", async () => {
    const cli = runCli({});
    const [code] = await cli.exited;
    expect(code).toBe(1);
    expect(
      cli.lines.some(
        (line) => line.level === "error" && String(line.msg).includes("GPU_CLUSTER_API_KEY"),
      ),
    ).toBe(true);
  });
});
