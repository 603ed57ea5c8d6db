import { type ChildProcess, fork } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PROCESS_ENTRY = fileURLToPath(new URL("./postgres-process.mjs", import.meta.url));
/** How long a stop may take before the supervisor is killed outright. */
const STOP_TIMEOUT_MS = 30_000;
/** Written into a throw-away folder so a later run can tell whether its owner still lives. */
export const SUPERVISOR_PID_FILE = "supervisor.pid";

export interface SupervisorOptions {
  dataDir: string;
  port: number;
  user: string;
  password: string;
  ephemeral: boolean;
  removeOnExit: string | null;
  onLog: (line: string) => void;
}

type ChildMessage =
  | { type: "log"; line: string }
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "stopped" };

/**
 * Forks ./postgres-process.mjs, waits until its Postgres accepts connections and returns a
 * `stop()` that shuts it down and waits for the supervisor to exit. The child holds no reference
 * on this process's event loop: when this process ends without calling stop(), the child sees its
 * IPC channel close and stops Postgres itself.
 */
export async function superviseEmbeddedPostgres(
  options: SupervisorOptions,
): Promise<{ stop: () => Promise<void> }> {
  const { onLog, ...childOptions } = options;
  const child = fork(PROCESS_ENTRY, [JSON.stringify(childOptions)], {
    // No loaders or flags of this process (vitest's, tsx's): the child is plain JavaScript.
    execArgv: [],
    // Its own process group: a Ctrl-C reaches this process, which stops things in order.
    detached: true,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    onLog(line);
  };
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    for (const line of chunk.split("\n")) if (line.trim()) remember(line);
  });
  child.on("message", (message: ChildMessage) => {
    if (message.type === "log") remember(message.line);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  if (options.removeOnExit && child.pid) {
    await writeFile(path.join(options.removeOnExit, SUPERVISOR_PID_FILE), `${child.pid}\n`);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (reason: string) =>
        reject(
          new Error(
            `Embedded Postgres did not start on port ${options.port} with data in ${options.dataDir}: ${reason}` +
              (recent.length > 0 ? `\n${recent.join("\n")}` : ""),
          ),
        );
      child.on("message", (message: ChildMessage) => {
        if (message.type === "ready") resolve();
        if (message.type === "failed") fail(message.message);
      });
      child.once("exit", (code, signal) =>
        fail(`its supervisor exited (${signal ?? `code ${code}`})`),
      );
      child.once("error", (error) => fail(error.message));
    });
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }

  release(child);
  let stopping: Promise<void> | null = null;
  return {
    stop: () => (stopping ??= stopChild(child, exited)),
  };
}

/** Lets this process end while the child still runs (the child then stops on its own). */
function release(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Hold this process open until the child has really gone.
  child.ref();
  child.channel?.ref();
  if (child.connected) child.send({ type: "stop" });
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
