import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { repoRoot, type TestedPackage } from "./workspace";

const PLANTED = "test-guard.deliberately-failing";
const FAILING_TEST = `import { expect, test } from "vitest";

test("deliberately fails (planted by tooling/test-guard)", () => {
  expect(1).toBe(2);
});
`;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command in its own process group; `interrupt` may signal the group while it runs. */
function run(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    interrupt?: (group: number) => Promise<void>;
  },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, FORCE_COLOR: "0", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, output }));
    if (options.interrupt && child.pid) options.interrupt(child.pid).catch(reject);
  });
}

/** Writes `file`, runs `body`, and removes the file again whatever happens (Ctrl-C included). */
async function withPlantedFile<T>(file: string, content: string, body: () => Promise<T>) {
  const remove = () => rm(file, { force: true });
  const onSignal = () => void remove().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  await writeFile(file, content);
  try {
    return await body();
  } finally {
    await remove();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function verdict(result: RunResult, expectInOutput: RegExp): string | null {
  if (result.code === 0) {
    return `exited 0 with a failing test inside:\n${result.output.slice(-2000)}`;
  }
  if (!expectInOutput.test(result.output)) {
    return `exited ${result.code ?? result.signal} without reporting the planted failure:\n${result.output.slice(-2000)}`;
  }
  return null;
}

/** The package's own `vitest run` (its config, its global setup) on a planted failing test. */
export async function checkVitest(pkg: TestedPackage): Promise<string | null> {
  const relative = path.join(pkg.testDir, `${PLANTED}.test.ts`);
  return withPlantedFile(path.join(pkg.dir, relative), FAILING_TEST, async () =>
    verdict(await run("pnpm", ["exec", "vitest", "run", relative], { cwd: pkg.dir }), /1 failed/),
  );
}

/** `turbo run test` as the test command calls it, on a package whose tests use Postgres. */
export async function checkTurbo(): Promise<string | null> {
  const file = path.join(repoRoot, "packages/db/src", `${PLANTED}.test.ts`);
  return withPlantedFile(file, FAILING_TEST, async () =>
    verdict(
      await run(
        "pnpm",
        ["exec", "turbo", "run", "test", "--filter=@mad/db", "--force", "--output-logs=full"],
        { cwd: repoRoot },
      ),
      /1 failed/,
    ),
  );
}

const SLOW_TEST = `import { test } from "vitest";
import { createTestDatabase } from "../testing";

test("waits to be interrupted (planted by tooling/test-guard)", async () => {
  const database = await createTestDatabase();
  try {
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  } finally {
    await database.drop();
  }
}, 120_000);
`;

async function throwawayFolders(): Promise<string[]> {
  return (await readdir(os.tmpdir())).filter((name) => name.startsWith("mad-pg-"));
}

/**
 * Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while a test holds a
 * database: afterwards no Postgres of that run is running and its data folder is gone.
 */
export async function checkInterruptedRun(): Promise<string | null> {
  const dir = path.join(repoRoot, "packages/db");
  const relative = path.join("src", `${PLANTED}-slow.test.ts`);
  const before = new Set(await throwawayFolders());
  let folder: string | null = null;
  return withPlantedFile(path.join(dir, relative), SLOW_TEST, async () => {
    const result = await run("pnpm", ["exec", "vitest", "run", relative], {
      cwd: dir,
      interrupt: async (group) => {
        // Wait until this run's Postgres is up (its postmaster.pid exists), then press Ctrl-C.
        for (let waited = 0; waited < 60_000; waited += 200) {
          const mine = (await throwawayFolders()).find((name) => !before.has(name));
          if (mine && existsSync(path.join(os.tmpdir(), mine, "data", "postmaster.pid"))) {
            folder = path.join(os.tmpdir(), mine);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        process.kill(-group, "SIGINT");
      },
    });
    if (!folder) return `the run never started its Postgres:\n${result.output.slice(-2000)}`;
    if (result.code === 0) return "an interrupted run exited 0";
    // The supervisor finishes its cleanup moments after the runner exits.
    for (let waited = 0; waited < 20_000 && existsSync(folder); waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (existsSync(folder)) return `its data folder ${folder} is still there`;
    const running = await run("pgrep", ["-f", folder], { cwd: repoRoot });
    if (running.code === 0) return `a Postgres of ${folder} still runs: ${running.output.trim()}`;
    return null;
  });
}

/** The Playwright suite's runner and config (global setup starts the real stack). */
export async function checkPlaywright(): Promise<string | null> {
  const dir = path.join(repoRoot, "apps/web");
  const file = path.join(dir, "e2e", `${PLANTED}.spec.ts`);
  const spec = `import { expect, test } from "@playwright/test";

test("deliberately fails (planted by tooling/test-guard)", () => {
  expect(1).toBe(2);
});
`;
  return withPlantedFile(file, spec, async () =>
    verdict(
      await run("pnpm", ["exec", "playwright", "test", `${PLANTED}.spec.ts`], {
        cwd: dir,
        env: { E2E_SKIP_BUILD: "1" },
      }),
      /1 failed/,
    ),
  );
}
