import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { onCpus } from "./processes";

const run = promisify(execFile);
const SHOW_CPUS = "grep Cpus_allowed_list /proc/self/status";
const allowedCpus = ([command, args]: [string, string[]]) =>
  run(command, args).then(({ stdout }) => stdout.replace("Cpus_allowed_list:", "").trim());

describe("onCpus", () => {
  it("leaves a command as it is without a CPU list", () => {
    expect(onCpus(undefined, "node", ["server.js"])).toEqual(["node", ["server.js"]]);
  });

  it("runs the command, and what it starts, on the listed CPUs only", async () => {
    // Unpinned, a process may use every CPU (the assertion below is not true by accident).
    if (availableParallelism() > 1)
      expect(await allowedCpus(["sh", ["-c", SHOW_CPUS]])).not.toBe("0");
    expect(await allowedCpus(onCpus("0", "sh", ["-c", SHOW_CPUS]))).toBe("0");
    // What it starts (sh → sh) inherits the list.
    expect(await allowedCpus(onCpus("0", "sh", ["-c", `sh -c '${SHOW_CPUS}'`]))).toBe("0");
  });

  it("refuses what is not a CPU list, naming it", () => {
    for (const bad of ["", "a", "0;rm -rf /", "1-", "-1", "0,,1"]) {
      expect(() => onCpus(bad, "node", [])).toThrow(`not a CPU list: ${JSON.stringify(bad)}`);
    }
    expect(onCpus("0,2-3", "node", [])).toEqual(["taskset", ["--cpu-list", "0,2-3", "node"]]);
  });
});
