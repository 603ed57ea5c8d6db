#!/usr/bin/env -S node --import tsx
/**
 * `pnpm preflight` (`pnpm doctor` is pnpm's own command): checks a deployment's environment end
 * to end and prints a checklist with a fix for each failure; exits 1 when anything failed.
 * `--env-file <path>` adds a file's variables (the environment wins); `--json` prints the
 * results for scripts.
 */
import { parseArgs } from "node:util";

import { doctorEnvSource } from "./env";
import { formatReport } from "./report";
import { runDoctor } from "./run-doctor";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    "env-file": { type: "string" },
  },
});
const results = await runDoctor(doctorEnvSource(values["env-file"]));
process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatReport(results));
process.exitCode = results.some((result) => result.status === "fail") ? 1 : 0;
