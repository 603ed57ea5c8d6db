/** Runs every preflight check against a deployment's environment (docs/deploy.md). */
import { type CheckResult, fail, skip } from "./check";
import { checkAuth } from "./checks/auth";
import { checkClock, type ClockSample, offsetFromDateHeader } from "./checks/clock";
import { checkCluster } from "./checks/cluster";
import { checkDatabase } from "./checks/database";
import { checkStorage } from "./checks/storage";
import { readDoctorEnv } from "./env";

export const CHECK_NAMES = [
  "environment valid",
  "database reachable",
  "migrations applied",
  "ingestion queue present",
  "pool mode",
  "storage reachable with the service role",
  "bucket present and private",
  "token verification configured",
  "GPU cluster reachable with the key",
  "clocks in sync",
] as const;

export async function runDoctor(source: NodeJS.ProcessEnv = process.env): Promise<CheckResult[]> {
  const read = readDoctorEnv(source);
  if (!read.ok) {
    return [
      fail(
        "environment valid",
        read.problems.join("; "),
        "set the variables named (docs/deploy.md lists every process's environment)",
      ),
      ...CHECK_NAMES.slice(1).map((name) => skip(name, "the environment is not valid")),
    ];
  }
  const { env } = read;
  const [database, storage, auth, cluster] = await Promise.all([
    checkDatabase(env),
    checkStorage(env),
    checkAuth(env),
    checkCluster(env),
  ]);
  const now = Date.now();
  const samples: ClockSample[] = [];
  if (database.clockOffsetMs !== null) {
    samples.push({ source: "the database", offsetMs: database.clockOffsetMs });
  }
  for (const [source, date] of [
    ["the JWKS server", auth.serverDate],
    ["the GPU cluster", cluster.serverDate],
  ] as const) {
    if (date && !Number.isNaN(date.getTime())) {
      samples.push({ source, offsetMs: offsetFromDateHeader(date, now) });
    }
  }
  return [
    { name: "environment valid", status: "pass", detail: "every variable is valid" },
    ...database.results,
    ...storage.results,
    auth.result,
    cluster.result,
    checkClock(samples, env.DOCTOR_MAX_CLOCK_SKEW_SECONDS),
  ];
}
