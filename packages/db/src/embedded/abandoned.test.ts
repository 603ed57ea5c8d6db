import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

import { expect, test } from "vitest";

import { removeAbandonedThrowawayFolders } from "./abandoned";
import { startThrowawayPostgres } from "./index";
import { SUPERVISOR_PID_FILE } from "./supervisor";

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("a throw-away cluster whose supervisor was SIGKILLed is shut down and removed by the next run", async () => {
  const cluster = await startThrowawayPostgres("abandoned");
  const base = cluster.folder;
  const supervisor = Number((await readFile(path.join(base, SUPERVISOR_PID_FILE), "utf8")).trim());
  process.kill(supervisor, "SIGKILL");
  await waitUntil(() => !isAlive(supervisor));
  // Postgres outlives its killed supervisor: exactly the leftover this sweep exists for.
  expect(await listening(cluster.port)).toBe(true);

  const removed = await removeAbandonedThrowawayFolders();
  expect(removed).toContain(base);
  expect(existsSync(base)).toBe(false);
  expect(await listening(cluster.port)).toBe(false);
});

test("destroy() stops the cluster and leaves no folder", async () => {
  const cluster = await startThrowawayPostgres("destroyed");
  const base = cluster.folder;
  expect(existsSync(base)).toBe(true);
  await cluster.destroy();
  expect(existsSync(base)).toBe(false);
  expect(await listening(cluster.port)).toBe(false);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
