import { readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { SUPERVISOR_PID_FILE } from "./supervisor";

export const THROWAWAY_PREFIX = "mad-pg-";
/** A folder without a supervisor pid this old was never started and is never going to be. */
const UNCLAIMED_AFTER_MS = 10 * 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readPid(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(file, "utf8")).split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The postmaster of `dataDir`, if it still runs (checked against /proc, not only the pid). */
async function runningPostmaster(dataDir: string): Promise<number | null> {
  const pid = await readPid(path.join(dataDir, "postmaster.pid"));
  if (pid === null || !isAlive(pid)) return null;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(dataDir) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Throw-away clusters whose supervisor died without cleaning up (it was SIGKILLed, or the machine
 * lost power) are found by their folder in the temp dir: their Postgres is shut down and the
 * folder removed, so leftovers of one run never outlive the next.
 */
export async function removeAbandonedThrowawayFolders(tmpDir = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = (await readdir(tmpDir)).filter((name) => name.startsWith(THROWAWAY_PREFIX));
  } catch {
    return removed;
  }
  for (const name of entries) {
    const folder = path.join(tmpDir, name);
    const supervisor = await readPid(path.join(folder, SUPERVISOR_PID_FILE));
    if (supervisor !== null && isAlive(supervisor)) continue;
    if (supervisor === null) {
      const info = await stat(folder).catch(() => null);
      if (!info || Date.now() - info.mtimeMs < UNCLAIMED_AFTER_MS) continue;
    }
    const dataDir = path.join(folder, "data");
    const postmaster = await runningPostmaster(dataDir);
    if (postmaster !== null) {
      process.kill(postmaster, "SIGQUIT");
      for (let waited = 0; waited < 5_000 && isAlive(postmaster); waited += 100) {
        await sleep(100);
      }
    }
    await rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}
