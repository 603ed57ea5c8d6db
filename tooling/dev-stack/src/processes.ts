import { type ChildProcess, spawn } from "node:child_process";

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop: (graceMs?: number) => Promise<void>;
  exited: Promise<number | null>;
  /** Its last lines of output, kept even when not relayed, to explain an early exit. */
  recentOutput: () => string;
}

/**
 * `command args` run on the given CPUs only (taskset's list: "0", "1-3"), and with it everything
 * it starts; unchanged without a list.
 */
export function onCpus(
  cpus: string | undefined,
  command: string,
  args: string[],
): [command: string, args: string[]] {
  if (cpus === undefined) return [command, args];
  if (!/^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/.test(cpus)) {
    throw new TypeError(`not a CPU list: ${JSON.stringify(cpus)} (expected e.g. "0" or "0,2-3")`);
  }
  return ["taskset", ["--cpu-list", cpus, command, ...args]];
}

/**
 * Runs a workspace command as a child with its output prefixed by `name`, in its own process
 * group so that stopping it also stops what pnpm/tsx started underneath.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; quiet?: boolean },
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const prefix = `[${name}] `;
  const recent: string[] = [];
  const relay = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (!options.quiet) stream.write(prefix + line + "\n");
    }
  };
  child.stdout?.on("data", relay(process.stdout));
  child.stderr?.on("data", relay(process.stderr));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  const signal = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    child,
    exited,
    recentOutput: () => recent.join("\n"),
    stop: async (graceMs = 10_000) => {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects with its name and exit code on failure. */
export async function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; quiet?: boolean },
): Promise<void> {
  const managed = startProcess(name, command, args, options);
  const code = await managed.exited;
  if (code !== 0) {
    throw new Error(`${name} failed (exit code ${String(code)}):\n${managed.recentOutput()}`);
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  {
    timeoutMs = 120_000,
    intervalMs = 250,
    process: watched,
  }: { timeoutMs?: number; intervalMs?: number; process?: ManagedProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (watched && watched.child.exitCode !== null) {
      throw new Error(
        `${watched.name} exited (code ${watched.child.exitCode}) before ${what} was ready:\n${watched.recentOutput()}`,
      );
    }
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

export async function httpAnswers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status < 500;
}
