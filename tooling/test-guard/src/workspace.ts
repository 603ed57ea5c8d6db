import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export interface TestedPackage {
  name: string;
  dir: string;
  /** Where the package keeps its tests (vitest's include covers it). */
  testDir: string;
}

/** Every workspace package whose `test` script runs vitest. */
export async function testedPackages(): Promise<TestedPackage[]> {
  const found: TestedPackage[] = [];
  for (const group of ["apps", "packages", "tooling"]) {
    for (const entry of await readdir(path.join(repoRoot, group))) {
      const dir = path.join(repoRoot, group, entry);
      const manifest = path.join(dir, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(await readFile(manifest, "utf8")) as {
        name: string;
        scripts?: Record<string, string>;
      };
      if (!pkg.scripts?.test?.includes("vitest")) continue;
      const testDir = existsSync(path.join(dir, "app")) ? "app" : "src";
      found.push({ name: pkg.name, dir, testDir });
    }
  }
  if (found.length === 0) throw new Error("no workspace package runs vitest: the guard is broken");
  return found;
}

/** Folders that test runs create in the temp dir (Postgres data, storage roots). */
export async function leftoverThrowawayFolders(): Promise<string[]> {
  return (await readdir(os.tmpdir()))
    .filter((name) => name.startsWith("mad-") || name.startsWith("supabase-standin-"))
    .map((name) => path.join(os.tmpdir(), name));
}
