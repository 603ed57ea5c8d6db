/**
 * `pnpm exec tsx bench/profile.ts [path]`: runs the production server under `node --cpu-prof`
 * while bench/load.ts loads one page (default /models) as the benchmark user, then prints the
 * profile's self time by package and by function. PROFILE_DIR keeps the .cpuprofile files.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { DEMO_USERS } from "@mad/db";
import { startStack } from "@mad/dev-stack";

import { mintSessionCookie } from "../e2e/support/session";
import { benchStackOptions, stackInfoOf } from "../e2e/support/stacks";

const route = process.argv[2] ?? "/models";
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
/** Without PROFILE_DIR the profiles go to a temporary folder, removed once they are printed. */
const keepProfiles = process.env.PROFILE_DIR !== undefined;
const profileDir = process.env.PROFILE_DIR ?? (await mkdtemp(path.join(os.tmpdir(), "mad-prof-")));
const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));

const [ada] = DEMO_USERS;
const stack = await startStack(
  benchStackOptions({
    reuseBuild: process.env.BENCH_SKIP_BUILD === "1",
    webEnv: { WEB_CONCURRENCY: "1", NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` },
  }),
);
const info = stackInfoOf(stack);
try {
  const pair = await mintSessionCookie(info, ada);
  const cookie = `${pair.name}=${pair.value}`;
  await new Promise<void>((resolve, reject) => {
    const args = [
      "--import",
      "tsx",
      loadScript,
      info.baseUrl + route,
      "16",
      String(seconds),
      cookie,
    ];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`load exited ${code}`))));
  });
} finally {
  await stack.stop();
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return "(native/vm)";
  if (url.startsWith("node:")) return url;
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.includes("/build/server/")) return "app (build/server)";
  if (url.includes("/packages/")) return `@mad/${/\/packages\/([^/]+)/.exec(url)![1]}`;
  return url.replace(/^file:\/\//, "");
}

for (const file of (await readdir(profileDir)).filter((name) => name.endsWith(".cpuprofile"))) {
  const profile = JSON.parse(await readFile(path.join(profileDir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id)!.callFrame;
    total += delta;
    const pkg = packageOf(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    const fn = `${frame.functionName || "(anonymous)"} ${pkg}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join("\n");
  const name = keepProfiles ? path.join(profileDir, file) : file;
  console.log(`\n${name} — ${(total / 1e6).toFixed(1)} s sampled`);
  console.log(`\nself time by package\n${top(byPackage, 20)}`);
  console.log(`\nself time by function\n${top(byFunction, 40)}`);
}

if (!keepProfiles) await rm(profileDir, { recursive: true, force: true });
